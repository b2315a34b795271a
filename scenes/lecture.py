"""The base class of every scene: theme background, title bar, captions and key frames.

A scene's ``construct`` reads as the script: each beat opens with ``self.caption("...")`` (the
line a viewer reads without sound) and, where the picture is worth keeping, ends with
``self.key_frame("name")``. Key frames are what the snapshot tests compare, what the storyboard
and handout show, and where the presenter mode pauses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from manim import FadeIn, Scene, VGroup

from scenes import registry, style


@dataclass
class KeyFrame:
    """A named moment of a scene: its time and, when captured, its pixels (RGBA)."""

    name: str
    time: float
    pixels: np.ndarray | None = None


class LectureScene(Scene):
    """A slide of the lecture. Subclasses implement ``construct``.

    Class attribute ``capture_key_frames`` makes :meth:`key_frame` keep the frame's pixels
    (the snapshot harness and the storyboard turn it on); ``step_hooks`` are called after every
    ``play``/``wait`` with the scene (the layout test uses them).
    """

    capture_key_frames: bool = False
    step_hooks: tuple[Callable[[Scene], None], ...] = ()

    def setup(self) -> None:
        """Apply the theme and reset the per-render records."""
        self.theme = style.active_theme()
        self.camera.background_color = self.theme.background
        self.key_frames: list[KeyFrame] = []
        self._open_caption: tuple[str, float] | None = None

    @property
    def spec(self) -> registry.SceneSpec:
        """This scene's registry entry (title, slide number)."""
        return registry.by_class_name(type(self).__name__)

    # -- Title bar --------------------------------------------------------------------------
    def show_title_bar(self, run_time: float = 0.8) -> VGroup:
        """Fade in the slide's title bar (title, slide number, rule) and return it."""
        bar = style.title_bar(self.spec.title, self.spec.label)
        self.play(FadeIn(bar, shift=0.2 * np.array([0.0, -1.0, 0.0])), run_time=run_time)
        return bar

    # -- Captions -----------------------------------------------------------------------------
    def caption(self, content: str) -> None:
        """Start the caption of the next beat; it stays until the next caption or the end."""
        self._close_caption()
        self._open_caption = (content, self.time)

    def _close_caption(self) -> None:
        if self._open_caption is None:
            return
        content, start = self._open_caption
        self._open_caption = None
        duration = self.time - start
        if duration > 0:
            self.add_subcaption(content, duration=duration, offset=-duration)

    # -- Key frames ---------------------------------------------------------------------------
    def key_frame(self, name: str) -> None:
        """Mark the current picture as a key frame, and start a new presenter section."""
        pixels = None
        if self.capture_key_frames:
            self.renderer.update_frame(self, ignore_skipping=True)
            pixels = np.array(self.renderer.get_frame(), copy=True)
        self.key_frames.append(KeyFrame(name, self.time, pixels))
        self.next_section(name)

    # -- Hooks ----------------------------------------------------------------------------------
    def play(self, *args, **kwargs) -> None:  # noqa: D102 (Scene.play's docstring applies)
        super().play(*args, **kwargs)
        for hook in self.step_hooks:
            hook(self)

    def tear_down(self) -> None:
        """Close the last caption at the end of the scene."""
        self._close_caption()
        super().tear_down()
