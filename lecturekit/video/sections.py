"""A rendered scene's sections: the parts of its video between key frames.

Every scene renders with ``--save_sections`` (:data:`lecturekit.render.renderer.MANIM_FLAGS`)
and :meth:`lecturekit.scene.lecture.LectureScene.key_frame` starts a new section, so each
section video ends on a key frame. The cache keeps them with the scene's video
(:attr:`lecturekit.render.cache.CacheEntry.sections_index`). The presenter page plays them one
by one (:mod:`lecturekit.outputs.slides`); the storyboard and poster take the key frames from
their last frames, at the video's quality, without running the scenes again
(:mod:`lecturekit.outputs.frames`).

Manim names a section when it starts (after the key frame that opened it), so the key frame a
section *ends* at is the next section's name, and the last section ends at the scene's end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

from lecturekit.render.result import RenderResult

from .captions import SRT_ROUNDING, Cue, read_srt
from .stitch import video_duration

END = "end"  # what the last section of a scene ends at


class SectionsError(RuntimeError):
    """A scene's section videos are missing or do not match its rendered video."""


@dataclass(frozen=True)
class Step:
    """One section of a scene, ending at the key frame ``ends_at``."""

    source: Path
    ends_at: str
    start: Fraction  # seconds into the scene
    duration: Fraction
    cues: tuple[Cue, ...]  # captions shown during the step, times relative to its start


def scene_steps(result: RenderResult) -> list[Step]:
    """The sections of one rendered scene, checked against the scene's video.

    They are used only when their frame counts add up to the scene video's, so sections left
    by another render are never shown.
    """
    key = result.spec.key
    index = result.sections
    if index is None or not index.exists():
        raise SectionsError(
            f"{key}: no section videos in its cache entry; render the scene again with --force"
        )
    sections = json.loads(index.read_text(encoding="utf-8"))
    if not sections:
        raise SectionsError(f"{key}: Manim wrote no sections ({index})")
    frames = [int(s["nb_frames"]) for s in sections]
    fps = Fraction(sections[0]["avg_frame_rate"])
    if result.facts is not None:
        expected = result.facts.frames
    else:
        expected = round(Fraction(video_duration(result.video)) * fps)
    if sum(frames) != expected:
        raise SectionsError(
            f"{key}: the section videos hold {sum(frames)} frames, the scene's "
            f"video {expected}: they come from another render; render the "
            "scene again with --force"
        )
    cues = read_srt(result.captions) if result.captions is not None else []
    ends = [s["name"] for s in sections[1:]] + [END]
    steps, start = [], Fraction(0)
    for section, n, end_name in zip(sections, frames, ends, strict=True):
        duration = n / fps
        steps.append(
            Step(
                index.parent / section["video"],
                end_name,
                start,
                duration,
                cues_within(cues, float(start), float(start + duration)),
            )
        )
        start += duration
    return steps


def cues_within(cues: list[Cue] | tuple[Cue, ...], start: float, end: float) -> tuple[Cue, ...]:
    """The parts of ``cues`` inside [start, end), shifted so that ``start`` becomes 0.

    An overlap shorter than :data:`lecturekit.video.captions.SRT_ROUNDING` is rounding, not a
    caption shown during the section (the next beat's cue starting "at" a section's end).
    """
    return tuple(
        Cue(max(c.start, start) - start, min(c.end, end) - start, c.text)
        for c in cues
        if min(c.end, end) - max(c.start, start) > SRT_ROUNDING
    )


def last_frame(video: Path) -> Image.Image:
    """The last picture of ``video``: for a section, the key frame it ends on."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        # Seek to the keyframe at or before the last two seconds and decode from there:
        # cheap even for a long scene at 60 fps.
        if stream.duration and float(stream.duration * stream.time_base) > 2.0:
            end = (stream.start_time or 0) + stream.duration
            container.seek(end - int(2.0 / stream.time_base), stream=stream, backward=True)
        chosen = None
        for chosen in container.decode(stream):  # noqa: B007 (the last one is wanted)
            pass
        if chosen is None:
            raise ValueError(f"{video} has no video frames")
        return chosen.to_image()
