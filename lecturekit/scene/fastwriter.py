"""Frames handed to the encoder without a copy, and a held frame converted once.

Manim 0.22's ``VideoSegmentEncoder.write_frame`` wraps each RGBA array it is given in a new
``av.VideoFrame`` with ``from_ndarray``, which copies the pixels into a new buffer (8 MB for
a 1080p frame), and PyAV then converts that copy from RGBA to the stream's pixel format (yuv420p) before x264 sees it. A
still frame (a ``wait`` with nothing moving, most of a slide's time on screen) arrives as one
array and a repeat count, and is wrapped, copied and converted once per repeat.

:func:`write_frame` wraps the array itself (``VideoFrame.from_numpy_buffer``: the frame reads
the array's memory, which Manim's writer owns from then on and nobody changes) and, for a
held frame, converts it once, with the reformatter call PyAV's encoder makes (the stream's
width, height, pixel format and thread count), then hands x264 that frame at each repeat's
timestamp, as Manim does. The conversion reads the same bytes either way and x264 receives
the same pictures at the same timestamps, so it writes the same file:
``tests/test_fastwriter.py`` encodes moving and held frames both ways and compares the files.
A moving frame's copy, conversion and encoding: 7.3 -> 6.2 ms at 720p, 13.6 -> 11.8 ms at
1080p (BENCHMARKS.md, "Eighth pass").
"""

from __future__ import annotations

from fractions import Fraction

import av
from manim.scene.video_segment_encoder import VideoSegmentEncoder

_original = VideoSegmentEncoder.write_frame


def write_frame(self: VideoSegmentEncoder, pixels, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame``: encode ``pixels`` ``repeat`` times at consecutive
    timestamps, without a copy, converted to the stream's pixel format once."""
    self._validate_frame(pixels, repeat)  # (C-contiguous uint8 RGBA of the stream's size)
    rate = self.spec.frame_rate
    time_base = Fraction(rate.denominator, rate.numerator)
    context = self._stream.codec_context
    try:
        frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
        if repeat > 1:
            # What the encoder would do to each repeat (``VideoCodecContext`` reformats a
            # frame whose format or size differs from the stream's).
            frame = frame.reformat(
                width=context.width,
                height=context.height,
                format=context.format,
                threads=context.thread_count,
            )
        for _ in range(repeat):
            # The encoder keeps its own reference to the pixels; only the timestamp changes.
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def install() -> None:
    """Use :func:`write_frame` for every segment (idempotent)."""
    VideoSegmentEncoder.write_frame = write_frame  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's method."""
    VideoSegmentEncoder.write_frame = _original  # type: ignore[method-assign]
