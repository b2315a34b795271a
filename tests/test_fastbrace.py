"""The kit's Brace has Manim's shape (to 1e-12 units) and every other attribute of Manim's."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Brace,
    BraceBetweenPoints,
    Circle,
    Line,
    MathTex,
    Square,
    VGroup,
)

from lecturekit.scene import fastbrace

TARGETS = [
    lambda: Line([1.0, 0.2, 0], [1.0, 1.5, 0]),  # slide 10's gap: a vertical span
    lambda: Line([0, 0, 0], [0.3, 0, 0]),  # shorter than the path: no straight sections
    lambda: MathTex(r"\log p(x) - \mathcal{L}").shift(0.4 * LEFT),
    lambda: VGroup(Square(0.7), Circle(0.3).shift(2 * RIGHT)).rotate(0.4),
]
OPTIONS = [
    {"direction": RIGHT, "buff": 0.08, "color": "#A070E0"},
    {},
    {"direction": UP, "sharpness": 1},
    {"direction": LEFT + DOWN, "buff": 0.3, "fill_opacity": 0.5},
]


def _attributes(brace: Brace) -> dict:
    skip = {"points", "path_obj", "updaters", "name"}
    return {
        k: (v.tobytes() if isinstance(v, np.ndarray) else v)
        for k, v in vars(brace).items()
        if k not in skip and not callable(v)
    }


@pytest.fixture
def manims_brace():
    fastbrace.uninstall()
    yield
    fastbrace.install()


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("options", OPTIONS)
def test_same_brace_as_manims(manims_brace, target, options):
    given = target()
    manims = Brace(given, **options)
    fastbrace.install()
    ours_given = target()
    ours = Brace(ours_given, **options)
    assert type(ours.path_obj) is fastbrace._BracePath  # not vacuous: the fast path ran
    assert ours.points.shape == manims.points.shape
    assert np.abs(ours.points - manims.points).max() < 1e-12
    assert _attributes(ours) == _attributes(manims)
    # the mobject braced is turned and back as Manim turns it
    assert ours_given.points.tobytes() == given.points.tobytes()
    assert ours.get_tip().tobytes() == ours.points[manims._tip_point_index].tobytes()


def test_no_straight_sections_are_manims_points_exactly(manims_brace):
    manims = Brace(Line([0, 0, 0], [0.3, 0, 0]))
    fastbrace.install()
    assert Brace(Line([0, 0, 0], [0.3, 0, 0])).points.tobytes() == manims.points.tobytes()


def test_between_points_and_the_path_object(manims_brace):
    manims = BraceBetweenPoints([0, 0, 0], [2, 1, 0], DOWN)
    fastbrace.install()
    ours = BraceBetweenPoints([0, 0, 0], [2, 1, 0], DOWN)
    assert np.abs(ours.points - manims.points).max() < 1e-12
    # anything else asked of the path is asked of the parsed path
    assert len(list(ours.path_obj.segments())) == len(list(manims.path_obj.segments()))
    copied = ours.copy()
    assert type(copied.path_obj) is fastbrace._BracePath
    assert copied.points.tobytes() == ours.points.tobytes()
