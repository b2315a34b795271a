"""Fake slides for the lecture-output tests: two beats each ending at a key frame, then a tail.

The tail (a beat after the last key frame) gives the scene a third section that ends at the
scene's end rather than at a key frame, as a real scene may have.

In the narrated version ``StepsOne``'s first beat says two sentences that take longer than its
animation (the voice holds the beat), its second says a short one, its tail nothing; and
``StepsTwo`` says nothing at all (a scene of silence).
"""

from manim import LEFT, RIGHT, Create, FadeOut, Square, Triangle

from lecturekit.scene.lecture import LectureScene

SECONDS = 1.0


class StepsOne(LectureScene):
    def construct(self) -> None:
        colour = self.theme.symbol("x")
        with self.beat(
            "First beat: a square.",
            key_frame="square",
            say="First, a square, drawn in one second. Saying so takes longer, so the beat "
            "waits for the voice before the triangle starts.",
        ):
            square = Square(color=colour).shift(2 * LEFT)
            self.play(Create(square), run_time=SECONDS)
        with self.beat("Second beat: a triangle.", key_frame="triangle", say="Then a triangle."):
            self.play(Create(Triangle(color=colour).shift(2 * RIGHT)), run_time=SECONDS)
        with self.beat("A tail after the last key frame."):
            self.play(FadeOut(square), run_time=SECONDS / 2)


class StepsTwo(LectureScene):
    def construct(self) -> None:
        with self.beat("Another slide, one beat.", key_frame="big-square"):
            self.play(Create(Square(side_length=3, color=self.theme.symbol("x"))), run_time=SECONDS)
