"""Reference-frame comparison for the snapshot tests.

References are PNG files under ``tests/snapshots/<SceneClass>/<key-frame>.png`` (readable in
a review). A frame matches when at most ``MAX_DIFFERENT_PIXELS`` pixels differ by more than
``CHANNEL_TOLERANCE`` in some channel: strict enough to catch a recoloured symbol (about a
hundred pixels at 480p) or a term moved by a few pixels, loose enough for anti-aliasing noise.
A mean-difference metric (as in pytest-regressions' ``image_regression``) was not used: a
recoloured symbol moves the mean of a 480p frame by about 0.01 %, below any usable threshold.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshots"
CHANNEL_TOLERANCE = 24  # of 255
MAX_DIFFERENT_PIXELS = 40


def reference_path(scene: str, frame: str) -> Path:
    """Where the reference PNG of one key frame lives."""
    return SNAPSHOT_DIR / scene / f"{frame}.png"


def different_pixels(obtained: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Boolean mask of pixels whose RGB differs by more than the tolerance."""
    delta = np.abs(obtained[..., :3].astype(np.int16) - expected[..., :3].astype(np.int16))
    return delta.max(axis=-1) > CHANNEL_TOLERANCE


def check_frame(pixels: np.ndarray, reference: Path, update: bool) -> str | None:
    """Compare a frame with its reference; return a failure message or None.

    With ``update`` the reference is (re)written. On failure the obtained frame and a diff
    image (differing pixels in red over a dimmed reference) are written beside the reference.
    """
    rgb = np.ascontiguousarray(pixels[..., :3])
    obtained_path = reference.with_suffix(".obtained.png")
    diff_path = reference.with_suffix(".diff.png")
    if update:
        reference.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rgb).save(reference)
        obtained_path.unlink(missing_ok=True)
        diff_path.unlink(missing_ok=True)
        return None
    if not reference.exists():
        Image.fromarray(rgb).save(obtained_path)
        return f"no reference {reference}; new frame written to {obtained_path}"
    expected = np.asarray(Image.open(reference).convert("RGB"))
    if expected.shape != rgb.shape:
        Image.fromarray(rgb).save(obtained_path)
        return f"{reference.name}: size {rgb.shape[:2]} != reference {expected.shape[:2]}"
    mask = different_pixels(rgb, expected)
    count = int(mask.sum())
    if count <= MAX_DIFFERENT_PIXELS:
        obtained_path.unlink(missing_ok=True)
        diff_path.unlink(missing_ok=True)
        return None
    Image.fromarray(rgb).save(obtained_path)
    diff = (expected * 0.3).astype(np.uint8)
    diff[mask] = (255, 0, 0)
    Image.fromarray(diff).save(diff_path)
    return (
        f"{reference}: {count} pixels differ (allowed {MAX_DIFFERENT_PIXELS}); "
        f"see {obtained_path.name} and {diff_path.name}"
    )
