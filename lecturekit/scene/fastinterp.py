"""Transform animations interpolate all their parts at once: the same numbers, bit for bit.

Manim's ``Transform`` (and with it ``FadeIn``, ``FadeOut``, ``ReplacementTransform`` and
``.animate``) interpolates each part that has points in a Python loop: per part and per frame,
``Mobject.interpolate`` computes ``(1 - a) * start + a * end`` for the points and
``VMobject.interpolate_color`` does it again for seven style attributes. A fade of slide 9's
hundreds of dots and rings makes thousands of these small NumPy calls a frame.

:func:`install` puts a batched path in front of ``Transform.interpolate_mobject``: each part's
alpha still comes from the animation's own ``get_sub_alpha`` (lag, rate function), then every
part's points and colour arrays are joined into one array per attribute, interpolated with
the same formula and handed back, part by part, as slices. The joined start and target rows
are kept from frame to frame (they are the animation's own copies) and the new values computed
into buffers kept with them, so a frame joins nothing and allocates no array of that size (a
fade of 600 rings: see BENCHMARKS.md). The arithmetic is the same
elementwise float64 operations in the same order, so every number is equal to Manim's
(``tests/test_fastinterp.py`` compares bytes); at alpha 1 a part takes copies of the target's
style, as Manim's does. Anything the batch cannot vouch for goes Manim's way: an animation
that changes how parts interpolate (its own ``interpolate_submobject``, a path other than the
straight one), a part whose class interpolates differently, or arrays whose shapes differ
between start and target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import Animation, Mobject, Transform, VMobject
from manim.utils.bezier import interpolate as straight_interpolate

from .drawn import COLOUR_ARRAYS

_original = Transform.interpolate_mobject
# Arrays of rows (points, colours) and the per-part values Manim interpolates, in its order.
_ROW_ARRAYS = ("points", *COLOUR_ARRAYS)
_STYLE = (
    *COLOUR_ARRAYS,
    "stroke_width",
    "background_stroke_width",
    "sheen_direction",
    "sheen_factor",
)
_SCALARS = ("stroke_width", "background_stroke_width", "sheen_factor")
# Below this many parts the joins cost more than the loop they replace.
MIN_PARTS = 8

_kind_fits: dict[type, bool] = {}


def _kind_interpolates_plainly(kind: type) -> bool:
    """Whether parts of ``kind`` interpolate with Manim's plain VMobject methods."""
    fits = _kind_fits.get(kind)
    if fits is None:
        fits = (
            issubclass(kind, VMobject)
            and kind.interpolate is Mobject.interpolate
            and kind.interpolate_color is VMobject.interpolate_color
        )
        _kind_fits[kind] = fits
    return fits


def _animation_fits(animation: Transform) -> bool:
    kind = type(animation)
    return (
        kind.interpolate_submobject is Transform.interpolate_submobject
        and kind.get_all_families_zipped is Transform.get_all_families_zipped
        and animation.path_func is straight_interpolate
    )


def _trio_fits(trio: Sequence[Mobject]) -> bool:
    """Whether a (part, start, target) trio can be batched: its class interpolates plainly."""
    return (
        len(trio) == 3
        and _kind_interpolates_plainly(type(trio[0]))
        and isinstance(trio[1], VMobject)
        and isinstance(trio[2], VMobject)
    )


def _sub_alphas(animation: Transform, alpha: float, count: int) -> list[float]:
    """Each part's alpha, as ``Animation.interpolate_mobject`` computes it."""
    if animation.lag_ratio == 0 and type(animation).get_sub_alpha is Animation.get_sub_alpha:
        return [animation.get_sub_alpha(alpha, 0, count)] * count  # no lag: one value
    return [animation.get_sub_alpha(alpha, i, count) for i in range(count)]


def _joined(starts: list, ends: list, name: str) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The start and end arrays ``name`` of every part, each joined into one, and the parts'
    row counts; ``ValueError`` when a part's start and end differ in shape."""
    first = [getattr(m, name) for m in starts]
    last = [getattr(m, name) for m in ends]
    lengths = [len(a) for a in first]
    if lengths != [len(a) for a in last]:
        raise ValueError(name)
    joined_first, joined_last = np.concatenate(first), np.concatenate(last)
    if joined_first.ndim != 2 or joined_first.shape != joined_last.shape:
        raise ValueError(name)
    return joined_first, joined_last, lengths


def _batch(animation: Transform, families: list) -> list[int] | None:
    """The indices of the trios to batch (cached while the parts stay the same), or None."""
    parts = [trio[0] for trio in families]
    cached = getattr(animation, "_lecturekit_batch", None)
    if cached is not None and cached[0] == parts:
        return cached[1]
    batch = [i for i, trio in enumerate(families) if _trio_fits(trio)]
    if len(batch) < MIN_PARTS:
        batch = None
    animation._lecturekit_batch = (parts, batch)
    return batch


def batched_interpolate_mobject(self: Transform, alpha: float) -> None:
    """``Animation.interpolate_mobject`` for a Transform: every plain part in one pass."""
    if not _animation_fits(self):
        _original(self, alpha)
        return
    families = list(self.get_all_families_zipped())
    count = len(families)
    alphas = _sub_alphas(self, alpha, count)
    batch = _batch(self, families) if count >= MIN_PARTS else None
    if batch is not None:
        try:
            rows = _interpolate_rows(self, families, batch, alphas)
        except ValueError:  # shapes differ somewhere: Manim's way, part by part
            batch = None
    if batch is None:
        for trio, sub_alpha in zip(families, alphas, strict=True):
            self.interpolate_submobject(*trio, sub_alpha)
        return
    in_batch = set(batch)
    for i in range(count):
        if i not in in_batch:
            self.interpolate_submobject(*families[i], alphas[i])
    rows()


class _Rows:
    """The start and end rows of an animation's batched parts, each attribute's joined into
    one array, and the buffers the new values are computed in (the parts hold slices of them).

    Kept by the animation from frame to frame while its parts, starts and targets are the same
    objects and nothing in the families of its starting copy and target copy has an updater:
    those copies are the animation's own, which only their updaters change (``Animation.
    update_mobjects`` runs them every frame), so their rows stay what they were when joined.
    """

    def __init__(self, animation: Transform, parts: list, starts: list, ends: list) -> None:
        self.parts, self.starts, self.ends = parts, starts, ends
        # name, joined starts, joined ends, row counts, result, scratch, each part's slice
        self.arrays: list[
            tuple[str, np.ndarray, np.ndarray, list[int], np.ndarray, np.ndarray, list[np.ndarray]]
        ] = []
        for name in _ROW_ARRAYS:
            first, last, lengths = _joined(starts, ends, name)
            result = np.empty_like(first)
            offsets = np.cumsum([0, *lengths]).tolist()
            views = [result[a:b] for a, b in zip(offsets, offsets[1:], strict=False)]
            self.arrays.append((name, first, last, lengths, result, np.empty_like(first), views))
        self.first_direction = np.array([m.sheen_direction for m in starts], dtype=float)
        self.last_direction = np.array([m.sheen_direction for m in ends], dtype=float)
        if self.first_direction.shape != (len(parts), 3) or (
            self.last_direction.shape != self.first_direction.shape
        ):
            raise ValueError("sheen_direction")
        self.scalars = []
        for name in _SCALARS:
            values = np.array([getattr(m, name) for m in starts], dtype=float)
            targets = np.array([getattr(m, name) for m in ends], dtype=float)
            if values.shape != (len(parts),) or targets.shape != values.shape:
                raise ValueError(name)
            self.scalars.append((name, values, targets))
        # (The whole families: an updater of a group moves its parts.)
        roots = (animation.starting_mobject, animation.target_copy)
        self.fixed = not any(m.updaters for root in roots for m in root.get_family())

    def holds_for(self, parts: list, starts: list, ends: list) -> bool:
        """Whether these rows are still those of ``parts`` going from ``starts`` to ``ends``."""
        return self.fixed and parts == self.parts and starts == self.starts and ends == self.ends


def _interpolate_rows(
    animation: Transform, families: list, batch: list[int], alphas: list[float]
) -> Callable[[], None]:
    """Compute every batched part's new values; return the step that hands them out (so
    that nothing is changed before all shapes are known to match)."""
    parts = [families[i][0] for i in batch]
    starts = [families[i][1] for i in batch]
    ends = [families[i][2] for i in batch]
    rows = getattr(animation, "_lecturekit_rows", None)
    if rows is None or not rows.holds_for(parts, starts, ends):
        # (A ValueError here, shapes that differ, leaves every part as it was.)
        rows = _Rows(animation, parts, starts, ends)
        animation._lecturekit_rows = rows if rows.fixed else None
    part_alphas = [alphas[i] for i in batch]
    one_alpha = part_alphas.count(part_alphas[0]) == len(part_alphas)
    column = np.array(part_alphas, dtype=float)[:, None]

    for _name, first, last, lengths, result, scratch, _views in rows.arrays:
        weight = part_alphas[0] if one_alpha else np.repeat(column, lengths, axis=0)
        # Manim's formula, (1 - a) * start + a * end, elementwise on the joined rows (into
        # the buffers: the same operations without new arrays of that size every frame).
        np.multiply(first, 1 - weight, out=result)
        np.multiply(last, weight, out=scratch)
        np.add(result, scratch, out=result)
    directions = straight_interpolate(rows.first_direction, rows.last_direction, column)
    scalars = [
        (name, straight_interpolate(values, targets, column[:, 0]).tolist())
        for name, values, targets in rows.scalars
    ]

    def hand_out() -> None:
        for name, *_, views in rows.arrays:
            for part, view in zip(parts, views, strict=True):
                setattr(part, name, view)
        for part, direction in zip(parts, directions, strict=True):
            part.sheen_direction = direction
        for name, values in scalars:
            for part, value in zip(parts, values, strict=True):
                setattr(part, name, value)
        for part, end, sub_alpha in zip(parts, ends, part_alphas, strict=True):
            if sub_alpha == 1.0:
                # As VMobject.interpolate_color: at the end, the target's own style (copied).
                for name in _STYLE:
                    value = getattr(end, name)
                    setattr(part, name, value.copy() if isinstance(value, np.ndarray) else value)

    return hand_out


def install() -> None:
    """Interpolate Transform animations in one pass (idempotent)."""
    Transform.interpolate_mobject = batched_interpolate_mobject  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's per-part loop."""
    Transform.interpolate_mobject = _original  # type: ignore[method-assign]
