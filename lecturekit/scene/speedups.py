"""Manim 0.22's per-frame hot spots, each replaced by equivalent faster code: the same frames.

Every module here patches one Manim method with a version that computes the same result
(its docstring says what it leaves out and why that cannot change the result; its test in
``tests/`` compares it with Manim's, value by value or byte by byte) and hands anything it
does not vouch for to Manim's own method. :func:`install` is called once, when the kit's
scene class is imported.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    fastarrange,
    fastboundary,
    fastbrace,
    fastcamera,
    fastcopy,
    fastcritical,
    fastfamily,
    fastglyph,
    fastinterp,
    fastlength,
    fastnumberline,
    fastrgba,
    fastrotation,
    fastsplit,
    fastupdate,
    fastwriter,
)

MODULES: tuple[ModuleType, ...] = (
    fastcopy,  # Mobject.__deepcopy__ and ManimColor copies without the generic reconstruction
    fastsplit,  # where a path splits into pieces, with a fast answer for one piece
    fastfamily,  # Mobject.get_family in one loop instead of a generator per level
    fastinterp,  # a Transform's parts interpolated in one NumPy pass per attribute
    fastcamera,  # Cairo paths traced with the same calls, coordinates read once as floats
    fastboundary,  # the points of a bounding box by slice assignments
    fastcritical,  # a point of a bounding box from one minimum and maximum, not six columns
    fastlength,  # a width or height from one minimum and maximum, not two walks of the family
    fastarrange,  # a group arranged from each part's box read once, not twice per pair
    fastbrace,  # a brace's path from two parses made once, not a parse per brace
    fastglyph,  # a glyph's outline parsed once per process, not once per use in a formula
    fastrotation,  # a rotation matrix computed once per angle and axis
    fastrgba,  # a VMobject's colour rows computed once per colour, opacity and sheen
    fastnumberline,  # arrays of axis values to points without np.vstack
    fastupdate,  # Mobject.update asking each updater's signature once, not every frame
    fastwriter,  # a held frame converted to yuv420p once, not once per repeat
)


def install() -> None:
    """Install every speed-up (idempotent)."""
    for module in MODULES:
        module.install()
