"""Keep what is about to move on top of the scene's drawing order, where that changes no pixel.

Manim's Cairo renderer draws the mobjects of ``scene.mobjects`` in order and, during a
``play``, caches an image of everything before the first mobject that moves (is animated or
has an updater): that one and everything after it are redrawn on every frame. A text swapped
near the top of a slide that was added early makes hundreds of dots added after it redraw for
the whole animation although they hold still.

:func:`raise_if_clear` moves such a mobject to the end of the drawing order before the
animation, but only when nothing drawn after it overlaps its bounding box (with a margin for
strokes and antialiasing): then the order between them decides no pixel, and every frame is
the same. A mobject that overlaps something above it stays where it is.

:func:`lower_if_clear` does the converse for a mobject that holds still but was added after
the live ones (a formula written beside a moving picture): it moves down the drawing order
past every mobject drawn before it that it does not overlap, into the cached image, and
stops at the first it overlaps.

Both compare bounding boxes when they are called: a mobject that will move into another's
box later must not be passed to them (the scene says which parts hold still and where).
"""

from __future__ import annotations

import numpy as np
from manim import Mobject, Scene

# Space units around a bounding box counted as covered: half the widest stroke drawn on the
# slides (~6 px at 1080p is 0.05 units) plus antialiasing, with room to spare.
MARGIN = 0.1


def _box(mobject: Mobject) -> np.ndarray | None:
    """(2, 2) lower-left and upper-right corner of the points of ``mobject``'s family."""
    points = [m.points for m in mobject.get_family() if m.has_points()]
    if not points:
        return None
    stacked = np.vstack(points)[:, :2]
    return np.array([stacked.min(0), stacked.max(0)])


def _overlap(a: np.ndarray, b: np.ndarray, margin: float) -> bool:
    return bool(np.all(a[0] - margin <= b[1]) and np.all(b[0] - margin <= a[1]))


def raise_if_clear(scene: Scene, *mobjects: Mobject, margin: float = MARGIN) -> list[Mobject]:
    """Move each of ``mobjects`` (in the scene, possibly as part of a group) to the top of the
    drawing order if nothing drawn after it overlaps it; returns the ones it moved.

    A submobject of a group in the scene is taken out of the group's place in the drawing order
    (``Scene.add`` restructures the list; the group's other parts keep their places).
    """
    moved = []
    for mobject in mobjects:
        box = _box(mobject)
        if box is None:
            continue
        family = {id(m) for m in mobject.get_family()}
        order = scene.get_mobject_family_members()
        last = max((i for i, m in enumerate(order) if id(m) in family), default=None)
        if last is None:
            continue  # not in the scene
        above = [m for m in order[last + 1 :] if m.has_points() and id(m) not in family]
        if any(_overlap(box, _box(m), margin) for m in above):
            continue
        scene.add(mobject)
        moved.append(mobject)
    return moved


def lower_if_clear(scene: Scene, *mobjects: Mobject, margin: float = MARGIN) -> list[Mobject]:
    """Move each of ``mobjects`` (added to the scene itself, not as part of a group) down the
    drawing order past the mobjects before it that it does not overlap, stopping below the
    first one it overlaps; returns the ones it moved."""
    moved = []
    for mobject in mobjects:
        box = _box(mobject)
        if box is None or mobject not in scene.mobjects:
            continue
        place = here = scene.mobjects.index(mobject)
        while place > 0:
            below = _box(scene.mobjects[place - 1])
            if below is not None and _overlap(box, below, margin):
                break
            place -= 1
        if place < here:
            scene.mobjects.insert(place, scene.mobjects.pop(here))
            moved.append(mobject)
    return moved
