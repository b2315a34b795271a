"""Split a long scene into chunks by animation range, join them, and decide where that pays.

With more workers than scenes left, a render lasts as long as its longest scene. Manim's ``-n
START,END`` renders only the ``play``/``wait`` calls START..END (0-based, both included): the
calls before START still run ``construct()`` but jump each animation to its end in one step and
write no frame; the call after END stops the scene. Each call is encoded as its own segment
(starting on a key frame) and a scene's MP4 is those segments joined by stream copy, so chunks
joined by stream copy hold the same pictures as the whole render, provided each chunk starts
from the state the whole render has at that point. Measured and handled:

- an updater that takes ``dt`` (or a scene updater, or a ``wait`` with a ``stop_condition``)
  sees one big step per skipped call and drifts: the frame hook records the first call that ran
  with one (``dt_from``), and no chunk starts after it (:func:`safe_starts`);
- anything else that could differ is checked: chunk k renders one call more at its start, the
  previous chunk's last call, without writing it, and both chunks record the digest of that
  call's frames. Unequal digests (:func:`check_seams`) mean the chunk did not start from the
  whole render's state: the scene is rendered whole instead and not split again;
- Manim advances the scene clock by ``run_time`` for a skipped call and by whole frames for a
  rendered one; the frame hook makes skipped calls advance it frame by frame, so captions (and
  anything read from ``self.time``) match the whole render. Each chunk's ``.srt`` then holds
  every caption up to its end at whole-scene times: the last chunk's is the scene's;
- ``--save_sections`` fails in a chunk that leaves out a whole section (patched by the hook);
  a section cut by a chunk boundary is written in pieces, joined again by
  :func:`join_sections` into the whole render's sections (the presenter page and the storyboard
  read them).

A chunk costs a whole process start and ``import manim`` (2-3 s here) and runs ``construct()``
through the skipped calls, so :func:`plan_splits` splits only where that shortens the makespan.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The end of the last chunk's range: past any call, so calls added since the profile was
#: measured are still rendered.
OPEN_END = 1_000_000

# What a skipped call costs relative to rendering it (construct() code, building MathTex):
# measured 0.167 on slide 9 with a cold LaTeX folder, less once its SVGs are cached.
DEFAULT_SKIP_RATIO = 0.1


# -- Ranges --------------------------------------------------------------------------------


def partitions(
    costs: Sequence[float], max_chunks: int, max_start: int | None = None
) -> list[list[tuple[int, int]]]:
    """For every ``k`` in ``1..min(max_chunks, len(costs))``, the split of calls ``0..n-1``
    into ``k`` contiguous inclusive ranges whose largest total cost is smallest, no range
    starting after ``max_start`` (one exact dynamic programme for all ``k``). Element ``k - 1``
    holds ``k`` ranges; counts that cannot be had are left out."""
    n = len(costs)
    if n == 0:
        raise ValueError("a scene without animations cannot be split")
    top = max(1, min(max_chunks, n))
    prefix = [0.0]
    for c in costs:
        prefix.append(prefix[-1] + c)
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(top + 1)]
    cut = [[0] * (n + 1) for _ in range(top + 1)]
    best[0][0] = 0.0
    last_start = n if max_start is None else max_start
    for k in range(1, top + 1):
        for i in range(k, n + 1):
            for j in range(k - 1, min(i, last_start + 1)):
                value = max(best[k - 1][j], prefix[i] - prefix[j])
                if value < best[k][i]:
                    best[k][i], cut[k][i] = value, j
    out = []
    for chunks in range(1, top + 1):
        if best[chunks][n] == inf:
            continue
        ranges, i = [], n
        for k in range(chunks, 0, -1):
            j = cut[k][i]
            ranges.append((j, i - 1))
            i = j
        out.append(ranges[::-1])
    return out


def safe_starts(ranges: Sequence[tuple[int, int]], dt_from: int | None) -> bool:
    """True when no chunk starts after the first call that ran with a time-based updater."""
    return dt_from is None or all(start <= dt_from for start, _ in ranges)


# -- The planner -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SceneProfile:
    """A scene's measured costs: ``setup`` seconds (process start, imports, everything but
    the calls) and one cost per ``play``/``wait`` call (from the end of the previous call to
    the end of this one: its own ``construct()`` code included), with its frame count.
    ``dt_from`` is the first call with a time-based updater; ``splittable`` is false once a
    split of the scene failed its seam check."""

    setup: float
    costs: tuple[float, ...]
    frames: tuple[int, ...] = ()
    dt_from: int | None = None
    splittable: bool = True
    skip_ratio: float = DEFAULT_SKIP_RATIO

    @property
    def seconds(self) -> float:
        """The whole scene's estimated render time."""
        return self.setup + sum(self.costs)

    def chunk_seconds(self, start: int, end: int) -> float:
        """Estimated time of the chunk rendering calls ``start..end`` (the call before it is
        rendered too, for the seam check)."""
        extra = self.costs[start - 1] if start > 0 else 0.0
        skipped = sum(self.costs[: max(0, start - 1)])
        return self.setup + self.skip_ratio * skipped + extra + sum(self.costs[start : end + 1])

    def chunk_frames(self, start: int, end: int) -> int | None:
        """Frames the chunk writes, if the profile knows them."""
        return sum(self.frames[start : end + 1]) if self.frames else None

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the cache entry's ``profile.json``."""
        return {
            "setup": self.setup,
            "costs": list(self.costs),
            "frames": list(self.frames),
            "dt_from": self.dt_from,
            "splittable": self.splittable,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SceneProfile:
        """Inverse of :meth:`to_json`."""
        return cls(
            float(data["setup"]),
            tuple(float(c) for c in data["costs"]),
            tuple(int(f) for f in data.get("frames", ())),
            data.get("dt_from"),
            bool(data.get("splittable", True)),
        )

    @classmethod
    def from_calls(cls, total_seconds: float, calls: Sequence[Mapping[str, Any]]) -> SceneProfile:
        """From a whole render's wall time and the frame hook's records of its calls."""
        ends = [float(c["end"]) for c in calls]
        costs = [max(0.0, e - s) for s, e in zip([0.0, *ends[:-1]], ends, strict=True)]
        return cls(
            max(0.0, total_seconds - sum(costs)),
            tuple(costs),
            tuple(int(c["frames"]) for c in calls),
            calls[0].get("dt_from") if calls else None,
        )


@dataclass
class Plan:
    """Chunks per scene (inclusive call ranges), their estimated times and the makespan of
    longest-first list scheduling on ``workers``."""

    workers: int
    ranges: dict[str, list[tuple[int, int]]]
    seconds: dict[str, list[float]] = field(default_factory=dict)
    makespan: float = 0.0

    @property
    def chunks(self) -> int:
        """How many jobs the plan makes."""
        return sum(len(r) for r in self.ranges.values())


def lpt_makespan(durations: Sequence[float], workers: int) -> float:
    """Makespan of longest-processing-time-first list scheduling on ``workers``."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    loads = [0.0] * workers
    for d in sorted(durations, reverse=True):
        heapq.heappush(loads, heapq.heappop(loads) + d)
    return max(loads) if durations else 0.0


def plan_splits(
    profiles: Mapping[str, SceneProfile], workers: int, max_chunks: int | None = None
) -> Plan:
    """Choose how many chunks each scene gets so that the makespan on ``workers`` is smallest.

    For each scene and chunk count ``k`` (up to ``max_chunks``, default ``workers``; one call
    at least per chunk; never past ``dt_from``; one chunk for a scene not ``splittable``) the
    best contiguous split and its longest chunk time are computed once. Each of those times,
    taken as a limit, gives every scene the fewest chunks whose longest fits; the limit whose
    longest-first schedule is shortest wins (ties: fewer chunks). A chunk repeats its scene's
    setup and skips what precedes it, so a scene is split only where idle workers turn that
    into a shorter render.
    """
    limit = max_chunks or workers
    options: dict[str, list[tuple[list[tuple[int, int]], list[float]]]] = {}
    for key, profile in profiles.items():
        candidates = [[(0, max(0, len(profile.costs) - 1))]]
        if profile.splittable and len(profile.costs) > 1:
            weights = [c * (1 + profile.skip_ratio) for c in profile.costs]
            candidates = partitions(weights, limit, profile.dt_from)
        options[key] = [
            (ranges, [profile.chunk_seconds(a, b) for a, b in ranges]) for ranges in candidates
        ]
    limits = sorted({max(times) for opts in options.values() for _, times in opts})
    best: Plan | None = None
    for limit_seconds in limits:
        ranges_by_key, seconds_by_key = {}, {}
        for key, opts in options.items():
            fitting = [o for o in opts if max(o[1]) <= limit_seconds + 1e-9]
            ranges, times = fitting[0] if fitting else min(opts, key=lambda o: max(o[1]))
            ranges_by_key[key], seconds_by_key[key] = ranges, times
        durations = [t for times in seconds_by_key.values() for t in times]
        plan = Plan(workers, ranges_by_key, seconds_by_key, lpt_makespan(durations, workers))
        if best is None or (plan.makespan, plan.chunks) < (best.makespan - 1e-9, best.chunks):
            best = plan
    return best if best is not None else Plan(workers, {})


def simulate(
    profiles: Mapping[str, SceneProfile], workers: Sequence[int] = (1, 2, 4, 8, 16)
) -> list[dict[str, float]]:
    """Makespans per worker count: whole scenes longest first, with :func:`plan_splits`, and
    the lower bound ``max(total / W, the longest single call + its scene's setup)``."""
    rows = []
    whole = [p.seconds for p in profiles.values()]
    floor = max(p.setup + max(p.costs, default=0.0) for p in profiles.values())
    for w in workers:
        plan = plan_splits(profiles, w)
        rows.append(
            {
                "workers": w,
                "unsplit": lpt_makespan(whole, w),
                "split": plan.makespan,
                "chunks": plan.chunks,
                "lower_bound": max(sum(whole) / w, floor),
            }
        )
    return rows


# -- Seams and joining ------------------------------------------------------------------------


def chunk_argument(ranges: Sequence[tuple[int, int]], k: int) -> tuple[str, int | None]:
    """Manim's ``-n`` value for chunk ``k`` and the call it renders without writing (the
    previous chunk's last, for the seam check); the last chunk's range is open-ended."""
    start, end = ranges[k]
    end = OPEN_END if k == len(ranges) - 1 else end
    if k == 0:
        return f"0,{end}", None
    return f"{start - 1},{end}", start - 1


def check_seams(
    ranges: Sequence[tuple[int, int]], chunk_calls: Sequence[Sequence[Mapping[str, Any]]]
) -> str | None:
    """``None`` when every chunk started from the state the previous one ended in (the digest
    of the call they share is equal), else what differs."""
    for k in range(1, len(ranges)):
        shared = ranges[k][0] - 1
        mine = _digest(chunk_calls[k], shared)
        theirs = _digest(chunk_calls[k - 1], shared)
        if mine is None or theirs is None:
            return f"chunk {k + 1}: no record of call {shared} (the scene has changed?)"
        if mine != theirs:
            return f"chunk {k + 1} does not start from the state chunk {k} ended in"
    return None


def _digest(calls: Sequence[Mapping[str, Any]], index: int) -> str | None:
    return next((c.get("digest") for c in calls if c.get("index") == index), None)


def join_sections(chunk_dirs: Sequence[Path], output_dir: Path, index_name: str) -> list[dict]:
    """Join the section pieces the chunks wrote (Manim's ``sections/<index_name>`` and its
    MP4s) into one file per section in ``output_dir``, with an index in Manim's format.

    A section that several chunks rendered has a piece (same file name) in each; the pieces
    are joined in chunk order by stream copy. Frame counts and durations are recounted.
    """
    import av

    from lecturekit.video.stitch import stitch

    pieces: dict[str, list[Path]] = {}
    meta: dict[str, dict] = {}
    for folder in chunk_dirs:
        index = Path(folder) / index_name
        if not index.exists():
            continue
        for entry in json.loads(index.read_text(encoding="utf-8")):
            pieces.setdefault(entry["video"], []).append(Path(folder) / entry["video"])
            meta.setdefault(entry["video"], dict(entry))
    output_dir.mkdir(parents=True, exist_ok=True)
    joined = []
    for video in sorted(pieces):  # Manim names them <Scene>_<NNNN>_<name>: in order
        target = output_dir / video
        stitch(pieces[video], target)
        entry = meta[video]
        with av.open(str(target)) as container:
            stream = container.streams.video[0]
            frames = sum(1 for p in container.demux(stream) if p.size)
            rate = stream.base_rate or stream.average_rate
        entry["nb_frames"] = str(frames)
        entry["duration"] = f"{float(frames / rate):.6f}" if rate else "0"
        joined.append(entry)
    (output_dir / index_name).write_text(json.dumps(joined, indent=4), encoding="utf-8")
    return joined
