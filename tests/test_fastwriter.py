"""A held frame converted once writes the same video bytes as Manim's frame-by-frame path."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from manim.scene.video_segment_encoder import VideoEncoderSpec, VideoSegmentEncoder

from lecturekit.scene import fastwriter


def _spec(width: int, height: int) -> VideoEncoderSpec:
    # The project's x264 settings (lecturekit.render.renderer.MANIM_FLAGS).
    return VideoEncoderSpec(
        container_format="mp4",
        codec="libx264",
        pixel_format="yuv420p",
        width=width,
        height=height,
        frame_rate=Fraction(30),
        options=(("preset", "veryfast"), ("tune", "animation")),
    )


def _frames(width: int, height: int) -> list[tuple[np.ndarray, int]]:
    """Held frames between single ones, with detail for the encoder to work on."""
    rng = np.random.default_rng(7)
    frames = []
    for repeat in (1, 12, 1, 1, 40, 3):
        pixels = np.zeros((height, width, 4), np.uint8)
        pixels[..., 3] = 255
        pixels[8:40, 16:120, :3] = rng.integers(0, 256, (32, 104, 3), dtype=np.uint8)
        pixels[50:60, :, 0] = rng.integers(0, 256)
        frames.append((pixels, repeat))
    return frames


def _encode(path: Path, write) -> bytes:
    width, height = 160, 96
    encoder = VideoSegmentEncoder(target=path, spec=_spec(width, height))
    for pixels, repeat in _frames(width, height):
        write(encoder, pixels, repeat=repeat)
    encoder.finish()
    return path.read_bytes()


def test_same_bytes_as_manims_writer(tmp_path: Path) -> None:
    ours = _encode(tmp_path / "ours.mp4", fastwriter.write_frame)
    manims = _encode(tmp_path / "manims.mp4", fastwriter._original)
    assert len(ours) > 1000
    assert ours == manims


def test_bad_repeat_is_refused_as_by_manim(tmp_path: Path) -> None:
    encoder = VideoSegmentEncoder(target=tmp_path / "v.mp4", spec=_spec(160, 96))
    pixels = np.zeros((96, 160, 4), np.uint8)
    with pytest.raises(ValueError, match="positive integer"):
        fastwriter.write_frame(encoder, pixels, repeat=0)
    encoder.abort()


@pytest.mark.parametrize("offset", [0, 4, 16])
def test_moving_frames_at_720p_from_any_address(tmp_path: Path, offset: int) -> None:
    """Frames wrapped without a copy, wherever their memory starts (the conversion may take
    other code paths for other alignments): the same file as Manim's copies give."""
    width, height = 1280, 720
    rng = np.random.default_rng(offset)
    frames = []
    for k in range(4):
        size = height * width * 4
        memory = np.zeros(size + 64, np.uint8)[offset : offset + size]  # C-contiguous view
        pixels = memory.reshape(height, width, 4)
        pixels[..., 3] = 255
        pixels[100 + 20 * k : 300, 200:900, :3] = rng.integers(0, 256, (200 - 20 * k, 700, 3))
        frames.append(pixels)

    def encode(path: Path, write) -> bytes:
        encoder = VideoSegmentEncoder(target=path, spec=_spec(width, height))
        for pixels in frames:
            write(encoder, pixels, repeat=1)
        write(encoder, frames[-1], repeat=5)
        encoder.finish()
        return path.read_bytes()

    ours = encode(tmp_path / "ours.mp4", fastwriter.write_frame)
    assert ours == encode(tmp_path / "manims.mp4", fastwriter._original)
