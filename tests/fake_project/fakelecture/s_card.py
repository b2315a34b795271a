"""Fake title card for the lecture-output tests: a LectureScene with one caption, one key frame."""

from manim import Circle, FadeIn

from fakelecture import style
from scenes.lecture import LectureScene


class Card(LectureScene):
    def construct(self) -> None:
        self.caption("A fake title card.")
        self.play(FadeIn(Circle(radius=2, color=style.COLOUR, fill_opacity=0.6)),
                  run_time=style.SECONDS)
        self.key_frame("card")
