"""Chapters as a WebVTT file, for web players that take chapters from a ``<track>``.

The MP4 already carries the same chapters (embedded by :func:`pipeline.stitch.stitch`); HTML5
players and most LMS embeds read chapters only from ``<track kind="chapters" src=...vtt>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .captions import Cue, read_vtt, to_vtt
from .stitch import Chapter

__all__ = ["chapters_vtt", "read_chapters_vtt"]


def chapters_vtt(chapters: Sequence[Chapter]) -> str:
    """WebVTT chapters text: one cue per chapter, identified ``chapter-1``, ``chapter-2``..."""
    cues = [Cue(c.start, c.end, c.title) for c in chapters]
    return to_vtt(cues, identifiers=[f"chapter-{i}" for i in range(1, len(cues) + 1)])


def read_chapters_vtt(path: Path) -> list[Chapter]:
    """Chapters read back from a file written with :func:`chapters_vtt`."""
    return [Chapter(c.text, c.start, c.end) for c in read_vtt(path)]
