"""A VMobject's colour rows for one colour, opacity and sheen computed once: the same rows.

Every VMobject Manim makes computes three colour arrays (fill, stroke, background stroke) in
``VMobject.generate_rgbas_array``: it parses the colour into a new ``ManimColor``, pairs
colours with opacities (``make_even``) and builds a NumPy array, 5 to 13 us a call. A
formula makes a VMobject per glyph and a VGroup per SVG element, each calling it three times
or more; a live number or brace rebuilt on every frame does the same.

For the usual arguments, one colour (a ``ManimColor`` or a string, or none) and one opacity
(a float, an int or none), the rows depend only on the colour's value, the opacity and the
mobject's sheen factor. :func:`install` keeps the rows Manim computes for each such triple
and returns a new copy of them on every later call (the caller may change it in place). Any
other argument (a list of colours for a gradient, a NumPy opacity, a ``ManimColor`` subclass
that keeps another colour space) goes to Manim's method. ``tests/test_fastrgba.py`` compares
the arrays with Manim's byte for byte.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import ManimColor, VMobject

_original = VMobject.generate_rgbas_array
_rows: dict[tuple, np.ndarray] = {}
LIMIT = 4096  # triples kept; the memory starts over when full


def _colour_key(color: Any) -> Any:
    """A hashable stand-in for ``color``'s value, or ``NotImplemented`` for anything else."""
    if color is None:
        return None
    kind = type(color)
    if kind is ManimColor:
        return color._internal_value.tobytes()
    if kind is str:
        return color
    return NotImplemented


def generate_rgbas_array(self: VMobject, color: Any, opacity: Any) -> np.ndarray:
    """``VMobject.generate_rgbas_array``, from kept rows for a colour, opacity and sheen."""
    colour = _colour_key(color)
    kind = type(opacity)
    sheen = self.get_sheen_factor()
    if (
        colour is NotImplemented
        or (opacity is not None and kind is not float and kind is not int)
        or (type(sheen) is not float and type(sheen) is not int)
    ):
        return _original(self, color, opacity)
    key = (type(color), colour, opacity, sheen)
    rows = _rows.get(key)
    if rows is None:
        rows = _original(self, color, opacity)
        if len(_rows) >= LIMIT:
            _rows.clear()
        _rows[key] = rows.copy()
        return rows
    return rows.copy()


def install() -> None:
    """Keep the colour rows of each colour, opacity and sheen (idempotent)."""
    VMobject.generate_rgbas_array = generate_rgbas_array  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method, and forget the kept rows."""
    VMobject.generate_rgbas_array = _original  # type: ignore[method-assign]
    _rows.clear()
