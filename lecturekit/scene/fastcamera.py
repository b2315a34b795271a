"""The Cairo camera traces each path with the same calls as Manim, in a fraction of the time.

For every VMobject it draws, on every frame, Manim's ``Camera.set_cairo_context_path`` checks
the points for NaN and infinity, asks where the path splits into pieces (about ten NumPy
calls), then emits ``move_to`` and one ``curve_to`` per cubic curve, reading each coordinate
as a NumPy scalar. A fade of slide 9's 800 dots and rings spends most of its drawing there,
not in Cairo.

:func:`install` puts a fast path in front for finite paths: the coordinates are read once as
Python floats, the joins between curves compared with Manim's closeness rule (``|end - start|
<= atol + rtol * |start|`` on x and y) to find where a new piece starts (a glyph's inner
outline), and Cairo gets the same calls with the same numbers (``tests/test_fastcamera.py``
compares the paths Cairo records, and the pixels). Anything else goes Manim's way: a NaN or an
infinity, fewer points than a curve, a camera or a mobject class that changes how points are
shown or compared.

It also draws each VMobject with the steps of Manim's ``display_vectorized`` inlined (path,
background stroke, fill, stroke: the same Cairo calls with the same values, colours read as
floats once) instead of a method call per step and per colour lookup; a camera or mobject class
that changes one of those steps is drawn Manim's way. 800 dots and rings and a formula at
720p: 60 -> 35 ms per frame.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import Any

import cairo
import numpy as np
from manim import Camera, VMobject
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP

_original = Camera.set_cairo_context_path
_original_display = Camera.display_multiple_non_background_colored_vmobjects
_original_type = Camera.type_or_raise
# The camera's drawing steps the fast loop stands in for; a subclass that changes one of them
# (or a mobject class that changes what they read) is drawn Manim's way.
_CAMERA_STEPS = (
    "display_vectorized",
    "apply_fill",
    "apply_stroke",
    "set_cairo_context_color",
    "get_fill_rgbas",
    "get_stroke_rgbas",
)
_MOBJECT_READS = ("get_fill_rgbas", "get_stroke_rgbas", "get_stroke_width")
_RTOL = 1.0e-5  # np.isclose's default, as in Manim's split rule
# Points; above this the joins are compared with NumPy, below it in a loop over the floats.
# Measured per path (medians of 5): a 136-point glyph 17.0 us with NumPy, 6.5 in the loop; a
# 400-point curve 31.3 and 17.0; a 1200-point curve 29.9 and 66.2.
_LONG = 640


_plain_pairs: dict[tuple[type, type], bool] = {}


def _plain(camera: Camera, vmobject: VMobject) -> bool:
    """Whether the camera and the mobject's class use Manim's own point handling."""
    key = (type(camera), type(vmobject))
    plain = _plain_pairs.get(key)
    if plain is None:
        kind = key[1]
        plain = (
            key[0].transform_points_pre_display is Camera.transform_points_pre_display
            and kind.consider_points_equals_2d is VMobject.consider_points_equals_2d
            and kind.get_subpath_split_indices_from_points
            is VMobject.get_subpath_split_indices_from_points
        )
        _plain_pairs[key] = plain
    return plain and vmobject.n_points_per_cubic_curve == 4


def _splits(points: np.ndarray, xyz: list[float], atol: float) -> list[int]:
    """Where the path starts a new piece: each curve start (a multiple of 4) that is not
    close to the previous curve's end, by Manim's rule on x and y (all points finite).
    ``xyz`` is x0, y0, z0, x1, ... of ``points``."""
    count = len(points)
    if count > _LONG:  # one NumPy pass for a long curve
        ends, starts = points[3 : count - 1 : 4, :2], points[4:count:4, :2]
        close = (np.abs(ends - starts) <= atol + _RTOL * np.abs(starts)).all(axis=1)
        return ((np.flatnonzero(~close) + 1) * 4).tolist()
    splits = []
    for j in range(12, 3 * count, 12):  # where each curve's start but the first is in xyz
        x0, y0, x1, y1 = xyz[j - 3], xyz[j - 2], xyz[j], xyz[j + 1]  # previous end, this start
        if x0 == x1 and y0 == y1:
            continue  # the usual join, exactly closed (a difference of 0 is always close)
        if abs(x0 - x1) > atol + _RTOL * abs(x1) or abs(y0 - y1) > atol + _RTOL * abs(y1):
            splits.append(j // 3)
    return splits


# Traced paths kept for reuse, by (points' bytes, tolerance, the context's matrix): a path is
# kept the second time it is traced (text and shapes that hold still above a moving picture
# are traced again on every frame; a moving one never repeats). Cairo holds a path in device
# coordinates of 1/256 pixel, which its copy in device space gives back exactly.
_SEEN: dict[tuple, None] = {}
_PATHS: dict[tuple, Any] = {}
_CACHE_LIMIT = 4096  # entries of each; both start over when full
_CACHE_POINTS = 256  # longer paths (live curves) are not kept


def _replay(ctx: Any, path: Any) -> None:
    ctx.new_path()
    ctx.save()  # (the path is not part of the saved state: only the matrix is put back)
    ctx.identity_matrix()
    ctx.append_path(path)
    ctx.restore()


def _keep(ctx: Any, key: tuple) -> None:
    if key not in _SEEN:
        if len(_SEEN) >= _CACHE_LIMIT:
            _SEEN.clear()
        _SEEN[key] = None
        return
    if len(_PATHS) >= _CACHE_LIMIT:
        _PATHS.clear()
    _PATHS[key] = _device_copy(ctx)


def _device_copy(ctx: Any) -> Any:
    """Cairo's copy of the current path in device space (what :func:`_replay` appends)."""
    ctx.save()
    ctx.identity_matrix()
    path = ctx.copy_path()
    ctx.restore()
    return path


def set_cairo_context_path(self: Camera, ctx: Any, vmobject: VMobject) -> Camera:
    """``Camera.set_cairo_context_path`` with a fast path for finite paths."""
    points = vmobject.points
    count = len(points)
    if count < 4 or points.ndim != 2 or points.shape[1] != 3 or not _plain(self, vmobject):
        return _original(self, ctx, vmobject)
    key = None
    if count <= _CACHE_POINTS:
        key = (points.tobytes(), vmobject.tolerance_for_point_equality, tuple(ctx.get_matrix()))
        path = _PATHS.get(key)
        if path is not None:
            _replay(ctx, path)
            return self
    xyz = points.ravel().tolist()  # x0, y0, z0, x1, ... as Python floats
    # Finite coordinates only (Manim draws a NaN or an infinity as nothing): a NaN or an
    # infinity makes the sum one; a sum that overflows goes Manim's way too, which is right.
    if not math.isfinite(sum(xyz)):
        return _original(self, ctx, vmobject)
    bounds = [0, *_splits(points, xyz, vmobject.tolerance_for_point_equality), count]
    ctx.new_path()
    curve_to = ctx.curve_to
    for start, end in zip(bounds, bounds[1:], strict=False):
        if end - start < 4:
            continue  # as Manim: a piece shorter than one curve is not drawn
        ctx.new_sub_path()
        ctx.move_to(xyz[3 * start], xyz[3 * start + 1])
        for j in range(3 * start + 3, 3 * end - 8, 12):  # each curve's two handles and end
            curve_to(xyz[j], xyz[j + 1], xyz[j + 3], xyz[j + 4], xyz[j + 6], xyz[j + 7])
        first = (xyz[3 * start], xyz[3 * start + 1])
        last = (xyz[3 * end - 3], xyz[3 * end - 2])
        if vmobject.consider_points_equals_2d(first, last):
            ctx.close_path()
    if key is not None:
        _keep(ctx, key)
    return self


_plain_kinds: dict[type, bool] = {}


def _plain_kind(kind: type) -> bool:
    """Whether a mobject class reads its colours and widths with VMobject's own methods."""
    plain = _plain_kinds.get(kind)
    if plain is None:
        plain = all(getattr(kind, name) is getattr(VMobject, name) for name in _MOBJECT_READS)
        _plain_kinds[kind] = plain
    return plain


def _set_colour(camera: Camera, ctx: Any, rgbas: np.ndarray, vmobject: VMobject) -> None:
    """``Camera.set_cairo_context_color``: one colour as Cairo's BGRA floats, or a gradient."""
    if len(rgbas) == 1:
        red, green, blue, alpha = rgbas[0].tolist()
        ctx.set_source_rgba(blue, green, red, alpha)  # Manim's reversed rgb, as the surface
    else:
        camera.set_cairo_context_color(ctx, rgbas, vmobject)


def _clear(rgbas: np.ndarray, over: bool) -> bool:
    """Whether painting in ``rgbas`` leaves every pixel as it is: one colour of alpha 0, drawn
    with Cairo's OVER operator (the result is the source, premultiplied to zero, plus the
    destination times 1 - 0: the destination, exactly). Manim still fills a curve's empty
    inside and strokes a shape's unseen outline: 600 rings with empty insides at 720p took
    35.4 ms to draw with their fills, 33.7 ms without (medians of 5 runs of 20 frames)."""
    return over and len(rgbas) == 1 and rgbas[0, 3] == 0


def display_multiple_non_background_colored_vmobjects(
    self: Camera, vmobjects: Any, pixel_array: np.ndarray
) -> None:
    """Draw VMobjects: Manim's ``display_vectorized`` steps for each, inlined (the same Cairo
    calls with the same values, without a method call per step)."""
    kind = type(self)
    if any(getattr(kind, step) is not getattr(Camera, step) for step in _CAMERA_STEPS):
        _original_display(self, _expand_marks(vmobjects), pixel_array)
        return
    ctx = self.get_cairo_context(pixel_array)
    over = ctx.get_operator() == cairo.OPERATOR_OVER
    for vmobject in vmobjects:
        # A Marks (read from the instance: getattr on a mobject without it would go through
        # Mobject.__getattr__, a Python call per mobject and frame).
        if "piece_ends" in vmobject.__dict__:
            _display_marks(self, ctx, vmobject, pixel_array)
            continue
        if not _plain_kind(type(vmobject)):
            self.display_vectorized(vmobject, ctx)
            continue
        self.set_cairo_context_path(ctx, vmobject)
        if max(0.0, vmobject.background_stroke_width) != 0:
            self.apply_stroke(ctx, vmobject, background=True)
        try:
            fill = vmobject.fill_rgbas
        except AttributeError:
            fill = np.zeros((1, 4))
        if not _clear(fill, over):
            _set_colour(self, ctx, fill, vmobject)
            ctx.fill_preserve()
        width = vmobject.stroke_width
        if isinstance(width, str):
            width = int(width)
        width = max(0.0, width)
        if width == 0:
            continue
        try:
            stroke = vmobject.stroke_rgbas
        except AttributeError:
            stroke = np.zeros((1, 4))
        if _clear(stroke, over):
            continue
        _set_colour(self, ctx, stroke, vmobject)
        # (the same expression as Manim's, factor for factor)
        ctx.set_line_width(
            width * self.cairo_line_width_multiple * (self.frame_width / self.frame_width)
        )
        ctx.set_line_join(LINE_JOIN_MAP[vmobject.joint_type])
        ctx.set_line_cap(CAP_STYLE_MAP[vmobject.cap_style])
        ctx.stroke_preserve()


def _expand_marks(vmobjects: Any) -> list[VMobject]:
    """``vmobjects`` with each :class:`~lecturekit.scene.marks.Marks` as its separate shapes,
    for a camera that draws Manim's way."""
    out = []
    for vmobject in vmobjects:
        if "piece_ends" in vmobject.__dict__:
            vmobject.check()
            out += vmobject.pieces()
        else:
            out.append(vmobject)
    return out


@dataclass
class _MarksPaths:
    """What a Marks was traced from last (its points, shapes, tolerance and the context's
    matrix) and, from its second tracing of the same, each shape's path in device space."""

    points: np.ndarray
    piece_ends: tuple
    atol: float
    matrix: tuple
    paths: list | None = None


# Per Marks, weakly (a Marks that is gone takes its paths with it).
_MARKS_PATHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _display_marks(camera: Camera, ctx: Any, marks: Any, pixel_array: np.ndarray) -> None:
    """Draw a :class:`~lecturekit.scene.marks.Marks` shape by shape: for each shape the Cairo
    calls the loop above makes for a separate VMobject of the same points and style (the line
    width, join and cap, which nothing between two shapes changes, set once before them).

    Marks whose points hold still while their colours change (a fade) are traced twice, then
    each shape's path is replayed from Cairo's own copy, as a path that holds still above."""
    marks.check()
    points = marks.points
    fill, stroke = marks.fill_rgbas, marks.stroke_rgbas
    if (
        len(fill) != 1
        or len(stroke) != 1  # a gradient: drawn per shape by Manim's colour code
        or max(0.0, marks.background_stroke_width) != 0
        or not _plain(camera, marks)
    ):
        display_multiple_non_background_colored_vmobjects(camera, marks.pieces(), pixel_array)
        return
    atol = marks.tolerance_for_point_equality
    matrix = tuple(ctx.get_matrix())
    last = _MARKS_PATHS.get(marks)
    still = (
        last is not None
        and last.matrix == matrix
        and last.atol == atol
        and last.piece_ends == marks.piece_ends
        and last.points.shape == points.shape
        and np.array_equal(last.points, points)
    )
    paths = last.paths if still else None
    xyz: list[float] = []
    if paths is None:
        xyz = points.ravel().tolist()
        if not math.isfinite(sum(xyz)):
            display_multiple_non_background_colored_vmobjects(camera, marks.pieces(), pixel_array)
            return
        if still:  # the second tracing of the same: keep each shape's path
            last.paths = paths = []
        else:
            _MARKS_PATHS[marks] = _MarksPaths(points.copy(), marks.piece_ends, atol, matrix)
    red, green, blue, alpha = fill[0].tolist()
    s_red, s_green, s_blue, s_alpha = stroke[0].tolist()
    width = marks.stroke_width
    if isinstance(width, str):
        width = int(width)
    width = max(0.0, width)
    if width != 0:
        ctx.set_line_width(
            width * camera.cairo_line_width_multiple * (camera.frame_width / camera.frame_width)
        )
        ctx.set_line_join(LINE_JOIN_MAP[marks.joint_type])
        ctx.set_line_cap(CAP_STYLE_MAP[marks.cap_style])
    over = ctx.get_operator() == cairo.OPERATOR_OVER
    fill_seen, stroke_seen = not _clear(fill, over), width != 0 and not _clear(stroke, over)
    if paths and len(paths) == len(marks.piece_ends):
        for path in paths:
            _replay(ctx, path)
            if fill_seen:
                ctx.set_source_rgba(blue, green, red, alpha)
                ctx.fill_preserve()
            if stroke_seen:
                ctx.set_source_rgba(s_blue, s_green, s_red, s_alpha)
                ctx.stroke_preserve()
        return
    # Manim's rule for where a path starts a new piece, over all shapes at once (a shape's
    # own boundaries are where a new path starts anyway).
    ends, starts = points[3:-1:4, :2], points[4::4, :2]
    close = (np.abs(ends - starts) <= atol + _RTOL * np.abs(starts)).all(axis=1)
    splits = ((np.flatnonzero(~close) + 1) * 4).tolist()
    equal_2d = marks.consider_points_equals_2d
    curve_to, split_at = ctx.curve_to, iter(splits)
    next_split = next(split_at, None)
    start = 0
    for end in marks.piece_ends:
        bounds = [start]
        while next_split is not None and next_split < end:
            if next_split > start:
                bounds.append(next_split)
            next_split = next(split_at, None)
        bounds.append(end)
        ctx.new_path()
        for a, b in zip(bounds, bounds[1:], strict=False):
            if b - a < 4:
                continue  # as Manim: a piece shorter than one curve is not drawn
            ctx.new_sub_path()
            ctx.move_to(xyz[3 * a], xyz[3 * a + 1])
            for j in range(3 * a + 3, 3 * b - 8, 12):
                curve_to(xyz[j], xyz[j + 1], xyz[j + 3], xyz[j + 4], xyz[j + 6], xyz[j + 7])
            if equal_2d((xyz[3 * a], xyz[3 * a + 1]), (xyz[3 * b - 3], xyz[3 * b - 2])):
                ctx.close_path()
        if paths is not None:
            paths.append(_device_copy(ctx))
        if fill_seen:
            ctx.set_source_rgba(blue, green, red, alpha)  # Manim's reversed rgb, as the surface
            ctx.fill_preserve()
        if stroke_seen:
            ctx.set_source_rgba(s_blue, s_green, s_red, s_alpha)
            ctx.stroke_preserve()
        start = end


# Mobject class -> the display class Camera.type_or_raise finds for it.
_display_kinds: dict[type, type] = {}


def type_or_raise(self: Camera, mobject: Any) -> type:
    """``Camera.type_or_raise``, remembered per mobject class: Manim builds its table of
    display classes (VMobject, PMobject, AbstractImageMobject, Mobject) and tests them in
    turn with ``isinstance`` for every mobject of every frame, an answer that depends only on
    the mobject's class (a class it cannot draw raises, as Manim's does, every time). The
    table it leaves on the camera (``display_funcs``, which ``capture_mobjects`` reads) is
    the one of the camera's first call: the camera's own bound methods."""
    kind = type(mobject)
    found = _display_kinds.get(kind)
    if found is None or "display_funcs" not in self.__dict__:
        found = _original_type(self, mobject)
        _display_kinds[kind] = found
    return found


def install() -> None:
    """Trace paths and draw VMobjects the fast way for every Cairo camera (idempotent)."""
    Camera.set_cairo_context_path = set_cairo_context_path  # type: ignore[method-assign]
    Camera.type_or_raise = type_or_raise  # type: ignore[method-assign]
    Camera.display_multiple_non_background_colored_vmobjects = (  # type: ignore[method-assign]
        display_multiple_non_background_colored_vmobjects
    )


def uninstall() -> None:
    """Back to Manim's methods."""
    Camera.set_cairo_context_path = _original  # type: ignore[method-assign]
    Camera.type_or_raise = _original_type  # type: ignore[method-assign]
    Camera.display_multiple_non_background_colored_vmobjects = (  # type: ignore[method-assign]
        _original_display
    )
