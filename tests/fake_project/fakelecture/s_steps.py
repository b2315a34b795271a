"""Fake slides for the lecture-output tests: two beats each ending at a key frame, then a tail.

The tail (a beat after the last key frame) gives the scene a third section that ends at the
scene's end rather than at a key frame, as a real scene may have.
"""

from manim import LEFT, RIGHT, Create, FadeOut, Square, Triangle

from fakelecture import style
from scenes.lecture import LectureScene


class StepsOne(LectureScene):
    def construct(self) -> None:
        self.caption("First beat: a square.")
        square = Square(color=style.COLOUR).shift(2 * LEFT)
        self.play(Create(square), run_time=style.SECONDS)
        self.key_frame("square")
        self.caption("Second beat: a triangle.")
        self.play(Create(Triangle(color=style.COLOUR).shift(2 * RIGHT)), run_time=style.SECONDS)
        self.key_frame("triangle")
        self.caption("A tail after the last key frame.")
        self.play(FadeOut(square), run_time=style.SECONDS / 2)


class StepsTwo(LectureScene):
    def construct(self) -> None:
        self.caption("Another slide, one beat.")
        self.play(Create(Square(side_length=3, color=style.COLOUR)), run_time=style.SECONDS)
        self.key_frame("big-square")
