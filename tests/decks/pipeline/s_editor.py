"""Fake scene that saves a change to the shared style while it renders, as a lecturer might."""

from pathlib import Path

import fakestyle as style
from manim import Create, Scene, Square


class Editor(Scene):
    def construct(self) -> None:
        self.play(Create(Square(color=style.COLOUR)), run_time=style.SECONDS / 2)
        saved = Path(style.__file__)
        saved.write_text(saved.read_text() + "\n# saved while Editor was rendering\n")
        self.wait(style.SECONDS / 2)
