"""Chapters: one titled span per scene, in the MP4 and as a WebVTT file.

The MP4 carries the chapters (embedded by :func:`lecturekit.video.stitch.stitch`); HTML5
players and most LMS embeds read chapters only from ``<track kind="chapters" src=...vtt>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .captions import Cue, read_vtt, to_vtt

__all__ = ["Chapter", "chapters_vtt", "read_chapters_vtt"]


@dataclass(frozen=True)
class Chapter:
    """A titled span of the stitched video, in seconds."""

    title: str
    start: float
    end: float


def chapters_vtt(chapters: Sequence[Chapter]) -> str:
    """WebVTT chapters text: one cue per chapter, identified ``chapter-1``, ``chapter-2``..."""
    cues = [Cue(c.start, c.end, c.title) for c in chapters]
    return to_vtt(cues, identifiers=[f"chapter-{i}" for i in range(1, len(cues) + 1)])


def read_chapters_vtt(path: Path) -> list[Chapter]:
    """Chapters read back from a file written with :func:`chapters_vtt`."""
    return [Chapter(c.text, c.start, c.end) for c in read_vtt(path)]
