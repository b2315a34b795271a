"""Fake title card for the lecture-output tests: a LectureScene with one beat, one key frame."""

from manim import Circle, FadeIn

from lecturekit.scene.lecture import LectureScene

SECONDS = 1.0


class Card(LectureScene):
    def construct(self) -> None:
        with self.beat("A fake title card.", key_frame="card"):
            self.play(
                FadeIn(Circle(radius=2, color=self.theme.symbol("x"), fill_opacity=0.6)),
                run_time=SECONDS,
            )
