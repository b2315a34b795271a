"""The kit's ``arrange`` moves every point where Manim's does, bit for bit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    DecimalNumber,
    Dot,
    Group,
    MathTex,
    Mobject,
    Square,
    VGroup,
    VMobject,
)

from lecturekit.scene import fastarrange


def _row() -> VGroup:
    return VGroup(
        DecimalNumber(-2.147, num_decimal_places=3),
        MathTex("="),
        DecimalNumber(-2.6031, num_decimal_places=3),
        MathTex("+"),
        DecimalNumber(0.4567, num_decimal_places=3).shift(0.3 * UP),
    ).shift(1.7 * LEFT + 0.2 * DOWN)


def _nested() -> VGroup:
    inner = VGroup(Dot([1, 2, 0]), Circle(radius=0.3).shift(3 * RIGHT))
    return VGroup(Square(0.5), inner, MathTex(r"\log p(x)"), VGroup(inner.copy(), Dot()))


def _integers() -> Mobject:
    points = Mobject()
    points.points = np.array([[1, 2, 3], [-4, 5, 6]])
    group = Mobject()
    other = Mobject()
    other.points = np.array([[0, 0, 0], [2, -1, 1]])
    group.add(points, other)
    return group


def _mixed() -> Group:
    # a Group's box is all its points (handles too), its VMobject parts' boxes their anchors
    return Group(Circle(radius=0.7), _integers(), Square(1.2).rotate(0.3), Dot([0, 1, 0]))


def _own_points() -> VMobject:
    parent = VMobject()
    parent.set_points_as_corners([[5, 5, 1], [6, 4, -1]])
    return parent.add(Dot([-3, 0, 0]), Dot([0, -4, 0]))


def _with_empty() -> VGroup:
    return VGroup(Dot(), VMobject(), Dot([2, 1, 0]))


def _shared() -> VGroup:
    dot = Dot([1, 1, 0])
    return VGroup(VGroup(dot, Square()), VGroup(dot, Circle()))


def _points(group: Mobject) -> bytes:
    return b"".join(np.asarray(m.points, dtype=float).tobytes() for m in group.get_family())


CASES = [
    (_row, {}),
    (_row, {"direction": DOWN, "buff": 0.13}),
    (_row, {"direction": UP + RIGHT, "buff": 0.31}),
    (_row, {"direction": LEFT, "center": False}),
    (_nested, {"direction": RIGHT, "buff": 0.2}),
    (_nested, {"direction": DOWN}),
    (_integers, {"buff": 0.5}),
    (_mixed, {"direction": UP + RIGHT, "buff": 0.4}),
    (_mixed, {}),
    # Manim's way: keyword arguments, an empty part, a group with points, shared members
    (_row, {"direction": DOWN, "aligned_edge": LEFT}),
    (_with_empty, {}),
    (_own_points, {}),
    (_shared, {}),
]


@pytest.mark.parametrize(("build", "kwargs"), CASES)
def test_same_points_as_manims(build: Callable[[], Mobject], kwargs: dict) -> None:
    ours, manims = build(), build()
    assert _points(ours) == _points(manims)  # the builders are deterministic
    fastarrange.arrange(ours, **kwargs)
    fastarrange._original(manims, **kwargs)
    assert _points(ours) == _points(manims)
    assert _points(ours) != _points(build())  # it did move something


def test_fast_path_runs_for_a_row_of_numbers_and_signs(monkeypatch) -> None:
    # (built first: building a number arranges its digits, through Manim's arrange once
    # the kit is installed)
    row, nested, shared, other_row = _row(), _nested(), _shared(), _row()
    called: list[int] = []
    monkeypatch.setattr(fastarrange, "_original", lambda *a, **k: called.append(1))
    fastarrange.arrange(row, buff=0.2)
    fastarrange.arrange(nested, DOWN)
    assert not called
    fastarrange.arrange(shared)
    fastarrange.arrange(other_row, aligned_edge=LEFT)
    assert len(called) == 2


def test_install() -> None:
    fastarrange.install()
    assert Mobject.arrange is fastarrange.arrange
    assert VGroup.arrange is fastarrange.arrange
