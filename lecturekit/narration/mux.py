"""Put narration into MP4s: video stream-copied, audio AAC-LC 48 kHz, ``moov`` first.

* :func:`mux_scene`: one scene's video + its track → a narrated scene file.
* :func:`mux_lecture`: the scenes' videos joined by stream copy (the concat demuxer, as
  :func:`lecturekit.video.stitch.stitch` does) + ALL scenes' tracks concatenated and encoded
  ONCE, with one MP4 chapter per scene.

Why once: every separately encoded AAC stream starts with 1024 samples of encoder priming and
ends padded to a whole AAC frame, so scenes narrated one by one and then joined drift by
21-40 ms per join (+379 ms by the 13th chapter, in Chromium too); one encode has no join at
all (measured 0.00 ms at all 13 chapters). FFmpeg's MP4 muxer writes an edit list that hides
the priming, so the first sample plays at t = 0.

Why the concat script gives each file's ``duration``: the demuxer otherwise trusts each file's
stored duration, which the muxer writes a few ticks short for some files (a real Manim render:
373755 instead of 373760 ticks of 1/15360 s), and chapter starts drift by over a millisecond.

Audio is mono: one voice; every player plays a mono track on both speakers. After writing,
the file is decoded: FFmpeg's AAC encoder overshoots the PCM's peak (by up to 2 dB at a
transient), so where a decoded sample is over −1 dBFS the PCM's peaks near it are limited
lower and the audio is encoded again (at most 3 rounds).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from lecturekit.video.chapters import Chapter
from lecturekit.video.stitch import concat_manifest, set_chapters

from .mix import LIMITER_WINDOW, RATE, limiter_gain, peak_db

_LOG = logging.getLogger(__name__)
BIT_RATE = 128_000  # less codec overshoot than 96 kb/s (measured: 0.3 dB vs 1.6 dB on a scene)
PEAK_LIMIT_DB = -1.0  # the decoded file's sample peak must stay at or under this
AAC_FRAME_SECONDS = 1024 / RATE  # one AAC frame: what the decoded audio may run past the video


class MuxError(ValueError):
    """Tracks that do not fit their videos, or audio that cannot be brought under the peak."""


@dataclass(frozen=True)
class MuxReport:
    """What a written file holds: its decoded audio's sample peak and length, the video's
    length, and how many encodes the peak guard took."""

    peak_db: float
    audio_seconds: float
    video_seconds: float
    encodes: int


def _open_sources(
    videos: Sequence[Path], durations: Sequence[Fraction]
) -> av.container.InputContainer:
    if len(videos) == 1:
        return av.open(str(videos[0]))
    return av.open(concat_manifest(videos, durations), format="concat", options={"safe": "0"})


def _encode(stream: av.audio.stream.AudioStream, pcm: np.ndarray, rate: int) -> list[av.Packet]:
    """Encode a whole track in one pass (the encoder cuts it into 1024-sample frames)."""
    planes = np.ascontiguousarray(pcm.astype(np.float32)[np.newaxis, :])
    frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout="mono")
    frame.sample_rate = rate
    frame.pts = 0
    frame.time_base = Fraction(1, rate)
    return list(stream.encode(frame)) + list(stream.encode(None))


def _seconds(packet: av.Packet) -> float:
    stamp = packet.dts if packet.dts is not None else packet.pts
    return float(stamp * packet.time_base)


def _interleave(
    video: Iterator[av.Packet], audio: list[av.Packet], video_out: av.stream.Stream
) -> Iterator[av.Packet]:
    """Video and audio packets in time order (progressive playback reads both as it goes)."""
    pending = iter(audio)
    next_audio = next(pending, None)
    for packet in video:
        if packet.dts is None:  # demux ends with empty flushing packets
            continue
        while next_audio is not None and _seconds(next_audio) <= _seconds(packet):
            yield next_audio
            next_audio = next(pending, None)
        packet.stream = video_out
        yield packet
    while next_audio is not None:
        yield next_audio
        next_audio = next(pending, None)


@dataclass(frozen=True)
class _Muxed:
    """What a file is written from besides its audio: the videos joined (each ``duration``
    long), where it goes, its chapters and the audio's sample rate."""

    videos: Sequence[Path]
    durations: Sequence[Fraction]
    output: Path
    chapters: Sequence[Chapter]
    rate: int


def _write(muxed: _Muxed, pcm: np.ndarray) -> None:
    muxed.output.parent.mkdir(parents=True, exist_ok=True)
    with _open_sources(muxed.videos, muxed.durations) as source:
        video_in = source.streams.video[0]
        options = {"movflags": "faststart"}
        with av.open(str(muxed.output), mode="w", format="mp4", options=options) as sink:
            video_out = sink.add_stream_from_template(template=video_in)
            audio_out = sink.add_stream("aac", rate=muxed.rate, layout="mono")
            audio_out.bit_rate = BIT_RATE
            set_chapters(sink, muxed.chapters)
            packets = _encode(audio_out, pcm, muxed.rate)
            for packet in _interleave(source.demux(video_in), packets, video_out):
                sink.mux(packet)


def _decoded(path: Path, limit_db: float) -> tuple[float, np.ndarray, float, float]:
    """(decoded peak dBFS, positions on the PCM timeline over ``limit_db``, audio seconds,
    video seconds) of a written file."""
    level = 10 ** (limit_db / 20)
    peak, positions, samples = 0.0, [], 0
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        video_seconds = float(video.frames / (video.base_rate or video.average_rate))
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        for frame in container.decode(stream):
            data = np.max(np.abs(frame.to_ndarray()), axis=0)
            peak = max(peak, float(data.max()))
            start = round(Fraction(frame.pts) * Fraction(frame.time_base) * rate)
            positions.append(start + np.flatnonzero(data > level))
            samples += frame.samples
    found = np.concatenate(positions) if positions else np.zeros(0, dtype=int)
    return (20 * np.log10(peak) if peak > 0 else -np.inf), found, samples / rate, video_seconds


def _write_checked(muxed: _Muxed, pcm: np.ndarray) -> MuxReport:
    """Write, then decode: where the AAC codec's overshoot takes decoded samples over
    :data:`PEAK_LIMIT_DB`, limit the PCM's peaks there (within 50 ms) to a ceiling lower by
    the excess (+0.2 dB) and encode again. Only those few peaks change, so the loudness
    stays."""
    output, rate = muxed.output, muxed.rate
    _write(muxed, pcm)
    ceiling, near = peak_db(pcm), np.zeros(len(pcm), dtype=bool)
    for encodes in range(1, 5):
        peak, overs, audio_seconds, video_seconds = _decoded(output, PEAK_LIMIT_DB)
        if peak <= PEAK_LIMIT_DB:
            return MuxReport(peak, audio_seconds, video_seconds, encodes)
        if encodes == 4:
            break
        ceiling -= peak - PEAK_LIMIT_DB + 0.2
        _LOG.info("%s: decoded peak %.2f dBFS; limiting %d samples", output.name, peak, len(overs))
        reach = round(0.05 * rate)
        for position in overs[(overs >= 0) & (overs < len(pcm))]:
            near[max(0, position - reach) : position + reach] = True
        gain = limiter_gain(pcm * near, rate, ceiling_db=ceiling, window=LIMITER_WINDOW)
        _write(muxed, (pcm * gain).astype(np.float32))
    raise MuxError(f"{output.name}: the decoded audio stays over {PEAK_LIMIT_DB} dBFS")


def _check_lengths(
    videos: Sequence[Path], durations: Sequence[Fraction], pcms: Sequence[np.ndarray], rate: int
) -> None:
    for video, duration, pcm in zip(videos, durations, pcms, strict=True):
        expected = duration * rate
        if abs(len(pcm) - expected) > 1:
            raise MuxError(
                f"{video.name}: its track has {len(pcm)} samples, the video needs "
                f"{float(expected):.1f}"
            )


def mux_scene(
    video: Path, duration: Fraction, pcm: np.ndarray, output: Path, rate: int = RATE
) -> MuxReport:
    """Write ``output``: ``video``'s stream copied + ``pcm`` (exactly ``duration`` long, the
    video's frames / fps) as AAC-LC."""
    _check_lengths([video], [duration], [pcm], rate)
    return _write_checked(_Muxed([video], [duration], output, (), rate), pcm)


def mux_lecture(
    videos: Sequence[Path],
    durations: Sequence[Fraction],
    pcms: Sequence[np.ndarray],
    output: Path,
    chapters: Sequence[Chapter],
    rate: int = RATE,
) -> MuxReport:
    """The whole lecture: scene videos joined by stream copy, their tracks encoded once.

    Each track must be exactly its scene's length (``durations``: frames / fps).
    """
    if not videos:
        raise MuxError("nothing to mux")
    _check_lengths(videos, durations, pcms, rate)
    muxed = _Muxed(videos, durations, output, chapters, rate)
    return _write_checked(muxed, np.concatenate(pcms))
