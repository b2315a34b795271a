"""Look at a scene in seconds: write its key frames as PNGs and print any layout problems.

python -m lecturekit.outputs.keyframes LatentVariableModel [--deck scenes] [--quality high]
    [--theme light]
"""

from __future__ import annotations

from pathlib import Path

import click
from PIL import Image

from lecturekit.deck import SceneSpec, deck_dir_option, load_deck
from lecturekit.render.headless import run_headless
from lecturekit.render.qualities import QUALITIES
from lecturekit.render.target import Target
from lecturekit.scene.layout import layout_checker
from lecturekit.theme import THEME_NAMES


def write_key_frames(
    spec: SceneSpec, quality: str, theme: str, out_dir: Path
) -> tuple[list[Path], list[str], float]:
    """Run ``spec`` headless; write its key frames; return (paths, layout problems, duration)."""
    problems: list[str] = []
    scene = run_headless(spec, quality=quality, theme=theme, step_hooks=(layout_checker(problems),))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for kf in scene.key_frames:
        path = out_dir / f"{kf.name}.png"
        Image.fromarray(kf.pixels[..., :3]).save(path)
        paths.append(path)
    return paths, problems, scene.time


@click.command()
@click.argument("names", nargs=-1, required=True)
@deck_dir_option("The deck folder.")
@click.option("--quality", type=click.Choice(list(QUALITIES)), default="low", show_default=True)
@click.option("--theme", type=click.Choice(THEME_NAMES), default="dark", show_default=True)
def main(names: tuple[str, ...], deck_dir: Path, quality: str, theme: str) -> None:
    """Write key frames of the named scenes under <media>/keyframes/."""
    deck = load_deck(deck_dir)
    for name in names:
        spec = deck.by_name(name)
        out = Target(deck, quality, theme).keyframes_dir(spec)
        paths, problems, duration = write_key_frames(spec, quality, theme, out)
        click.echo(
            f"{spec.class_name}: {duration:.1f} s of video, {len(paths)} key frames in {out}"
        )
        for p in problems:
            click.echo(f"  layout: {p}")


if __name__ == "__main__":
    main()
