"""Pick the x264 settings on evidence: encode the lecture's own frames with each preset and tune,
and measure time per frame, size and quality against the lossless frames.

    python tools/encoder_study.py [--quality high] [--frames 120] [--runs 3] [--output FILE]

Frames are real: each sampled scene of the deck is rendered by Manim in this process up to a
window of consecutive frames (a moving stretch of the scene), and those RGBA frames are kept in
memory exactly as Manim hands them to its encoder. Each setting then encodes the same frames
the way Manim 0.22 does (PyAV, libx264, yuv420p, crf 23 unless the setting says otherwise,
RGBA -> yuv420p conversion included in the time), decodes them, and compares with the source:
PSNR over RGB and SSIM on luma (Wang et al. 2004, 8x8 Gaussian windows as in the reference
implementation's sigma 1.5). Encoding runs with one x264 thread, so the time is the encoder's
cost per frame on one core whatever else the machine runs; runs are interleaved across
settings and the median is reported.

A developer tool (not part of the kit): its table goes into BENCHMARKS.md and the choice into
``manim.cfg`` with the reason in the README.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import av
import click
import numpy as np
from scipy.ndimage import gaussian_filter

from lecturekit.render.qualities import QUALITIES

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# (scene, seconds into it): stretches with motion, a growing formula, many small marks.
SAMPLES = (("ExpectationUnderEncoder", 30.0), ("WhyKLMatters", 14.0), ("DecomposingTheBound", 4.0))
PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")
TUNES = (None, "animation", "stillimage")


@dataclass(frozen=True)
class Setting:
    """One encoder configuration."""

    preset: str
    tune: str | None

    @property
    def name(self) -> str:
        """``preset`` or ``preset+tune``."""
        return self.preset + (f"+{self.tune}" if self.tune else "")

    def options(self) -> dict[str, str]:
        """libx264 options as Manim passes them (``[video_encoder.options]``)."""
        options = {"crf": "23", "preset": self.preset, "threads": "1"}
        if self.tune:
            options["tune"] = self.tune
        return options


@dataclass
class Result:
    """Measurements of one setting over every sample."""

    ms_per_frame: list[float] = field(default_factory=list)
    bytes_per_frame: list[float] = field(default_factory=list)
    psnr: list[float] = field(default_factory=list)
    ssim: list[float] = field(default_factory=list)


def capture_frames(
    scene_name: str, start: float, quality: str, count: int
) -> tuple[list[np.ndarray], float]:
    """``count`` consecutive RGBA frames from ``start`` seconds into the scene, as Manim hands
    them to its encoder; also the frame rate."""
    from manim import tempconfig
    from manim.scene.scene_file_writer import SceneFileWriter

    from lecturekit.deck import load_deck

    spec = load_deck(REPO / "scenes").by_name(scene_name)
    scene_class = spec.load()
    frames: list[np.ndarray] = []
    seen = [0]
    skip = round(start * QUALITIES[quality].fps)

    class Done(Exception):
        pass

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        for _ in range(repeat):
            seen[0] += 1
            if seen[0] > skip and len(frames) < count:
                frames.append(np.array(pixels, copy=True))
            if len(frames) >= count:
                raise Done

    q = QUALITIES[quality]
    original = SceneFileWriter.write_frame
    SceneFileWriter.write_frame = write_frame
    try:
        with tempconfig(
            {
                "quality": q.config_name,
                "format": "none",
                "verbosity": "ERROR",
                "progress_bar": "none",
                "disable_caching": True,
                "media_dir": str(REPO / "media" / "encoder-study"),
            }
        ):
            try:
                scene_class().render()
            except Done:
                pass
    finally:
        SceneFileWriter.write_frame = original
    return frames, float(q.fps)


def encode(frames: list[np.ndarray], fps: float, setting: Setting) -> tuple[bytes, float]:
    """The frames as an H.264 MP4 (Manim's pipeline: RGBA -> yuv420p -> libx264); the bytes
    and the seconds spent encoding (conversion included, muxing excluded)."""
    out = BytesIO()
    spent = 0.0
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=int(fps), options=setting.options())
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        packets = []
        for pixels in frames:
            t = time.perf_counter()
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            packets.extend(stream.encode(frame))
            spent += time.perf_counter() - t
        t = time.perf_counter()
        packets.extend(stream.encode())
        spent += time.perf_counter() - t
        for packet in packets:
            container.mux(packet)
    return out.getvalue(), spent


def decode(data: bytes) -> list[np.ndarray]:
    """Every frame of an MP4, as RGB arrays."""
    with av.open(BytesIO(data)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """PSNR in dB of two uint8 images (RGB)."""
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def luma(rgb: np.ndarray) -> np.ndarray:
    """BT.709 luma of an RGB image, 0..255 (the colour matrix of HD video)."""
    r, g, b = (rgb[..., k].astype(float) for k in range(3))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two luma images (Gaussian windows, sigma 1.5, K1 0.01, K2 0.03)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = gaussian_filter(a, 1.5), gaussian_filter(b, 1.5)
    var_a = gaussian_filter(a * a, 1.5) - mu_a**2
    var_b = gaussian_filter(b * b, 1.5) - mu_b**2
    cov = gaussian_filter(a * b, 1.5) - mu_a * mu_b
    ssim_map = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / (
        (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
    )
    return float(ssim_map.mean())


def study(quality: str, count: int, runs: int, log) -> tuple[dict[str, Result], list[str]]:
    """Measure every setting on every sample; return results by setting name."""
    settings = [Setting(p, t) for p in PRESETS for t in TUNES]
    results = {s.name: Result() for s in settings}
    notes = []
    for scene_name, start in SAMPLES:
        frames, fps = capture_frames(scene_name, start, quality, count)
        log(f"{scene_name}: {len(frames)} frames at {frames[0].shape[1]}x{frames[0].shape[0]}")
        notes.append(
            f"{scene_name}: {len(frames)} frames from {start:g} s in, at {quality} quality"
        )
        sources = [f[..., :3] for f in frames]
        lumas = [luma(s) for s in sources]
        for run in range(runs):
            order = settings if run % 2 == 0 else list(reversed(settings))
            for setting in order:
                data, seconds = encode(frames, fps, setting)
                result = results[setting.name]
                result.ms_per_frame.append(1000 * seconds / len(frames))
                if run == 0:  # size and quality do not change between runs
                    decoded = decode(data)
                    result.bytes_per_frame.append(len(data) / len(frames))
                    step = max(1, len(decoded) // 12)  # every nth frame: SSIM is slow
                    result.psnr.append(
                        statistics.fmean(psnr(d, s) for d, s in zip(decoded, sources, strict=True))
                    )
                    result.ssim.append(
                        statistics.fmean(
                            ssim(luma(decoded[k]), lumas[k]) for k in range(0, len(decoded), step)
                        )
                    )
            log(f"  run {run + 1}/{runs} done")
    return results, notes


def table(results: dict[str, Result], baseline: str = "medium") -> str:
    """Markdown table: ms/frame (median), time and size relative to x264's default preset
    (medium, what Manim uses), PSNR, SSIM."""
    base = statistics.median(results[baseline].ms_per_frame)
    base_size = statistics.fmean(results[baseline].bytes_per_frame)
    rows = [
        "| x264 setting | ms per frame | time vs medium | kB per frame | size vs medium "
        "| PSNR (dB) | SSIM |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        ms = statistics.median(r.ms_per_frame)
        size = statistics.fmean(r.bytes_per_frame)
        rows.append(
            f"| {name} | {ms:.1f} | {ms / base:.2f}x | {size / 1000:.1f} | "
            f"{size / base_size:.2f} | {statistics.fmean(r.psnr):.2f} | "
            f"{statistics.fmean(r.ssim):.4f} |"
        )
    return "\n".join(rows)


@click.command()
@click.option("--quality", default="high", show_default=True)
@click.option("--frames", "count", default=120, show_default=True)
@click.option("--runs", default=3, show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def main(quality: str, count: int, runs: int, output: Path | None) -> None:
    """Measure x264 presets and tunes on the lecture's own frames."""
    results, notes = study(quality, count, runs, click.echo)
    text = "\n".join([table(results), "", *(f"- {n}" for n in notes)])
    click.echo(text)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
