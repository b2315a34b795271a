"""Mix a scene's sentence clips into its track (mono float32, 48 kHz) and master the tracks.

A scene's track has exactly ``frames / fps * 48000`` samples (an integer for 15, 24, 25, 30
and 60 fps), so PCM and video durations agree to the sample. Clips are resampled from Piper's
22.05 kHz with a polyphase FIR (``scipy.signal.resample_poly``, Kaiser window), faded in and
out over a few milliseconds (no clicks), and must not overlap.

Each sentence is first levelled to −20 LUFS (Piper normalises every sentence to full-scale
PEAK, so its loudness varies by several LU from sentence to sentence). Mastering then sets the
integrated loudness (ITU-R BS.1770-4 via ``pyloudnorm``) to −16 LUFS with ONE gain for all
the tracks given (the lecture's chapters keep their relative levels), through a gentle
compressor and a look-ahead peak limiter that keeps every sample at or under −2 dBFS
(1 dB of room for the AAC codec's overshoot under the −1 dBFS rule: 0.7 dB was measured).
"""

from __future__ import annotations

import wave
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd
from pathlib import Path

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from .voice import SpeechError

RATE = 48_000
FADE_SECONDS = 0.005
TARGET_LUFS = -16.0
CEILING_DB = -2.0
CLIP_LUFS = -20.0  # every sentence is brought to this loudness before mixing
COMPRESS_ABOVE_DB = 4.0  # compressor threshold: this far above the target loudness (dBFS RMS)
LIMITER_WINDOW = 0.001  # limiter look-ahead/release scale (s)


class MixError(ValueError):
    """Clips that overlap or do not fit in their scene."""


def samples_for(frames: int, fps: int | Fraction, rate: int = RATE) -> int:
    """The exact sample count of ``frames`` video frames (rounded if not an integer)."""
    return round(Fraction(frames) * rate / Fraction(fps))


def resample(samples: np.ndarray, rate_in: int, rate_out: int = RATE) -> np.ndarray:
    """Resample by a rational factor with a polyphase FIR filter (float32 out)."""
    if rate_in == rate_out:
        return samples.astype(np.float32)
    factor = gcd(rate_in, rate_out)
    out = resample_poly(samples.astype(np.float64), rate_out // factor, rate_in // factor)
    return out.astype(np.float32)


def fade(samples: np.ndarray, rate: int = RATE, seconds: float = FADE_SECONDS) -> np.ndarray:
    """Raised-cosine fade-in and fade-out of ``seconds`` at both ends (copy)."""
    out = samples.astype(np.float32, copy=True)
    n = min(int(round(seconds * rate)), len(out) // 2)
    if n > 0:
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n, endpoint=False))).astype(np.float32)
        out[:n] *= ramp
        out[-n:] *= ramp[::-1]
    return out


def loudness(samples: np.ndarray, rate: int = RATE) -> float:
    """Integrated loudness in LUFS (−inf for silence or under 0.4 s of audio)."""
    if len(samples) < int(0.4 * rate):
        return float("-inf")
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def peak_db(samples: np.ndarray) -> float:
    """Sample peak in dBFS (−inf for silence)."""
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """A mono 16-bit PCM WAV file (Piper's output) as (float32 samples in [-1, 1], rate)."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
            raise SpeechError(f"{path}: expected mono 16-bit PCM")
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return data.astype(np.float32) / 32768.0, wav.getframerate()


@lru_cache(maxsize=32)
def _prepared(path: Path, rate: int, clip_lufs: float | None) -> np.ndarray:
    samples, rate_in = read_wav(path)
    out = resample(samples, rate_in, rate)
    if clip_lufs is not None:
        level = loudness(out, rate)
        if np.isfinite(level):
            out = out * np.float32(10 ** ((clip_lufs - level) / 20))
    return fade(out, rate)


def prepare_clip(path: Path, rate: int = RATE, clip_lufs: float | None = CLIP_LUFS) -> np.ndarray:
    """A clip's samples at ``rate``, levelled to ``clip_lufs`` (None: as Piper made it), faded."""
    return _prepared(Path(path), rate, clip_lufs)


def mix_scene(
    sounds: Sequence[tuple[float, Path, str]],
    total_samples: int,
    rate: int = RATE,
    clip_lufs: float | None = CLIP_LUFS,
) -> np.ndarray:
    """A scene's mono track: each clip (``start`` seconds, WAV path, its text) at its start
    rounded to a sample, silence elsewhere.

    Raises :class:`MixError` if two clips overlap or one runs past the scene's end.
    """
    track = np.zeros(total_samples, dtype=np.float32)
    previous_end, previous_text = 0, ""
    for start, path, text in sorted(sounds, key=lambda s: s[0]):
        samples = prepare_clip(path, rate, clip_lufs)
        begin = round(start * rate)
        end = begin + len(samples)
        if begin < previous_end:
            raise MixError(
                f"clip {text!r} starts {(previous_end - begin) / rate:.3f} s "
                f"before {previous_text!r} ends"
            )
        if begin < 0 or end > total_samples:
            raise MixError(
                f"clip {text!r} ({begin / rate:.3f}-{end / rate:.3f} s) "
                f"does not fit in the scene (0-{total_samples / rate:.3f} s)"
            )
        track[begin:end] = samples
        previous_end, previous_text = end, text
    return track


def limiter_gain(
    samples: np.ndarray, rate: int = RATE, ceiling_db: float = CEILING_DB, window: float = 0.01
) -> np.ndarray:
    """The gain (≤ 1, per sample) of a look-ahead peak limiter with ceiling ``ceiling_db``.

    The gain each sample needs (ceiling / |x|, at most 1) is taken as a minimum over ±2w, then
    smoothed by two moving averages over ±w (w = ``window`` seconds). The smoothed gain never
    exceeds the needed gain at any sample (each average only spans samples whose minimum
    already covers it), so the ceiling holds without clipping. Far from a peak (over 4w) the
    gain is exactly 1, so only the regions around peaks are computed.
    """
    ceiling = 10 ** (ceiling_db / 20)
    magnitude = np.abs(samples).astype(np.float32)
    gain = np.ones(len(samples), dtype=np.float32)
    over = np.flatnonzero(magnitude > ceiling)
    if not over.size:
        return gain
    half = max(1, int(round(window * rate)))
    reach = 4 * half + 2  # how far one sample's need spreads through the three filters
    groups = np.split(over, np.flatnonzero(np.diff(over) > 2 * reach) + 1)
    for group in groups:
        a, b = max(0, group[0] - reach), min(len(samples), group[-1] + reach + 1)
        need = np.minimum(1.0, ceiling / np.maximum(magnitude[a:b].astype(np.float64), 1e-12))
        local = minimum_filter1d(need, size=4 * half + 1, mode="nearest")
        local = uniform_filter1d(local, size=2 * half + 1, mode="nearest")
        local = uniform_filter1d(local, size=2 * half + 1, mode="nearest")
        gain[a:b] = np.minimum(local, need)  # guards float rounding: never above the ceiling
    return gain


CONTROL_HOP = 0.001  # the compressor's gain is computed every millisecond, then interpolated


def levels_db(samples: np.ndarray, rate: int = RATE, rms_window: float = 0.005) -> np.ndarray:
    """RMS level (dBFS) over ±``rms_window`` s, one value per ``CONTROL_HOP``."""
    x = samples.astype(np.float32)
    half = max(1, int(round(rms_window * rate)))
    power = uniform_filter1d(x * x, size=2 * half + 1, mode="nearest")
    hop = max(1, int(round(CONTROL_HOP * rate)))
    return 10 * np.log10(np.maximum(power[::hop].astype(np.float64), 0.0) + 1e-20)


def compressor_curve(
    levels: np.ndarray,
    threshold_db: float = -12.0,
    ratio: float = 3.0,
    smooth: float = 0.01,
) -> np.ndarray:
    """Compressor gain at control rate for ``levels`` (dBFS, one per ``CONTROL_HOP``).

    Above ``threshold_db`` the level is reduced by (1 − 1/``ratio``) of the excess; the gain
    is held (minimum over ±``smooth`` s) and smoothed (moving average over ±``smooth`` s),
    zero-phase since we work offline.
    """
    gain = 10 ** (-np.maximum(0.0, levels - threshold_db) * (1 - 1 / ratio) / 20)
    span = max(1, int(round(smooth / CONTROL_HOP)))
    gain = minimum_filter1d(gain, size=2 * span + 1, mode="nearest")
    return uniform_filter1d(gain, size=2 * span + 1, mode="nearest")


def _per_sample(control: np.ndarray, count: int, rate: int) -> np.ndarray:
    hop = max(1, int(round(CONTROL_HOP * rate)))
    positions = np.arange(len(control), dtype=np.float64) * hop
    return np.interp(np.arange(count), positions, control).astype(np.float32)


def compressor_gain(
    samples: np.ndarray,
    rate: int = RATE,
    threshold_db: float = -12.0,
    ratio: float = 3.0,
    rms_window: float = 0.005,
    smooth: float = 0.01,
) -> np.ndarray:
    """The per-sample gain (≤ 1) of a gentle compressor for the loudest syllables.

    Level = RMS over ±``rms_window`` s; see :func:`compressor_curve` for the rest.
    """
    curve = compressor_curve(levels_db(samples, rate, rms_window), threshold_db, ratio, smooth)
    return _per_sample(curve, len(samples), rate)


def limit(
    samples: np.ndarray, rate: int = RATE, ceiling_db: float = CEILING_DB, window: float = 0.01
) -> np.ndarray:
    """``samples`` through the look-ahead peak limiter of :func:`limiter_gain`."""
    gain = limiter_gain(samples, rate, ceiling_db, window)
    return _hard_ceiling(samples.astype(np.float32) * gain, ceiling_db)


def _hard_ceiling(samples: np.ndarray, ceiling_db: float) -> np.ndarray:
    """Clip at the ceiling: after the limiter this only absorbs float32 rounding (< 1e-6)."""
    ceiling = np.float32(10 ** (ceiling_db / 20))
    return np.clip(samples, -ceiling, ceiling)


@dataclass(frozen=True)
class MasterReport:
    """What mastering did: the one gain, loudness/peak, and how hard the dynamics worked.

    ``reduction_over_1db`` / ``over_3db``: fraction of the audible time (samples above
    −60 dBFS after the gain) during which compressor + limiter lowered the level by more than
    1 dB / 3 dB; ``max_reduction_db`` is the largest reduction anywhere.
    """

    gain_db: float
    loudness_before: float
    loudness_after: float
    peak_after_db: float
    max_reduction_db: float
    reduction_over_1db: float
    reduction_over_3db: float


def _process(
    samples: np.ndarray,
    levels: np.ndarray,
    gain_db: float,
    rate: int,
    target_lufs: float,
    ceiling_db: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Gain, compressor (from the precomputed unity-gain ``levels``) and limiter."""
    scaled = samples * np.float32(10 ** (gain_db / 20))
    curve = compressor_curve(levels + gain_db, threshold_db=target_lufs + COMPRESS_ABOVE_DB)
    gain = _per_sample(curve, len(samples), rate)
    gain *= limiter_gain(scaled * gain, rate, ceiling_db, window=LIMITER_WINDOW)
    return _hard_ceiling(scaled * gain, ceiling_db), gain


def _next_gain(tried: list[tuple[float, float]]) -> float:
    """Secant step on (gain, loudness error) pairs; a plain step at first."""
    gain, error = tried[-1]
    if len(tried) < 2:
        return gain + error
    (g0, e0), (g1, e1) = tried[-2], tried[-1]
    if abs(e1 - e0) < 1e-9:
        return g1 + e1
    return g1 - e1 * (g1 - g0) / (e1 - e0)


def master(
    tracks: Sequence[np.ndarray],
    rate: int = RATE,
    target_lufs: float = TARGET_LUFS,
    ceiling_db: float = CEILING_DB,
) -> tuple[list[np.ndarray], MasterReport]:
    """Master tracks together: one gain for all, a gentle compressor, a peak limiter.

    Piper's speech has a peak-to-loudness ratio of 20-25 dB (its sentence-initial syllables
    are loud), and −16 LUFS with peaks under −2 dBFS allows 14 dB: a gain alone cannot
    meet both. The compressor (3:1 above ``target + 4`` dB, 5 ms RMS) lowers the loudest
    syllables; the limiter (1 ms look-ahead) catches what remains. The gain is refined until
    the loudness after processing is within 0.05 LU of the target. Pass all the lecture's
    scene tracks for the lecture (one gain: chapters keep their relative levels); pass one
    track to master a scene file on its own.
    """
    joined = np.concatenate([np.asarray(t, dtype=np.float32) for t in tracks])
    before = loudness(joined, rate)
    if not np.isfinite(before):
        silent = [np.asarray(t, dtype=np.float32) for t in tracks]
        return silent, MasterReport(0.0, before, before, peak_db(joined), 0.0, 0.0, 0.0)
    levels = levels_db(joined, rate)
    gain_db = target_lufs - before
    tried: list[tuple[float, float]] = []
    for _ in range(12):
        out, gain = _process(joined, levels, gain_db, rate, target_lufs, ceiling_db)
        error = target_lufs - loudness(out, rate)
        tried.append((gain_db, error))
        if abs(error) < 0.05:
            break
        gain_db = _next_gain(tried)
    audible = np.abs(joined) * 10 ** (gain_db / 20) > 1e-3
    reduction = -20 * np.log10(gain[audible]) if audible.any() else np.zeros(1)
    report = MasterReport(
        gain_db=gain_db,
        loudness_before=before,
        loudness_after=loudness(out, rate),
        peak_after_db=peak_db(out),
        max_reduction_db=float(reduction.max()),
        reduction_over_1db=float(np.mean(reduction > 1.0)),
        reduction_over_3db=float(np.mean(reduction > 3.0)),
    )
    bounds = np.cumsum([0] + [len(t) for t in tracks])
    return [out[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)], report


def master_scene(track: np.ndarray, rate: int = RATE) -> tuple[np.ndarray, MasterReport]:
    """Master one scene's track on its own (for per-scene files)."""
    tracks, report = master([track], rate)
    return tracks[0], report
