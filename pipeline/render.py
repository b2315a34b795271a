"""Render scenes to MP4 with Manim, each in its own process.

Each scene gets its own media folder, so parallel workers never share Manim's ``Tex`` folder
(Manim deletes non-SVG files there after each formula, which would break a neighbour's
half-made ``.dvi``) and a scene's partial-movie cache survives between runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from scenes.registry import SceneSpec
from scenes.style import THEME_ENV_VAR

from .headless import REPO_ROOT
from .qualities import QUALITIES

MEDIA_DIR = REPO_ROOT / "media"


@dataclass(frozen=True)
class RenderResult:
    """The outcome of rendering one scene."""

    spec: SceneSpec
    video: Path | None
    seconds: float
    log: Path
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the scene's MP4 was written."""
        return self.error is None and self.video is not None


def variant(quality: str, theme: str) -> str:
    """Folder and file-name suffix of a (quality, theme) pair: ``high`` or ``high-light``."""
    return quality if theme == "dark" else f"{quality}-{theme}"


def build_dir(spec: SceneSpec, quality: str, theme: str, media_dir: Path = MEDIA_DIR) -> Path:
    """Manim's media folder for one scene at one quality and theme."""
    return media_dir / "build" / variant(quality, theme) / spec.key


def manim_command(spec: SceneSpec, quality: str, media: Path) -> list[str]:
    """The Manim CLI call that renders ``spec`` into ``media``."""
    return [
        sys.executable, "-m", "manim", "render",
        f"-q{QUALITIES[quality].flag}",
        "--media_dir", str(media),
        "--progress_bar", "none",
        "--silent",
        "--no_latex_cleanup",
        str(spec.path),
        spec.class_name,
    ]


def find_scene_video(media: Path, spec: SceneSpec, quality: str) -> Path | None:
    """Where Manim put the scene's MP4 (``videos/<module>/<res>/<Class>.mp4``)."""
    q = QUALITIES[quality]
    candidate = media / "videos" / spec.module / f"{q.height}p{q.fps}" / f"{spec.class_name}.mp4"
    return candidate if candidate.exists() else None


def render_scene(spec: SceneSpec, quality: str, theme: str, media_dir: Path = MEDIA_DIR,
                 stream_output: bool = False) -> RenderResult:
    """Render one scene in a Manim subprocess; its output goes to a log file next to it."""
    media = build_dir(spec, quality, theme, media_dir)
    media.mkdir(parents=True, exist_ok=True)
    log = media / "render.log"
    env = {**os.environ, THEME_ENV_VAR: theme}
    start = time.perf_counter()
    with log.open("w") as log_file:
        proc = subprocess.run(
            manim_command(spec, quality, media),
            cwd=REPO_ROOT,
            env=env,
            stdout=None if stream_output else log_file,
            stderr=subprocess.STDOUT if not stream_output else None,
            check=False,
        )
    seconds = time.perf_counter() - start
    video = find_scene_video(media, spec, quality)
    if proc.returncode != 0 or video is None:
        return RenderResult(spec, None, seconds, log, error=_first_error_line(log, proc.returncode))
    return RenderResult(spec, video, seconds, log)


def _first_error_line(log: Path, returncode: int) -> str:
    lines = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    for line in reversed(lines):
        if "Error" in line or "Exception" in line:
            return line
    return f"manim exited with code {returncode}"


def render_scenes(
    specs: Sequence[SceneSpec],
    quality: str,
    theme: str = "dark",
    jobs: int = 1,
    media_dir: Path = MEDIA_DIR,
    on_event: Callable[[str], None] = print,
) -> list[RenderResult]:
    """Render scenes, ``jobs`` at a time; results come back in registry order."""
    n = len(specs)
    results: dict[str, RenderResult] = {}
    if jobs <= 1:
        for k, spec in enumerate(specs, start=1):
            on_event(f"[{k}/{n}] rendering {spec.key} ({quality})")
            result = render_scene(spec, quality, theme, media_dir)
            results[spec.key] = result
            on_event(_done_line(k, n, result))
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(render_scene, s, quality, theme, media_dir): s for s in specs}
            on_event(f"rendering {n} scenes ({quality}) with {jobs} workers")
            for k, future in enumerate(as_completed(futures), start=1):
                result = future.result()
                results[result.spec.key] = result
                on_event(_done_line(k, n, result))
    return [results[s.key] for s in specs]


def _done_line(k: int, n: int, result: RenderResult) -> str:
    status = "done" if result.ok else f"FAILED ({result.error}; log: {result.log})"
    return f"[{k}/{n}] {result.spec.key}: {status} in {result.seconds:.1f} s"


def publish_scene_files(results: Sequence[RenderResult], quality: str, theme: str,
                        media_dir: Path = MEDIA_DIR) -> list[Path]:
    """Copy each scene's MP4 (and captions) to ``media/scenes/<variant>/NN-title.mp4``."""
    folder = media_dir / "scenes" / variant(quality, theme)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        assert result.video is not None
        target = folder / f"{result.spec.key}.mp4"
        shutil.copyfile(result.video, target)
        written.append(target)
        srt = result.video.with_suffix(".srt")
        if srt.exists():
            shutil.copyfile(srt, target.with_suffix(".srt"))
    return written
