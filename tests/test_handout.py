"""The PDF handout: one A4 landscape page per scene, from key frames only.

The test lecture's scenes run headless in this process (no video), the handout is written and
read back with poppler's ``pdftoppm`` (Debian ``poppler-utils``, installed by the bootstrap).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lecturekit.outputs.files import write_frames_only
from lecturekit.outputs.handout import grid_for
from lecturekit.render.target import Target
from tests.fake_decks import copy_deck

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm missing: apt-get install -y poppler-utils"
)


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, float]:
    folder = tmp_path_factory.mktemp("handout")
    deck = copy_deck("lecture", folder)
    target = Target(deck, "low", "light", folder / "media")
    started = time.perf_counter()
    written = write_frames_only(
        list(deck.scenes), target, storyboard=False, handout=True, on_event=lambda _line: None
    )
    seconds = time.perf_counter() - started
    assert written == [target.handout]
    assert target.handout.name == "fake-lecture-handout-light.pdf"
    return written[0], list(deck.scenes), seconds


def rasterise(pdf: Path, out: Path, dpi: int = 50) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def test_one_a4_landscape_page_per_scene(handout, tmp_path: Path) -> None:
    pdf, specs, seconds = handout
    assert pdf.name == "fake-lecture-handout-light.pdf"
    pages = rasterise(pdf, tmp_path)
    assert len(pages) == len(specs)
    for page in pages:
        width, height = Image.open(page).size
        assert width / height == pytest.approx(297 / 210, rel=0.01)  # A4 landscape
        assert width == pytest.approx(297 / 25.4 * 50, abs=2)
    assert seconds < 60  # frames only: no video is rendered


def test_first_page_is_not_blank(handout, tmp_path: Path) -> None:
    pdf, _specs, _seconds = handout
    first = np.asarray(Image.open(rasterise(pdf, tmp_path, dpi=50)[0]).convert("L"), float)
    ink = first < 200  # anything clearly darker than white paper
    assert ink.mean() > 0.05, f"only {ink.mean():.1%} of the first page is inked"
    # The frame (the fake title card, on the light theme's off-white) and the title text
    # both leave marks: the page's top band (title) and its middle (frame) are inked.
    h = first.shape[0]
    assert ink[: h // 8].mean() > 0.002 and ink[h // 4 : 3 * h // 4].mean() > 0.02


def test_grid_keeps_frames_large() -> None:
    assert grid_for(1) == (1, 1)
    assert grid_for(3) == (2, 2)
    assert grid_for(4) == (2, 2)
    assert grid_for(6) == (3, 2)
    assert grid_for(10) == (4, 3)
