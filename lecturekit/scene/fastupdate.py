"""``Mobject.update`` without ``inspect.signature`` on every call and without a call per member:
the same updaters, same order.

Manim runs every mobject's updaters on every frame of an animation, and for each updater it
asks ``inspect.signature`` whether it takes ``dt`` (tens of microseconds a call). Slide 10's
live bar, numbers and labels have dozens of updaters, asked about on each of hundreds of
frames.

:func:`update` asks once per updater function and remembers the answer (a function's
parameters do not change), and walks the family in a loop instead of a method call per member
(Manim updates every mobject of the scene on every frame, most of them glyphs without
updaters): the same updaters in the same order, each member's before its submobjects', a
member whose class has its own ``update`` handed to it. ``tests/test_fastupdate.py`` checks
the calls and their arguments against Manim's, with an updater that adds a part.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from manim import Mobject

_original = Mobject.update
# id(updater) -> (updater, takes dt). The updater is kept so that its id is not reused while
# the answer is remembered.
_TAKES_DT: dict[int, tuple[Callable[..., Any], bool]] = {}
_LIMIT = 10_000


def takes_dt(updater: Callable[..., Any]) -> bool:
    """Whether ``updater`` has a ``dt`` parameter (Manim's test), remembered per function."""
    known = _TAKES_DT.get(id(updater))
    if known is not None and known[0] is updater:
        return known[1]
    answer = "dt" in inspect.signature(updater).parameters
    if len(_TAKES_DT) >= _LIMIT:  # updaters made afresh again and again: start over
        _TAKES_DT.clear()
    _TAKES_DT[id(updater)] = (updater, answer)
    return answer


def _apply(mobject: Mobject, dt: float) -> None:
    for updater in mobject.updaters:
        if takes_dt(updater):
            updater(mobject, dt)
        else:
            updater(mobject)


def update(self: Mobject, dt: float = 0, recursive: bool = True) -> Mobject:
    """``Mobject.update``: apply the updaters, then (if ``recursive``) the submobjects'.

    The family is walked in a loop instead of a method call per member (a scene's scores of
    glyphs, on every frame): each member in Manim's order (its updaters, then its submobjects
    as its list reads after them, depth first), a suspended member and its parts skipped, a
    member whose class has its own ``update`` handed to it."""
    if self.updating_suspended:
        return self
    if self.updaters:
        _apply(self, dt)
    if recursive and self.submobjects:
        stack = self.submobjects[::-1]
        while stack:
            mobject = stack.pop()
            if type(mobject).update is not update:
                mobject.update(dt, recursive=True)
                continue
            if mobject.updating_suspended:
                continue
            if mobject.updaters:
                _apply(mobject, dt)
            if mobject.submobjects:
                stack += mobject.submobjects[::-1]
    return self


def install() -> None:
    """Use :func:`update` for every Mobject (idempotent)."""
    Mobject.update = update  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method."""
    Mobject.update = _original  # type: ignore[method-assign]
