"""A faster ``VMobject.get_subpath_split_indices_from_points`` for one-piece paths, same result.

Manim's Cairo camera asks every VMobject, on every frame it is drawn, where its path splits
into subpaths (``Camera.set_cairo_context_path``). Manim 0.22 answers with about twenty small
NumPy calls (fancy indexing, ``np.concatenate``, ``np.stack``); for a slide of hundreds of
dots and rings it was 14% of the render in a profile of slide 9. Almost every drawn path is
one piece (a dot, a ring, a curve, a glyph outline is usually several pieces, and goes the
original way).

:func:`install` puts a fast path in front: the curves' joins are compared with the same
closeness rule (``|end - start| <= atol + rtol * |start|``, both from Manim) on plain slices,
and when every join is close and finite, the answer is the one subpath ``[[0, n]]``, which is
what Manim returns then. Anything else (a split, a NaN or an infinity) is handed to Manim's own
method, so the result is always the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import VMobject

_original = VMobject.get_subpath_split_indices_from_points
_RTOL = 1.0e-5  # np.isclose's default, as in Manim's method


def fast_split_indices(self: VMobject, points: Any, n_dims: int = 3) -> np.ndarray:
    """``get_subpath_split_indices_from_points`` with a fast path for one-piece paths."""
    points = np.asarray(points)
    nppcc = self.n_points_per_cubic_curve
    n_pts = len(points)
    if n_pts <= nppcc or points.ndim != 2:
        return _original(self, points, n_dims)
    ends = points[nppcc - 1 : n_pts - 1 : nppcc, :n_dims]  # each curve's end but the last
    starts = points[nppcc:n_pts:nppcc, :n_dims]  # the next curve's start
    with np.errstate(invalid="ignore"):  # inf - inf is NaN here, as in Manim's method
        diffs = np.abs(ends - starts)
        # Every join close (a NaN compares False, so goes the original way) and finite.
        one_piece = (diffs <= self.tolerance_for_point_equality + _RTOL * np.abs(starts)).all()
    if one_piece and np.isfinite(diffs).all():
        return np.array([[0, n_pts]])
    return _original(self, points, n_dims)


def install() -> None:
    """Use :func:`fast_split_indices` for every VMobject (idempotent)."""
    VMobject.get_subpath_split_indices_from_points = fast_split_indices  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's own method (for tests that compare the two)."""
    VMobject.get_subpath_split_indices_from_points = _original  # type: ignore[method-assign]
