"""The kit's ``get_critical_point`` gives Manim's point, float for float."""

from __future__ import annotations

import itertools

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Circle, Dot, MathTex, Mobject, VGroup, VMobject

from lecturekit.scene import fastcritical

DIRECTIONS = [
    np.array([x, y, z], dtype=float)
    for x, y, z in itertools.product((-1.0, 0.0, 1.0, 0.5, -2.0), (-1.0, 0.0, 1.0), (0.0, 1.0))
] + [np.array([np.nan, 0.0, 0.0]), (1, -1, 0), [0, 0, 0]]


def _pictures() -> list[Mobject]:
    rng = np.random.default_rng(3)
    scattered = VMobject()
    scattered.set_points_as_corners(rng.normal(size=(40, 3)) * [3.0, 2.0, 0.5])
    group = VGroup(MathTex(r"\log p(x) = \mathcal{L}"), Circle().shift(2 * LEFT), Dot())
    integers = Mobject()
    integers.points = np.array([[1, 2, 3], [-4, 5, 6]])  # points given as integers
    return [scattered, group.shift(0.3 * UP), Dot(), VMobject(), VGroup(), integers]


def test_same_points_as_manims():
    for picture in _pictures():
        for member in picture.get_family():
            for direction in DIRECTIONS + [UP, DOWN, LEFT, RIGHT, ORIGIN, UP + LEFT]:
                ours = fastcritical.get_critical_point(member, direction)
                manims = fastcritical._original(member, direction)
                assert ours.dtype == manims.dtype
                assert ours.tobytes() == manims.tobytes(), (type(member).__name__, direction)


def test_a_point_with_nan_coordinates_is_the_same():
    curve = VMobject()
    curve.set_points_as_corners([[0, 0, 0], [np.nan, 1, 0], [2, 3, 0]])
    for direction in DIRECTIONS:
        ours = fastcritical.get_critical_point(curve, direction)
        manims = fastcritical._original(curve, direction)
        assert np.array_equal(ours, manims, equal_nan=True)
