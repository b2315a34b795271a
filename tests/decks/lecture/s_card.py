"""Fake title card for the lecture-output tests: a LectureScene with one beat, one key frame.

Its beat speaks (``say=``) in the narrated version and is silent otherwise.
"""

from manim import Circle, FadeIn

from lecturekit.scene.lecture import LectureScene

SECONDS = 1.0


class Card(LectureScene):
    def construct(self) -> None:
        with self.beat(
            "A fake title card.",
            key_frame="card",
            say="A fake lecture, read aloud by an offline voice. It has three scenes.",
        ):
            self.play(
                FadeIn(Circle(radius=2, color=self.theme.symbol("x"), fill_opacity=0.6)),
                run_time=SECONDS,
            )
