"""The kit's ``get_points_defining_boundary`` gives Manim's array, and so the same boxes."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    DOWN,
    Axes,
    Brace,
    DashedVMobject,
    DecimalNumber,
    Dot,
    Line,
    MathTex,
    VectorizedPoint,
    VGroup,
    VMobject,
)

from lecturekit.scene import fastboundary


def _mobjects() -> list[VMobject]:
    axes = Axes(x_range=[-3, 3, 1], y_range=[0, 1, 1], x_length=6, y_length=3)
    curve = axes.plot(lambda x: np.exp(-x * x))
    formula = MathTex(r"\log p(x) = \mathcal{L} + \mathrm{KL}")
    return [
        axes,
        curve,
        formula,
        formula[0],
        DecimalNumber(-2.147, num_decimal_places=3),
        Brace(Line([0, 0, 0], [2, 0, 0]), DOWN),
        DashedVMobject(curve, num_dashes=20),
        VGroup(Dot(), VMobject(), VectorizedPoint([1, 2, 0])),
        VectorizedPoint([0.5, -0.25, 0]),
        VGroup(VMobject(), VGroup()),  # no anchors at all
        VGroup(axes, formula, Dot([3, 1, 0])),
    ]


@pytest.fixture
def manims_boundary():
    fastboundary.uninstall()
    yield
    fastboundary.install()


def test_same_array_as_manim(manims_boundary, monkeypatch):
    mobjects = _mobjects()
    expected = [m.get_points_defining_boundary() for m in mobjects]
    boxes = [(m.get_corner([-1, -1, 0]), m.get_center(), m.width) for m in mobjects[:-2]]
    fastboundary.install()
    handed_back = []
    manims = fastboundary._original
    monkeypatch.setattr(fastboundary, "_original", lambda m: handed_back.append(m) or manims(m))
    for mobject, want in zip(mobjects, expected, strict=True):
        got = mobject.get_points_defining_boundary()
        assert (got.dtype, got.shape, got.tobytes()) == (want.dtype, want.shape, want.tobytes())
    # Not vacuous: only the group without anchors went Manim's way.
    assert handed_back == [mobjects[-2]]
    for mobject, (corner, centre, width) in zip(mobjects, boxes, strict=False):
        assert np.array_equal(mobject.get_corner([-1, -1, 0]), corner)
        assert np.array_equal(mobject.get_center(), centre)
        assert mobject.width == width


def test_an_array_of_its_own(manims_boundary):
    """A one-point mobject's answer is a copy, as Manim's is, not its points."""
    fastboundary.install()
    point = VectorizedPoint([1, 2, 0])
    boundary = point.get_points_defining_boundary()
    boundary[0, 0] = 9
    assert point.points[0, 0] == 1


def test_what_manim_rejects_it_rejects(manims_boundary):
    odd = VMobject()
    odd.points = np.zeros((5, 3))  # one curve and a stray point: Manim's zip(strict=True)
    with pytest.raises(ValueError):
        odd.get_points_defining_boundary()
    fastboundary.install()
    with pytest.raises(ValueError):
        odd.get_points_defining_boundary()
