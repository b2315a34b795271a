"""Key frames of scenes: from a headless run, or from a render's section videos.

A key frame is the picture a scene marks with ``key_frame`` (the end of a beat), with the
caption of that beat. Headless runs (:func:`lecturekit.render.headless.run_headless`:
animations skipped, no video written) give them in seconds without a render; a render's
section videos (each ends on a key frame) give them at the video's own quality without running
the scene again. The storyboard, the poster and the handout are drawn from them.

Headless frames are captured at low quality whatever the video's quality: a headless run at
1080p costs several times more, and 480p frames are already larger than a storyboard
thumbnail or a handout picture at 150 dpi.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from PIL import Image

from lecturekit.atomic import atomic_path, write_text_atomic
from lecturekit.deck import SceneSpec
from lecturekit.render.headless import run_headless
from lecturekit.render.result import RenderResult
from lecturekit.video.captions import SRT_ROUNDING
from lecturekit.video.sections import SectionsError, last_frame, scene_steps
from lecturekit.video.validate import file_sha256

FRAME_QUALITY = "low"


@dataclass(frozen=True)
class Frame:
    """A key frame: its name, its time in the scene, its picture and the caption shown then."""

    name: str
    time: float
    image: Image.Image
    caption: str = ""


@dataclass(frozen=True)
class SceneFrames:
    """The key frames of one scene, in the order the scene marks them."""

    spec: SceneSpec
    frames: tuple[Frame, ...]
    duration: float

    @property
    def heading(self) -> str:
        """``01 · Slide 1 · Latent Variable Model & Notation`` (no slide for title cards)."""
        slide = f"Slide {self.spec.slide} · " if self.spec.slide is not None else ""
        return f"{self.spec.number:02d} · {slide}{self.spec.title}"


def capture_scene(spec: SceneSpec, theme: str = "dark") -> SceneFrames:
    """Run ``spec`` headless and keep the key frames it marks, each with its caption.

    A scene that marks none is represented by its last frame, so it still has a picture.
    """
    scene = run_headless(spec, quality=FRAME_QUALITY, theme=theme)
    marked = scene.key_frames[:-1] or scene.key_frames  # run_headless appends "last"
    cues = [
        (s.start.total_seconds(), s.end.total_seconds(), s.content)
        for s in scene.renderer.file_writer.subcaptions
    ]
    frames = tuple(
        Frame(k.name, k.time, Image.fromarray(k.pixels[..., :3]), caption_at(cues, k.time))
        for k in marked
    )
    return SceneFrames(spec, frames, scene.time)


def caption_at(cues: Sequence[tuple[float, float, str]], t: float) -> str:
    """The caption of the beat a key frame at ``t`` closes: the last cue begun before ``t``
    that is still shown up to about ``t``; empty when the beat has none."""
    # A key frame is marked at the end of its beat, where that beat's cue ends and the next
    # one starts; SubRip's millisecond truncation moves both by up to SRT_ROUNDING.
    begun = [c for c in cues if c[0] < t - SRT_ROUNDING and c[1] > t - 2 * SRT_ROUNDING]
    return max(begun, key=lambda c: c[0])[2] if begun else ""


def capture_scenes(
    specs: Sequence[SceneSpec],
    theme: str = "dark",
    on_event: Callable[[str], None] = print,
    reuse: Callable[[SceneSpec], SceneFrames | None] | None = None,
) -> list[SceneFrames]:
    """Key frames of every scene in ``specs``, in order: one headless run each, except where
    ``reuse`` returns the scene's frames from elsewhere (see
    :func:`lecturekit.outputs.files.frames_from_render_cache`)."""
    captured = []
    for k, spec in enumerate(specs, start=1):
        started = time.perf_counter()
        frames = reuse(spec) if reuse is not None else None
        source = "from its render"
        if frames is None:
            frames, source = capture_scene(spec, theme), "headless"
        captured.append(frames)
        on_event(
            f"[{k}/{len(specs)}] {spec.key}: {len(frames.frames)} key frames, {source}, "
            f"in {time.perf_counter() - started:.1f} s"
        )
    return captured


def thumbnail(image: Image.Image, width: int) -> Image.Image:
    """``image`` scaled to ``width`` pixels wide, aspect kept (high-quality downscale)."""
    if image.width == width:
        return image
    height = round(image.height * width / image.width)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def section_frames(result: RenderResult, width: int = 854) -> SceneFrames:
    """A scene's key frames from its rendered sections (each section's last frame).

    Frames are scaled to ``width`` pixels, the size of the headless frames, so the storyboard
    looks the same whichever way its frames were made.
    """
    steps = scene_steps(result)
    frames = []
    for step in steps:
        image = last_frame(step.source)
        if image.width > width:
            image = thumbnail(image, width)
        cues = [(c.start, c.end, c.text) for c in step.cues]
        frames.append(
            Frame(
                step.ends_at,
                float(step.start + step.duration),
                image,
                caption_at(cues, float(step.duration)),
            )
        )
    duration = float(sum((s.duration for s in steps), Fraction(0)))
    return SceneFrames(result.spec, tuple(frames), duration)


def remembered_section_frames(result: RenderResult, width: int) -> SceneFrames:
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
    index = result.sections
    if index is None or not index.exists():
        return section_frames(result, width)  # raises, says why
    sources = [
        result.facts.sha256 if result.facts is not None else file_sha256(result.video),
        hashlib.sha256(result.captions.read_bytes()).hexdigest()
        if result.captions is not None
        else "no captions",
        hashlib.sha256(index.read_bytes()).hexdigest(),
        str(width),
    ]
    key = hashlib.sha256("\0".join(sources).encode()).hexdigest()
    manifest = folder / "frames.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data["key"] == key:
            frames = []
            for f in data["frames"]:
                with Image.open(folder / f["file"]) as image:
                    frames.append(Frame(f["name"], f["time"], image.convert("RGB"), f["caption"]))
            return SceneFrames(result.spec, tuple(frames), data["duration"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, damaged or outdated: decoded again below
    scene = section_frames(result, width)
    manifest.unlink(missing_ok=True)  # never an index naming half-written pictures
    entries = []
    for k, frame in enumerate(scene.frames):
        name = f"{k:02d}.png"
        with atomic_path(folder / name) as tmp:
            frame.image.save(tmp, format="PNG", compress_level=1)  # speed over size: a cache
        entries.append(
            {"file": name, "name": frame.name, "time": frame.time, "caption": frame.caption}
        )
    write_text_atomic(
        manifest, json.dumps({"key": key, "duration": scene.duration, "frames": entries}, indent=1)
    )
    return scene
