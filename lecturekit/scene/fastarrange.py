"""``Mobject.arrange`` walking each part's family once: the same shifts, the same points.

Manim 0.22 arranges a group with ``next_to`` pair by pair: for each part it reads the previous
part's bounding box and its own (a walk of each family, their anchors joined and reduced),
walks the part's family again to shift it, and centres the whole group with two more walks of
everything. A live row of numbers and signs re-arranged on every frame (slide 10's two rows
of values under the identities, through its fitting steps) did that on every frame; the walks
(a Python step per member, most of a number's members being groups without points) were
most of it.

:func:`arrange` walks each part's family once. From it come the part's box (the minimum and
maximum of the points Manim's ``get_points_defining_boundary`` would return: the anchors of
every member for a VMobject, all points for a Mobject) and the members with points that
``shift`` moves. Each part then gets the shift ``next_to`` would compute from the same minima
and maxima (the target point of the part before, the point to align of this one, ``buff``
along the direction, the default mask), applied as ``shift`` applies it (the points as floats,
plus the vector). A shifted part's box is its old box plus the shift: rounding is monotonic,
so the minimum of the shifted points is the shifted minimum, the float Manim would read from
the moved points. The group is centred from the parts' boxes and moved member by member in
the group's family order, as Manim's ``center`` does. ``tests/test_fastarrange.py`` compares
every point with Manim's result, bit for bit.

Anything else takes Manim's method: keyword arguments (``aligned_edge``...), a part without
points, parts sharing a member, a group with points of its own, and classes with their own
``arrange``, ``next_to``, ``shift``, bounding box, boundary points or anchors.
"""

from __future__ import annotations

import numpy as np
from manim import DEFAULT_MOBJECT_TO_MOBJECT_BUFFER, RIGHT, Mobject, VMobject

from . import fastboundary
from .fastcritical import box_point
from .fastfamily import with_points

_original = Mobject.arrange
_MASK = np.array([1, 1, 1])  # next_to's default coor_mask (multiplying by it is exact)
_plain_kinds: dict[type, bool] = {}


def _plain(kind: type) -> bool:
    """Whether ``kind`` places and measures itself with Manim's (or the kit's) base methods."""
    plain = _plain_kinds.get(kind)
    if plain is None:
        plain = _plain_kinds[kind] = (
            kind.arrange is Mobject.arrange
            and kind.next_to is Mobject.next_to
            and kind.shift is Mobject.shift
            and kind.get_critical_point is Mobject.get_critical_point
            and kind.get_extremum_along_dim is Mobject.get_extremum_along_dim
            and kind.get_points_defining_boundary
            in (Mobject.get_points_defining_boundary, VMobject.get_points_defining_boundary)
        )
    return plain


class _Part:
    """A part's members with points and the box of its boundary points (``low``, ``high``)."""

    __slots__ = ("family", "moved", "low", "high")

    def __init__(self, part: Mobject) -> None:
        self.family = part.get_family()
        self.moved = with_points(self.family)
        boundary = None
        if isinstance(part, VMobject):
            pieces = [
                fastboundary._anchors(m) if isinstance(m, VMobject) else None for m in self.moved
            ]
            if all(p is not None for p in pieces) and pieces:
                boundary = pieces
        elif type(part).get_points_defining_boundary is Mobject.get_points_defining_boundary:
            boundary = [m.points for m in self.moved]
        if boundary is None:  # Manim's own boundary (then measured the same way)
            boundary = [np.asarray(part.get_points_defining_boundary())]
        points = boundary[0] if len(boundary) == 1 else np.concatenate(boundary)
        if points.ndim != 2 or len(points) == 0 or points.shape[1] != part.dim:
            raise ValueError  # no box: Manim's way
        self.low, self.high = points.min(axis=0), points.max(axis=0)

    def shift(self, vector: np.ndarray) -> None:
        """``Mobject.shift(vector)`` on the part, and its box with it."""
        for m in self.moved:
            m.points = m.points.astype("float")
            m.points += vector
        self.low, self.high = self.low + vector, self.high + vector


def arrange(
    self: Mobject,
    direction=RIGHT,
    buff: float = DEFAULT_MOBJECT_TO_MOBJECT_BUFFER,
    center: bool = True,
    **kwargs,
) -> Mobject:
    """``Mobject.arrange``: the parts side by side along ``direction``, ``buff`` apart."""
    parts = self.submobjects
    if kwargs or not parts or self.has_points() or not _plain(type(self)):
        return _original(self, direction, buff, center, **kwargs)
    if not all(_plain(type(part)) for part in parts):
        return _original(self, direction, buff, center, **kwargs)
    try:
        measured = [_Part(part) for part in parts]
    except ValueError:
        return _original(self, direction, buff, center, **kwargs)
    members = [m for part in measured for m in part.family]
    if len(set(members)) != len(members) or self in members:
        # a member in two parts (or a part twice) moves twice in Manim's loop
        return _original(self, direction, buff, center, **kwargs)
    direction = np.asarray(direction)
    for before, part in zip(measured, measured[1:], strict=False):
        target = box_point(before.low, before.high, direction, len(before.low))
        point = box_point(part.low, part.high, -direction, len(part.low))
        part.shift((target - point + buff * direction) * _MASK)
    if center:
        if isinstance(self, VMobject):  # its box: its parts' anchors, i.e. their boxes
            low = np.min([part.low for part in measured], axis=0)
            high = np.max([part.high for part in measured], axis=0)
            vector = -box_point(low, high, np.zeros(len(low)), len(low))
        else:  # a Group's box is all its points, handles too: measured as Manim does
            vector = -self.get_center()
        for part in measured:
            part.shift(vector)
    return self


def install() -> None:
    """Use :func:`arrange` for every Mobject (idempotent)."""
    Mobject.arrange = arrange  # type: ignore[method-assign]
    _plain_kinds.clear()


def uninstall() -> None:
    """Back to Manim's method."""
    Mobject.arrange = _original  # type: ignore[method-assign]
    _plain_kinds.clear()
