"""``VMobject.get_points_defining_boundary`` built with NumPy slices: the same array, faster.

Every placement asks for a bounding box: ``next_to``, ``move_to``, ``arrange``, ``get_center``,
``width``, ``get_bottom`` all reach ``get_critical_point``, which asks the mobject for the
points that define its boundary, the anchors of every curve of every family member. Manim 0.22
builds them as a Python list of one-row views per anchor (``get_anchors`` zips start and end
anchors row by row), then turns a tuple of all of them back into an array. On slide 10's
fitting steps, where labels, numbers and a brace are placed on every frame, that was the
largest single cost of the frame.

:func:`get_points_defining_boundary` interleaves each member's start and end anchors into one
array with two slice assignments and joins the members' arrays: the same rows in the same
order, so the same array (``tests/test_fastboundary.py`` compares bytes). A member whose class
has its own ``get_anchors``, or whose point count Manim's ``zip(..., strict=True)`` would
reject, sends the whole call to Manim's method (which then answers or raises as before).
"""

from __future__ import annotations

import numpy as np
from manim import VMobject

_original = VMobject.get_points_defining_boundary
_original_anchors = VMobject.get_anchors


def _anchors(member: VMobject) -> np.ndarray | None:
    """``member.get_anchors()`` as one array (None: leave it to Manim)."""
    if type(member).get_anchors is not _original_anchors:
        return None
    points = member.points
    if points.shape[0] == 1:
        return points
    step = member.n_points_per_cubic_curve
    starts, ends = points[::step], points[step - 1 :: step]
    if len(starts) != len(ends):
        return None  # Manim's zip(strict=True) raises here
    interleaved = np.empty((2 * len(starts), *points.shape[1:]), dtype=points.dtype)
    interleaved[0::2] = starts
    interleaved[1::2] = ends
    return interleaved


def get_points_defining_boundary(self: VMobject) -> np.ndarray:
    """``VMobject.get_points_defining_boundary``: the anchors of every family member."""
    pieces = []
    for member in self.get_family():
        if not isinstance(member, VMobject):
            return _original(self)
        anchors = _anchors(member)
        if anchors is None:
            return _original(self)
        if len(anchors):
            pieces.append(anchors)
    if not pieces:
        return _original(self)  # no anchors at all: Manim's empty array, as it builds it
    if len(pieces) == 1:
        return np.array(pieces[0])
    if any(p.shape[1:] != pieces[0].shape[1:] for p in pieces):
        return _original(self)
    # (Mixed dtypes, e.g. a point given as integers, promote as np.array promotes them.)
    return np.concatenate(pieces)


def install() -> None:
    """Use :func:`get_points_defining_boundary` for every VMobject (idempotent)."""
    VMobject.get_points_defining_boundary = get_points_defining_boundary  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method."""
    VMobject.get_points_defining_boundary = _original  # type: ignore[method-assign]
