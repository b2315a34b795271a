"""A key frame is the picture the video shows: translucent areas are drawn once, also after a
wait (the renderer then keeps an image of the static mobjects as the next frame's background)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lecturekit.deck import load_deck
from lecturekit.render.headless import run_headless
from tests.fake_decks import copy_deck

SCENE = """
from manim import FadeIn, Square

from lecturekit.scene.lecture import LectureScene


class Translucent(LectureScene):
    def construct(self) -> None:
        square = Square(side_length=3, stroke_width=0)
        square.set_fill(self.theme.symbol("x"), opacity=0.35)
        with self.beat("A translucent square.", key_frame="after-play"):
            self.play(FadeIn(square), run_time=0.5)
        with self.beat("The same square, a second later.", key_frame="after-wait"):
            self.wait(1)
"""


def test_a_translucent_area_looks_the_same_after_a_wait(tmp_path: Path) -> None:
    deck = copy_deck("lecture", tmp_path)
    (deck.folder / "s_translucent.py").write_text(SCENE)
    deck.file.write_text(
        deck.file.read_text()
        + '\n[[scene]]\nslide = 3\ntitle = "Translucent"\nmodule = "s_translucent"\n'
        + 'class = "Translucent"\n'
    )
    spec = load_deck(deck.folder).by_class_name("Translucent")
    scene = run_headless(spec, quality="low", theme="dark", media_dir=tmp_path / "media")
    frames = {kf.name: kf.pixels for kf in scene.key_frames}
    background = frames["after-play"][5, 5, :3].astype(int)
    centre = tuple(s // 2 for s in frames["after-play"].shape[:2])
    once = frames["after-play"][centre][:3].astype(int)
    assert np.abs(once - background).max() > 20  # the square is there
    for name in ("after-wait", "last"):
        assert np.array_equal(frames[name][centre][:3].astype(int), once), name
