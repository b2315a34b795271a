"""Everything a lecturer puts next to the video: captions, chapters, poster, storyboard.

:func:`write_lecture_outputs` runs after the stitch in :func:`lecturekit.build.build_video`;
:func:`write_frames_only` serves ``--storyboard-only`` and ``--handout``, which need no video.
Every file is written atomically (:mod:`lecturekit.atomic`) at the path its
:class:`~lecturekit.render.target.Target` names: ``.srt``, ``.vtt``, ``-chapters.vtt``,
``-poster.png``, ``-storyboard.png`` beside the video, the handout without a quality in its
name, per-scene WebVTT beside the per-scene files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lecturekit.atomic import atomic_path, write_text_atomic
from lecturekit.deck import SceneSpec
from lecturekit.render.cache import SceneCache, settings_fingerprint
from lecturekit.render.qualities import QUALITIES
from lecturekit.render.renderer import log_path, manim_flags
from lecturekit.render.result import RenderResult
from lecturekit.render.target import Target
from lecturekit.video.captions import merge_cues, read_srt, scene_cues, to_srt, to_vtt
from lecturekit.video.chapters import Chapter, chapters_vtt
from lecturekit.video.sections import SectionsError, last_frame
from lecturekit.video.stitch import video_duration

from .frames import (
    SceneFrames,
    capture_scene,
    capture_scenes,
    remembered_section_frames,
    section_frames,
)
from .handout import write_handout
from .storyboard import THUMB_WIDTH, write_storyboard


@dataclass(frozen=True)
class LectureOutputs:
    """Paths of the files written beside the video."""

    captions_srt: Path
    captions_vtt: Path
    chapters_vtt: Path
    poster: Path
    storyboard: Path

    @classmethod
    def of(cls, target: Target) -> LectureOutputs:
        """The files a target's video gets beside it."""
        return cls(
            captions_srt=target.lecture_file(".srt"),
            captions_vtt=target.lecture_file(".vtt"),
            chapters_vtt=target.lecture_file("-chapters.vtt"),
            poster=target.lecture_file("-poster.png"),
            storyboard=target.lecture_file("-storyboard.png"),
        )

    def all(self) -> list[Path]:
        """Every path, in a stable order (for reporting)."""
        return [
            self.captions_srt,
            self.captions_vtt,
            self.chapters_vtt,
            self.poster,
            self.storyboard,
        ]


def poster_source(specs: Sequence[SceneSpec]) -> int:
    """Index of the scene the poster comes from: the deck's first scene (number 00, the title
    card), else the first of the selection."""
    return next((i for i, s in enumerate(specs) if s.number == 0), 0)


def write_lecture_outputs(
    results: Sequence[RenderResult],
    chapters: Sequence[Chapter],
    video: Path,
    target: Target,
    on_event: Callable[[str], None] = print,
    captions: Sequence[RenderResult] | None = None,
) -> LectureOutputs:
    """Write captions (the whole video's, and WebVTT beside each per-scene file), chapters,
    poster and storyboard for a video stitched from ``results``.

    The storyboard's frames are the last frames of the scenes' section videos (each ends on a
    key frame), so they are the video's own pictures and no scene is run again. ``captions``
    are the per-scene files whose subtitles the video's captions are made of, when they are
    not the renders' own (the narrated version's: the spoken text, while its storyboard keeps
    each beat's caption as its label).
    """
    out = LectureOutputs.of(target)
    videos = [r.video for r in results if r.video is not None]
    if len(videos) != len(results):
        raise ValueError("every scene needs its video before the lecture outputs are written")
    captioned = results if captions is None else captions
    cues = scene_cues([r.video for r in captioned if r.video is not None])
    write_text_atomic(out.captions_srt, to_srt(cues))
    write_text_atomic(out.captions_vtt, to_vtt(cues))
    write_text_atomic(out.chapters_vtt, chapters_vtt(chapters))
    write_scene_vtts(captioned, target)

    scenes = [_frames_of(r, target.theme, on_event) for r in results]
    length = video_duration(video)
    write_storyboard(
        scenes,
        out.storyboard,
        target.deck.theme(target.theme),
        target.deck.title,
        subtitle=f"{len(scenes)} scenes · {length:.0f} s at {target.quality} "
        f"quality · {target.theme} theme",
    )

    # The poster is the first scene's final picture (its last key frame) at the video's quality.
    poster = last_frame(videos[poster_source([r.spec for r in results])])
    with atomic_path(out.poster) as tmp:
        poster.save(tmp, format="PNG")
    on_event(f"captions ({len(cues)} cues), chapters, poster and storyboard written")
    return out


def _frames_of(result: RenderResult, theme: str, on_event: Callable[[str], None]) -> SceneFrames:
    try:
        return remembered_section_frames(result, THUMB_WIDTH)
    except SectionsError as missing:  # e.g. a cache entry from before sections were kept
        on_event(f"{missing}; taking its key frames headless instead")
        return capture_scene(result.spec, theme)


def write_scene_vtts(results: Sequence[RenderResult], target: Target) -> list[Path]:
    """WebVTT beside each per-scene file (``scenes/<variant>/NN-title.vtt``).

    Manim writes SubRip; an HTML5 ``<track>``, the usual way to embed one step of the lecture
    in a course page, takes only WebVTT.
    """
    written = []
    for result in results:
        vtt = target.scene_file(result.spec, ".vtt")
        if result.captions is None or result.video is None:
            vtt.unlink(missing_ok=True)  # never leave captions of an older render
            continue
        cues = merge_cues([(read_srt(result.captions), video_duration(result.video))])
        write_text_atomic(vtt, to_vtt(cues))
        written.append(vtt)
    return written


def frames_from_render_cache(spec: SceneSpec, target: Target) -> SceneFrames | None:
    """The key frames of ``spec``'s cached render, if the scene has not changed since.

    The render at the target's quality is preferred, then any other quality of the same
    theme: frames are scaled to the headless size anyway, so a lecturer who rendered at low
    quality gets a fast ``--handout`` without passing ``--quality low`` again.
    """
    for quality in [target.quality, *(q for q in QUALITIES if q != target.quality)]:
        at = target.at(quality)
        lookup = SceneCache(at).lookup(spec, settings_fingerprint(at, manim_flags(quality)))
        if not lookup.hit:
            continue
        result = RenderResult.from_entry(spec, lookup.entry, log_path(at, spec))
        try:
            return section_frames(result)
        except SectionsError:
            continue  # rendered before sections were kept
    return None


def write_frames_only(
    specs: Sequence[SceneSpec],
    target: Target,
    storyboard: bool,
    handout: bool,
    on_event: Callable[[str], None] = print,
) -> list[Path]:
    """``--storyboard-only`` / ``--handout``: key frames without rendering any video.

    A scene unchanged since its last render in this theme gives its frames from that render's
    section videos (a decode, well under a second); any other scene runs headless. So after a
    render, looking at a change costs only the changed scenes.
    """
    scenes: list[SceneFrames] = capture_scenes(
        specs, target.theme, on_event, reuse=lambda spec: frames_from_render_cache(spec, target)
    )
    written = []
    if storyboard:
        length = sum(s.duration for s in scenes)
        written.append(
            write_storyboard(
                scenes,
                target.lecture_file("-storyboard.png"),
                target.deck.theme(target.theme),
                target.deck.title,
                subtitle=f"{len(scenes)} scenes · about {length:.0f} s · {target.theme} theme · "
                f"key frames only (no video rendered)",
            )
        )
    if handout:
        written.append(write_handout(scenes, target.handout, target.deck.title))
    return written
