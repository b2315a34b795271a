"""The command line behind ``python render.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click

from scenes import registry
from scenes.style import THEMES

from .qualities import QUALITIES
from .render import MEDIA_DIR, publish_scene_files, render_scenes, variant
from .stitch import Chapter, stitch, video_duration


def _select_scenes(names: tuple[str, ...]) -> list[registry.SceneSpec]:
    if not names:
        return list(registry.SCENES)
    try:
        chosen = {registry.by_name(n).key for n in names}
    except KeyError as error:
        raise click.BadParameter(error.args[0], param_hint="--scene") from None
    return [s for s in registry.SCENES if s.key in chosen]  # registry order


def final_video_path(quality: str, theme: str, media_dir: Path = MEDIA_DIR) -> Path:
    """``media/vae-derivation-<quality>[-<theme>].mp4``."""
    return media_dir / f"vae-derivation-{variant(quality, theme)}.mp4"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--quality", "-q", type=click.Choice(list(QUALITIES)), default="high",
              show_default=True, help="Manim preset: 480p15, 720p30, 1080p60, 1440p60, 2160p60.")
@click.option("--scene", "scene_names", multiple=True, metavar="NAME",
              help="Render only these scenes (class name, key or number); repeatable.")
@click.option("--theme", type=click.Choice(sorted(THEMES)), default="dark", show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Scenes rendered at once, each in its own process.")
@click.option("--list", "list_only", is_flag=True, help="Print the scene registry and exit.")
@click.option("--preview", is_flag=True, help="Open the video when done, where a viewer exists.")
def main(quality: str, scene_names: tuple[str, ...], theme: str, jobs: int, list_only: bool,
         preview: bool) -> None:
    """Render the lecture's scenes and stitch them into media/vae-derivation-<quality>.mp4."""
    specs = _select_scenes(scene_names)
    if list_only:
        for spec in registry.SCENES:
            slide = f"slide {spec.slide:>2}" if spec.slide else "        "
            click.echo(f"{spec.number:02d}  {slide}  {spec.class_name:<28} {spec.title}")
        return

    started = time.perf_counter()
    results = render_scenes(specs, quality, theme, jobs=jobs)
    failed = [r for r in results if not r.ok]
    if failed:
        for r in failed:
            click.echo(f"scene {r.spec.class_name} failed: {r.error}\n  full log: {r.log}",
                       err=True)
        raise SystemExit(1)

    scene_files = publish_scene_files(results, quality, theme)
    chapters, t = [], 0.0
    for r in results:
        d = video_duration(r.video)
        chapters.append(Chapter(r.spec.title, t, t + d))
        t += d
    final = final_video_path(quality, theme)
    stitch([r.video for r in results], final, chapters)
    click.echo(f"scene files: {scene_files[0].parent}/ ({len(scene_files)} files)")
    click.echo(f"video: {final} ({t:.1f} s, rendered in {time.perf_counter() - started:.1f} s)")
    if preview:
        _open(final)


def _open(path: Path) -> None:
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener):
        subprocess.Popen([opener, str(path)])
    else:
        click.echo(f"no viewer found ({opener} missing); open {path} yourself")
