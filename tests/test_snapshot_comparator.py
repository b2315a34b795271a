"""The snapshot comparator itself: it must catch a recoloured symbol and a 3 px shift, and let
through the same pixels in another file and rendering noise below its tolerance.

Without this, a comparator that always passed would make every snapshot test green.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from tests.snapshots import CHANNEL_TOLERANCE, check_frame
from tests.vae_deck import DECK

# A frame with q in symbols and in a curve (469 pixels of its orange; "times-one" has 71).
REFERENCE = Path(__file__).parent / "snapshots" / "RewritingTheLikelihood" / "q-and-ratio.png"


@pytest.fixture
def frame() -> np.ndarray:
    return np.asarray(Image.open(REFERENCE).convert("RGB")).copy()


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=int)


def test_a_recoloured_symbol_fails(frame: np.ndarray) -> None:
    # The encoder q is orange on this slide; paint its glyphs in the KL's purple.
    theme = DECK.theme("dark")
    q = np.abs(frame.astype(int) - _rgb(theme.symbol("q"))).max(axis=-1) < 40
    assert q.sum() > 100, "the reference should show q"
    recoloured = frame.copy()
    recoloured[q] = _rgb(theme.symbol("kl"))
    message = check_frame(recoloured, REFERENCE, update=False)
    assert message is not None and "pixels differ" in message
    _clean(REFERENCE)


def test_a_three_pixel_shift_fails(frame: np.ndarray) -> None:
    shifted = np.roll(frame, 3, axis=1)
    message = check_frame(shifted, REFERENCE, update=False)
    assert message is not None and "pixels differ" in message
    _clean(REFERENCE)


def test_the_same_pixels_in_another_file_pass(frame: np.ndarray, tmp_path: Path) -> None:
    # Re-encoded: another zlib level and a metadata chunk, so the bytes differ, not the picture.
    reencoded = tmp_path / "reencoded.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "another encoder")
    Image.fromarray(frame).save(reencoded, compress_level=9, pnginfo=info)
    assert reencoded.read_bytes() != REFERENCE.read_bytes()
    again = np.asarray(Image.open(reencoded).convert("RGB"))
    assert check_frame(again, REFERENCE, update=False) is None


def test_noise_below_the_tolerance_passes(frame: np.ndarray) -> None:
    # Anti-aliasing differences between machines are small in every channel.
    rng = np.random.default_rng(0)
    noise = rng.integers(-(CHANNEL_TOLERANCE - 1), CHANNEL_TOLERANCE, frame.shape)
    noisy = np.clip(frame.astype(int) + noise, 0, 255).astype(np.uint8)
    assert check_frame(noisy, REFERENCE, update=False) is None


def _clean(reference: Path) -> None:
    """A failed check writes the obtained frame and a diff beside the reference: remove them."""
    reference.with_suffix(".obtained.png").unlink(missing_ok=True)
    reference.with_suffix(".diff.png").unlink(missing_ok=True)
