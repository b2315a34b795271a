"""A rendered scene's sections: the parts of its video between key frames.

Every scene renders with ``--save_sections`` (:data:`pipeline.render.MANIM_FLAGS`) and
:meth:`scenes.lecture.LectureScene.key_frame` starts a new section, so each section video ends
on a key frame. The presenter mode plays them one by one (:mod:`pipeline.slides`); the build's
storyboard and poster take the key frames from their last frames, at the video's quality,
without running the scenes again.

Manim names a section when it starts (after the key frame that opened it), so the key frame a
section *ends* at is the next section's name, and the last section ends at the scene's end.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

from .atomic import atomic_path, write_text_atomic
from .captions import SRT_ROUNDING, Cue, read_srt
from .render import MEDIA_DIR, RenderResult, build_dir, manim_video_path
from .stitch import video_duration
from .storyboard import Frame, SceneFrames, caption_at, thumbnail
from .validate import file_sha256

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


def sections_index(result: RenderResult, quality: str, theme: str,
                   media_dir: Path = MEDIA_DIR) -> Path:
    """Manim's ``sections/<Class>.json`` for the scene of ``result``."""
    media = build_dir(result.spec, quality, theme, media_dir)
    video = manim_video_path(media, result.spec, quality)
    return video.parent / "sections" / f"{result.spec.class_name}.json"


def scene_steps(result: RenderResult, quality: str, theme: str,
                media_dir: Path = MEDIA_DIR) -> list[Step]:
    """The sections of one rendered scene, checked against the scene's video.

    The section files live in the scene's Manim folder, beside (not inside) the scene cache;
    they are used only when their frame counts add up to the scene video's, so sections left
    by another render are never shown.
    """
    index = sections_index(result, quality, theme, media_dir)
    key = result.spec.key
    if not index.exists():
        raise SectionsError(f"{key}: no section videos ({index} is missing); render the "
                            "scene again with --force")
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
        raise SectionsError(f"{key}: the section videos hold {sum(frames)} frames, the scene's "
                            f"video {expected}: they come from another render; render the "
                            "scene again with --force")
    cues = read_srt(result.captions) if result.captions is not None else []
    ends = [s["name"] for s in sections[1:]] + [END]
    steps, start = [], Fraction(0)
    for section, n, end_name in zip(sections, frames, ends, strict=True):
        duration = n / fps
        steps.append(Step(index.parent / section["video"], end_name, start, duration,
                          cues_within(cues, float(start), float(start + duration))))
        start += duration
    return steps


def cues_within(cues: list[Cue] | tuple[Cue, ...], start: float, end: float) -> tuple[Cue, ...]:
    """The parts of ``cues`` inside [start, end), shifted so that ``start`` becomes 0.

    An overlap shorter than :data:`pipeline.captions.SRT_ROUNDING` is rounding, not a caption
    shown during the section (the next beat's cue starting "at" a section's end).
    """
    return tuple(
        Cue(max(c.start, start) - start, min(c.end, end) - start, c.text)
        for c in cues if min(c.end, end) - max(c.start, start) > SRT_ROUNDING
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


def section_frames(result: RenderResult, quality: str, theme: str,
                   media_dir: Path = MEDIA_DIR, width: int = 854) -> SceneFrames:
    """A scene's key frames from its rendered sections (each section's last frame).

    Frames are scaled to ``width`` pixels, the size of the headless frames, so the storyboard
    looks the same whichever way its frames were made.
    """
    steps = scene_steps(result, quality, theme, media_dir)
    frames = []
    for step in steps:
        image = last_frame(step.source)
        if image.width > width:
            image = thumbnail(image, width)
        cues = [(c.start, c.end, c.text) for c in step.cues]
        frames.append(Frame(step.ends_at, float(step.start + step.duration), image,
                            caption_at(cues, float(step.duration))))
    duration = float(sum((s.duration for s in steps), Fraction(0)))
    return SceneFrames(result.spec, tuple(frames), duration)


def remembered_section_frames(result: RenderResult, quality: str, theme: str, width: int,
                              media_dir: Path = MEDIA_DIR) -> SceneFrames:
    """:func:`section_frames` at ``width``, remembered beside the scene's cached video.

    The build's storyboard needs every scene's key frames after every stitch; decoding and
    scaling them all again cost about a second, most of a one-scene re-run's overhead. So
    each scene's frames are kept as small PNGs in ``<cache entry>/key-frames-<width>/``,
    keyed by everything they come from (the scene video, its captions, its section index):
    only the scenes just rendered are decoded again.
    """
    if result.video is None:
        raise SectionsError(f"{result.spec.key}: no video")
    folder = result.video.parent / f"key-frames-{width}"
    index = sections_index(result, quality, theme, media_dir)
    if not index.exists():
        return section_frames(result, quality, theme, media_dir, width)  # raises, says why
    sources = [result.facts.sha256 if result.facts is not None else file_sha256(result.video),
               hashlib.sha256(result.captions.read_bytes()).hexdigest()
               if result.captions is not None else "no captions",
               hashlib.sha256(index.read_bytes()).hexdigest(), str(width)]
    key = hashlib.sha256("\0".join(sources).encode()).hexdigest()
    manifest = folder / "frames.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data["key"] == key:
            frames = []
            for f in data["frames"]:
                with Image.open(folder / f["file"]) as image:
                    frames.append(Frame(f["name"], f["time"], image.convert("RGB"),
                                        f["caption"]))
            return SceneFrames(result.spec, tuple(frames), data["duration"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, damaged or outdated: decoded again below
    scene = section_frames(result, quality, theme, media_dir, width)
    manifest.unlink(missing_ok=True)  # never an index naming half-written pictures
    entries = []
    for k, frame in enumerate(scene.frames):
        name = f"{k:02d}.png"
        with atomic_path(folder / name) as tmp:
            frame.image.save(tmp, format="PNG", compress_level=1)  # speed over size: a cache
        entries.append({"file": name, "name": frame.name, "time": frame.time,
                        "caption": frame.caption})
    write_text_atomic(manifest, json.dumps({"key": key, "duration": scene.duration,
                                            "frames": entries}, indent=1))
    return scene
