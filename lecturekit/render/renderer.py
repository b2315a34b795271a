"""Render scenes to MP4 with Manim: cached, in parallel worker processes, interruptible.

- **Cache.** A scene whose inputs did not change is not rendered (:mod:`pipeline.cache`).
- **Processes.** Each scene renders in its own worker process (:mod:`pipeline.worker`, which
  runs Manim's own CLI), in its own process group and media folder
  (:meth:`Target.build_dir <lecturekit.render.target.Target.build_dir>`): parallel workers never share Manim's ``Tex`` folder
  (Manim deletes non-SVG files there after each formula, which would break a neighbour's
  half-made ``.dvi``), and stopping a worker's group also stops its LaTeX.
- **Scheduling.** ``jobs`` workers at a time, longest scene first, from the render times
  measured last time (``Target.render_times``): on 2 cores the long scenes must not
  be left for the end.
- **Failures** are isolated: a scene that raises is reported (first line of its error, path
  of its full log) and the others finish and are cached.
- **Interruptions** (Ctrl-C, SIGTERM, SIGHUP): the workers' process groups are stopped, no
  final file is touched, and what finished is already in the cache for the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lecturekit.atomic import atomic_path
from lecturekit.deck import SceneSpec
from lecturekit.theme import THEME_ENV_VAR
from lecturekit.video.validate import VideoFacts, file_sha256

from .cache import SceneCache, settings_fingerprint
from .qualities import QUALITIES
from .result import RenderResult
from .target import Target, variant

# Manim's own partial-movie cache is bypassed (--disable_caching), deliberately:
# - the scene cache above it already skips every unchanged scene, and a scene that did change
#   usually changed through shared code (style, numerics) that changes every animation's hash;
# - Manim writes each partial movie straight to its hash-named final path, so a render killed
#   mid-animation leaves a truncated file that the next run would trust and stitch;
# - it buys nothing measurable: slide 1 at low quality re-rendered in 13.6-15.1 s with every
#   animation a partial-cache hit and in 13.5-14.7 s with --disable_caching (2 runs each,
#   shared machine, load ~7); construct() and hashing remain either way. What does pay is
#   LaTeX: the same render with an empty Tex folder took 22.4-23.1 s. Each scene's build
#   folder keeps its Tex folder between runs, so re-renders skip LaTeX.
MANIM_FLAGS = (
    "--progress_bar",
    "none",
    "--silent",
    "--no_latex_cleanup",
    "--disable_caching",
    # One section video per key frame (LectureScene.key_frame starts a section):
    # the presenter page (lecturekit.outputs.slides) plays them one by one.
    "--save_sections",
)

STOP_GRACE_SECONDS = 5.0  # SIGTERM, then SIGKILL for workers that do not stop in time
_POLL_SECONDS = 0.05


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived; handled like Ctrl-C (a KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Terminated` inside the block (main thread only),
    so they unwind like Ctrl-C: workers stopped, temporary files removed."""

    def raise_terminated(signum, _frame):
        raise Terminated(signum)

    wanted = (signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else (signal.SIGTERM,)
    try:
        previous = {s: signal.signal(s, raise_terminated) for s in wanted}
    except ValueError:  # not the main thread: leave the handlers alone
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def manim_flags(quality: str) -> list[str]:
    """The ``manim render`` options the pipeline uses (media folder aside)."""
    return [f"-q{QUALITIES[quality].flag}", *MANIM_FLAGS]


def manim_command(spec: SceneSpec, quality: str, media: Path) -> list[str]:
    """The plain Manim CLI call (``manim render ...``) that renders ``spec`` into ``media``."""
    return [
        sys.executable,
        "-m",
        "manim",
        "render",
        *manim_flags(quality),
        "--media_dir",
        str(media),
        str(spec.path),
        spec.class_name,
    ]


def estimate_seconds(
    spec: SceneSpec, times: dict[str, dict[str, float]], quality: str, theme: str
) -> float | None:
    """How long ``spec`` will take: its last time at this variant, else its time at another
    quality scaled by the pixel rate, else ``None`` (unknown)."""
    own = times.get(variant(quality, theme), {}).get(spec.key)
    if own is not None:
        return own
    q = QUALITIES[quality]
    for other in QUALITIES.values():
        seconds = times.get(variant(other.name, theme), {}).get(spec.key)
        if seconds is not None:
            return seconds * (q.width * q.height * q.fps) / (other.width * other.height * other.fps)
    return None


def longest_first(
    specs: Sequence[SceneSpec], times: dict[str, dict[str, float]], quality: str, theme: str
) -> list[SceneSpec]:
    """Scheduling order: scenes never timed first (they may be long; the longer source file
    first), then longest first by measured time."""

    def rank(indexed: tuple[int, SceneSpec]) -> tuple[float, float, int]:
        k, spec = indexed
        seconds = estimate_seconds(spec, times, quality, theme)
        if seconds is not None:
            return (0.0, -seconds, k)
        try:
            size = spec.path.stat().st_size
        except OSError:
            size = 0
        return (-1.0, -size, k)

    return [spec for _, spec in sorted(enumerate(specs), key=rank)]


def _set_parent_death_signal() -> None:  # runs in the child between fork and exec
    # If the parent is killed outright (SIGKILL), the worker gets SIGTERM instead of rendering
    # on unseen into a folder the next run will use.
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class _Running:
    spec: SceneSpec
    proc: subprocess.Popen
    started: float
    log: Path
    report: Path


def log_path(target: Target, spec: SceneSpec) -> Path:
    """The full log of a scene's last render."""
    return target.build_dir(spec) / "render.log"


class _Renderer:
    """Runs the workers of one ``render_scenes`` call."""

    def __init__(self, target: Target, cache: SceneCache, settings: dict[str, str]) -> None:
        self.target, self.cache, self.settings = target, cache, settings
        self.source_roots = [Path(r).resolve() for r in target.deck.source_roots]

    def start(self, spec: SceneSpec) -> _Running:
        media = self.target.build_dir(spec)
        media.mkdir(parents=True, exist_ok=True)
        log, report = log_path(self.target, spec), media / "report.json"
        report.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "lecturekit.render.worker",
            "--report",
            str(report),
            "--video",
            str(self.target.manim_video(spec)),
        ]
        for root in self.source_roots:
            command += ["--root", str(root)]
        if self.target.narration is not None:  # every beat speaks (lecturekit.narration.pacer)
            record = self.target.narration_record(spec)
            config = self.target.narration.to_json(self.target.speech_cache, record)
            command += ["--narration", config]
        command += ["--exclude", str(self.target.media.resolve()), "--"]
        command += manim_command(spec, self.target.quality, media)[3:]  # drop python -m manim
        pythonpath = [str(self.target.deck.import_root)]
        if os.environ.get("PYTHONPATH"):
            pythonpath.append(os.environ["PYTHONPATH"])
        env = {
            **os.environ,
            THEME_ENV_VAR: self.target.theme,
            "PYTHONPATH": os.pathsep.join(pythonpath),
        }
        with log.open("w") as log_file:
            proc = subprocess.Popen(
                command,
                cwd=self.target.deck.import_root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                # Own process group: Ctrl-C in the terminal reaches only this process, which
                # then stops each worker group (LaTeX included) in order.
                start_new_session=True,
                preexec_fn=_set_parent_death_signal if sys.platform == "linux" else None,
            )
        return _Running(spec, proc, time.perf_counter(), log, report)

    def finish(self, run: _Running) -> RenderResult:
        seconds = time.perf_counter() - run.started
        try:
            report = json.loads(run.report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            code = run.proc.returncode
            how = (
                f"killed by {signal.Signals(-code).name}"
                if code < 0
                else f"exited with code {code}"
            )
            return RenderResult.failure(
                run.spec, seconds, run.log, f"render worker {how} without a report"
            )
        if not report.get("ok"):
            return RenderResult.failure(
                run.spec, seconds, run.log, report.get("error") or "render failed"
            )
        facts = VideoFacts.from_json(report["video"])
        video = self.target.manim_video(run.spec)
        inputs = {Path(p): sha for p, sha in report["inputs"].items()}
        entry = self.cache.store(
            run.spec,
            self.settings,
            inputs,
            video,
            video.with_suffix(".srt"),
            self.target.manim_sections(run.spec),
            facts,
            seconds,
            narration=self.target.narration_record(run.spec),
        )
        self.cache.record_render_time(run.spec, seconds)
        return RenderResult.from_entry(run.spec, entry, run.log, cached=False, seconds=seconds)

    def stop(self, running: Sequence[_Running]) -> None:
        """Stop workers: SIGTERM to each process group, SIGKILL after a grace period."""
        for run in running:
            _signal_group(run.proc, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for run in running:
            try:
                run.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(run.proc, signal.SIGKILL)
                run.proc.wait()
            _signal_group(run.proc, signal.SIGKILL)  # LaTeX children left in the group
            run.report.unlink(missing_ok=True)


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def render_scenes(
    specs: Sequence[SceneSpec],
    target: Target,
    jobs: int = 1,
    on_event: Callable[[str], None] = print,
    force: bool = False,
) -> list[RenderResult]:
    """Render ``specs`` of ``target.deck`` (cached ones are reused unless ``force``), ``jobs``
    at a time.

    Results come back in the order of ``specs``. The files under the deck's import root and
    the kit count as a scene's inputs. On KeyboardInterrupt (or :class:`Terminated`) the
    workers are stopped and the exception propagates; scenes that finished before are cached.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    cache = SceneCache(target)
    settings = settings_fingerprint(target, manim_flags(target.quality))
    results: dict[str, RenderResult] = {}
    todo: list[SceneSpec] = []
    for spec in specs:
        lookup = None if force else cache.lookup(spec, settings)
        if lookup is not None and lookup.hit:
            results[spec.key] = RenderResult.from_entry(spec, lookup.entry, log_path(target, spec))
            on_event(f"{spec.key}: cached, unchanged")
        else:
            todo.append(spec)
            on_event(f"{spec.key}: to render ({'--force' if force else lookup.reason})")
    if not todo:
        return [results[s.key] for s in specs]

    order = longest_first(todo, cache.render_times(), target.quality, target.theme)
    renderer = _Renderer(target, cache, settings)
    workers = min(jobs, len(order))
    on_event(f"rendering {len(order)} scene(s) at {target.quality} quality, {workers} at a time")
    pending, running, done = list(order), [], 0
    try:
        while pending or running:
            while pending and len(running) < jobs:
                run = renderer.start(pending.pop(0))
                running.append(run)
            time.sleep(_POLL_SECONDS)
            for run in [r for r in running if r.proc.poll() is not None]:
                running.remove(run)
                result = renderer.finish(run)
                results[run.spec.key] = result
                done += 1
                on_event(_done_line(done, len(order), result))
    except BaseException:
        renderer.stop(running)
        raise
    return [results[s.key] for s in specs]


def _done_line(k: int, n: int, result: RenderResult) -> str:
    status = "rendered" if result.ok else f"FAILED: {result.error} (log: {result.log})"
    return f"[{k}/{n}] {result.spec.key}: {status} in {result.seconds:.1f} s"


def publish_scene_files(results: Sequence[RenderResult], target: Target) -> list[Path]:
    """Copy each scene's MP4 (and captions) to :meth:`Target.scene_file` (``scenes/<variant>/
    NN-title.mp4``). Each file is replaced atomically, and only when its content changed."""
    written = []
    for result in results:
        if result.video is None:
            raise ValueError(f"scene {result.spec.key} has no video to publish")
        video = target.scene_file(result.spec)
        _copy_if_changed(result.video, video, result.facts.sha256 if result.facts else None)
        written.append(video)
        srt = result.captions
        if srt is not None:
            _copy_if_changed(srt, video.with_suffix(".srt"))
        else:
            video.with_suffix(".srt").unlink(missing_ok=True)
    return written


def _copy_if_changed(source: Path, target: Path, source_sha256: str | None = None) -> None:
    if (
        target.exists()
        and target.stat().st_size == source.stat().st_size
        and file_sha256(target) == (source_sha256 or file_sha256(source))
    ):
        return
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
