"""Layout rules every scene must keep: readable text inside the safe area, no text on text,
no text on a plotted curve.

:func:`layout_problems` inspects a scene's current mobjects; the layout test calls it after
every animation of every scene of a deck (through ``LectureScene.step_hooks``). A plotted curve
is a graph of ``Axes.plot``, a dashed line or curve, or anything the kit's plot helpers mark
with ``plot_curve = True`` (:func:`lecturekit.scene.plots.density_graph`): a label lying on
one hides the curve where it matters and reads as part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from manim import (
    DashedLine,
    DashedVMobject,
    DecimalNumber,
    MarkupText,
    Mobject,
    ParametricFunction,
    Scene,
    SingleStringMathTex,
    Text,
    VMobject,
)

from . import style

TEXT_TYPES = (Text, MarkupText, SingleStringMathTex, DecimalNumber)
# Glyph outlines are tighter than their boxes: boxes may touch by this much (Manim units).
OVERLAP_TOLERANCE = 0.04
EDGE_TOLERANCE = 0.01
# A curve point this far inside a text's box counts as the curve running through the text
# (glyph boxes are loose by about this much: a curve grazing a label's corner is fine).
CURVE_MARGIN = 0.06
CURVE_TYPES = (ParametricFunction, DashedLine, DashedVMobject)


def _visible(mob: Mobject) -> bool:
    family = [m for m in mob.get_family() if m.has_points()]
    if not family:
        return False
    return any(
        max(np.max(m.get_fill_opacities(), initial=0), np.max(m.get_stroke_opacities(), initial=0))
        > 0.05
        for m in family
    )


def text_mobjects(roots: list[Mobject]) -> Iterator[Mobject]:
    """Outermost visible text-like mobjects under ``roots``."""

    def walk(mob: Mobject) -> Iterator[Mobject]:
        if isinstance(mob, TEXT_TYPES):
            if _visible(mob):
                yield mob
            return
        for sub in mob.submobjects:
            yield from walk(sub)

    seen: set[int] = set()
    for root in roots:
        for mob in walk(root):
            if id(mob) not in seen:  # a mobject can be reachable from two groups
                seen.add(id(mob))
                yield mob


def _box(mob: Mobject) -> tuple[float, float, float, float]:
    left, bottom = mob.get_corner(np.array([-1, -1, 0]))[:2]
    right, top = mob.get_corner(np.array([1, 1, 0]))[:2]
    return float(left), float(right), float(bottom), float(top)


def _describe(mob: Mobject) -> str:
    content = getattr(mob, "tex_string", None) or getattr(mob, "text", None) or type(mob).__name__
    return f"{type(mob).__name__}({str(content)[:40]!r})"


def layout_problems(mobjects: list[Mobject]) -> list[str]:
    """What breaks the layout rules among ``mobjects`` (empty when the frame is fine)."""
    left, right, bottom, top = style.safe_box()
    found = list(text_mobjects(mobjects))
    problems = []
    for mob in found:
        x0, x1, y0, y1 = _box(mob)
        if (
            x0 < left - EDGE_TOLERANCE
            or x1 > right + EDGE_TOLERANCE
            or y0 < bottom - EDGE_TOLERANCE
            or y1 > top + EDGE_TOLERANCE
        ):
            problems.append(
                f"{_describe(mob)} leaves the safe area: box x[{x0:.2f}, {x1:.2f}] "
                f"y[{y0:.2f}, {y1:.2f}] vs x[{left:.2f}, {right:.2f}] "
                f"y[{bottom:.2f}, {top:.2f}]"
            )
    for i, a in enumerate(found):
        for b_mob in found[i + 1 :]:
            al, ar, ab, at = _box(a)
            bl, br, bb, bt = _box(b_mob)
            dx = min(ar, br) - max(al, bl)
            dy = min(at, bt) - max(ab, bb)
            if dx > OVERLAP_TOLERANCE and dy > OVERLAP_TOLERANCE:
                problems.append(
                    f"{_describe(a)} overlaps {_describe(b_mob)} by {dx:.2f} x {dy:.2f}"
                )
    return problems


def plotted_curves(roots: list[Mobject]) -> Iterator[VMobject]:
    """Outermost visible plotted curves under ``roots`` (see module docstring)."""

    def walk(mob: Mobject) -> Iterator[VMobject]:
        if isinstance(mob, TEXT_TYPES):
            return
        if (isinstance(mob, CURVE_TYPES) or getattr(mob, "plot_curve", False)) and _visible(mob):
            yield mob
            return
        for sub in mob.submobjects:
            yield from walk(sub)

    for root in roots:
        yield from walk(root)


def text_on_curves(mobjects: list[Mobject]) -> list[str]:
    """Text whose box (shrunk by :data:`CURVE_MARGIN`) a plotted curve runs through."""
    texts = list(text_mobjects(mobjects))
    curves = [(c, _curve_points(c)) for c in plotted_curves(mobjects)]
    problems = []
    for text in texts:
        x0, x1, y0, y1 = _box(text)
        x0, x1, y0, y1 = x0 + CURVE_MARGIN, x1 - CURVE_MARGIN, y0 + CURVE_MARGIN, y1 - CURVE_MARGIN
        if x0 >= x1 or y0 >= y1:
            continue
        for curve, points in curves:
            inside = (
                (points[:, 0] > x0)
                & (points[:, 0] < x1)
                & (points[:, 1] > y0)
                & (points[:, 1] < y1)
            )
            if inside.any():
                problems.append(
                    f"{_describe(text)} lies on the curve {type(curve).__name__} "
                    f"({int(inside.sum())} points inside its box)"
                )
                break
    return problems


def _curve_points(curve: VMobject) -> np.ndarray:
    """Points along a curve: the anchors of every stroked part, and midpoints between them
    (polylines with long straight segments would otherwise slip between their corners)."""
    chunks = []
    for part in curve.family_members_with_points():
        if part.get_stroke_width() <= 0 or max(part.get_stroke_opacities(), default=0) <= 0.05:
            continue
        anchors = np.asarray(part.get_anchors())[:, :2]
        chunks.append(anchors)
        if len(anchors) > 1:
            chunks.append((anchors[1:] + anchors[:-1]) / 2)
    return np.concatenate(chunks) if chunks else np.zeros((0, 2))


def small_text(mobjects: list[Mobject], minimum: float = style.MIN_FONT_SIZE) -> list[str]:
    """Visible text whose effective font size (after any scaling) is below ``minimum``."""
    found = []
    for mob in text_mobjects(mobjects):
        size = _effective_font_size(mob)
        if size is not None and size < minimum - 0.5:
            found.append(f"{_describe(mob)} at font size {size:.1f} < {minimum}")
    return found


def _effective_font_size(mob: Mobject) -> float | None:
    if mob.height <= 0 or getattr(mob, "initial_height", 0) in (0, None):
        return None
    try:
        return float(mob.font_size)
    except (AttributeError, ZeroDivisionError):
        return None


def layout_checker(problems: list[str], small: list[str] | None = None) -> Callable[[Scene], None]:
    """A step hook for :func:`lecturekit.render.headless.run_headless`: after every animation, add the
    layout problems (and, given ``small``, the text below the minimum size) to the lists,
    each stamped with the scene time, ``t=12.3s: ...``."""

    def check(scene: Scene) -> None:
        at = f"t={scene.time:.1f}s"
        problems.extend(f"{at}: {p}" for p in layout_problems(scene.mobjects))
        problems.extend(f"{at}: {p}" for p in text_on_curves(scene.mobjects))
        if small is not None:
            small.extend(f"{at}: {p}" for p in small_text(scene.mobjects))

    return check
