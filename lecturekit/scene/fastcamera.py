"""The Cairo camera traces a one-piece path with the same calls, in a fraction of the time.

For every VMobject it draws, on every frame, Manim's ``Camera.set_cairo_context_path`` checks
the points for NaN and infinity, asks where the path splits into pieces (about ten NumPy
calls), then emits ``move_to`` and one ``curve_to`` per cubic curve, reading each coordinate
as a NumPy scalar. A fade of slide 9's 800 dots and rings spends most of its drawing there,
not in Cairo.

:func:`install` puts a fast path in front for a path of one piece (a dot, a ring, a curve, an
arrow's line): the coordinates are read once as Python floats, the joins between curves
compared with Manim's closeness rule (``|end - start| <= atol + rtol * |start|`` on x and y),
and Cairo gets the same calls with the same numbers (``tests/test_fastcamera.py`` compares the
paths Cairo records, and the pixels). Anything else goes Manim's way: a path in several
pieces (most glyphs), a NaN or infinity, fewer points than a curve, a camera or a mobject
class that changes how points are shown or compared.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import Camera, VMobject

_original = Camera.set_cairo_context_path
_RTOL = 1.0e-5  # np.isclose's default, as in Manim's split rule
_LONG = 64  # points; above this the joins are compared with NumPy (faster for long curves)


def _plain(camera: Camera, vmobject: VMobject) -> bool:
    """Whether the camera and the mobject's class use Manim's own point handling."""
    kind = type(vmobject)
    return (
        type(camera).transform_points_pre_display is Camera.transform_points_pre_display
        and kind.consider_points_equals_2d is VMobject.consider_points_equals_2d
        and kind.get_subpath_split_indices_from_points
        is VMobject.get_subpath_split_indices_from_points
        and vmobject.n_points_per_cubic_curve == 4
    )


def set_cairo_context_path(self: Camera, ctx: Any, vmobject: VMobject) -> Camera:
    """``Camera.set_cairo_context_path`` with a fast path for finite one-piece paths."""
    points = vmobject.points
    count = len(points)
    if count < 4 or not _plain(self, vmobject) or not np.isfinite(points).all():
        return _original(self, ctx, vmobject)
    atol = vmobject.tolerance_for_point_equality
    if count > _LONG:
        # Each curve's end against the next curve's start, x and y, in one NumPy pass.
        ends, starts = points[3 : count - 1 : 4, :2], points[4:count:4, :2]
        if not (np.abs(ends - starts) <= atol + _RTOL * np.abs(starts)).all():
            return _original(self, ctx, vmobject)  # a split: several pieces
        xy = points[:, :2].tolist()
    else:
        xy = points[:, :2].tolist()
        for k in range(4, count, 4):  # the same comparison, in Python for a short path
            end, start = xy[k - 1], xy[k]
            if abs(end[0] - start[0]) > atol + _RTOL * abs(start[0]) or abs(
                end[1] - start[1]
            ) > atol + _RTOL * abs(start[1]):
                return _original(self, ctx, vmobject)  # a split: several pieces
    ctx.new_path()
    ctx.new_sub_path()
    ctx.move_to(*xy[0])
    curve_to = ctx.curve_to
    for i in range(0, count - 3, 4):
        handle_1, handle_2, anchor = xy[i + 1], xy[i + 2], xy[i + 3]
        curve_to(handle_1[0], handle_1[1], handle_2[0], handle_2[1], anchor[0], anchor[1])
    if vmobject.consider_points_equals_2d(xy[0], xy[count - 1]):
        ctx.close_path()
    return self


def install() -> None:
    """Trace one-piece paths the fast way for every Cairo camera (idempotent)."""
    Camera.set_cairo_context_path = set_cairo_context_path  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method."""
    Camera.set_cairo_context_path = _original  # type: ignore[method-assign]
