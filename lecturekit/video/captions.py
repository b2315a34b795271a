"""Captions of the whole video: the scenes' subtitle files merged onto one timeline.

Manim writes one ``.srt`` per scene beside its MP4 (from ``self.caption`` → subcaptions).
The stitched video needs one file whose cues are shifted by each scene's offset. Offsets are
taken from the real scene MP4s (frame count / frame rate, :func:`lecturekit.video.stitch.video_duration`)
because the stitched video is their stream copy: planned times would drift by a frame per scene.

Cues are written in order, never overlapping, and clipped to their scene's span, so a cue that
Manim rounded a millisecond past its scene's end cannot run over the next scene's first cue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import srt

from .stitch import video_duration

# Players treat a cue shorter than this as a flicker; such slivers come only from clipping.
MIN_CUE_SECONDS = 0.05
# SubRip keeps milliseconds and Manim truncates: a cue that starts at a key frame at 8.7333 s
# reads as starting at 8.733 s. Times closer than this are the same instant.
SRT_ROUNDING = 0.005


@dataclass(frozen=True)
class Cue:
    """One caption: shown from ``start`` to ``end`` (seconds on the video's timeline)."""

    start: float
    end: float
    text: str


def read_srt(path: Path) -> list[Cue]:
    """The cues of a SubRip file, in file order (an empty list for an empty file)."""
    return [
        Cue(s.start.total_seconds(), s.end.total_seconds(), s.content.strip())
        for s in srt.parse(path.read_text(encoding="utf-8"))
    ]


def merge_cues(scenes: Iterable[tuple[Sequence[Cue], float]]) -> list[Cue]:
    """Put each scene's cues on the joint timeline.

    ``scenes`` yields ``(cues, duration)`` in video order; a scene's cues are shifted by the
    sum of the durations before it, clipped to the scene's own span and sorted, and any
    overlap with the previous cue is resolved by starting the later cue when the earlier ends.
    """
    merged: list[Cue] = []
    offset = 0.0
    for cues, duration in scenes:
        span_end = offset + duration
        for cue in sorted(cues, key=lambda c: (c.start, c.end)):
            start = max(offset + cue.start, offset)
            end = min(offset + cue.end, span_end)
            if merged and start < merged[-1].end:
                start = merged[-1].end
            if end - start >= MIN_CUE_SECONDS and cue.text:
                merged.append(Cue(start, end, cue.text))
        offset = span_end
    return merged


def scene_cues(videos: Sequence[Path]) -> list[Cue]:
    """Merged cues of scene MP4s, reading each one's ``.srt`` beside it (missing = no cues)."""

    def per_scene() -> Iterable[tuple[list[Cue], float]]:
        for video in videos:
            subtitles = Path(video).with_suffix(".srt")
            cues = read_srt(subtitles) if subtitles.exists() else []
            yield cues, video_duration(Path(video))

    return merge_cues(per_scene())


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text of ``cues`` (numbered from 1)."""
    return srt.compose(
        [
            srt.Subtitle(i, timedelta(seconds=c.start), timedelta(seconds=c.end), c.text)
            for i, c in enumerate(cues, start=1)
        ],
        reindex=False,
    )


def vtt_timestamp(seconds: float) -> str:
    """WebVTT time, ``HH:MM:SS.mmm`` (hours always written, as some LMS players require)."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def to_vtt(cues: Sequence[Cue], identifiers: Sequence[str] | None = None) -> str:
    """WebVTT text of ``cues``; ``identifiers`` optionally names each cue (e.g. chapters)."""
    blocks = ["WEBVTT"]
    for i, cue in enumerate(cues):
        # "-->" may not appear in a cue's payload, and a blank line would end the cue early.
        text = "\n".join(line for line in cue.text.replace("-->", "→").splitlines() if line.strip())
        head = f"{identifiers[i]}\n" if identifiers else ""
        blocks.append(f"{head}{vtt_timestamp(cue.start)} --> {vtt_timestamp(cue.end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def read_vtt(path: Path) -> list[Cue]:
    """The cues of a WebVTT file written by :func:`to_vtt` (identifiers dropped)."""
    cues = []
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        timing = next((i for i, ln in enumerate(lines) if "-->" in ln), None)
        if timing is None:
            continue
        start, end = (_vtt_seconds(t.strip().split(" ")[0]) for t in lines[timing].split("-->"))
        cues.append(Cue(start, end, "\n".join(lines[timing + 1 :])))
    return cues


def _vtt_seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds
