"""Measure a narrated MP4 as a listener hears it: level, speech under captions, sync, clicks.

Used by the tests and the benchmark. Decoding plays the decoded audio frames back to back
from the first frame's time, as Chromium does (it does not re-time audio by timestamps), so
a drift that a join would cause shows up here as it would in the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from scipy.signal import correlate

from lecturekit.video.captions import Cue

from .mix import loudness, peak_db


@dataclass(frozen=True)
class Decoded:
    """A file's audio (mono) and what the player sees of it: codec, profile, rate, the video's
    length and the chapters (start, end, title)."""

    samples: np.ndarray
    rate: int
    codec: str
    profile: str
    video_seconds: float
    chapters: list[tuple[float, float, str]]

    @property
    def audio_seconds(self) -> float:
        """Length of the decoded audio."""
        return len(self.samples) / self.rate


def decode(path: Path) -> Decoded:
    """Decode the first audio stream of ``path`` as a player does (see module docstring)."""
    with av.open(str(path)) as container:
        chapters = [
            (
                float(c["start"] * c["time_base"]),
                float(c["end"] * c["time_base"]),
                c["metadata"].get("title", ""),
            )
            for c in container.chapters()
        ]
        video = container.streams.video[0]
        video_seconds = float(Fraction(video.frames) / (video.base_rate or video.average_rate))
        stream = container.streams.audio[0]
        context = stream.codec_context
        rate = context.sample_rate
        pieces: list[np.ndarray] = []
        first = None
        for frame in container.decode(stream):
            if first is None:
                first = round(Fraction(frame.pts) * Fraction(frame.time_base) * rate)
            data = frame.to_ndarray().astype(np.float32)
            pieces.append(data.mean(axis=0) if data.ndim == 2 else data)
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    # A stream that starts late is placed where the player puts it; samples before 0 are
    # not played.
    if first is not None and first > 0:
        samples = np.concatenate([np.zeros(first, np.float32), samples])
    elif first is not None and first < 0:
        samples = samples[-first:]
    return Decoded(samples, rate, context.name, context.profile or "", video_seconds, chapters)


@dataclass(frozen=True)
class Level:
    """Integrated loudness (LUFS, ITU-R BS.1770-4) and sample peak (dBFS)."""

    lufs: float
    peak_db: float


def level(samples: np.ndarray, rate: int) -> Level:
    """Loudness and sample peak of ``samples``."""
    return Level(loudness(samples, rate), peak_db(samples))


def chapter_levels(decoded: Decoded) -> list[Level]:
    """Loudness and peak of each chapter's span."""
    rate = decoded.rate
    return [
        level(decoded.samples[round(a * rate) : round(b * rate)], rate)
        for a, b, _ in decoded.chapters
    ]


def speech_activity(
    samples: np.ndarray, rate: int, frame: float = 0.02, threshold_db: float = -45.0
) -> np.ndarray:
    """An energy voice-activity detector: one bool per ``frame`` seconds, True where the RMS
    is above ``threshold_db`` and above the loudest frame minus 45 dB."""
    size = max(1, int(round(frame * rate)))
    count = len(samples) // size
    if count == 0:
        return np.zeros(0, dtype=bool)
    frames = samples[: count * size].astype(np.float64).reshape(count, size)
    rms_db = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-20)
    return rms_db > max(threshold_db, float(rms_db.max()) - 45.0)


def speech_under_cues(
    cues: Sequence[Cue], samples: np.ndarray, rate: int, frame: float = 0.02
) -> list[float]:
    """For each cue, the fraction of its time with speech (0: a caption with no voice)."""
    active = speech_activity(samples, rate, frame)
    fractions = []
    for cue in cues:
        a = int(cue.start / frame)
        b = max(a + 1, int(cue.end / frame))
        window = active[a:b]
        fractions.append(float(window.mean()) if len(window) else 0.0)
    return fractions


def sync_offsets(
    decoded: np.ndarray,
    reference: np.ndarray,
    rate: int,
    starts: Sequence[float],
    window: float = 0.5,
    search: float = 0.1,
) -> list[float | None]:
    """Audio minus intended time (s) near each of ``starts``: where the decoded audio's first
    speech after each start best matches the ``reference`` track (the PCM that was encoded),
    by cross-correlation over ``window`` seconds, within ±``search``. ``None`` where the
    reference is silent until the next start (a chapter without speech)."""
    offsets: list[float | None] = []
    bounds = [*starts, len(reference) / rate]
    reach = round(search * rate)
    size = round(window * rate)
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        a, b = round(start * rate), round(end * rate)
        audible = np.flatnonzero(np.abs(reference[a:b]) > 1e-3)
        if not audible.size:
            offsets.append(None)
            continue
        at = a + int(audible[0])
        ref = reference[at : at + size].astype(np.float64)
        lo, hi = max(0, at - reach), min(len(decoded), at + size + reach)
        seg = decoded[lo:hi].astype(np.float64)
        if len(seg) < len(ref):
            offsets.append(None)
            continue
        scores = correlate(seg, ref, mode="valid", method="fft")
        offsets.append((lo + int(np.argmax(scores)) - at) / rate)
    return offsets


def clicks(
    samples: np.ndarray, rate: int, at: Sequence[float], window: float = 0.001, jump: float = 0.1
) -> list[float]:
    """Join times (s) where two neighbouring samples within ±``window`` s differ by more than
    ``jump`` (a step of −20 dBFS or more: a click). The window is short because loud speech
    that starts a few milliseconds after a join has steps of 0.1-0.6 of its own."""
    found = []
    for t in at:
        a = max(0, round((t - window) * rate))
        b = min(len(samples), round((t + window) * rate))
        if b - a > 1 and np.max(np.abs(np.diff(samples[a:b]))) > jump:
            found.append(t)
    return found
