"""The kit's ``length_over_dim`` (``width``, ``height``) gives Manim's float, byte for byte."""

from __future__ import annotations

import numpy as np
from manim import LEFT, UP, Circle, DecimalNumber, Dot, MathTex, Mobject, VGroup, VMobject

from lecturekit.scene import fastlength


def _pictures() -> list[Mobject]:
    rng = np.random.default_rng(5)
    scattered = VMobject()
    scattered.set_points_as_corners(rng.normal(size=(40, 3)) * [3.0, 2.0, 0.5])
    formula = MathTex(r"\log p(x) = \mathcal{L} + \mathrm{gap}")
    group = VGroup(formula, Circle().shift(2 * LEFT), VMobject(), Dot(), VGroup())
    parent = VMobject()  # points of its own and parts
    parent.set_points_as_corners([[5, 5, 1], [6, 4, -1]])
    parent.add(Dot([-3, 0, 0]), VGroup(Dot([0, -4, 0])))
    integers = Mobject()
    integers.points = np.array([[1, 2, 3], [-4, 5, 6]])
    return [
        scattered,
        group.shift(0.3 * UP),
        parent,
        DecimalNumber(-2.147),
        VMobject(),
        VGroup(),
        VGroup(VGroup()),
        integers,
    ]


def test_same_lengths_as_manims():
    checked = 0
    for picture in _pictures():
        for member in picture.get_family():
            for dim in (0, 1, 2):
                ours = fastlength.length_over_dim(member, dim)
                manims = fastlength._original(member, dim)
                assert type(ours) is type(manims), (type(member).__name__, dim)
                assert np.asarray(ours).tobytes() == np.asarray(manims).tobytes()
                checked += 1
    assert checked > 100


def test_nan_goes_manims_way_and_install():
    curve = VMobject()
    curve.set_points_as_corners([[0, 0, 0], [np.nan, 1, 0], [2, 3, 0]])
    for dim in (0, 1):
        ours, manims = fastlength.length_over_dim(curve, dim), fastlength._original(curve, dim)
        assert np.array_equal(ours, manims, equal_nan=True)
    fastlength.install()
    assert Mobject.length_over_dim is fastlength.length_over_dim
    assert VGroup(Dot(), Dot([2, 0, 0])).width == fastlength._original(
        VGroup(Dot(), Dot([2, 0, 0])), 0
    )
