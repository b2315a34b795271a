"""Check videos before anything trusts them: scene MP4s entering the cache, the stitched video.

Two levels, chosen so that a render never lies and a re-run stays fast:

- :func:`probe_video` decodes a scene MP4 from its first to its last frame and records what
  it holds (frame count, rate, size, the SHA-256 of the file, a digest of the coded packets and
  of the codec's parameter sets). It runs once per scene, in the render worker, right after
  Manim wrote the file: a scene enters the cache only with every frame decoded.
- :func:`check_stitched` checks the stitched video against those records without decoding all
  of it again (1080p60 decodes at about 370 frames/s here: the whole lecture would add over a
  minute to every run, even one that changed a single scene). The frame count, duration,
  resolution and rate must match the quality and the sum of the scenes; the packets of each scene's span must be byte-identical to the packets that decoded in the
  scene's own file; every scene must share the parameter sets the stitched file carries; and
  the first frame of every span and the last frame of the video must decode in the stitched
  file itself. A stream copy that reordered, dropped, duplicated or damaged a packet, or joined
  scenes whose encoder settings differ, fails one of these.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import av

from lecturekit.render.qualities import QUALITIES


class VideoError(Exception):
    """A video file is missing, unreadable, or not what it should be."""


@dataclass(frozen=True)
class VideoFacts:
    """What a fully decoded video file holds (stored in the cache entry of a scene)."""

    frames: int
    fps: float
    width: int
    height: int
    codec: str
    pix_fmt: str
    bytes: int
    sha256: str
    packets_sha256: str
    extradata_sha256: str

    @property
    def duration(self) -> float:
        """Length in seconds, from the frame count (exact for constant-rate video)."""
        return self.frames / self.fps

    def to_json(self) -> dict:
        """Plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> VideoFacts:
        """Inverse of :meth:`to_json`."""
        return cls(**data)


_PARAMETER_SET_NALS = {7, 8}  # H.264 sequence and picture parameter sets


def _nal_length_size(extradata: bytes | None) -> int:
    """Bytes of each NAL unit's length prefix, from the avcC record (4 unless it says so)."""
    if extradata and len(extradata) > 4 and extradata[0] == 1:
        return (extradata[4] & 3) + 1
    return 4


def coded_payload(data: bytes, codec: str, length_size: int = 4) -> bytes:
    """A packet's coded picture: its bytes without in-band H.264 parameter sets.

    Joining files by stream copy may repeat the SPS/PPS in front of a segment's first frame
    (the concat demuxer does when a file's extradata is not already in-band); the picture
    data itself is never touched, so that is what the checks compare. Anything that does not
    parse as length-prefixed NAL units is compared whole.
    """
    if codec != "h264":
        return data
    kept, i, n = [], 0, len(data)
    while i + length_size <= n:
        size = int.from_bytes(data[i : i + length_size], "big")
        end = i + length_size + size
        if size == 0 or end > n:
            return data
        if data[i + length_size] & 0x1F not in _PARAMETER_SET_NALS:
            kept.append(data[i:end])
        i = end
    return b"".join(kept) if i == n else data


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _open(path: Path) -> av.container.InputContainer:
    if not path.is_file():
        raise VideoError(f"{path}: no such file")
    try:
        container = av.open(str(path))
    except av.error.FFmpegError as error:  # truncated MP4s fail here (the moov atom is at the end)
        raise VideoError(f"{path}: cannot be opened ({error})") from None
    if not container.streams.video:
        container.close()
        raise VideoError(f"{path}: has no video stream")
    return container


def probe_video(path: Path, decode: bool = True) -> VideoFacts:
    """Decode every frame of ``path`` and return its facts; raise :class:`VideoError` if any
    frame does not decode or the file has none.

    ``decode=False`` counts packets instead of decoding them: for a file joined by stream copy
    from parts that were decoded already (a scene rendered in chunks), checked with
    :func:`check_stitched`."""
    path = Path(path)
    with _open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # frame threads: the decode check is ~2x faster on 2 cores
        ctx = stream.codec_context
        length_size = _nal_length_size(ctx.extradata)
        packets = hashlib.sha256()
        frames = 0
        try:
            for packet in container.demux(stream):
                if packet.size:
                    packets.update(coded_payload(bytes(packet), ctx.name, length_size))
                    frames += 0 if decode else 1
                if decode:
                    frames += sum(1 for _frame in packet.decode())
        except av.error.FFmpegError as error:
            raise VideoError(f"{path}: frame {frames + 1} does not decode ({error})") from None
        if frames == 0:
            raise VideoError(f"{path}: no frame decodes")
        rate = _nominal_rate(stream)
        facts = VideoFacts(
            frames=frames,
            fps=float(rate),
            width=ctx.width,
            height=ctx.height,
            codec=ctx.name,
            pix_fmt=ctx.pix_fmt or "",
            bytes=path.stat().st_size,
            sha256=file_sha256(path),
            packets_sha256=packets.hexdigest(),
            extradata_sha256=hashlib.sha256(ctx.extradata or b"").hexdigest(),
        )
    return facts


def _nominal_rate(stream) -> Fraction:
    # The stream's own frame rate (r_frame_rate). The average over the file is not it: joining
    # scenes shortens the stitched stream's duration by a few ticks of rounding at each splice
    # (measured: 30 ticks of 1/15360 s over 13 scenes), so 15 fps averages 15.0001.
    return stream.base_rate or stream.guessed_rate or stream.average_rate


def check_quality(facts_or_path: VideoFacts, quality: str, what: str) -> None:
    """Raise :class:`VideoError` unless the video has the quality's resolution and rate."""
    q = QUALITIES[quality]
    f = facts_or_path
    if (f.width, f.height) != (q.width, q.height) or abs(f.fps - q.fps) > 1e-6:
        raise VideoError(
            f"{what}: {f.width}x{f.height} at {f.fps:g} fps, but quality "
            f"{quality!r} is {q.width}x{q.height} at {q.fps} fps"
        )


def check_stitched(path: Path, scenes: Sequence[VideoFacts], quality: str) -> None:
    """Check a stitched video against the facts of the scenes it joins (see module docstring).

    Raises :class:`VideoError` naming the first problem found.
    """
    if not scenes:
        raise VideoError("no scenes to check the stitched video against")
    path = Path(path)
    expected_frames = sum(s.frames for s in scenes)
    tolerance = len(scenes)  # one frame per scene, as the concat demuxer may round a boundary
    with _open(path) as container:
        stream = container.streams.video[0]
        ctx = stream.codec_context
        rate = _nominal_rate(stream)
        header = VideoFacts(
            0,
            float(rate),
            ctx.width,
            ctx.height,
            ctx.name,
            ctx.pix_fmt or "",
            0,
            "",
            "",
            hashlib.sha256(ctx.extradata or b"").hexdigest(),
        )
        check_quality(header, quality, f"{path.name}")
        if header.codec != scenes[0].codec:
            raise VideoError(f"{path.name}: codec {header.codec}, scenes are {scenes[0].codec}")
        for k, scene in enumerate(scenes):
            if scene.extradata_sha256 != header.extradata_sha256:
                raise VideoError(
                    f"{path.name}: scene {k + 1} was encoded with other codec "
                    "parameters than the stitched stream carries"
                )

        # Demux all packets (no decode: cheap) and compare each scene's span to its record.
        length_size = _nal_length_size(ctx.extradata)
        sizes: list[tuple[int, int, bytes]] = []  # (pts, duration, payload), decode order
        for packet in container.demux(stream):
            if packet.size:
                sizes.append(
                    (
                        packet.pts,
                        packet.duration or 0,
                        coded_payload(bytes(packet), ctx.name, length_size),
                    )
                )
        if abs(len(sizes) - expected_frames) > tolerance:
            raise VideoError(f"{path.name}: {len(sizes)} frames, the scenes have {expected_frames}")
        start = 0
        for k, scene in enumerate(scenes):
            digest = hashlib.sha256()
            for _pts, _dur, payload in sizes[start : start + scene.frames]:
                digest.update(payload)
            if digest.hexdigest() != scene.packets_sha256:
                raise VideoError(
                    f"{path.name}: the frames of scene {k + 1} differ from the scene's own file"
                )
            start += scene.frames
        tb = stream.time_base
        pts = sorted(p for p, _d, _b in sizes)  # presentation order
        last_duration = max(sizes)[1] or 1
        span = (pts[-1] - pts[0] + last_duration) * tb
        expected = sum(Fraction(s.frames) / Fraction(s.fps).limit_denominator(1001) for s in scenes)
        if abs(float(span - expected)) > tolerance / header.fps:
            raise VideoError(
                f"{path.name}: lasts {float(span):.3f} s, the scenes {float(expected):.3f} s"
            )

        # Decode where the stitched stream differs from any scene file: each scene's first
        # frame (a new keyframe after a splice) and the very last frame of the video.
        offset = 0
        for k, scene in enumerate(scenes):
            target = pts[min(offset, len(pts) - 1)]
            if not _decodes_at(container, stream, target):
                raise VideoError(
                    f"{path.name}: the first frame of scene {k + 1} "
                    f"(t={float((target - pts[0]) * tb):.2f} s) does not decode"
                )
            offset += scene.frames
        if not _decodes_at(container, stream, pts[-1]):
            raise VideoError(f"{path.name}: the last frame does not decode")


def _decodes_at(container, stream, pts: int) -> bool:
    """Seek to the keyframe at or before ``pts`` and decode up to the frame at ``pts``."""
    try:
        container.seek(pts, stream=stream, backward=True, any_frame=False)
        for frame in container.decode(stream):
            if frame.pts is not None and frame.pts >= pts:
                return frame.pts == pts
    except av.error.FFmpegError:
        return False
    return False
