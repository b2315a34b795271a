"""A scatter of small shapes of one style held as one mobject, drawn shape by shape.

A panel of 300 dots as a ``VGroup`` is 300 mobjects, and every frame that moves or fades them
pays for each: a copy, an interpolation and a drawing setup per dot, in Python. Slide 9's
biggest plays (300 prior samples turning into 600 decoded rings, 1300 marks fading out) spent
about 100 us per mark and frame, two thirds of it outside Cairo.

:class:`Marks` keeps every shape's points in one array and their shared style once, so a
Transform or a fade interpolates one array. The kit's camera (``fastcamera``) draws it shape by
shape, with the same Cairo calls and values as the separate shapes in the same order: each
shape is filled and stroked on its own, so overlapping marks blend exactly as a group of
separate mobjects does (one path for all of them would not: its antialiased edges and its
translucent overlaps would differ). ``tests/test_marks.py`` compares the frames byte for byte
with those of the group, still, half-way through a transform and in a fade.

What a group can do and marks cannot: a lagged animation (``lag_ratio``) starts each shape at
its own time, and Marks has no parts; play it on the group, then :meth:`Marks.replace_group`.
A transform goes only to marks whose shapes have as many points each (a dot into a ring, an
ellipse into an ellipse), otherwise Manim would redistribute points across shapes.

Importing this module installs the kit's camera drawing (``fastcamera.install``): Manim's own
would fill and stroke all the shapes as one path.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
from manim import Mobject, Scene, VMobject

from . import fastcamera

# What decides how a shape is drawn, besides its points: shared by every shape of a Marks.
STYLE = (
    "fill_rgbas",
    "stroke_rgbas",
    "background_stroke_rgbas",
    "fill_opacity",
    "stroke_opacity",
    "stroke_width",
    "background_stroke_color",
    "background_stroke_opacity",
    "background_stroke_width",
    "sheen_factor",
    "sheen_direction",
    "joint_type",
    "cap_style",
    "shade_in_3d",
    "tolerance_for_point_equality",
    "n_points_per_cubic_curve",
)


class MarksError(ValueError):
    """Shapes that cannot be held as one :class:`Marks`, or a transform that would mix them."""


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    return a == b


class Marks(VMobject):
    """Small closed shapes (dots, rings, ellipses) of one style as one mobject.

    ``piece_ends``: where each shape's points end in ``points`` (cumulative). The shapes are
    copied: later changes to them do not reach the marks.
    """

    def __init__(self, shapes: Sequence[VMobject]) -> None:
        if not shapes:
            raise MarksError("Marks needs at least one shape")
        first = shapes[0]
        for shape in shapes:
            if shape.submobjects or not shape.has_points():
                raise MarksError(
                    f"Marks holds shapes without parts; got a {type(shape).__name__} with "
                    f"{len(shape.submobjects)} parts and {len(shape.points)} points"
                )
            differ = [k for k in STYLE if not _same(getattr(shape, k), getattr(first, k))]
            if differ:
                raise MarksError(
                    f"every shape of a Marks shares one style; {type(shape).__name__} differs "
                    f"from the first in {', '.join(differ)}"
                )
        super().__init__()
        for key in STYLE:
            setattr(self, key, copy.deepcopy(getattr(first, key)))
        self.piece_ends = tuple(int(n) for n in np.cumsum([len(s.points) for s in shapes]))
        self.points = np.vstack([s.points for s in shapes]).astype(float)

    @classmethod
    def copies(cls, shape: VMobject, offsets: np.ndarray) -> Marks:
        """Copies of ``shape``, each shifted by one of ``offsets`` ((N, 3) frame vectors), as
        ``shape.copy().shift(offset)`` would place them (the same sums, so the same points),
        without making N mobjects. E.g. ``Dot(ORIGIN, ...)`` and points p: the dots ``Dot(p,
        ...)``; a shape and ``points - shape.get_center()``: the shape moved to each point."""
        offsets = np.atleast_2d(np.asarray(offsets, dtype=float))
        if offsets.shape[1:] != (3,) or not len(offsets):
            raise MarksError(f"offsets must be (N, 3) with N >= 1, got shape {offsets.shape}")
        marks = cls([shape])
        size = len(shape.points)
        marks.piece_ends = tuple(range(size, size * len(offsets) + 1, size))
        marks.points = (marks.points[None, :, :] + offsets[:, None, :]).reshape(-1, 3)
        return marks

    @classmethod
    def replace_group(cls, scene: Scene, group: Mobject) -> Marks:
        """The marks of ``group``'s shapes, put in its place in ``scene`` (same drawing
        order): after an animation that needed the shapes as parts, e.g. a lagged fade-in."""
        marks = cls(group.submobjects)
        scene.replace(group, marks)
        return marks

    @property
    def count(self) -> int:
        """The number of shapes (``len`` stays Manim's)."""
        return len(self.piece_ends)

    def pieces(self) -> list[VMobject]:
        """Each shape as its own VMobject with the marks' style: what Manim's own camera
        draws when the kit's fast path does not apply."""
        shapes, start = [], 0
        for end in self.piece_ends:
            shape = VMobject()
            for key in STYLE:
                setattr(shape, key, getattr(self, key))
            shape.points = self.points[start:end]
            shapes.append(shape)
            start = end
        return shapes

    def check(self) -> None:
        """Raise :class:`MarksError` if the points no longer match ``piece_ends``."""
        if not self.piece_ends or self.piece_ends[-1] != len(self.points):
            raise MarksError(
                f"Marks of {len(self.piece_ends)} shapes ending at point "
                f"{self.piece_ends[-1] if self.piece_ends else 0} now has {len(self.points)} "
                "points: an operation changed how many points its shapes have"
            )

    def align_points(self, mobject: Mobject) -> Marks:
        """Before a transform: only into marks of the same shapes' sizes (Manim would insert
        points across shape boundaries otherwise)."""
        if getattr(mobject, "piece_ends", None) != self.piece_ends:
            raise MarksError(
                f"a Marks of {self.count} shapes ({len(self.points)} points) can only transform "
                f"into marks of the same shapes' sizes, not into a {type(mobject).__name__} "
                f"of {len(mobject.points)} points"
            )
        return super().align_points(mobject)


fastcamera.install()
