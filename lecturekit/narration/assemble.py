"""The narrated build after rendering: scene tracks, narrated scene files, the lecture's audio.

:func:`lecturekit.build.build_video` calls these for a narrated target:

- :func:`narrate_scenes`: for each rendered scene, its track (every sentence's clip at the
  time the render placed it, :class:`~lecturekit.narration.pacer.SceneNarration`), mastered
  on its own to −16 LUFS and muxed with the scene's video into the per-scene file (video
  stream-copied, AAC-LC 48 kHz), with its captions (the spoken text). Each is kept in the
  scene's cache entry (``narrated.mp4``, ``narrated.srt``) with a stamp of what it was made
  from, so an unchanged scene is not mixed or encoded again.
- :func:`mux_narrated_lecture`: the lecture: the scenes' videos joined by stream copy and all
  their tracks mastered together (one gain: chapters keep their relative level) and encoded
  ONCE (:mod:`lecturekit.narration.mux` says why), then checked: the decoded audio is as long
  as the video to within one AAC frame and its sample peak is at most −1 dBFS.

A scene whose beats say nothing gets silence of its exact length: its file is still valid,
and the lecture's audio has no hole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from lecturekit.atomic import atomic_path, write_text_atomic
from lecturekit.render.result import RenderResult
from lecturekit.render.target import Target
from lecturekit.video.captions import to_srt
from lecturekit.video.chapters import Chapter
from lecturekit.video.validate import VideoError, VideoFacts, file_sha256

from .pacer import SceneNarration
from .speech import Clip, SpeechCache, Synthesizer, speak

if TYPE_CHECKING:
    import numpy as np

    from .mux import MuxReport

# The mixing and muxing modules (SciPy's signal package, pyloudnorm, PyAV) take about two
# seconds to import: they are imported where a scene's audio is made, so that a re-run with
# nothing changed stays as fast as a silent one.

NARRATED_VIDEO = "narrated.mp4"
NARRATED_CAPTIONS = "narrated.srt"  # beside NARRATED_VIDEO: RenderResult.captions finds it
NARRATED_STAMP = "narrated.json"
# Bump when mixing, mastering or muxing changes what a narrated file holds.
MIX_FORMAT = 1


def duration_of(facts: VideoFacts) -> Fraction:
    """A scene video's exact length: frames / nominal frame rate."""
    return Fraction(facts.frames) / Fraction(facts.fps).limit_denominator(1001)


def scene_record(result: RenderResult) -> SceneNarration:
    """What a narrated scene said; :class:`VideoError` if its render left no record."""
    if result.narration is None:
        raise VideoError(
            f"{result.spec.key}: no narration record in its cache entry; render it again "
            "with --narration --force"
        )
    try:
        return SceneNarration.read(result.narration)
    except ValueError as error:
        raise VideoError(f"{error}; render the scene again with --narration --force") from None


def _clips(record: SceneNarration, target: Target) -> list[Clip]:
    """The record's clips from the speech cache. A clip the cache lost (a cleared cache) is
    synthesised again: speech is deterministic, so it is the same sound."""
    assert target.narration is not None
    cache = SpeechCache(target.speech_cache)
    sounds = record.sounds
    found = [cache.get(s.key) for s in sounds]
    missing = [s.text for s, clip in zip(sounds, found, strict=True) if clip is None]
    if missing:
        synthesizer = Synthesizer(
            target.narration.voice,
            target.narration.settings,
            workers=1,
            aligned_dir=cache.folder / "engine",
        )
        with synthesizer:
            made = iter(speak(missing, cache, synthesizer).clips)
        found = [clip if clip is not None else next(made) for clip in found]
    return [clip for clip in found if clip is not None]


def scene_track(result: RenderResult, target: Target) -> np.ndarray:
    """A narrated scene's track, unmastered: exactly as long as its video."""
    from .mix import mix_scene, samples_for

    assert result.facts is not None
    record = scene_record(result)
    clips = _clips(record, target)
    total = samples_for(result.facts.frames, Fraction(result.facts.fps).limit_denominator(1001))
    sounds = [(s.start, clip.path, s.text) for s, clip in zip(record.sounds, clips, strict=True)]
    return mix_scene(sounds, total)


def _stamp(result: RenderResult) -> dict:
    assert result.facts is not None and result.narration is not None
    return {
        "format": MIX_FORMAT,
        "video": result.facts.sha256,
        "record": file_sha256(result.narration),
    }


def _current(folder: Path, wanted: dict) -> dict | None:
    """The narrated file's stamp if it was made from ``wanted`` and is still as written."""
    try:
        stamp = json.loads((folder / NARRATED_STAMP).read_text(encoding="utf-8"))
        made = stamp["made_from"]
        st = (folder / NARRATED_VIDEO).stat()
        captions = (folder / NARRATED_CAPTIONS).is_file()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if made != wanted or not captions:
        return None
    if (st.st_size, st.st_mtime_ns) != (stamp["bytes"], stamp["mtime_ns"]):
        return None
    return stamp


def _check(report: MuxReport, what: str) -> None:
    """The decoded audio must be as long as the video (to one AAC frame: the encoder pads its
    last frame) and never over the peak limit (mux guarantees it; checked all the same)."""
    from .mix import RATE
    from .mux import AAC_FRAME_SECONDS

    excess = report.audio_seconds - report.video_seconds
    if not -1 / RATE <= excess <= AAC_FRAME_SECONDS + 1 / RATE:
        raise VideoError(
            f"{what}: audio lasts {report.audio_seconds:.4f} s, the video "
            f"{report.video_seconds:.4f} s"
        )


def narrate_scene(result: RenderResult, target: Target) -> RenderResult:
    """The scene's narrated file (made, or found current in its cache entry), as a result
    whose video is that file and whose captions are the spoken text."""
    assert result.video is not None and result.facts is not None
    folder = result.video.parent
    wanted = _stamp(result)
    stamp = _current(folder, wanted)
    if stamp is None:
        from .mix import master_scene
        from .mux import MuxError, mux_scene

        record = scene_record(result)
        pcm, _ = master_scene(scene_track(result, target))
        video = folder / NARRATED_VIDEO
        with atomic_path(video) as tmp:
            try:
                report = mux_scene(result.video, duration_of(result.facts), pcm, tmp)
            except MuxError as error:
                raise VideoError(str(error)) from None
            _check(report, f"{result.spec.key} narrated")
        write_text_atomic(folder / NARRATED_CAPTIONS, to_srt(record.cues))
        st = video.stat()
        stamp = {
            "made_from": wanted,
            "sha256": file_sha256(video),
            "bytes": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "peak_db": report.peak_db,
        }
        write_text_atomic(folder / NARRATED_STAMP, json.dumps(stamp, indent=1))
    facts = replace(result.facts, sha256=stamp["sha256"], bytes=stamp["bytes"])
    return replace(result, video=folder / NARRATED_VIDEO, facts=facts)


def narrate_scenes(
    results: Sequence[RenderResult], target: Target, on_event: Callable[[str], None] = print
) -> list[RenderResult]:
    """Every scene's narrated file (see :func:`narrate_scene`), in order; reports how many
    sentences this run's renders synthesised and took from the speech cache."""
    narrated = [narrate_scene(r, target) for r in results]
    fresh = [scene_record(r) for r in results if not r.cached]
    if fresh:
        made, found = sum(r.misses for r in fresh), sum(r.hits for r in fresh)
        on_event(f"speech: {made} sentence(s) synthesised, {found} from the cache")
    return narrated


def mux_narrated_lecture(
    results: Sequence[RenderResult], output: Path, chapters: Sequence[Chapter], target: Target
) -> MuxReport:
    """Write the narrated lecture to ``output`` (see module docstring); ``results`` are the
    scenes' renders (their silent videos, at narrated timing)."""
    from .mix import master
    from .mux import MuxError, mux_lecture

    tracks = [scene_track(r, target) for r in results]
    mastered, _ = master(tracks)
    durations = [duration_of(r.facts) for r in results if r.facts is not None]
    videos = [r.video for r in results if r.video is not None]
    try:
        report = mux_lecture(videos, durations, mastered, output, chapters)
    except MuxError as error:
        raise VideoError(str(error)) from None
    _check(report, output.name)
    return report
