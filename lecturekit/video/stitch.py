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


def _concat_manifest(inputs: Sequence[Path]) -> BytesIO:
    # The concat format quotes with '...'; a quote inside (a folder named "Dr O'Brien") is
    # closed, escaped and reopened: '\''.
    def quoted(path: Path) -> str:
        return "'" + f"file:{Path(path).resolve().as_posix()}".replace("'", "'\\''") + "'"

    return BytesIO("".join(f"file {quoted(p)}\n" for p in inputs).encode())


def stitch(inputs: Sequence[Path], output: Path, chapters: Sequence[Chapter] = ()) -> None:
    """Concatenate ``inputs`` (same codec and size) into ``output`` by stream copy."""
    if not inputs:
        raise ValueError("nothing to stitch")
    output.parent.mkdir(parents=True, exist_ok=True)
    source = av.open(_concat_manifest(inputs), format="concat", options={"safe": "0"})
    try:
        in_stream = source.streams.video[0]
        sink = av.open(str(output), mode="w", format="mp4", options={"movflags": "faststart"})
        try:
            out_stream = sink.add_stream_from_template(template=in_stream)
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
            for packet in source.demux(in_stream):
                if packet.dts is None:  # demux ends with empty flushing packets
                    continue
                packet.stream = out_stream
                sink.mux(packet)
        finally:
            sink.close()
    finally:
        source.close()
