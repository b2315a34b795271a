"""The command line behind ``python render.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click

from scenes import registry
from scenes.style import THEMES

from .build import build_video
from .qualities import QUALITIES


def _select_scenes(names: tuple[str, ...]) -> list[registry.SceneSpec]:
    if not names:
        return list(registry.SCENES)
    try:
        chosen = {registry.by_name(n).key for n in names}
    except KeyError as error:
        raise click.BadParameter(error.args[0], param_hint="--scene") from None
    return [s for s in registry.SCENES if s.key in chosen]  # registry order


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

    build = build_video(specs, quality, theme, jobs=jobs)
    if build.failed:
        for r in build.failed:
            click.echo(f"scene {r.spec.class_name} failed: {r.error}\n  full log: {r.log}",
                       err=True)
        raise SystemExit(1)
    length = build.chapters[-1].end
    click.echo(f"scene files: {build.scene_files[0].parent}/ ({len(build.scene_files)} files)")
    click.echo(f"video: {build.video} ({length:.1f} s, built in {build.seconds:.1f} s)")
    if preview:
        _open(build.video)


def _open(path: Path) -> None:
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener):
        subprocess.Popen([opener, str(path)])
    else:
        click.echo(f"no viewer found ({opener} missing); open {path} yourself")
