"""``Mobject.get_family`` without nested generators: the same list, built in one loop.

Manim asks for families all the time: every frame it flattens the moving mobjects into what it
draws (each one's family with points), runs updaters down every family and, during an
animation, walks the families it interpolates. Manim 0.22 builds a family with a generator per
level (``_iter_family``, ``yield from`` through every ancestor, a cycle check on the way) and
then drops repeats, keeping each member's last place; on slides 9 and 10 that walk alone was 9%
of the main thread.

:func:`get_family` walks the same tree in the same order (depth first, a mobject before its
submobjects, the submobjects in order, skipping one that is its own ancestor) with an explicit
stack, and drops repeats the same way: the list is equal element for element
(``tests/test_fastfamily.py`` compares it with Manim's on trees with shared parts and cycles).

:func:`family_members_with_points` (what the camera draws and a Transform interpolates, every
frame) keeps the members with points by reading ``len(points)`` where Manim calls
``get_num_points()``, which returns just that, for every member; a member whose class has its
own ``get_num_points`` is still asked.
"""

from __future__ import annotations

from manim import Mobject

_original = Mobject.get_family
_original_with_points = Mobject.family_members_with_points
_get_num_points = Mobject.get_num_points


def _last_occurrences(members: list[Mobject]) -> list[Mobject]:
    """``manim.utils.iterables.remove_list_redundancies``: each member at its last place."""
    if len(set(members)) == len(members):
        return members
    seen: set[Mobject] = set()
    kept = []
    for m in reversed(members):
        if m not in seen:
            seen.add(m)
            kept.append(m)
    kept.reverse()
    return kept


def get_family(self: Mobject, recurse: bool = True) -> list[Mobject]:
    """``Mobject.get_family``: the mobject and all its submobjects, recursively, in order."""
    submobjects = self.submobjects
    if not submobjects:
        return [self]
    members = [self]
    path = {self}  # the ancestors of where the walk is: a submobject among them is a cycle
    stack = [(self, iter(submobjects))]
    while stack:
        parent, children = stack[-1]
        for child in children:
            if child in path:
                continue
            members.append(child)
            if child.submobjects:
                path.add(child)
                stack.append((child, iter(child.submobjects)))
                break
        else:
            stack.pop()
            path.discard(parent)
    return _last_occurrences(members)


def with_points(family: list[Mobject]) -> list[Mobject]:
    """The members of ``family`` (a ``get_family()`` list) that have points, in order."""
    return [
        m
        for m in family
        if (len(m.points) if type(m).get_num_points is _get_num_points else m.get_num_points()) > 0
    ]


def family_members_with_points(self: Mobject) -> list[Mobject]:
    """``Mobject.family_members_with_points``: the family members that have points."""
    return with_points(self.get_family())


def install() -> None:
    """Use :func:`get_family` and :func:`family_members_with_points` for every mobject
    (idempotent)."""
    Mobject.get_family = get_family  # type: ignore[method-assign]
    Mobject.family_members_with_points = family_members_with_points  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's own methods (for tests that compare the two)."""
    Mobject.get_family = _original  # type: ignore[method-assign]
    Mobject.family_members_with_points = _original_with_points  # type: ignore[method-assign]
