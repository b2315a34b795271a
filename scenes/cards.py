"""Helpers for the unnumbered cards (summary, references): a title bar without a slide label.

``style.title_bar`` needs a non-empty slide label (an empty ``Text`` has no points to align),
and the cards registered with ``slide=None`` have none, so this builds the bar with a
placeholder label and drops it: the title and rule stay exactly where numbered slides have them.
"""

from __future__ import annotations

import numpy as np
from manim import FadeIn, VGroup

from scenes import style
from scenes.lecture import LectureScene


def show_unnumbered_title_bar(scene: LectureScene, run_time: float = 0.8) -> VGroup:
    """Fade in the scene's title and the rule under it (no slide number) and return them."""
    heading, _label, rule = style.title_bar(scene.spec.title, "-")
    bar = VGroup(heading, rule)
    scene.play(FadeIn(bar, shift=0.2 * np.array([0.0, -1.0, 0.0])), run_time=run_time)
    return bar
