"""A glyph's outline parsed once per process, not once per use: the same segments.

Manim imports a formula from the SVG that ``dvisvgm`` writes: each glyph's outline is a
``<path d="...">`` in the file's ``<defs>``, placed by a ``<use>`` for every time the glyph
appears. ``svgelements`` builds each use by parsing the path string again (its lexer reads
every number with a regular expression, in Python), then moves the copy into place. The
same few dozen outlines (x, z, p, theta, brackets) come back in every formula of a slide.

:func:`install` keeps each path string's parse: the first time a string is parsed into an
empty path, the segments it gives are kept; every later parse of that string into an empty
path receives copies of them (``copy.copy`` of a segment builds it again from its points with
its flags, as svgelements' own copies do). Only strings whose segments are all moves, lines,
quadratic and cubic curves and closes are kept (an arc's copy recomputes its centre); any
other parse is the library's. The segments and every point they hold are equal to a new
parse's, attribute for attribute (``tests/test_fastglyph.py`` compares them, and the points
of formulas Manim builds each way).
"""

from __future__ import annotations

from copy import copy

import svgelements as se

_original = se.Path.parse
# Segment kinds whose copy is the parse's own result, point for point and flag for flag.
_COPYABLE = (se.Move, se.Line, se.QuadraticBezier, se.CubicBezier, se.Close)
_kept: dict[str, tuple] = {}
LIMIT = 20_000  # path strings kept; the memory starts over when full


def parse(self: se.Path, pathdef: str) -> None:
    """``svgelements.Path.parse``, from a kept parse when ``pathdef`` was parsed before."""
    if self._segments or type(pathdef) is not str:
        _original(self, pathdef)  # appending to a path: its current point matters
        return
    kept = _kept.get(pathdef)
    if kept is not None:
        self._segments.extend([copy(segment) for segment in kept])
        self._length = None
        self._lengths = None
        return
    _original(self, pathdef)
    if all(type(segment) in _COPYABLE for segment in self._segments):
        if len(_kept) >= LIMIT:
            _kept.clear()
        _kept[pathdef] = tuple(copy(segment) for segment in self._segments)


def install() -> None:
    """Parse each path string once per process (idempotent)."""
    se.Path.parse = parse  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to a parse per path, and forget the kept ones."""
    se.Path.parse = _original  # type: ignore[method-assign]
    _kept.clear()
