"""Everything a lecturer puts next to the video: captions, chapters, poster, storyboard.

:func:`write_lecture_outputs` runs after the stitch in :func:`pipeline.build.build_video`;
:func:`write_frames_only` serves ``--storyboard-only`` and ``--handout``, which need no video.
Every file is written atomically (:mod:`pipeline.atomic`).

Names, beside ``media/vae-derivation-<variant>.mp4`` (variant = quality, plus ``-light`` for
the light theme): ``.srt``, ``.vtt``, ``-chapters.vtt``, ``-poster.png``, ``-storyboard.png``;
the handout is ``media/vae-derivation-handout[-light].pdf`` (frames only: no quality in it);
per-scene WebVTT goes beside the per-scene files, ``media/scenes/<variant>/NN-title.vtt``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenes.registry import SceneSpec

from .atomic import atomic_path, write_text_atomic
from .cache import SceneCache, settings_fingerprint
from .captions import merge_cues, read_srt, scene_cues, to_srt, to_vtt
from .chapters import chapters_vtt
from .handout import write_handout
from .qualities import QUALITIES
from .render import MEDIA_DIR, RenderResult, build_dir, manim_flags, variant
from .sections import SectionsError, last_frame, remembered_section_frames, section_frames
from .stitch import Chapter, video_duration
from .storyboard import (
    THUMB_WIDTH,
    SceneFrames,
    capture_scene,
    capture_scenes,
    write_storyboard,
)


def lecture_path(quality: str, theme: str, suffix: str, media_dir: Path = MEDIA_DIR,
                 part: str = "") -> Path:
    """``media/vae-derivation-<variant>[-<part>]<suffix>``, e.g. suffix ``-poster.png`` or
    ``.srt``; ``part`` names a selection of scenes (:func:`part_name`), empty for the whole
    lecture."""
    return media_dir / f"vae-derivation-{variant(quality, theme)}{part_suffix(part)}{suffix}"


def handout_path(theme: str, media_dir: Path = MEDIA_DIR, part: str = "") -> Path:
    """``media/vae-derivation-handout.pdf`` (``-handout-light.pdf`` for the light theme)."""
    suffix = "" if theme == "dark" else f"-{theme}"
    return media_dir / f"vae-derivation-handout{suffix}{part_suffix(part)}.pdf"


def part_name(specs: Sequence[SceneSpec], lecture: Sequence[SceneSpec]) -> str:
    """The file-name part of a selection of scenes: empty for the whole ``lecture``, else
    ``scenes-05-07`` (their numbers). So ``render.py --scene 5`` writes
    ``vae-derivation-high-scenes-05.mp4`` and never replaces the whole lecture's video."""
    if {s.key for s in specs} == {s.key for s in lecture}:
        return ""
    return "scenes-" + "-".join(f"{s.number:02d}" for s in specs)


def part_suffix(part: str) -> str:
    """``-<part>`` to append to a file name, or nothing for the whole lecture."""
    return f"-{part}" if part else ""


@dataclass(frozen=True)
class LectureOutputs:
    """Paths of the files written beside the video."""

    captions_srt: Path
    captions_vtt: Path
    chapters_vtt: Path
    poster: Path
    storyboard: Path

    def all(self) -> list[Path]:
        """Every path, in a stable order (for reporting)."""
        return [self.captions_srt, self.captions_vtt, self.chapters_vtt, self.poster,
                self.storyboard]


def poster_source(specs: Sequence[SceneSpec]) -> int:
    """Index of the scene the poster comes from: the title card (number 0), else the first."""
    return next((i for i, s in enumerate(specs) if s.number == 0), 0)


def write_lecture_outputs(results: Sequence[RenderResult], chapters: Sequence[Chapter],
                          video: Path, quality: str, theme: str, media_dir: Path = MEDIA_DIR,
                          on_event: Callable[[str], None] = print,
                          part: str = "") -> LectureOutputs:
    """Write captions (the whole video's, and WebVTT beside each per-scene file), chapters,
    poster and storyboard for a video stitched from ``results``.

    The storyboard's frames are the last frames of the scenes' section videos (each ends on a
    key frame), so they are the video's own pictures and no scene is run again.
    """
    out = LectureOutputs(
        captions_srt=lecture_path(quality, theme, ".srt", media_dir, part),
        captions_vtt=lecture_path(quality, theme, ".vtt", media_dir, part),
        chapters_vtt=lecture_path(quality, theme, "-chapters.vtt", media_dir, part),
        poster=lecture_path(quality, theme, "-poster.png", media_dir, part),
        storyboard=lecture_path(quality, theme, "-storyboard.png", media_dir, part),
    )
    videos = [r.video for r in results if r.video is not None]
    if len(videos) != len(results):
        raise ValueError("every scene needs its video before the lecture outputs are written")
    cues = scene_cues(videos)
    write_text_atomic(out.captions_srt, to_srt(cues))
    write_text_atomic(out.captions_vtt, to_vtt(cues))
    write_text_atomic(out.chapters_vtt, chapters_vtt(chapters))
    write_scene_vtts(results, quality, theme, media_dir)

    scenes = [_frames_of(r, quality, theme, media_dir, on_event) for r in results]
    length = video_duration(video)
    write_storyboard(scenes, out.storyboard, theme,
                     subtitle=f"{len(scenes)} scenes · {length:.0f} s at {quality} quality · "
                              f"{theme} theme")

    # The poster is the title card's final picture (its last key frame) at the video's quality.
    poster = last_frame(videos[poster_source([r.spec for r in results])])
    with atomic_path(out.poster) as tmp:
        poster.save(tmp, format="PNG")
    on_event(f"captions ({len(cues)} cues), chapters, poster and storyboard written")
    return out


def _frames_of(result: RenderResult, quality: str, theme: str, media_dir: Path,
               on_event: Callable[[str], None]) -> SceneFrames:
    try:
        return remembered_section_frames(result, quality, theme, THUMB_WIDTH, media_dir)
    except SectionsError as missing:  # e.g. media/build was deleted but media/cache kept
        on_event(f"{missing}; taking its key frames headless instead")
        return capture_scene(result.spec, theme)


def write_scene_vtts(results: Sequence[RenderResult], quality: str, theme: str,
                     media_dir: Path = MEDIA_DIR) -> list[Path]:
    """WebVTT beside each per-scene file (``media/scenes/<variant>/NN-title.vtt``).

    Manim writes SubRip; an HTML5 ``<track>``, the usual way to embed one step of the lecture
    in a course page, takes only WebVTT.
    """
    folder = media_dir / "scenes" / variant(quality, theme)
    written = []
    for result in results:
        target = folder / f"{result.spec.key}.vtt"
        if result.captions is None or result.video is None:
            target.unlink(missing_ok=True)  # never leave captions of an older render
            continue
        cues = merge_cues([(read_srt(result.captions), video_duration(result.video))])
        write_text_atomic(target, to_vtt(cues))
        written.append(target)
    return written


def frames_from_render_cache(spec: SceneSpec, quality: str, theme: str,
                             media_dir: Path = MEDIA_DIR) -> SceneFrames | None:
    """The key frames of ``spec``'s cached render, if the scene has not changed since.

    The render at ``quality`` is preferred, then any other quality of the same theme: frames
    are scaled to the headless size anyway, so a lecturer who rendered at low quality gets a
    fast ``--handout`` without passing ``--quality low`` again.
    """
    for q in [quality, *(name for name in QUALITIES if name != quality)]:
        cache = SceneCache(media_dir, variant(q, theme))
        lookup = cache.lookup(spec, settings_fingerprint(q, theme, manim_flags(q)))
        if not lookup.hit:
            continue
        entry = lookup.entry
        log = build_dir(spec, q, theme, media_dir) / "render.log"
        result = RenderResult(spec, entry.video_path, 0.0, log, cached=True, facts=entry.video)
        try:
            return section_frames(result, q, theme, media_dir)
        except SectionsError:
            continue  # rendered before sections were saved
    return None


def write_frames_only(specs: Sequence[SceneSpec], quality: str, theme: str, storyboard: bool,
                      handout: bool, media_dir: Path = MEDIA_DIR,
                      on_event: Callable[[str], None] = print, part: str = "") -> list[Path]:
    """``--storyboard-only`` / ``--handout``: key frames without rendering any video.

    A scene unchanged since its last render at this quality and theme gives its frames from
    that render's section videos (a decode, well under a second); any other scene runs
    headless. So after a render, looking at a change costs only the changed scenes.
    """
    scenes: list[SceneFrames] = capture_scenes(
        specs, theme, on_event, reuse=lambda spec: frames_from_render_cache(
            spec, quality, theme, media_dir))
    written = []
    if storyboard:
        length = sum(s.duration for s in scenes)
        written.append(write_storyboard(
            scenes, lecture_path(quality, theme, "-storyboard.png", media_dir, part), theme,
            subtitle=f"{len(scenes)} scenes · about {length:.0f} s · {theme} theme · "
                     f"key frames only (no video rendered)"))
    if handout:
        written.append(write_handout(scenes, handout_path(theme, media_dir, part)))
    return written
