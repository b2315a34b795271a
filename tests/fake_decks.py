"""Test decks: copies of ``tests/decks/<name>`` in a temporary folder, loaded as decks.

``pipeline``: plain Manim scenes of a second or two (a failing one, a slow one, one that edits
the deck's shared module while it renders, one of several calls in sections and one with a
``dt`` updater, for splitting) for the cache, worker, cluster and fault tests.
``lecture``: three LectureScenes with beats and key frames for the output tests.
Copies live outside the repository, so a test may edit them freely; they are decks like any
other (``render.py --deck COPY`` renders one).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from lecturekit.deck import Deck, load_deck

DECKS = Path(__file__).resolve().parent / "decks"


def copy_deck(name: str, folder: Path) -> Deck:
    """Copy the test deck ``name`` into ``folder`` and load the copy."""
    root = folder / name
    shutil.copytree(DECKS / name, root, ignore=shutil.ignore_patterns("__pycache__"))
    return load_deck(root)


def edit(path: Path, line: str = "# edited") -> None:
    """Change a file's content (the cache keys on content, not on modification times)."""
    path.write_text(path.read_text() + f"\n{line}\n")
