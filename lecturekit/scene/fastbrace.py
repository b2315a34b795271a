"""``Brace`` without parsing its SVG path for every brace: the same shape, to rounding.

Manim 0.22 draws a brace from an SVG path whose two straight sections have the length the
brace needs: it formats the path string with that length, parses it (``svgelements``, in
Python) and converts its segments to Bezier points, then flips, stretches and moves the
result. A brace that follows a live value (slide 10's gap between log p(x) and the ELBO,
through its fitting steps) is rebuilt on every frame, and the parse was most of its cost.

The path's points are an affine function of that length ``L``: the straight sections add
``L`` to the x of every point after them, and a line's handles are thirds of its ends. So
:func:`brace_path_points` parses Manim's own path string (read from ``Brace.__init__``'s
constants) twice, at ``L = 0`` and ``L = 8``, and gives ``P(0) + L * (P(8) - P(0)) / 8``:
exactly Manim's points at ``L = 0`` (every brace shorter than the path's natural width) and
within 1e-14 of them otherwise (the parse adds the lengths one segment at a time, this
multiplies; a ten-thousandth of a pixel at 4K). Every other step of ``Brace.__init__`` is
Manim's, call for call. ``tests/test_fastbrace.py`` compares the points and every other
attribute with Manim's braces.

Another renderer or a subclass that builds its own points takes Manim's ``__init__``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import svgelements as se
from manim import BLACK, DOWN, LEFT, ORIGIN, RIGHT, UP, Brace, Mobject, config
from manim.constants import RendererType
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

_original_init = Brace.__init__
_original_generate = Brace.generate_points
# Manim's path: the one string constant of Brace.__init__ (adjacent literals are one constant).
_PATH_TEMPLATE = next(
    c for c in _original_init.__code__.co_consts if isinstance(c, str) and c.startswith("m")
)
_DEFAULT_MIN_WIDTH = 0.90552  # Brace.__init__'s own constant
_affine: tuple[np.ndarray, np.ndarray] | None = None


def _parsed(length: float) -> np.ndarray:
    """Manim's points for the path with straight sections of ``length``."""
    path = se.Path(_PATH_TEMPLATE.format(length, -length))
    return VMobjectFromSVGPath(path_obj=path).points


def brace_path_points(length: float) -> np.ndarray:
    """The points Manim's brace path has before it is flipped and placed (module docstring)."""
    global _affine
    if _affine is None:
        zero, eight = _parsed(0.0), _parsed(8.0)
        _affine = (zero, (eight - zero) / 8)
    zero, slope = _affine
    return zero.copy() if length == 0 else zero + length * slope


class _BracePath:
    """The path a fast brace hands to ``VMobjectFromSVGPath``: its points come from
    :func:`brace_path_points`; anything else asked of it is asked of the parsed path."""

    def __init__(self, length: float) -> None:
        self.length = length

    def approximate_arcs_with_quads(self) -> None:
        """A brace has no arcs (``VMobjectFromSVGPath.__init__`` asks)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy and pickle protocols: a plain object's
            raise AttributeError(name)
        parsed = se.Path(_PATH_TEMPLATE.format(self.length, -self.length))
        parsed.approximate_arcs_with_quads()
        return getattr(parsed, name)


def _generate_points(self: Brace) -> Brace:
    if isinstance(self.path_obj, _BracePath):
        self.points = brace_path_points(self.path_obj.length)
        return self
    return _original_generate(self)


def brace_init(
    self: Brace,
    mobject: Mobject,
    direction=DOWN,
    buff: float = 0.2,
    sharpness: float = 2,
    stroke_width: float = 0,
    fill_opacity: float = 1.0,
    background_stroke_width: float = 0,
    background_stroke_color=BLACK,
    **kwargs: Any,
) -> None:
    """``Brace.__init__``, with the path's points from :func:`brace_path_points`."""
    if config.renderer != RendererType.CAIRO or type(self).generate_points is not _generate_points:
        _original_init(
            self,
            mobject,
            direction,
            buff,
            sharpness,
            stroke_width,
            fill_opacity,
            background_stroke_width,
            background_stroke_color,
            **kwargs,
        )
        return
    # From here on Manim's steps, in its order (manim/mobject/svg/brace.py).
    self.buff = buff
    angle = -np.arctan2(*direction[:2]) + np.pi
    mobject.rotate(-angle, about_point=ORIGIN)
    left = mobject.get_corner(DOWN + LEFT)
    right = mobject.get_corner(DOWN + RIGHT)
    target_width = right[0] - left[0]
    linear_section_length = max(0, (target_width * sharpness - _DEFAULT_MIN_WIDTH) / 2)
    VMobjectFromSVGPath.__init__(
        self,
        path_obj=_BracePath(linear_section_length),
        stroke_width=stroke_width,
        fill_opacity=fill_opacity,
        background_stroke_width=background_stroke_width,
        background_stroke_color=background_stroke_color,
        **kwargs,
    )
    self.flip(RIGHT)
    self._tip_point_index = np.argmin(np.linalg.norm(self.points - self.get_bottom(), axis=1))
    self.stretch_to_fit_width(target_width)
    self.shift(left - self.get_corner(UP + LEFT) + self.buff * DOWN)
    for mob in mobject, self:
        mob.rotate(angle, about_point=ORIGIN)


def install() -> None:
    """Build every Brace this way (idempotent)."""
    Brace.__init__ = brace_init  # type: ignore[method-assign]
    Brace.generate_points = _generate_points  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's ``__init__``."""
    Brace.__init__ = _original_init  # type: ignore[method-assign]
    Brace.generate_points = _original_generate  # type: ignore[method-assign]
