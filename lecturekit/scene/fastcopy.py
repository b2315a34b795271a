"""A faster ``Mobject.__deepcopy__`` with the same result: fewer generic ``deepcopy`` calls.

Manim copies mobjects all the time: every ``Transform``, ``FadeIn``/``FadeOut`` and
``.animate`` copies the mobject it animates (two or three times), and ``become`` copies what
it becomes. Manim 0.22's ``Mobject.__deepcopy__`` hands each of a mobject's ~40 attributes to
``copy.deepcopy``, whose generic dispatch costs more than the copy itself: profiled on slide 9,
a third of the render was ``copy.deepcopy``.

:func:`install` replaces it with one that copies the common attribute types directly, exactly
as ``copy.deepcopy`` would, and hands everything else to ``copy.deepcopy``:

- immutable values (numbers, strings, ``None``, enum members): the same object, as
  ``deepcopy`` returns for them;
- numeric NumPy arrays: ``ndarray.copy(order="K")``, which is what ``ndarray.__deepcopy__``
  does for them, through the same memo (an array shared by two attributes stays shared; the
  originals are alive for the whole copy, as ``self`` holds them);
- empty lists and dicts: a new empty one (through the memo);
- the ``svgelements`` path a glyph was parsed from (``VMobjectFromSVGPath.path_obj``): the
  same object, shared with the original. Manim reads it once, in ``generate_points`` at
  construction, and never changes it after; deep-copying its hundreds of segment objects was
  four fifths of the cost of copying a typeset glyph (every ``DecimalNumber.set_value`` copies
  one per character, every ``FadeIn`` of a formula all of them);
- everything else (lists of submobjects, colours, dicts, updaters): ``copy.deepcopy`` with
  the same memo, so submobjects come back through this method, and colours
  (``ManimColor``, a dozen in every part's style) through :func:`color_deepcopy`: what
  ``copy.deepcopy`` does for them through ``__reduce_ex__`` (a new object of the class, its
  ``__dict__`` deep-copied), without the generic reconstruction.

The copy has the same attributes with equal values as Manim's own (a test compares them), so
every frame is the same.
"""

from __future__ import annotations

import copy
from enum import Enum
from typing import Any

import numpy as np
import svgelements
from manim import ManimColor, Mobject

_IMMUTABLE = {int, float, bool, str, bytes, complex, type(None)}
_MUTABLE: set[type] = set()
# Read-only after the mobject is built (see above): shared by the copy, not copied.
_SHARED = {svgelements.Path}
_original = Mobject.__deepcopy__


def _is_immutable(kind: type) -> bool:
    if kind in _IMMUTABLE:
        return True
    if kind in _MUTABLE:
        return False
    if issubclass(kind, Enum):  # deepcopy returns an enum member itself
        _IMMUTABLE.add(kind)
        return True
    _MUTABLE.add(kind)
    return False


def fast_deepcopy(self: Mobject, memo: dict[int, Any]) -> Mobject:
    """``Mobject.__deepcopy__`` with the common attribute types copied directly."""
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    attributes = dict(self.__dict__)  # immutable values stay as they are
    for key, value in attributes.items():
        kind = type(value)
        if kind in _IMMUTABLE:
            continue
        if kind is np.ndarray and not value.dtype.hasobject:
            clone = memo.get(id(value))
            if clone is None:
                clone = memo[id(value)] = value.copy(order="K")
        elif (kind is list or kind is dict) and not value:  # no updaters, no tips, ...
            clone = memo.get(id(value))
            if clone is None:
                clone = memo[id(value)] = kind()
        elif _is_immutable(kind) or kind in _SHARED:
            continue
        else:
            clone = copy.deepcopy(value, memo)
        attributes[key] = clone
    result.__dict__.update(attributes)
    result.original_id = str(id(self))
    return result


def color_deepcopy(self: ManimColor, memo: dict[int, Any]) -> ManimColor:
    """``copy.deepcopy`` of a colour: a new object of its class with its attributes
    deep-copied (its value array copied), as ``copy.deepcopy`` builds it from
    ``__reduce_ex__``."""
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    state = {}
    for key, value in self.__dict__.items():
        if type(value) is np.ndarray and not value.dtype.hasobject:
            clone = memo.get(id(value))
            if clone is None:
                clone = memo[id(value)] = value.copy(order="K")
            state[key] = clone
        else:
            state[key] = copy.deepcopy(value, memo)
    result.__dict__.update(state)
    return result


def install() -> None:
    """Use :func:`fast_deepcopy` for every mobject and :func:`color_deepcopy` for every
    colour (idempotent)."""
    Mobject.__deepcopy__ = fast_deepcopy  # type: ignore[method-assign]
    ManimColor.__deepcopy__ = color_deepcopy  # type: ignore[attr-defined]


def uninstall() -> None:
    """Back to Manim's own copies (for tests that compare the two)."""
    Mobject.__deepcopy__ = _original  # type: ignore[method-assign]
    if "__deepcopy__" in ManimColor.__dict__:
        del ManimColor.__deepcopy__
