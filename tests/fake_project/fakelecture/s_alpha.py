"""Fake scene: a square, with one caption (so the scene writes an .srt)."""

from manim import Create, Scene, Square

from fakelecture import style


class Alpha(Scene):
    def construct(self) -> None:
        self.play(Create(Square(color=style.COLOUR)), run_time=style.SECONDS,
                  subcaption="alpha", subcaption_duration=style.SECONDS)
