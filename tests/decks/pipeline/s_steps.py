"""Fake scene of several calls in sections, with captions and an updater without dt: a scene
the renderer may split into chunks (``-n``), which must join into the whole render's frames.

Run times are not whole numbers of frames at 15 fps (0.5 s is 7.5 frames, rendered as 8), so a
chunk's clock must advance through the skipped calls as the whole render's does."""

import fakestyle as style
from manim import LEFT, RIGHT, UP, Circle, Dot, FadeIn, Scene, Square, ValueTracker


class Steps(Scene):
    def construct(self) -> None:
        tracker = ValueTracker(-3.0)
        dot = Dot(color=style.COLOUR)
        dot.add_updater(lambda m: m.move_to(tracker.get_value() * RIGHT))  # no dt: exact
        square = Square(side_length=1.0, color=style.COLOUR).shift(UP)
        self.next_section("first")
        self.play(FadeIn(dot), run_time=0.5, subcaption="a dot", subcaption_duration=0.5)
        self.play(tracker.animate.set_value(0.0), run_time=0.5)
        self.wait(0.4)
        self.next_section("second")
        self.play(FadeIn(square), run_time=0.5, subcaption="a square", subcaption_duration=0.5)
        self.play(tracker.animate.set_value(2.0), square.animate.shift(LEFT), run_time=0.5)
        self.next_section("third")
        self.play(FadeIn(Circle(radius=0.5)), run_time=0.5, subcaption="a circle")
        self.wait(0.3)
