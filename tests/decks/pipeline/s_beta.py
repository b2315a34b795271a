"""Fake scene: a circle, a little longer than Alpha."""

import fakestyle as style
from manim import Circle, Create, Scene


class Beta(Scene):
    def construct(self) -> None:
        self.play(Create(Circle(color=style.COLOUR)), run_time=style.SECONDS)
        self.wait(style.SECONDS / 2)
