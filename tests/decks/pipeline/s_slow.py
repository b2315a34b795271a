"""Fake scene that takes several seconds to render: the tests interrupt it."""

import fakestyle as style
from manim import Rotate, Scene, Square


class Slow(Scene):
    def construct(self) -> None:
        square = Square(color=style.COLOUR)
        self.add(square)
        self.play(Rotate(square, angle=12.0), run_time=40 * style.SECONDS)
