"""``Mobject.get_critical_point`` from one bounding box: the same point, fewer NumPy calls.

Every placement reads a point of a mobject's bounding box (``next_to``, ``move_to``,
``arrange``, ``get_center``, ``get_left``, ``width``...). Manim 0.22 gets the boundary points
once, then for each of the three coordinates takes a column and its minimum, maximum or both
(``get_extremum_along_dim``): up to six reductions over strided columns and three method calls
per point asked for. On slide 10's fitting steps, where live numbers and labels are placed on
every frame, that was a tenth of the frame.

:func:`get_critical_point` takes the minimum and maximum of all columns at once and picks,
coordinate by coordinate, what Manim's method picks for that component of the direction: the
minimum below zero, the mean of the two at zero, the maximum otherwise (a NaN component
included). The values are the same floats (a minimum is exact, the mean the same expression),
``tests/test_fastcritical.py`` compares them. A class with its own ``get_extremum_along_dim``,
or boundary points of another shape, takes Manim's method.
"""

from __future__ import annotations

import numpy as np
from manim import Mobject

_original = Mobject.get_critical_point
_extremum = Mobject.get_extremum_along_dim


def get_critical_point(self: Mobject, direction) -> np.ndarray:
    """``Mobject.get_critical_point``: the point of the bounding box along ``direction``."""
    if type(self).get_extremum_along_dim is not _extremum:
        return _original(self, direction)
    points = self.get_points_defining_boundary()
    if len(points) == 0:
        return np.zeros(self.dim)
    points = np.asarray(points)
    if points.ndim != 2 or points.shape[1] < self.dim:
        return _original(self, direction)
    return box_point(points.min(axis=0), points.max(axis=0), direction, self.dim)


def box_point(low: np.ndarray, high: np.ndarray, direction, dim: int = 3) -> np.ndarray:
    """The point of the box (``low``, ``high``) along ``direction``, coordinate by coordinate
    as Manim's ``get_extremum_along_dim`` picks it: the minimum below zero, the mean at zero,
    the maximum otherwise (a NaN component included)."""
    result = np.zeros(dim)
    for d in range(dim):
        key = direction[d]
        if key < 0:
            result[d] = low[d]
        elif key == 0:
            result[d] = (low[d] + high[d]) / 2
        else:
            result[d] = high[d]
    return result


def install() -> None:
    """Use :func:`get_critical_point` for every mobject (idempotent)."""
    Mobject.get_critical_point = get_critical_point  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method."""
    Mobject.get_critical_point = _original  # type: ignore[method-assign]
