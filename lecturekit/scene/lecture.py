"""The base class of every scene: theme background, title bar, beats, captions, key frames.

A scene's ``construct`` reads as the script, one block per beat::

    with self.beat("Integrating z out gives the likelihood of the data, p(x).",
                   key_frame="marginal"):
        self.play(TransformMatchingTex(joint.copy(), marginal))

The beat's caption (the line a viewer reads without sound) is shown for exactly the block; the
picture at the block's end is its key frame, if named: what the snapshot tests compare, what
the storyboard and handout show, and where the presenter page pauses. A beat may also carry
what a narrator says (``say=``); a :class:`BeatPacer` set on the scene can then hold the beat
until its speech has ended, so time can come from outside the scene.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from manim import FadeIn, Mobject, Scene, config
from manim.utils.exceptions import EndSceneEarlyException

from lecturekit import deck as decks
from lecturekit.deck import Deck, DeckError, SceneSpec

from . import speedups, style
from .holding import Hold

# Every scene of the kit runs on Manim with its per-frame hot spots replaced by equivalent,
# faster code (the same frames; speedups.py lists them).
speedups.install()


@dataclass
class KeyFrame:
    """A named moment of a scene: its time and, when captured, its pixels (RGBA)."""

    name: str
    time: float
    pixels: np.ndarray | None = None


@dataclass
class Beat:
    """One beat of a scene: its caption, the key frame it ends on, what a narrator says, and
    when it started and ended (scene time, seconds)."""

    caption: str
    key_frame: str | None
    say: str | None
    start: float
    end: float | None = None


class BeatPacer(Protocol):
    """What decides a beat's length besides its animations (e.g. a narrator's speech)."""

    def begin(self, scene: LectureScene, beat: Beat) -> None:
        """Called as the beat starts (speech starts with its beat)."""

    def min_end(self, scene: LectureScene, beat: Beat) -> float:
        """The scene time the beat must last until (the animations may take longer)."""


class LectureScene(Scene):
    """A slide of the lecture. Subclasses implement ``construct``.

    Class attribute ``capture_key_frames`` makes :meth:`key_frame` keep the frame's pixels
    (the snapshot harness and the storyboard turn it on); ``step_hooks`` are called after every
    ``play``/``wait`` with the scene (the layout test uses them).
    """

    capture_key_frames: bool = False
    step_hooks: tuple[Callable[[Scene], None], ...] = ()
    pacer: BeatPacer | None = None

    def setup(self) -> None:
        """Activate the scene's deck, apply the theme and reset the per-render records."""
        self.deck = self.find_deck()
        decks.activate(self.deck)
        self.theme = style.active_theme()
        self.camera.background_color = self.theme.background
        self.key_frames: list[KeyFrame] = []
        self.beats: list[Beat] = []
        self._open_beat: Beat | None = None
        self._hold: Hold | None = None
        self._keep_live: list[Mobject] = []

    @classmethod
    def find_deck(cls) -> Deck:
        """The deck of the first class in this scene's ancestry whose source file lies in a
        deck folder (a harness may subclass the deck's scene class from elsewhere)."""
        for klass in cls.__mro__:
            path = getattr(sys.modules.get(klass.__module__), "__file__", None)
            if path is None:
                continue
            try:
                return decks.deck_of(path)
            except DeckError:
                continue
        raise DeckError(f"{cls.__name__} is not defined in a deck folder (no deck.toml)")

    @property
    def spec(self) -> SceneSpec:
        """This scene's entry in its deck (title, slide number)."""
        for klass in type(self).__mro__:
            try:
                return self.deck.by_class_name(klass.__name__)
            except KeyError:
                continue
        raise KeyError(f"{type(self).__name__} is not a scene of {self.deck.file}")

    # -- Title bar --------------------------------------------------------------------------
    def show_title_bar(self, run_time: float = 0.8) -> style.TitleBar:
        """Fade in the slide's title bar (title, slide number, rule) and return it."""
        bar = style.TitleBar(self.spec.title, self.spec.label)
        self.play(FadeIn(bar, shift=0.2 * np.array([0.0, -1.0, 0.0])), run_time=run_time)
        return bar

    # -- Beats --------------------------------------------------------------------------------
    @contextmanager
    def beat(
        self, caption: str, key_frame: str | None = None, say: str | None = None
    ) -> Iterator[Beat]:
        """One beat of the script: ``caption`` is shown for the block, the picture at its end
        is the key frame ``key_frame`` (if given), and ``say`` is what a narrator says (its
        speech, when a pacer is set, holds the beat until it has ended)."""
        if self._open_beat is not None:
            raise RuntimeError(f"beat {caption!r} opened inside beat {self._open_beat.caption!r}")
        beat = Beat(caption, key_frame, say, self.time)
        self._open_beat = beat
        if self.pacer is not None:
            self.pacer.begin(self, beat)
        try:
            yield beat
        except EndSceneEarlyException:
            # A chunk of a split render (Manim's -n START,END) stops at its last call, maybe
            # inside a beat: the beat is the next chunk's, whose captions are the scene's.
            self._open_beat = None
            raise
        if self.pacer is not None:
            self._hold_until(self.pacer.min_end(self, beat))
        self._open_beat = None
        beat.end = self.time
        self.beats.append(beat)
        duration = beat.end - beat.start
        if duration > 0:
            self.add_subcaption(caption, duration=duration, offset=-duration)
        if key_frame is not None:
            self.key_frame(key_frame)

    def _hold_until(self, end: float) -> None:
        """Wait until scene time ``end`` or a little past it, in whole frames: a beat held for
        its speech must not end a frame short of it."""
        fps = config.frame_rate
        frames = math.ceil(round((end - self.time) * fps, 6))
        if frames > 0:
            # Manim writes int(duration * fps) frames for a still wait, and one frame per
            # started 1/fps when updaters run: half a frame more gives exactly `frames` in the
            # first case and one more in the second, never one fewer.
            self.wait((frames + 0.5) / fps)

    # -- Key frames ---------------------------------------------------------------------------
    def key_frame(self, name: str) -> None:
        """Mark the current picture as a key frame, and start a new presenter section."""
        pixels = None
        if self.capture_key_frames:
            # After a play or wait the renderer keeps an image of the static mobjects as the
            # background of its next update; drawing every mobject on it draws the static ones
            # twice (a translucent area shows darker than in the video). Start from a clean one.
            self.renderer.static_image = None
            self.renderer.update_frame(self, ignore_skipping=True)
            pixels = np.array(self.renderer.get_frame(), copy=True)
        self.key_frames.append(KeyFrame(name, self.time, pixels))
        self.next_section(name)

    # -- Live mobjects held still (holding.py) -------------------------------------------------
    def keep_live(self, *mobjects: Mobject) -> None:
        """Run the updaters of ``mobjects`` on every frame of every play, as Manim does: for an
        updater that reads something a play may move besides ValueTrackers and the mobject
        itself (a label that follows another mobject, say). Without it, such a play stops the
        render with :class:`~lecturekit.scene.holding.HoldBroken` naming the mobject."""
        self._keep_live.extend(mobjects)

    def begin_animations(self) -> None:
        # Before Manim sorts the scene into moving and still mobjects: held ones are still.
        self._hold = Hold.begin(self.get_mobject_family_members(), self.animations, self._keep_live)
        super().begin_animations()

    def update_to_time(self, t: float) -> None:
        super().update_to_time(t)
        hold = self._hold
        if hold and not hold.checked_halfway and t >= self.duration / 2:
            hold.checked_halfway = True
            hold.check()

    # -- Hooks ----------------------------------------------------------------------------------
    def play(self, *args, **kwargs) -> None:
        finished = False
        try:
            super().play(*args, **kwargs)
            finished = True
        finally:
            hold, self._hold = self._hold, None
            if hold is not None:
                hold.end(check=finished)
        for hook in self.step_hooks:
            hook(self)

    def tear_down(self) -> None:
        """Check that no beat was left open (a beat ends with its block)."""
        if self._open_beat is not None:
            raise RuntimeError(f"beat {self._open_beat.caption!r} never ended")
        super().tear_down()
