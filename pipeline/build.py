"""Build the lecture video: render scenes, publish per-scene files, stitch, write outputs."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenes.registry import SceneSpec

from .atomic import atomic_path
from .render import MEDIA_DIR, RenderResult, publish_scene_files, render_scenes, variant
from .stitch import Chapter, stitch, video_duration


def final_video_path(quality: str, theme: str, media_dir: Path = MEDIA_DIR) -> Path:
    """``media/vae-derivation-<quality>[-<theme>].mp4``."""
    return media_dir / f"vae-derivation-{variant(quality, theme)}.mp4"


@dataclass
class BuildResult:
    """What a build wrote (or, when scenes failed, which ones)."""

    results: list[RenderResult]
    video: Path | None = None
    scene_files: list[Path] | None = None
    chapters: list[Chapter] | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[RenderResult]:
        """Scenes that did not render."""
        return [r for r in self.results if not r.ok]


def chapters_for(results: Sequence[RenderResult]) -> list[Chapter]:
    """One chapter per scene, timed from the real scene durations."""
    chapters, t = [], 0.0
    for r in results:
        d = video_duration(r.video)
        chapters.append(Chapter(r.spec.title, t, t + d))
        t += d
    return chapters


def build_video(specs: Sequence[SceneSpec], quality: str, theme: str = "dark", jobs: int = 1,
                media_dir: Path = MEDIA_DIR, on_event: Callable[[str], None] = print
                ) -> BuildResult:
    """Render ``specs`` and stitch them into the final video (nothing is written on failure)."""
    started = time.perf_counter()
    results = render_scenes(specs, quality, theme, jobs=jobs, media_dir=media_dir,
                            on_event=on_event)
    build = BuildResult(results)
    if build.failed:
        build.seconds = time.perf_counter() - started
        return build
    build.scene_files = publish_scene_files(results, quality, theme, media_dir)
    build.chapters = chapters_for(results)
    build.video = final_video_path(quality, theme, media_dir)
    with atomic_path(build.video) as tmp:
        stitch([r.video for r in results], tmp, build.chapters)
    build.seconds = time.perf_counter() - started
    return build
