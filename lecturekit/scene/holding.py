"""Live mobjects held still during a play that cannot change them.

Manim counts a mobject with an updater as moving in every animation: it runs the updater on
every frame, and it redraws that mobject and everything after it in the drawing order on every
frame instead of caching their image. A slide's live pictures (a bar, curves and numbers that
follow a ValueTracker) hold still through most of the slide's animations (a formula fading in
beside them), and then cost as much as while they move.

:class:`Hold` takes their updaters off for one play when nothing in it can change them:

- the play animates no ValueTracker (what live pictures are drawn from), and no mobject of the
  scene has a time-based updater (one that changes with time alone);
- the held mobject is not animated itself, and no part of it is (its family and the
  animations' families do not meet);
- the scene has not asked to keep it live (:meth:`LectureScene.keep_live`).

Held, the mobject is drawn as it was when the play began, which is what its updater would have
drawn: the updater is a function of what it reads, and nothing it reads moves. This is
checked, not assumed: halfway through the play and at its end the updaters run again, and if
one of them changes what is drawn (points, colours, widths, parts) the render stops with an
error naming the mobject. Every frame is then the same as with the updaters on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from manim import Mobject, ValueTracker, Wait
from manim.animation.animation import Animation
from manim.animation.composition import AnimationGroup

from .drawn import drawn_state, same_drawing

# Points may move by rounding when an updater re-places a label at the same spot.
_TOLERANCE = 1e-9
# Updates run before holding, at most, for what lags behind what it follows to catch up.
SETTLE_PASSES = 4


class HoldBroken(RuntimeError):
    """An updater changed a mobject during a play that held it still."""


def _animated(animations: Iterable[Animation]) -> list[Mobject]:
    """Every mobject the animations animate (families included, groups opened)."""
    found: list[Mobject] = []
    for animation in animations:
        found.extend(animation.mobject.get_family())
        if isinstance(animation, AnimationGroup):
            found.extend(_animated(animation.animations))
    return found


def _settle(mobjects: Sequence[Mobject], passes: int = SETTLE_PASSES) -> None:
    """Run the updaters of ``mobjects`` until what they draw stops changing.

    A label placed from something updated after it lags one update behind. In a render the
    frames at the end of the play that moved it catch it up; a skipped play (a headless run,
    the calls before a chunk's first) updates once, and the hold would keep the lag. Settled
    first, what is held is what the updaters draw when nothing moves."""
    state = [drawn_state(m) for m in mobjects]
    for _ in range(passes):
        for m in mobjects:
            m.update(0, recursive=False)
        settled = [drawn_state(m) for m in mobjects]
        if all(same_drawing(a, b, _TOLERANCE) for a, b in zip(state, settled, strict=True)):
            return
        state = settled


class Hold:
    """The updaters taken off for one play, and what their mobjects looked like then."""

    def __init__(self, held: Sequence[tuple[Mobject, list]]) -> None:
        self.held = list(held)
        self.state = [drawn_state(m) for m, _ in self.held]
        self.checked_halfway = False

    @classmethod
    def begin(
        cls,
        scene_members: Sequence[Mobject],
        animations: Sequence[Animation],
        keep_live: Iterable[Mobject] = (),
    ) -> Hold:
        """Take the updaters off every mobject of ``scene_members`` (the scene's family, in
        drawing order) that ``animations`` cannot change (module docstring)."""
        if all(isinstance(a, Wait) for a in animations):
            return cls([])  # a still wait runs no updater anyway; a live one runs them all
        if any(m.has_time_based_updater() for m in scene_members):
            return cls([])
        if any(getattr(a, "stop_condition", None) is not None for a in animations):
            return cls([])  # a wait_until: what it waits for may be an updater's doing
        animated = _animated(animations)
        if any(isinstance(m, ValueTracker) for m in animated):
            return cls([])
        moving = {id(m) for m in animated}
        live = {id(m) for kept in keep_live for m in kept.get_family()}
        held = []
        for m in scene_members:
            if not m.updaters or id(m) in live:
                continue
            if any(id(part) in moving for part in m.get_family()):
                continue
            held.append((m, m.updaters))
        _settle([m for m, _ in held])
        for m, _ in held:
            m.updaters = []
        return cls(held)

    def __bool__(self) -> bool:
        return bool(self.held)

    def check(self) -> None:
        """Run the held updaters (with theirs off, as during the play) and raise
        :class:`HoldBroken` if any of them changes what its mobject draws."""
        for (m, updaters), before in zip(self.held, self.state, strict=True):
            m.updaters = updaters
            try:
                m.update(0, recursive=False)
            finally:
                m.updaters = []
            if not same_drawing(before, drawn_state(m), _TOLERANCE):
                raise HoldBroken(
                    f"{type(m).__name__} was held still during a play, but its updater changed "
                    "it: it reads something the play animates. Animate it in that play, or "
                    "call scene.keep_live() on it."
                )

    def end(self, check: bool = True) -> None:
        """Put the updaters back (after checking them, unless ``check`` is false)."""
        try:
            if check:
                self.check()
        finally:
            for m, updaters in self.held:
                m.updaters = updaters
            self.held = []
