"""``Mobject.length_over_dim`` (behind ``width`` and ``height``) from one NumPy minimum and
maximum: the same float.

Manim 0.22 measures a mobject's width by walking its family twice (once for the largest x,
once for the smallest) and reducing each member's column of coordinates with Python's
``max`` and ``min``, one float at a time. Live labels ask for widths and heights on every
frame to place themselves (slide 10's bar asks for a dozen per frame during its fitting
steps).

:func:`length_over_dim` takes the same members (the family's members with points: the ones
Manim's walk reads), joins their column once and returns its maximum minus its minimum, which
are the same floats as Manim's (a maximum is exact). A column with a NaN, where Python's
``max`` depends on the order of comparisons, and a class with its own measuring methods go
Manim's way. ``tests/test_fastlength.py`` compares the results byte for byte.
"""

from __future__ import annotations

import numpy as np
from manim import Mobject

_original = Mobject.length_over_dim
_reduce = Mobject.reduce_across_dimension
_with_points = Mobject.family_members_with_points
_plain_kinds: dict[type, bool] = {}


def _plain(kind: type) -> bool:
    plain = _plain_kinds.get(kind)
    if plain is None:
        plain = _plain_kinds[kind] = kind.reduce_across_dimension is _reduce
    return plain


def length_over_dim(self: Mobject, dim: int) -> float:
    """``Mobject.length_over_dim``: the family's extent along axis ``dim`` (0 if empty)."""
    members = self.family_members_with_points()
    if not all(_plain(type(m)) for m in members) or not _plain(type(self)):
        return _original(self, dim)
    if not members:
        return 0
    if len(members) == 1:
        column = members[0].points[:, dim]
    else:
        column = np.concatenate([m.points[:, dim] for m in members])
    high, low = column.max(), column.min()
    if high != high or low != low:  # a NaN: Manim's own reduction decides
        return _original(self, dim)
    return high - low


def install() -> None:
    """Use :func:`length_over_dim` for every Mobject (idempotent)."""
    Mobject.length_over_dim = length_over_dim  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method."""
    Mobject.length_over_dim = _original  # type: ignore[method-assign]
