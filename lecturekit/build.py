"""Build the lecture video: render scenes, stitch, validate, publish, atomically.

The final video is stitched into a temporary file beside its final path, checked
(:func:`lecturekit.video.validate.check_stitched`) and only then renamed into place, after the
per-scene files are published. If a scene fails, the stitch or the check fails, or the run is
interrupted, no final file changes: the previous good video stays, byte for byte.

A narrated target (``render.py --narration``) renders its own scenes (each beat lasts as long
as its speech) and then, instead of stitching, joins their videos by stream copy with all the
audio encoded once (:mod:`lecturekit.narration.assemble`); its per-scene files carry their
audio and its captions are the spoken text.

A run where every scene came from the cache and the final video is the one the previous run
wrote from those same scenes does not stitch again: :attr:`Target.final_manifest
<lecturekit.render.target.Target.final_manifest>` records which scene videos (by SHA-256) the
final video holds and the final file's size and modification time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from lecturekit.atomic import atomic_path, write_text_atomic
from lecturekit.deck import SceneSpec
from lecturekit.outputs.files import write_lecture_outputs
from lecturekit.render.executors import Executor
from lecturekit.render.progress import ProgressModel, View
from lecturekit.render.renderer import publish_scene_files, render_scenes
from lecturekit.render.result import RenderResult
from lecturekit.render.target import Target
from lecturekit.video.chapters import Chapter
from lecturekit.video.stitch import stitch, video_duration
from lecturekit.video.validate import check_stitched


@dataclass
class BuildResult:
    """What a build wrote (or, when scenes failed, which ones) and where the time went."""

    results: list[RenderResult]
    video: Path | None = None
    scene_files: list[Path] | None = None
    chapters: list[Chapter] | None = None
    seconds: float = 0.0
    up_to_date: bool = False  # nothing rendered and the final video was already current
    timings: dict[str, float] = field(default_factory=dict)  # render, stitch, validate, ...

    @property
    def failed(self) -> list[RenderResult]:
        """Scenes that did not render."""
        return [r for r in self.results if not r.ok]

    @property
    def rendered(self) -> list[RenderResult]:
        """Scenes rendered by this run (not taken from the cache)."""
        return [r for r in self.results if r.ok and not r.cached]


def chapters_for(results: Sequence[RenderResult]) -> list[Chapter]:
    """One chapter per scene, timed from the real scene durations (frame counts)."""
    chapters, t = [], Fraction(0)
    for r in results:
        if r.facts is not None:
            d = Fraction(r.facts.frames) / Fraction(r.facts.fps).limit_denominator(1001)
        else:
            d = Fraction(video_duration(r.video)).limit_denominator(10**6)
        chapters.append(Chapter(r.spec.title, float(t), float(t + d)))
        t += d
    return chapters


def _manifest(results: Sequence[RenderResult], video: Path) -> dict:
    st = video.stat()
    return {
        "scenes": [[r.spec.key, r.facts.sha256] for r in results],
        "video": {"bytes": st.st_size, "mtime_ns": st.st_mtime_ns},
    }


def _is_current(results: Sequence[RenderResult], video: Path, manifest: Path) -> bool:
    if not video.exists() or any(not r.cached or r.facts is None for r in results):
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == _manifest(results, video)


def build_video(
    specs: Sequence[SceneSpec],
    target: Target,
    jobs: int = 1,
    on_event: Callable[[str], None] = print,
    force: bool = False,
    executor: Executor | None = None,
    view: Callable[[ProgressModel], View] | None = None,
    split: bool = True,
) -> BuildResult:
    """Render ``specs`` and stitch them into ``target.video`` (no final file changes on
    failure). ``target.part`` names a selection of scenes (empty: the whole deck).
    ``executor``, ``view`` and ``split``: see :func:`lecturekit.render.renderer.render_scenes`
    (wherever the scenes render, everything after it happens here).

    Raises :class:`lecturekit.video.validate.VideoError` when the stitched video fails its
    check; it is then not moved into place.
    """
    started = time.perf_counter()
    results = render_scenes(
        specs,
        target,
        jobs=jobs,
        on_event=on_event,
        force=force,
        executor=executor,
        view=view,
        split=split,
    )
    build = BuildResult(results)
    build.timings["render"] = time.perf_counter() - started
    if build.failed:
        build.seconds = time.perf_counter() - started
        return build
    build.chapters = chapters_for(results)
    build.video = target.video
    # The files a lecturer gets per scene: the renders, or (narrated) each with its audio
    # and spoken captions, made beside the render in its cache entry.
    files = results
    if target.narration is not None:
        from lecturekit.narration.assemble import narrate_scenes

        t = time.perf_counter()
        files = narrate_scenes(results, target, on_event)
        build.timings["narrate"] = time.perf_counter() - t
    manifest = target.final_manifest
    if _is_current(files, build.video, manifest):
        build.up_to_date = True
        build.scene_files = publish_scene_files(files, target)
        on_event(f"{build.video.name}: up to date")
        build.seconds = time.perf_counter() - started
        return build

    with atomic_path(build.video) as tmp:
        t = time.perf_counter()
        if target.narration is not None:  # video copied, all the audio encoded once
            from lecturekit.narration.assemble import mux_narrated_lecture

            mux_narrated_lecture(results, tmp, build.chapters, target)
        else:
            stitch([r.video for r in results], tmp, build.chapters)
        build.timings["stitch"] = time.perf_counter() - t
        t = time.perf_counter()
        check_stitched(tmp, [r.facts for r in results], target.quality)
        build.timings["validate"] = time.perf_counter() - t
        build.scene_files = publish_scene_files(files, target)
    write_lecture_outputs(results, build.chapters, build.video, target, on_event, captions=files)
    write_text_atomic(manifest, json.dumps(_manifest(files, build.video), indent=1))
    build.seconds = time.perf_counter() - started
    return build
