"""``NumberLine.number_to_point`` for arrays without ``np.vstack``: the same points, faster.

Every live curve on slide 10 is a redrawn set of axes coordinates (``Axes.c2p`` on a grid of a
few hundred values), and ``c2p`` maps each axis with ``NumberLine.number_to_point``. Manim 0.22
turns the 1-D array of fractions along the axis into a column with ``np.vstack(alphas)``, which
iterates the array as a sequence of scalars, one small array per value: most of the cost of
the mapping.

:func:`number_to_point` does the same arithmetic and makes the column with ``reshape(-1, 1)``,
the same values in the same shape (``tests/test_fastnumberline.py`` compares bytes); a scalar
an empty array and anything that is not a 1-D array go exactly Manim's way.
"""

from __future__ import annotations

import numpy as np
from manim import NumberLine
from manim.utils.bezier import interpolate

_original = NumberLine.number_to_point


def number_to_point(self: NumberLine, number: float | np.ndarray) -> np.ndarray:
    """``NumberLine.number_to_point``: the frame point(s) of ``number`` on this line."""
    given = np.asarray(number)
    if given.ndim != 1 or given.size == 0:
        return _original(self, number)  # (an empty array: Manim's vstack raises)
    values = self.scaling.inverse_function(given)
    alphas = (values - self.x_range[0]) / (self.x_range[1] - self.x_range[0])
    if not isinstance(alphas, np.ndarray) or alphas.ndim != 1:
        return _original(self, number)
    # np.vstack of a 1-D array is its column: (n,) -> (n, 1), the same values.
    return interpolate(self.get_start(), self.get_end(), alphas.reshape(-1, 1))


def install() -> None:
    """Use :func:`number_to_point` for every NumberLine (idempotent)."""
    NumberLine.number_to_point = number_to_point  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method."""
    NumberLine.number_to_point = _original  # type: ignore[method-assign]
