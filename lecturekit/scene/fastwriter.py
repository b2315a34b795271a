"""A held frame converted to the encoder's pixel format once, not once per repeat.

A still frame (a ``wait`` with nothing moving, most of a slide's time on screen) reaches
Manim 0.22's segment encoder as one RGBA array and a repeat count. Its
``VideoSegmentEncoder.write_frame`` wraps the array in a new ``av.VideoFrame`` for every
repeat, and PyAV converts each of them from RGBA to the stream's pixel format (yuv420p)
before x264 sees it: the same conversion of the same pixels, ``repeat`` times (about 3 ms of
a 720p frame's 10, 7 ms at 1080p).

:func:`write_frame` wraps and converts once, with the reformatter call PyAV's encoder makes
(the stream's width, height, pixel format and thread count), then hands x264 that frame at
each repeat's timestamp, as Manim does. x264 receives the same pictures at the same
timestamps, so it writes the same bytes: ``tests/test_fastwriter.py`` encodes a held frame
both ways and compares the files. A single frame (``repeat`` 1) takes Manim's own method.
"""

from __future__ import annotations

from fractions import Fraction

import av
from manim.scene.video_segment_encoder import VideoSegmentEncoder

_original = VideoSegmentEncoder.write_frame


def write_frame(self: VideoSegmentEncoder, pixels, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame``: encode ``pixels`` ``repeat`` times at consecutive
    timestamps, converted to the stream's pixel format once."""
    if repeat == 1:
        return _original(self, pixels, repeat=repeat)
    self._validate_frame(pixels, repeat)
    rate = self.spec.frame_rate
    time_base = Fraction(rate.denominator, rate.numerator)
    context = self._stream.codec_context
    try:
        frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
        # What the encoder would do to each repeat (``VideoCodecContext`` reformats a frame
        # whose format or size differs from the stream's).
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
