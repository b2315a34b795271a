"""The fast path of ``get_subpath_split_indices_from_points`` gives Manim's own answer."""

from __future__ import annotations

import numpy as np
from manim import Circle, Dot, Line, MathTex, Square, VGroup, VMobject

from lecturekit.scene import fastsplit


def _cases() -> list[tuple[VMobject, np.ndarray]]:
    rng = np.random.default_rng(0)
    shapes = [Dot(), Circle(), Square(), Line(), VGroup(Circle(), Square()).set_fill(opacity=1)]
    cases = [(m, m.points) for s in shapes for m in s.get_family() if m.has_points()]
    combined = VMobject()
    combined.append_points(Circle().points)
    combined.append_points(Square().shift(3 * np.array([1.0, 0, 0])).points)
    cases.append((combined, combined.points))
    tex = MathTex("x^2")
    cases += [(m, m.points) for m in tex.family_members_with_points()]
    for n in (0, 3, 4, 5, 8, 9, 12, 40):
        pts = rng.normal(size=(n, 3))
        cases.append((VMobject(), pts))
        if n >= 8:
            joined = pts.copy()
            joined[4::4] = joined[3:-1:4]  # every join closed
            cases.append((VMobject(), joined))
            for bad in (np.nan, np.inf, -np.inf):
                broken = joined.copy()
                broken[4, 0] = bad
                broken[3, 0] = bad
                cases.append((VMobject(), broken))
    return cases


def test_fast_split_indices_match_manim() -> None:
    for mobject, points in _cases():
        for n_dims in (2, 3):
            fast = fastsplit.fast_split_indices(mobject, points, n_dims=n_dims)
            own = fastsplit._original(mobject, points, n_dims=n_dims)
            assert fast.dtype == own.dtype
            np.testing.assert_array_equal(fast, own)
