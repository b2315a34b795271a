"""``make bench``: measure the render pipeline on this machine and write BENCHMARKS.md.

    python tools/bench.py [--runs 3] [--high-runs 1] [--scene NAME ...] [--output FILE]
                          [--speech-runs 3] [--narrated-runs 1] [--narration-only]
                          [--frames] [--frame-quality medium --frame-quality high]

A developer tool, not part of the kit: it drives ``render.py`` and the plain Manim CLI as a
lecturer would, and reads the results through the kit's own API (targets, the scene cache).
Everything runs on a snapshot of the working tree (``scenes/``, ``lecturekit/``,
``render.py``, ``assets/`` copied to a temporary folder) with its own media folder: the scenes cannot change
under the benchmark while others edit them, and "touch one scene" edits the copy. Each timed
full render starts from an empty media folder (no cache, no LaTeX files), for ours and for plain
Manim alike. Rounds interleave the three full renders (``--jobs 1``, ``--jobs 2``, plain Manim)
so that a change in the machine's load hits all three alike.

Measured, each as median, min and max of the runs:

- full video at low quality: ``render.py --jobs 1`` and ``--jobs 2`` (cold), and the plain
  Manim CLI rendering the same scenes one after the other (``manim render -ql file Scene``);
- per-scene render time (from the ``--jobs 1`` runs, when scenes do not compete for cores);
- a re-run with nothing changed, a re-run after editing one scene (the one of median length);
- the stitch (stream copy) and the check of the stitched video;
- frames rendered per second per core;
- with ``--high-runs``: the same full render at high quality with ``--jobs 2``, its per-scene
  times, nothing-changed re-run and stitch.

A profile (cProfile of one scene's render, in-process) says where render time goes.

Per-frame cost (``tools/frame_cost.py``): each scene's milliseconds per frame at 720p30 and
1080p60 against the floor (a static frame held, rendered the same way in the same session),
and where the heaviest scenes' frames spend their time; ``--frames`` measures just these
(into ``BENCHMARKS-frames.md``).

Narration (``tools/bench_narration.py``): the cold synthesis of the whole lecture's narration
(``--speech-runs``) and the narrated full render against the silent one (``--narrated-runs``);
``--narration-only`` measures just these (one silent ``--jobs 2`` render for the comparison)
into ``BENCHMARKS-narration.md``.
"""

from __future__ import annotations

import io
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import click
from bench_narration import NarrationReport, measure_speech  # tools/, beside this script
from frame_cost import measure as measure_frame_cost  # tools/, beside this script

from lecturekit.assets import source_commit
from lecturekit.atomic import write_text_atomic
from lecturekit.deck import Deck, SceneSpec, load_deck
from lecturekit.narration.voice import Narration, Voice
from lecturekit.render.cache import SceneCache
from lecturekit.render.qualities import QUALITIES
from lecturekit.render.target import Target

REPO_ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_ITEMS = ("scenes", "lecturekit", "render.py", "assets", "manim.cfg")
TARGET_PARALLEL_SPEEDUP = 1.7
TARGET_UNCHANGED_SECONDS = 5.0
TARGET_ONE_SCENE_FACTOR = 1.2
TARGET_STITCH_HIGH_SECONDS = 2.0


@dataclass
class Sample:
    """Repeated measurements of one quantity, in seconds (or any unit)."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median of the runs."""
        return statistics.median(self.values)

    def cell(self, digits: int = 1) -> str:
        """``median (min-max, n runs)`` for a table."""
        if not self.values:
            return "not measured"
        if len(self.values) == 1:
            return f"{self.values[0]:.{digits}f} (1 run)"
        return (
            f"{self.median:.{digits}f} ({min(self.values):.{digits}f}-"
            f"{max(self.values):.{digits}f}, {len(self.values)} runs)"
        )


class Bench:
    """One benchmark session on a snapshot of the working tree."""

    def __init__(self, specs: Sequence[SceneSpec], log: Callable[[str], None]) -> None:
        self.log = log
        self.tmp = Path(tempfile.mkdtemp(prefix="vae-bench-"))
        self.tree = self.tmp / "tree"
        self.tree.mkdir()
        for item in SNAPSHOT_ITEMS:
            source = REPO_ROOT / item
            if source.is_dir():
                shutil.copytree(
                    source, self.tree / item, ignore=shutil.ignore_patterns("__pycache__")
                )
            elif source.exists():
                shutil.copy2(source, self.tree / item)
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self._count = 0
        # The snapshot's own deck, so the renders and the reads agree on every path.
        self.deck: Deck = load_deck(self.tree / "scenes")
        self.specs = [self.deck.by_class_name(s.class_name) for s in specs]

    def target(self, quality: str, media: Path) -> Target:
        """The whole lecture at ``quality`` into ``media`` (the selection's cache is shared)."""
        return Target(self.deck, quality, media_dir=media)

    def close(self) -> None:
        """Remove the snapshot and its media."""
        shutil.rmtree(self.tmp, ignore_errors=True)

    def scene_args(self) -> list[str]:
        """``--scene`` options selecting the benchmarked scenes."""
        return [a for s in self.specs for a in ("--scene", s.class_name)]

    def render_command(
        self, quality: str, jobs: int, media: Path, narration: bool = False
    ) -> list[str]:
        """The ``render.py`` call (run inside the snapshot)."""
        return [
            sys.executable,
            "render.py",
            "--quality",
            quality,
            "--jobs",
            str(jobs),
            "--media-dir",
            str(media),
            *self.scene_args(),
            *(["--narration"] if narration else []),
        ]

    def timed(self, command: list[str]) -> float:
        """Run ``command`` in the snapshot; return its wall time; fail loudly if it fails."""
        self._count += 1
        log = self.logs / f"{self._count:03d}.log"
        start = time.perf_counter()
        with log.open("w") as out:
            proc = subprocess.run(
                command, cwd=self.tree, stdout=out, stderr=subprocess.STDOUT, check=False
            )
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            tail = "".join(log.read_text(errors="replace").splitlines(True)[-15:])
            raise click.ClickException(f"benchmark step failed: {' '.join(command)}\n{tail}")
        return seconds

    def plain_manim(self, quality: str, media: Path) -> float:
        """Plain Manim CLI, scene after scene, default options: total wall time."""
        total = 0.0
        for spec in self.specs:
            total += self.timed(
                [
                    sys.executable,
                    "-m",
                    "manim",
                    "render",
                    f"-q{QUALITIES[quality].flag}",
                    "--media_dir",
                    str(media),
                    "--progress_bar",
                    "none",
                    "--silent",
                    str(spec.path),
                    spec.class_name,
                ]
            )
        return total

    def fresh_media(self, name: str) -> Path:
        """An emptied media folder: no cache, no LaTeX output. Only the render times measured
        by the previous run in it are kept, as any lecturer's media folder keeps them: they
        are the scheduler's input (longest scene first)."""
        media = self.tmp / name
        times = self.target("low", media).render_times
        kept = times.read_bytes() if times.exists() else None
        shutil.rmtree(media, ignore_errors=True)
        if kept is not None:
            times.parent.mkdir(parents=True)
            times.write_bytes(kept)
        return media


def _cold_render(
    bench: Bench, quality: str, jobs: int, name: str, total: Sample, per_scene: dict[str, Sample]
) -> dict[str, int]:
    """Time one render into an empty media folder ``name``; add the scenes' own render
    times to ``per_scene``; return the scenes' frame counts."""
    media = bench.fresh_media(name)
    total.values.append(bench.timed(bench.render_command(quality, jobs, media)))
    cache = SceneCache(bench.target(quality, media))
    for key, seconds in cache.render_times().get(quality, {}).items():
        per_scene.setdefault(key, Sample()).values.append(seconds)
    frames = {}
    for spec in bench.specs:
        entry = cache.entry(spec)
        if entry is not None:
            frames[spec.key] = entry.video.frames
    return frames


def _stitch_times(bench: Bench, media: Path, quality: str, runs: int) -> tuple[Sample, Sample]:
    """Stream-copy stitch and the stitched-video check, in this process, ``runs`` times."""
    from lecturekit.build import chapters_for
    from lecturekit.render.result import RenderResult
    from lecturekit.video.stitch import stitch
    from lecturekit.video.validate import check_stitched

    cache = SceneCache(bench.target(quality, media))
    results = [
        RenderResult.from_entry(spec, cache.entry(spec), media / "unused.log")
        for spec in bench.specs
    ]
    chapters = chapters_for(results)
    stitch_s, check_s = Sample(), Sample()
    out = media / "bench-stitch.mp4"
    for _ in range(runs):
        t = time.perf_counter()
        stitch([r.video for r in results], out, chapters)
        stitch_s.values.append(time.perf_counter() - t)
        t = time.perf_counter()
        check_stitched(out, [r.facts for r in results], quality)
        check_s.values.append(time.perf_counter() - t)
    out.unlink()
    return stitch_s, check_s


_PROFILE_SCRIPT = """
import cProfile, sys
from manim.__main__ import main
profile = cProfile.Profile()
profile.enable()
try:
    main.main(args=sys.argv[2:], prog_name="manim", standalone_mode=False)
except SystemExit:
    pass
profile.disable()
profile.dump_stats(sys.argv[1])
"""


def profile_scene(bench: Bench, spec: SceneSpec, quality: str, top: int = 14) -> str:
    """cProfile of one scene rendered in-process by Manim's CLI: the top functions by own
    time, as a Markdown code block."""
    profile = bench.tmp / "scene.prof"
    manim_args = [
        "render",
        f"-q{QUALITIES[quality].flag}",
        "--media_dir",
        str(bench.tmp / "profile"),
        "--progress_bar",
        "none",
        "--silent",
        "--disable_caching",
        str(spec.path),
        spec.class_name,
    ]
    bench.timed([sys.executable, "-c", _PROFILE_SCRIPT, str(profile), *manim_args])
    stream = io.StringIO()
    stats = pstats.Stats(str(profile), stream=stream)
    stats.sort_stats("tottime").print_stats(top)
    lines = [ln for ln in stream.getvalue().splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if "ncalls" in ln)
    total = next((ln for ln in lines if "function calls" in ln), "").strip()
    return "\n".join(["```", total, *lines[start : start + top + 1], "```"])


def _git_state() -> str:
    state = source_commit(REPO_ROOT, SNAPSHOT_ITEMS, short=True)
    return state.removesuffix("-dirty") + (
        " + uncommitted changes" if state.endswith("-dirty") else ""
    )


class Budget:
    """The session's time limit: a step runs only if its expected duration still fits."""

    def __init__(self, minutes: float | None) -> None:
        self.deadline = time.monotonic() + 60 * minutes if minutes else None

    def fits(self, seconds: float) -> bool:
        """True when a step expected to take ``seconds`` ends before the deadline."""
        return self.deadline is None or time.monotonic() + seconds <= self.deadline


def run_benchmark(
    specs: Sequence[SceneSpec],
    runs: int,
    high_runs: int,
    output: Path,
    minutes: float | None = None,
    log: Callable[[str], None] = print,
    speech_runs: int = 3,
    narrated_runs: int = 1,
    narration_only: bool = False,
    frames_only: bool = False,
    frame_qualities: Sequence[str] = ("medium", "high"),
) -> None:
    """Measure and write ``output``, rewritten after each part so that a session cut short
    still leaves its numbers.

    Order: one full low-quality round (always); the re-runs, stitch and profile (cheap, on
    that round's media); the remaining rounds; high quality; narration last. With
    ``minutes``, a step after the first round runs only if its expected duration (from the
    first round) fits in the budget; what did not fit is listed in the report.
    ``narration_only``: only the narration part (see the module docstring).
    """
    bench = Bench(specs, log)
    budget = Budget(minutes)
    report = Report(specs, runs, high_runs, _git_state(), minutes=minutes)
    report.narration_only = narration_only
    report.frames_only = frames_only
    try:
        if frames_only:
            _measure_frames(bench, report, frame_qualities, log, output)
            return
        if narration_only:
            _measure_narration(bench, report, speech_runs, narrated_runs, log, output)
            return
        for kind in ROUND:
            _cold_low(bench, report, kind, 1, runs, log)
        report.load.append(os.getloadavg()[0])
        write_text_atomic(output, report.markdown())
        _low_reruns(bench, report, runs, budget, log, output)
        # The longest scene bounds a parallel render: profile it, or the typical one if the
        # longest does not fit in the budget.
        longest = max(specs, key=lambda s: report.scene_low[s.key].median)
        for candidate in dict.fromkeys([longest, report.touched]):
            expected = 1.6 * report.scene_low[candidate.key].median  # cProfile's slow-down
            if budget.fits(expected):
                log(f"profiling {candidate.class_name} at low quality")
                report.profile = (candidate, profile_scene(bench, candidate, "low"))
                break
            report.skipped.append(f"the profile of {candidate.class_name} (~{expected:.0f} s)")
        write_text_atomic(output, report.markdown())
        for k in range(2, runs + 1):
            ran = False
            for kind in ROUND:
                expected = 1.1 * report.sample(kind).median
                if budget.fits(expected):
                    _cold_low(bench, report, kind, k, runs, log)
                    ran = True
                else:
                    report.skipped.append(f"round {k}: {kind} (~{expected:.0f} s)")
            if ran:
                report.load.append(os.getloadavg()[0])
            write_text_atomic(output, report.markdown())
        if high_runs:
            expected = 5 * report.full_j2.median * high_runs  # 1080p60 vs 480p15, measured ~4.5x
            if budget.fits(expected):
                _measure_high(bench, report, high_runs, log, output)
            else:
                report.skipped.append(
                    f"high quality, {high_runs} full render(s) with --jobs 2 "
                    f"(~{expected / 60:.0f} min)"
                )
        write_text_atomic(output, report.markdown())
        if frame_qualities:
            # Estimates: ~5x (720p30) and ~15x (1080p60) the low-quality --jobs 1 render, plus
            # profiles, plus a floor after every scene (13 x 50 s held: ~3 min at 720p30,
            # ~20 min at 1080p60 on a 2-core machine).
            factor = sum({"medium": 7.0, "high": 22.0}.get(q, 22.0) for q in frame_qualities)
            expected = factor * report.full_j1.median
            if budget.fits(expected):
                _measure_frames(bench, report, frame_qualities, log, output)
            else:
                report.skipped.append(f"the per-frame cost (~{expected / 60:.0f} min)")
        if speech_runs or narrated_runs:
            expected = 1.3 * report.full_j2.median * narrated_runs + 60 * speech_runs
            if budget.fits(expected):
                _measure_narration(bench, report, speech_runs, narrated_runs, log, output)
            else:
                report.skipped.append(f"narration (~{expected / 60:.0f} min)")
                write_text_atomic(output, report.markdown())
    finally:
        bench.close()
    log(f"wrote {output}")


def _measure_frames(
    bench: Bench,
    report: Report,
    qualities: Sequence[str],
    log: Callable[[str], None],
    output: Path,
) -> None:
    """The per-scene cost per frame against the floor, on the benchmark's snapshot."""
    tables = measure_frame_cost(bench.specs, qualities, bench.tree, profile=3, runs=1, log=log)
    report.frame_tables = [
        "## Per-frame cost",
        "",
        "Each scene rendered alone by `manim render` with the pipeline's flags, timed around "
        "`Scene.render` (LaTeX not counted); the floor is a static frame (Axes, a long `MathTex`, one "
        "curve) held for 50 s, rendered the same way in the same session, before the first "
        "scene and after each; a scene's ratio is to the floors beside it "
        "(`tools/frame_cost.py`).",
        "",
        *(t.markdown() for t in tables),
    ]
    write_text_atomic(output, report.markdown())


def _measure_narration(
    bench: Bench,
    report: Report,
    speech_runs: int,
    narrated_runs: int,
    log: Callable[[str], None],
    output: Path,
) -> None:
    """Cold synthesis of the lecture's narration, then the narrated full render (cold, then
    nothing changed) against the silent ``--jobs 2`` renders of this session (one is made
    when there are none)."""
    narration = report.narration
    if speech_runs:
        measure_speech(narration, bench.specs, bench.tmp / "speech", speech_runs, log)
        write_text_atomic(output, report.markdown())
    if not narrated_runs:
        return
    if not report.full_j2.values:
        log("[narration] silent render.py --jobs 2 (cold), for the comparison")
        _cold_render(bench, "low", 2, "low-j2", report.full_j2, {})
    narration.silent_render = list(report.full_j2.values)
    media = bench.tmp / "low-narrated"
    for k in range(narrated_runs):
        log(f"[narration {k + 1}/{narrated_runs}] render.py --jobs 2 --narration (cold)")
        media = bench.fresh_media("low-narrated")
        narration.narrated_render.append(
            bench.timed(bench.render_command("low", 2, media, narration=True))
        )
        write_text_atomic(output, report.markdown())
    for k in range(3):
        log(f"[narration] nothing changed, re-run {k + 1}/3")
        narration.narrated_unchanged.append(
            bench.timed(bench.render_command("low", 2, media, narration=True))
        )
    from lecturekit.video.stitch import video_duration

    narrated = replace(bench.target("low", media), narration=Narration(Voice.default()))
    narration.narrated_seconds_of_video = video_duration(narrated.video)
    silent = bench.target("low", bench.tmp / "low-j2").video
    narration.silent_seconds_of_video = video_duration(silent)
    write_text_atomic(output, report.markdown())


ROUND = ("--jobs 1", "--jobs 2", "plain Manim")


def _cold_low(
    bench: Bench, report: Report, kind: str, k: int, runs: int, log: Callable[[str], None]
) -> None:
    """One cold low-quality render of the whole selection: ours (``--jobs 1``/``2``) or plain
    Manim scene after scene."""
    log(f"[low round {k}/{runs}] {kind} (cold)")
    if kind == "--jobs 1":
        report.frames_low = _cold_render(
            bench, "low", 1, "low-j1", report.full_j1, report.scene_low
        )
    elif kind == "--jobs 2":
        _cold_render(bench, "low", 2, "low-j2", report.full_j2, {})
    else:
        report.plain.values.append(bench.plain_manim("low", bench.fresh_media("plain")))


def _low_reruns(
    bench: Bench,
    report: Report,
    runs: int,
    budget: Budget,
    log: Callable[[str], None],
    output: Path,
) -> None:
    """Re-runs on the --jobs 2 round's media: nothing changed; one scene edited (the scene of
    median render time: a typical edit); then the stitch and its check in-process."""
    media = bench.tmp / "low-j2"
    for k in range(runs):
        log(f"[low] nothing changed, re-run {k + 1}/{runs}")
        report.unchanged_low.values.append(bench.timed(bench.render_command("low", 2, media)))
    by_time = sorted(bench.specs, key=lambda s: report.scene_low[s.key].median)
    touched = report.touched = by_time[len(by_time) // 2]
    source = touched.path
    for k in range(runs):
        expected = report.scene_low[touched.key].median + report.unchanged_low.median
        if k and not budget.fits(expected):
            report.skipped.append(f"edited-scene re-run {k + 1} (~{expected:.0f} s)")
            continue
        log(f"[low] {touched.class_name} edited, re-run {k + 1}/{runs}")
        source.write_text(source.read_text() + f"\n# benchmark edit {k}\n")
        report.one_changed.values.append(bench.timed(bench.render_command("low", 2, media)))
        times = SceneCache(bench.target("low", media)).render_times()
        report.one_changed_scene.values.append(times["low"][touched.key])
    log("[low] stitch and check, in-process")
    report.stitch_low, report.check_low = _stitch_times(bench, media, "low", max(runs, 5))
    write_text_atomic(output, report.markdown())


def _measure_high(
    bench: Bench, report: Report, runs: int, log: Callable[[str], None], output: Path
) -> None:
    media = bench.tmp / "high"
    for k in range(1, runs + 1):
        log(f"[high round {k}/{runs}] render.py --jobs 2 (cold)")
        report.frames_high = _cold_render(
            bench, "high", 2, "high", report.full_high_j2, report.scene_high
        )
        write_text_atomic(output, report.markdown())
    for k in range(3):
        log(f"[high] nothing changed, re-run {k + 1}/3")
        report.unchanged_high.values.append(bench.timed(bench.render_command("high", 2, media)))
    log("[high] stitch and check, in-process")
    report.stitch_high, report.check_high = _stitch_times(bench, media, "high", 5)
    write_text_atomic(output, report.markdown())


@dataclass
class Report:
    """The numbers of one benchmark session and their Markdown rendering."""

    specs: Sequence[SceneSpec]
    runs: int
    high_runs: int
    git: str
    full_j1: Sample = field(default_factory=Sample)
    full_j2: Sample = field(default_factory=Sample)
    plain: Sample = field(default_factory=Sample)
    scene_low: dict[str, Sample] = field(default_factory=dict)
    scene_high: dict[str, Sample] = field(default_factory=dict)
    frames_low: dict[str, int] = field(default_factory=dict)
    frames_high: dict[str, int] = field(default_factory=dict)
    unchanged_low: Sample = field(default_factory=Sample)
    unchanged_high: Sample = field(default_factory=Sample)
    one_changed: Sample = field(default_factory=Sample)
    one_changed_scene: Sample = field(default_factory=Sample)  # its render inside the re-run
    touched: SceneSpec | None = None
    stitch_low: Sample = field(default_factory=Sample)
    check_low: Sample = field(default_factory=Sample)
    stitch_high: Sample = field(default_factory=Sample)
    check_high: Sample = field(default_factory=Sample)
    full_high_j2: Sample = field(default_factory=Sample)
    load: list[float] = field(default_factory=list)
    profile: tuple[SceneSpec, str] | None = None
    minutes: float | None = None
    skipped: list[str] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now().strftime("%Y-%m-%d %H:%M"))
    narration: NarrationReport = field(default_factory=NarrationReport)
    narration_only: bool = False
    frame_tables: list[str] = field(default_factory=list)
    frames_only: bool = False

    def sample(self, kind: str) -> Sample:
        """The full-render sample of one kind of :data:`ROUND`."""
        return {"--jobs 1": self.full_j1, "--jobs 2": self.full_j2, "plain Manim": self.plain}[kind]

    def _scene_arg(self) -> str:
        if len(self.specs) == len(self.specs[0].deck.scenes):
            return ""
        return " " + " ".join(f"--scene {s.class_name}" for s in self.specs)

    def markdown(self) -> str:  # noqa: C901 (one linear document)
        """BENCHMARKS.md."""
        cores = os.cpu_count() or 1
        if self.narration_only:
            head = [
                "# Narration benchmarks",
                "",
                f"Measured by `python tools/bench.py --narration-only` on {self.started}, "
                f"commit {self.git}: {platform.platform()}, {cores} cores, Python "
                f"{platform.python_version()}. The machine is shared; the 1-minute load "
                "average before each synthesis run is in its row.",
                "",
            ]
            return "\n".join(head + self.narration.markdown()) + "\n"
        if self.frames_only:
            head = [
                "# Per-frame cost",
                "",
                f"Measured by `python tools/bench.py --frames` on {self.started}, commit "
                f"{self.git}: {platform.platform()}, {cores} cores, Python "
                f"{platform.python_version()}.",
                "",
            ]
            return "\n".join(head + self.frame_tables) + "\n"
        scenes = self._scene_arg()
        lines = [
            "# Render benchmarks",
            "",
            f"Measured by `make bench` (`python tools/bench.py --runs {self.runs} "
            f"--high-runs {self.high_runs}"
            f"{f' --minutes {self.minutes:g}' if self.minutes else ''}`) on {self.started}, "
            f"commit {self.git}: "
            f"{platform.platform()}, {cores} cores, Python {platform.python_version()}. "
            f"{len(self.specs)} scenes. Every number is the median of the runs, with min-max.",
            "The machine is shared with other engineers; the 1-minute load average after each "
            f"low-quality round was {', '.join(f'{x:.1f}' for x in self.load) or 'n/a'}.",
            "Full renders start cold (emptied media folder: no cache, no LaTeX output) for ours "
            "and plain Manim alike, and the three are interleaved round by round; our scheduler "
            "keeps the render times of the previous round (in the first round it has none and "
            "starts the longest source files first).",
            "",
            "## Full video, low quality (480p15)",
            "",
            "| What | Command | Wall time, s |",
            "|---|---|---|",
            f"| Ours, one process at a time | `render.py -q low --jobs 1 --media-dir <empty>{scenes}` | "
            f"{self.full_j1.cell()} |",
            f"| Ours, parallel | `render.py -q low --jobs 2 --media-dir <empty>{scenes}` | "
            f"{self.full_j2.cell()} |",
            "| Plain Manim CLI, scene after scene | `manim render -ql --progress_bar none "
            f"--silent scenes/<file>.py <Scene>` for each scene | {self.plain.cell()} |",
            f"| Nothing changed | `render.py -q low --jobs 2{scenes}` again | "
            f"{self.unchanged_low.cell(2)} |",
        ]
        if self.touched is not None:
            lines.append(
                f"| One scene changed ({self.touched.class_name}, its module edited) | "
                f"same | {self.one_changed.cell()} |"
            )
            lines.append(
                f"| ... of which {self.touched.class_name}'s own render (warm LaTeX "
                f"folder, as after any edit) | | {self.one_changed_scene.cell()} |"
            )
        lines += [
            f"| Stitch (stream copy, in-process) | `lecturekit.video.stitch.stitch` | "
            f"{self.stitch_low.cell(3)} |",
            f"| Check of the stitched video | `lecturekit.video.validate.check_stitched` | "
            f"{self.check_low.cell(3)} |",
            "",
        ]
        if self.skipped:
            lines += [
                f"Not measured, as it would not have ended within the {self.minutes:g}-"
                "minute budget of this session (estimated from the first round):",
                "",
                *(f"- {step}" for step in self.skipped),
                "",
            ]
        lines += self._ratios(cores)
        lines += self._per_scene()
        lines += self._high()
        lines += self.frame_tables
        lines += self.narration.markdown()
        if self.profile is not None:
            spec, table = self.profile
            lines += [
                "## Where render time goes",
                "",
                f"cProfile of `manim render -ql --disable_caching` of {spec.class_name} "
                f"({self.scene_low[spec.key].median:.0f} s to render), in-process, top "
                "functions by own time:",
                "",
                table,
                "",
            ]
        return "\n".join(lines) + "\n"

    def _ratios(self, cores: int) -> list[str]:
        if not (self.full_j1.values and self.full_j2.values and self.plain.values):
            return []
        speedup = self.full_j1.median / self.full_j2.median
        vs_plain = self.plain.median / self.full_j2.median
        frames = sum(self.frames_low.values())
        lines = [
            "## Ratios and targets",
            "",
            "| Target | Measured | Met |",
            "|---|---|---|",
            f"| `--jobs 2` at least {TARGET_PARALLEL_SPEEDUP}x faster than `--jobs 1` | "
            f"{speedup:.2f}x | {_yes(speedup >= TARGET_PARALLEL_SPEEDUP)} |",
            f"| `--jobs 2` faster than plain Manim | {vs_plain:.2f}x | {_yes(vs_plain > 1)} |",
        ]
        if self.unchanged_low.values:
            lines.append(
                f"| Nothing changed under {TARGET_UNCHANGED_SECONDS:.0f} s (low) | "
                f"{self.unchanged_low.median:.2f} s | "
                f"{_yes(self.unchanged_low.median < TARGET_UNCHANGED_SECONDS)} |"
            )
        if self.unchanged_high.values:
            lines.append(
                f"| Nothing changed under {TARGET_UNCHANGED_SECONDS:.0f} s (high) | "
                f"{self.unchanged_high.median:.2f} s | "
                f"{_yes(self.unchanged_high.median < TARGET_UNCHANGED_SECONDS)} |"
            )
        if self.touched is not None and self.one_changed.values and self.stitch_low.values:
            own = self.one_changed_scene.median
            budget = TARGET_ONE_SCENE_FACTOR * own + self.stitch_low.median
            lines.append(
                f"| One scene changed within {TARGET_ONE_SCENE_FACTOR}x its render "
                f"({own:.1f} s, measured inside the same re-runs) + stitch | "
                f"{self.one_changed.median:.1f} s (budget {budget:.1f} s; ratio "
                f"{self.one_changed.median / own:.2f}x) | "
                f"{_yes(self.one_changed.median <= budget)} |"
            )
        if self.stitch_high.values:
            lines.append(
                f"| Stitch of the full high-quality video under "
                f"{TARGET_STITCH_HIGH_SECONDS:.0f} s | {self.stitch_high.median:.3f} s | "
                f"{_yes(self.stitch_high.median < TARGET_STITCH_HIGH_SECONDS)} |"
            )
        lines += [
            "",
            f"Frames rendered per second per core (low): {frames} frames / "
            f"{self.full_j1.median:.1f} s with `--jobs 1` = "
            f"**{frames / self.full_j1.median:.1f}**; with `--jobs 2`: "
            f"{frames / self.full_j2.median / 2:.1f} per core "
            f"({frames / self.full_j2.median:.1f} in all); plain Manim: "
            f"{frames / self.plain.median:.1f}.",
            "",
        ]
        return lines

    def _per_scene(self) -> list[str]:
        if not self.scene_low:
            return []
        high = bool(self.scene_high)
        lines = [
            "## Per scene",
            "",
            "Low: from the `--jobs 1` runs (one scene at a time, no competition for a "
            "core). High: from the `--jobs 2` run(s), two scenes sharing two cores."
            if high
            else "From the `--jobs 1` runs (one scene at a time).",
            "",
            "| Scene | Frames (low) | Render, low, s |" + (" Render, high, s |" if high else ""),
            "|---|---|---|" + ("---|" if high else ""),
        ]
        for spec in self.specs:
            low = self.scene_low.get(spec.key, Sample())
            row = f"| {spec.key} | {self.frames_low.get(spec.key, '')} | {low.cell()} |"
            if high:
                row += f" {self.scene_high.get(spec.key, Sample()).cell()} |"
            lines.append(row)
        return [*lines, ""]

    def _high(self) -> list[str]:
        if not self.full_high_j2.values:
            why = (
                "it did not fit in the time budget (see above)"
                if self.high_runs
                else "`--high-runs 0`"
            )
            return ["## High quality (1080p60)", "", f"Not measured in this session: {why}.", ""]
        frames = sum(self.frames_high.values())
        return [
            "## High quality (1080p60)",
            "",
            "| What | Wall time, s |",
            "|---|---|",
            f"| `render.py -q high --jobs 2 --media-dir <empty>` (cold) | {self.full_high_j2.cell()} |",
            f"| Nothing changed, re-run | {self.unchanged_high.cell(2)} |",
            f"| Stitch (stream copy) | {self.stitch_high.cell(3)} |",
            f"| Check of the stitched video | {self.check_high.cell(3)} |",
            "",
            f"{frames} frames: {frames / self.full_high_j2.median / 2:.1f} frames per second "
            "per core with `--jobs 2`.",
            "",
        ]


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


@click.command()
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Runs of each low-quality measurement.",
)
@click.option(
    "--high-runs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Cold high-quality renders (--jobs 2); 0 skips high quality.",
)
@click.option(
    "--scene",
    "scene_names",
    multiple=True,
    metavar="NAME",
    help="Benchmark only these scenes (default: all).",
)
@click.option(
    "--minutes",
    type=click.FloatRange(min=1),
    default=None,
    help="Time budget: after the first round, skip what would not end in time.",
)
@click.option(
    "--speech-runs",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Cold syntheses of the whole lecture's narration; 0 skips them.",
)
@click.option(
    "--narrated-runs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Cold narrated full renders (--jobs 2 --narration); 0 skips them.",
)
@click.option(
    "--narration-only",
    is_flag=True,
    help="Measure only the narration (default output: BENCHMARKS-narration.md).",
)
@click.option(
    "--frames",
    "frames_only",
    is_flag=True,
    help="Measure only the per-frame cost (default output: BENCHMARKS-frames.md).",
)
@click.option(
    "--frame-quality",
    "frame_qualities",
    multiple=True,
    type=click.Choice(list(QUALITIES)),
    default=("medium", "high"),
    show_default=True,
    help="Qualities of the per-frame cost table (repeatable).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Default: BENCHMARKS.md (BENCHMARKS-narration.md with --narration-only, "
    "BENCHMARKS-frames.md with --frames).",
)
def main(
    runs: int,
    high_runs: int,
    scene_names: tuple[str, ...],
    minutes: float | None,
    speech_runs: int,
    narrated_runs: int,
    narration_only: bool,
    frames_only: bool,
    frame_qualities: tuple[str, ...],
    output: Path | None,
) -> None:
    """Measure the render pipeline against plain Manim and write BENCHMARKS.md."""
    if output is None:
        name = "BENCHMARKS.md"
        if narration_only:
            name = "BENCHMARKS-narration.md"
        elif frames_only:
            name = "BENCHMARKS-frames.md"
        output = REPO_ROOT / name
    deck = load_deck(REPO_ROOT / "scenes")
    try:
        specs = [deck.by_name(n) for n in scene_names] if scene_names else list(deck.scenes)
    except KeyError as error:
        raise click.BadParameter(error.args[0], param_hint="--scene") from None
    missing = [s.class_name for s in specs if not s.path.exists()]
    if missing:
        raise click.ClickException(f"scene modules missing: {', '.join(missing)}")
    run_benchmark(
        specs,
        runs,
        high_runs,
        output,
        minutes,
        log=lambda line: click.echo(f"{time.strftime('%H:%M:%S')} {line}"),
        speech_runs=speech_runs,
        narrated_runs=narrated_runs,
        narration_only=narration_only,
        frames_only=frames_only,
        frame_qualities=frame_qualities,
    )


if __name__ == "__main__":
    main()
