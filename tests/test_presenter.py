"""Presenter mode: the slides export, and the player driven in headless Chromium.

The export is checked on the test lecture (``tests/lecture_build.py``): one slide per scene,
one video per section, each ending at a key frame. The browser test opens the exported
``index.html`` from the file system in Debian's ``chromium`` through Playwright, plays the
first step, presses "next" until the slide changes, and saves a screenshot.

CI needs the Debian package ``chromium`` and the Python package ``playwright`` (no
``playwright install``: the system browser is used). The browser test is skipped, saying why,
only where they are missing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lecturekit.video.captions import Cue
from lecturekit.video.sections import END, SectionsError, cues_within, scene_steps
from lecturekit.video.stitch import video_duration
from tests.lecture_build import LectureBuild, lecture_build
from tests.test_outputs import top_level_atoms

pytestmark = pytest.mark.render

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def lecture(tmp_path_factory: pytest.TempPathFactory) -> LectureBuild:
    return lecture_build(tmp_path_factory)


def deck_of(index: Path) -> dict:
    html = index.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="deck">(.*?)</script>', html, re.S)
    assert found, "index.html has no deck manifest"
    return json.loads(found.group(1))


def test_sections_end_at_the_key_frames(lecture: LectureBuild) -> None:
    card, steps_one, steps_two = (scene_steps(r) for r in lecture.build.results)
    # StepsOne marks "square" and "triangle" and then has a tail: three steps, the first two
    # ending at its key frames, the tail at the scene's end.
    assert [s.ends_at for s in steps_one] == ["square", "triangle", END]
    assert [len(card), len(steps_two)] == [1, 1]
    assert [float(s.duration) for s in steps_one] == pytest.approx([1.0, 1.0, 8 / 15])
    assert [c.text for s in steps_one for c in s.cues] == [
        "First beat: a square.",
        "Second beat: a triangle.",
        "A tail after the last key frame.",
    ]


def test_cues_within_ignores_millisecond_rounding() -> None:
    cues = [Cue(4.266, 8.733, "joint"), Cue(8.733, 13.2, "marginal")]  # as SubRip stores them
    first, second = cues_within(cues, 0.0, 131 / 15), cues_within(cues, 131 / 15, 13.2)
    assert [c.text for c in first] == ["joint"] and [c.text for c in second] == ["marginal"]
    assert second[0].start == 0.0 and second[0].end == pytest.approx(13.2 - 131 / 15)


def test_slides_export_one_slide_per_scene(lecture: LectureBuild) -> None:
    index = lecture.slides_index
    assert index.name == "index.html" and index.parent.name == "fake-lecture-low-slides"
    deck = deck_of(index)
    assert [s["title"] for s in deck["slides"]] == [s.title for s in lecture.specs]
    assert [len(s["steps"]) for s in deck["slides"]] == [1, 3, 1]

    referenced = set()
    for slide, result in zip(deck["slides"], lecture.build.results, strict=True):
        total = 0.0
        for step in slide["steps"]:
            video = index.parent / step["src"]
            assert video.exists(), step["src"]
            referenced.add(video)
            atoms = top_level_atoms(video)
            assert atoms.index("moov") < atoms.index("mdat"), f"{video.name}: no fast start"
            assert video_duration(video) == pytest.approx(step["duration"], abs=1e-3)
            total += step["duration"]
        assert total == pytest.approx(video_duration(result.video), abs=1e-3)
    on_disk = set(index.parent.glob("*/*.mp4"))
    assert on_disk == referenced
    # Self-contained: nothing loaded from the network.
    assert not re.search(r'(src|href)="https?:', index.read_text(encoding="utf-8"))


def test_sections_from_another_render_are_refused(lecture: LectureBuild, tmp_path: Path) -> None:
    result = lecture.build.results[1]
    index = result.sections
    original = index.read_text(encoding="utf-8")
    sections = json.loads(original)
    sections[0]["nb_frames"] = str(int(sections[0]["nb_frames"]) + 1)
    try:
        index.write_text(json.dumps(sections), encoding="utf-8")
        with pytest.raises(SectionsError, match="another render"):
            scene_steps(result)
    finally:
        index.write_text(original, encoding="utf-8")


# -- The player in a real browser -------------------------------------------------------------


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return (
            "Chromium is not installed (/usr/bin/chromium): "
            "apt-get install -y chromium, then run again"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed: pip install playwright"
    return None


@pytest.mark.skipif(_browser_missing() is not None, reason=_browser_missing() or "")
def test_player_plays_pauses_and_advances_in_chromium(
    lecture: LectureBuild, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 960, "height": 540})
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(lecture.slides_index.as_uri())

            def status() -> dict:
                return page.evaluate("presenter.status()")

            # The first slide's first step loads, waits, and plays on "next".
            page.wait_for_function("document.body.dataset.state === 'ready'", timeout=15_000)
            first = status()
            assert (first["slide"], first["step"], first["paused"]) == (1, 1, True)
            assert first["readyState"] >= 2  # HAVE_CURRENT_DATA: the video loaded
            page.keyboard.press("ArrowRight")
            # Playing: time advances while the video is not paused (one atomic check, as the
            # step lasts only a second).
            page.wait_for_function(
                "(s => s.time > 0.2 && !s.paused && s.state === 'playing')(presenter.status())",
                timeout=15_000,
            )

            # It pauses at the end of the step (the key frame) and waits for the presenter.
            page.wait_for_function("document.body.dataset.state === 'done'", timeout=15_000)
            held = status()
            assert held["paused"] and held["time"] == pytest.approx(1.0, abs=0.1)
            page.wait_for_timeout(300)
            assert status()["slide"] == 1 and status()["state"] == "done"

            # "next" moves to the second slide and plays its first step.
            page.keyboard.press("ArrowRight")
            page.wait_for_function("presenter.status().slide === 2", timeout=15_000)
            page.wait_for_function("presenter.status().time > 0.3", timeout=15_000)
            second = status()
            assert second["step"] == 1 and second["src"].startswith("01-first-fake-slide/")
            assert page.locator("#where").inner_text().startswith("Slide 1 / ")

            # "back" returns to the previous pause point: the title card's key frame.
            page.keyboard.press("ArrowLeft")
            page.wait_for_function("presenter.status().slide === 1", timeout=15_000)
            assert status()["state"] == "done"
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "presenter.status().slide === 2 && presenter.status().time > 0.8", timeout=15_000
            )
            shot = tmp_path / "presenter.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert errors == []

    # The screenshot shows the playing video (the square being drawn), not an empty page.
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=float)
    assert pixels.std() > 5
    keep = Path(__file__).resolve().parent.parent / "media" / "test-artifacts"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, keep / "presenter-chromium.png")  # for a person to look at
