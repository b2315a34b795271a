"""Every frame the same? Compare two source trees' renders frame by frame, not only key frames.

    python tools/frame_diff.py --before DIR [--after DIR] [--quality low] [--stride 5]
                               [--scene NAME ...]

Each scene is rendered from both trees (``--before``, e.g. a checkout of the base commit, and
``--after``, by default this repository) with the pipeline's flags, and every ``stride``-th
frame of both is compared with the snapshot suite's own rule (``tests/snapshots.py``: at most
``MAX_DIFFERENT_PIXELS`` pixels differ by more than ``CHANNEL_TOLERANCE`` in a channel). The
snapshot tests check each beat's last frame; this checks the frames in between, where an
optimised animation could differ. A developer tool, not part of the kit.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import click
import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tools"))
sys.path.insert(0, str(REPO_ROOT))

from frame_cost import Session  # noqa: E402 (tools/, beside this script)

from lecturekit.deck import load_deck  # noqa: E402
from lecturekit.render.qualities import QUALITIES  # noqa: E402
from tests.snapshots import MAX_DIFFERENT_PIXELS, different_pixels  # noqa: E402


def compare(before: Path, after: Path) -> tuple[int, int, int, str]:
    """(frames compared, frames over the tolerance, worst pixel count, worst frame name)."""
    a, b = np.load(before), np.load(after)
    if sorted(a.files) != sorted(b.files):
        return len(a.files), -1, -1, f"frame counts differ: {len(a.files)} vs {len(b.files)}"
    over, worst, worst_name = 0, 0, ""
    for name in a.files:
        count = int(different_pixels(a[name], b[name]).sum())
        over += count > MAX_DIFFERENT_PIXELS
        if count > worst:
            worst, worst_name = count, name
    return len(a.files), over, worst, worst_name


@click.command()
@click.option("--before", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--after",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=REPO_ROOT,
)
@click.option("--quality", type=click.Choice(list(QUALITIES)), default="low", show_default=True)
@click.option("--stride", default=5, show_default=True, help="Compare every N-th frame.")
@click.option("--scene", "scene_names", multiple=True, metavar="NAME")
def main(
    before: Path, after: Path, quality: str, stride: int, scene_names: tuple[str, ...]
) -> None:
    """Render each scene from both trees and compare every STRIDE-th frame."""
    deck = load_deck(after / "scenes")
    specs = [deck.by_name(n) for n in scene_names] if scene_names else list(deck.scenes)
    out = Path(tempfile.mkdtemp(prefix="frame-diff-"))
    sessions = {
        "before": Session(before.resolve(), print),
        "after": Session(after.resolve(), print),
    }
    failed = False
    for spec in specs:
        dumps = {}
        for side, session in sessions.items():
            path = session.tree / spec.path.relative_to(after.resolve())
            dumps[side] = out / f"{spec.class_name}-{side}.npz"
            session.run(path, spec.class_name, quality, dump=dumps[side], stride=stride)
        n, over, worst, where = compare(dumps["before"], dumps["after"])
        ok = over == 0
        failed |= not ok
        click.echo(
            f"{time.strftime('%H:%M:%S')} {spec.class_name}: {n} frames compared, "
            f"{over} over the tolerance, worst {worst} pixels ({where}) "
            f"{'ok' if ok else 'DIFFERENT'}"
        )
        for path in dumps.values():
            path.unlink(missing_ok=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
