"""Join scene MP4s into one video by stream copy (no re-encode), web-ready.

The concat demuxer reads the scenes in order; packets are copied into an MP4 whose ``moov``
atom is written first (``movflags=faststart``) so a browser can play it while downloading.
Chapters, when given, are embedded as MP4 chapters.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import av

if TYPE_CHECKING:
    from .chapters import Chapter


def video_duration(path: Path) -> float:
    """Duration of a video's first stream in seconds, from its frame count and rate."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames
        rate = stream.average_rate
        if frames and rate:
            return float(frames / rate)
        return float(stream.duration * stream.time_base)


def concat_manifest(inputs: Sequence[Path], durations: Sequence[Fraction] | None = None) -> BytesIO:
    """A concat-demuxer script joining ``inputs`` in order (open it with ``format="concat"``
    and ``safe=0``); with ``durations`` each file's is stated, since the demuxer otherwise
    trusts the file's stored duration, which can be a few ticks short."""

    # The concat format quotes with '...'; a quote inside (a folder named "Dr O'Brien") is
    # closed, escaped and reopened: '\''.
    def quoted(path: Path) -> str:
        return "'" + f"file:{Path(path).resolve().as_posix()}".replace("'", "'\\''") + "'"

    if durations is None:
        lines = [f"file {quoted(p)}\n" for p in inputs]
    else:
        lines = [
            f"file {quoted(p)}\nduration {float(d):.9f}\n"
            for p, d in zip(inputs, durations, strict=True)
        ]
    return BytesIO("".join(lines).encode())


def set_chapters(sink: av.container.OutputContainer, chapters: Sequence[Chapter]) -> None:
    """Embed ``chapters`` (if any) in ``sink`` as MP4 chapters, in milliseconds."""
    if chapters:
        sink.set_chapters(
            [
                {
                    "id": i,
                    "start": round(c.start * 1000),
                    "end": round(c.end * 1000),
                    "time_base": Fraction(1, 1000),
                    "metadata": {"title": c.title},
                }
                for i, c in enumerate(chapters)
            ]
        )


def stitch(inputs: Sequence[Path], output: Path, chapters: Sequence[Chapter] = ()) -> None:
    """Concatenate ``inputs`` (same codec and size) into ``output`` by stream copy."""
    if not inputs:
        raise ValueError("nothing to stitch")
    output.parent.mkdir(parents=True, exist_ok=True)
    source = av.open(concat_manifest(inputs), format="concat", options={"safe": "0"})
    try:
        in_stream = source.streams.video[0]
        sink = av.open(str(output), mode="w", format="mp4", options={"movflags": "faststart"})
        try:
            out_stream = sink.add_stream_from_template(template=in_stream)
            set_chapters(sink, chapters)
            for packet in source.demux(in_stream):
                if packet.dts is None:  # demux ends with empty flushing packets
                    continue
                packet.stream = out_stream
                sink.mux(packet)
        finally:
            sink.close()
    finally:
        source.close()
