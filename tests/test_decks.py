"""A deck is data and the kit serves any deck: deck.toml is checked with one clear message,
beats are blocks, and the example deck renders from a copy anywhere on disk."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import av
import pytest

from lecturekit.deck import DeckError, load_deck
from lecturekit.render.headless import run_headless
from tests.fake_decks import copy_deck

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "minimal-deck"


def test_the_vae_lecture_is_a_deck_with_the_outputs_it_always_had() -> None:
    deck = load_deck(REPO / "scenes")
    assert deck.slug == "vae-derivation" and deck.media_dir == REPO / "media"
    assert [s.key for s in deck.scenes][:2] == [
        "00-variational-autoencoders",
        "01-latent-variable-model-notation",
    ]
    assert deck.scenes[3].label == "Slide 3 / 10" and deck.scenes[0].label == ""
    assert deck.theme("dark").posterior == deck.theme("dark").symbol("p")


def test_the_example_deck_is_one_short_folder() -> None:
    lines = sum(len(p.read_text().splitlines()) for p in EXAMPLE.iterdir() if p.is_file())
    assert lines < 100, f"examples/minimal-deck has {lines} lines"
    deck = load_deck(EXAMPLE)
    assert deck.package is None  # its modules import by their own names: it works anywhere


@pytest.mark.render
def test_the_example_deck_renders_from_a_copy_anywhere(tmp_path: Path) -> None:
    copy = tmp_path / "somewhere else" / "my lecture"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "media"))
    proc = subprocess.run(
        [sys.executable, str(REPO / "render.py"), "--deck", str(copy), "-q", "low", "--jobs", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    video = copy / "media" / "bayes-rule-low.mp4"
    assert f"video: {video}" in proc.stdout
    with av.open(str(video)) as container:
        titles = [c["metadata"]["title"] for c in container.chapters()]
    assert titles == ["Bayes' Rule", "A Posterior, Drawn"]
    assert (copy / "media" / "bayes-rule-low-storyboard.png").exists()


def _broken(tmp_path: Path, old: str, new: str) -> str:
    deck = copy_deck("lecture", tmp_path)
    deck.file.write_text(deck.file.read_text().replace(old, new, 1))
    with pytest.raises(DeckError) as caught:
        load_deck(deck.folder)
    message = str(caught.value)
    assert str(deck.file) in message or str(deck.folder) in message, message
    return message


@pytest.mark.parametrize(
    "old, new, says",
    [
        ('title = "A Fake Lecture"', "", "needs title"),
        ('slug = "fake-lecture"', 'slug = "Fake Lecture"', "slug 'Fake Lecture' must be"),
        ('x = "yellow"', 'x = "mauve"', "unknown hue 'mauve'"),
        ('x = "yellow"', 'x = {dark = "#FFFFFF"}', "needs a #RRGGBB colour for each theme"),
        ('module = "s_card"', 'module = "s_missing"', "s_missing.py is not in"),
        ('class = "StepsTwo"', 'class = "StepsOne"', "scene classes repeat: ['StepsOne']"),
        ("slide = 2", "slide = 0", "slide must be a positive whole number"),
        (
            'slug = "fake-lecture"',
            'slug = "fake-lecture"\nsubtitle = "x"',
            "unknown key(s) subtitle",
        ),
        ('title = "A Fake Lecture"', 'title = "A Fake Lecture', "not valid TOML"),
    ],
)
def test_a_bad_deck_file_gets_one_clear_message(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    assert says in _broken(tmp_path, old, new)


def test_a_folder_without_deck_toml_is_not_a_deck(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="is not a deck: it has no deck.toml"):
        load_deck(tmp_path)


def test_a_beat_captions_its_block_and_ends_on_its_key_frame(tmp_path: Path) -> None:
    deck = copy_deck("lecture", tmp_path)
    scene = run_headless(deck.by_name("StepsOne"), capture=False)
    beats = [(b.caption, b.key_frame, round(b.start, 3), round(b.end, 3)) for b in scene.beats]
    assert beats == [
        ("First beat: a square.", "square", 0.0, 1.0),
        ("Second beat: a triangle.", "triangle", 1.0, 2.0),
        ("A tail after the last key frame.", None, 2.0, 2.5),
    ]
    captions = [
        (s.content, s.start.total_seconds(), s.end.total_seconds())
        for s in scene.renderer.file_writer.subcaptions
    ]
    assert captions == [(c, s, e) for c, _k, s, e in beats]
    assert [(k.name, k.time) for k in scene.key_frames] == [("square", 1.0), ("triangle", 2.0)]
