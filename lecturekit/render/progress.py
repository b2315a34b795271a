"""Live progress of a render: a model, and two views (rich on a terminal, plain lines off it).

The model counts frames: each job's expected total (from the previous render's records: the
cache entry's frame count, or the scene's duration times the frame rate) and the frames written
so far, which the frame hook in the render process reports and the executors forward as
:class:`~lecturekit.render.executors.ProgressEvent` s. It gives the whole render's frames
done/total, elapsed time and ETA, and one line per running job with its worker.

- :class:`RichView` (a terminal): a ``rich.live.Live`` display (Manim ships ``rich``) redrawn by
  its own thread twice a second and drawn at once on ``start()``. Lines printed meanwhile (each
  finished scene's) appear above it.
- :class:`PlainView` (CI, logs): a summary line at most every ``every`` seconds (10 by default)
  when something changed, and a last one at the end. The finished scenes' lines are printed by
  the caller, as without a view.

:func:`make_view` picks one by ``stream.isatty()``. Views only read the model; all changes go
through the model's lock, so the executors' callbacks and the refresh thread do not race. The
display runs in the coordinator and the renders in other processes: measured, it does not slow
them (see README, "Render on more machines").
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from .executors import ProgressEvent


def format_seconds(seconds: float | None) -> str:
    """``m:ss`` (or ``h:mm:ss``); ``--:--`` when unknown."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "--:--"
    s = round(seconds)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@dataclass
class JobProgress:
    """One job as the display sees it."""

    key: str
    total: int | None
    done: int = 0
    worker: str = ""
    state: str = "queued"  # queued, running, done, failed
    started: float | None = None


@dataclass(frozen=True)
class Snapshot:
    """The whole render at one moment."""

    done_frames: int
    total_frames: int
    elapsed: float
    eta: float | None
    jobs: int
    finished: int
    failed: int
    running: list[JobProgress] = field(default_factory=list)
    complete: bool = True  # every unfinished job's frame total is known

    @property
    def total_text(self) -> str:
        """The frame total, ``?`` while a job's is unknown (a scene never rendered before)."""
        return str(self.total_frames) if self.complete else "?"

    @property
    def fraction(self) -> float:
        """Frames done / total (0 when nothing is known)."""
        return self.done_frames / self.total_frames if self.total_frames else 0.0


class ProgressModel:
    """Frames done/total per job and overall; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self._jobs: dict[str, JobProgress] = {}
        self._lock = threading.Lock()
        self.version = 0  # bumped on every change

    def add_job(self, key: str, frames_total: int | None) -> None:
        """Register a job before it starts, with its expected frames if known."""
        with self._lock:
            self._jobs[key] = JobProgress(key, frames_total)
            self.version += 1

    def on_event(self, event: ProgressEvent) -> None:
        """Apply an executor's progress event (``started`` / ``frames``)."""
        with self._lock:
            job = self._jobs.setdefault(event.key, JobProgress(event.key, None))
            if event.kind == "started":
                # a rescheduled job (its worker died) starts again from zero elsewhere
                job.state, job.worker, job.done = "running", event.worker, 0
                job.started = self.clock()
            elif event.kind == "frames" and job.state in ("queued", "running"):
                job.state = "running"
                job.worker = event.worker or job.worker
                job.done = event.frames
            self.version += 1

    def finish(self, key: str, ok: bool) -> None:
        """Mark a job done (all its frames count as written) or failed."""
        with self._lock:
            job = self._jobs.setdefault(key, JobProgress(key, None))
            job.state = "done" if ok else "failed"
            if ok:
                job.total = max(job.total or 0, job.done)
                job.done = job.total
            self.version += 1

    def snapshot(self) -> Snapshot:
        """Totals, elapsed, ETA (remaining frames at the rate so far) and the running jobs."""
        with self._lock:
            jobs = list(self._jobs.values())
            done = sum(j.done for j in jobs if j.state != "failed")
            total = sum(max(j.total or 0, j.done) for j in jobs if j.state != "failed")
            elapsed = self.clock() - self.started
            complete = all(j.total is not None for j in jobs if j.state in ("queued", "running"))
            eta = (total - done) * elapsed / done if done and elapsed > 0 and complete else None
            return Snapshot(
                done,
                total,
                elapsed,
                eta,
                len(jobs),
                sum(j.state == "done" for j in jobs),
                sum(j.state == "failed" for j in jobs),
                [replace(j) for j in jobs if j.state == "running"],
                complete,
            )


class View(Protocol):
    """What the renderer calls: start, periodic ticks, stop."""

    def start(self) -> None: ...

    def tick(self) -> None: ...

    def stop(self) -> None: ...


def summary_line(snap: Snapshot) -> str:
    """One line: frames, jobs, elapsed, ETA."""
    share = f"{100 * snap.fraction:.0f}%" if snap.complete else "?"
    return (
        f"progress: {snap.done_frames}/{snap.total_text} frames "
        f"({share}), {snap.finished + snap.failed}/{snap.jobs} done, "
        f"{len(snap.running)} running, elapsed {format_seconds(snap.elapsed)}, "
        f"ETA {format_seconds(snap.eta)}"
    )


class PlainView:
    """For logs: a summary line at most every ``every`` seconds, and one at the end."""

    def __init__(
        self,
        model: ProgressModel,
        stream: TextIO | None = None,
        every: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model, self.stream, self.every, self.clock = model, stream, every, clock
        self._last_summary = 0.0
        self._last_version = -1

    def _print(self, line: str) -> None:
        print(line, file=self.stream or sys.stdout, flush=True)

    def start(self) -> None:
        """Nothing to draw yet: the first summary comes with a tick ``every`` s later."""
        self._last_summary = self.clock()
        self._last_version = self.model.version

    def tick(self) -> None:
        """Print a summary if ``every`` seconds passed since the last one and something
        changed."""
        now = self.clock()
        if now - self._last_summary < self.every or self.model.version == self._last_version:
            return
        self._last_summary, self._last_version = now, self.model.version
        self._print(summary_line(self.model.snapshot()))

    def stop(self) -> None:
        """The last summary."""
        self._print(summary_line(self.model.snapshot()))


class RichView:
    """A live terminal display, redrawn ``refresh_per_second`` times a second by its own
    thread; what is printed to stdout meanwhile appears above it."""

    def __init__(
        self,
        model: ProgressModel,
        console: Console | None = None,
        refresh_per_second: float = 2.0,
    ) -> None:
        from rich.console import Console
        from rich.live import Live

        self.model = model
        self.console = console or Console()
        self.draws = 0
        self.live = Live(
            get_renderable=self.render,
            console=self.console,
            refresh_per_second=refresh_per_second,
            transient=True,  # the last summary is printed as a line by stop()
            redirect_stdout=True,
            redirect_stderr=False,
        )

    def render(self) -> RenderableType:
        """The display: the whole render's bar and numbers, then a line per running job."""
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        self.draws += 1
        snap = self.model.snapshot()
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, max_width=34, overflow="ellipsis")
        table.add_column(width=20)
        table.add_column(no_wrap=True, overflow="ellipsis")
        table.add_row(
            Text("all scenes", style="bold"),
            ProgressBar(total=max(snap.total_frames, 1), completed=snap.done_frames, width=20),
            Text(
                f"{snap.done_frames}/{snap.total_text} frames  "
                f"{snap.finished + snap.failed}/{snap.jobs} done  "
                f"elapsed {format_seconds(snap.elapsed)}  ETA {format_seconds(snap.eta)}"
            ),
        )
        now = self.model.clock()
        for job in sorted(snap.running, key=lambda j: j.key):
            total = job.total or 0
            seconds = now - job.started if job.started is not None else 0.0
            table.add_row(
                Text(f"  {job.key}"),
                ProgressBar(total=max(total, job.done, 1), completed=job.done, width=20),
                Text(f"{job.done}/{total or '?'} frames  {seconds:.0f} s  on {job.worker}"),
            )
        return table

    def start(self) -> None:
        """Start the display: first draw now, then by the refresh thread."""
        self.live.start(refresh=True)

    def tick(self) -> None:
        """Nothing: the refresh thread redraws."""

    def stop(self) -> None:
        """Stop the refresh thread and leave the last summary as a line."""
        self.live.stop()
        self.console.print(summary_line(self.model.snapshot()), highlight=False)


def make_view(model: ProgressModel, stream: TextIO | None = None) -> View:
    """:class:`RichView` when ``stream`` (default stdout) is a terminal, else
    :class:`PlainView`."""
    stream = stream or sys.stdout
    if stream.isatty():
        from rich.console import Console

        return RichView(model, Console(file=stream))
    return PlainView(model, stream)
