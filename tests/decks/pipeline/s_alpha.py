"""Fake scene: a square, with one caption (so the scene writes an .srt)."""

import fakestyle as style
from manim import Create, Scene, Square


class Alpha(Scene):
    def construct(self) -> None:
        self.play(
            Create(Square(color=style.COLOUR)),
            run_time=style.SECONDS,
            subcaption="alpha",
            subcaption_duration=style.SECONDS,
        )
