"""Fake scene whose dot moves by an updater that integrates dt from its second call on: a
chunk that skips calls after that would start from another state (not split there)."""

from manim import ORIGIN, RIGHT, Create, Dot, FadeIn, Scene, Square


class Drift(Scene):
    def construct(self) -> None:
        self.play(Create(Square()), run_time=0.5)
        dot = Dot().shift(RIGHT)
        # rotating and shifting do not commute: one big step lands elsewhere than many small
        dot.add_updater(
            lambda m, dt: m.rotate(1.5 * dt, about_point=ORIGIN).shift(0.3 * dt * RIGHT)
        )
        self.add(dot)
        self.play(FadeIn(Square(side_length=0.5)), run_time=0.5)
        self.wait(0.5)
        self.play(FadeIn(Square(side_length=1.5)), run_time=0.5)
