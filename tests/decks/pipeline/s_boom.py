"""Fake scene that raises mid-render: registered only in the tests."""

import fakestyle as style
from manim import Create, Scene, Triangle


class Boom(Scene):
    def construct(self) -> None:
        self.play(Create(Triangle(color=style.COLOUR)), run_time=style.SECONDS / 2)
        raise RuntimeError("boom: the fake scene failed on purpose\nsecond line of the error")
