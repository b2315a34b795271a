"""Where render jobs run: local processes or a Dask cluster, behind one interface.

    with DaskExecutor("tls://sched:8786", security=sec, on_progress=model.on_event) as ex:
        for job in longest_first:
            ex.submit(job)
        for result in ex.as_completed():   # progress events are delivered meanwhile
            ...check, publish, cache...

Both executors run :func:`lecturekit.render.jobs.run_job` for each job, so a job runs the same
way everywhere: its own process group under :mod:`lecturekit.render.guard`, the process and a
stop signal polled every 0.2 s. ``stop()`` (and leaving the ``with`` block on an exception, e.g.
Ctrl-C) ends every running job's process group, on every worker, and cancels the jobs that did
not start.

Why Dask (``pip install -e .[cluster]``): it is a scheduler that already runs on workstations,
Slurm/PBS (dask-jobqueue) and Kubernetes (the Dask operator), reschedules the task of a worker
that died, and never retries a task that raised unless asked. A scene that fails is a *result*
here (``returncode != 0``), never an exception, and is submitted with ``retries=0``: it is not
rendered again. A worker that dies mid-job (process killed, machine lost) makes the scheduler
run the job elsewhere (up to ``distributed.scheduler.allowed-failures`` times). Cancelling a
Dask task does not kill a subprocess it started, so each task stops its own process group: on
the run's stop :class:`distributed.Event`, or when its own state turns ``cancelled`` (the client
released it, e.g. the coordinator died). Progress travels with ``Worker.log_event`` (batched,
~0.01 ms a message measured, against ~0.9 ms for a ``Queue.put`` round trip).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ipaddress
import os
import queue
import threading
import time
import tomllib
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .jobs import (
    POLL_SECONDS,
    STOP_GRACE_SECONDS,
    JobResult,
    RenderJob,
    UnsafeFileError,
    check_returned_files,
    run_job,
)
from .versions import tool_versions, version_mismatches

if TYPE_CHECKING:
    from distributed import Client, Future
    from distributed.security import Security

LOCAL = "local"  # the worker name of a job run by the local executor


@dataclass(frozen=True)
class ProgressEvent:
    """Something happened to a job: ``started`` (on ``worker``) or ``frames`` (``frames``
    written so far). Delivered in the thread that iterates :meth:`Executor.as_completed`."""

    key: str
    kind: str
    worker: str = ""
    frames: int = 0


ProgressCallback = Callable[[ProgressEvent], None]


class InsecureAddressError(ValueError):
    """A scheduler address that would send code unencrypted to another machine, or one
    without the certificates it needs."""


def verify_result(result: JobResult, coordinator_versions: dict[str, str] | None) -> JobResult:
    """Coordinator-side checks of a returned result, before anything trusts it.

    The worker's tool versions must equal the coordinator's (a mismatch fails the job with a
    message naming both versions), and the returned files must pass
    :func:`lecturekit.render.jobs.check_returned_files` (else they are dropped and the job
    fails).
    """
    if coordinator_versions is not None and result.error is None and result.tool_versions:
        wrong = version_mismatches(coordinator_versions, result.tool_versions)
        if wrong:
            result.error = "tool versions differ: " + "; ".join(wrong)
    try:
        check_returned_files(result.files, result.sha256, result.sizes)
    except UnsafeFileError as bad:
        result.files, result.sha256, result.sizes = {}, {}, {}
        result.error = f"returned files refused: {bad}"
    return result


class Executor(ABC):
    """Runs :class:`RenderJob` s; one interface for local processes and Dask."""

    #: ``local``, or the scheduler's address
    address: str = LOCAL

    def __init__(self, on_progress: ProgressCallback | None, check_versions: bool) -> None:
        self.on_progress = on_progress
        self._events: queue.SimpleQueue[ProgressEvent] = queue.SimpleQueue()
        self._handles: dict[str, Any] = {}
        self._versions = tool_versions() if check_versions else None

    @property
    @abstractmethod
    def capacity(self) -> int:
        """How many jobs run at once (local processes, or the cluster's worker threads)."""

    @abstractmethod
    def submit(self, job: RenderJob) -> None:
        """Queue ``job``; jobs start in submission order as workers free up."""

    @abstractmethod
    def _collect(self, key: str, handle: Any) -> JobResult | None:
        """The result of a finished job, or ``None`` while it runs."""

    @abstractmethod
    def stop(self) -> None:
        """Stop everything: running jobs' process groups ended (SIGTERM, then SIGKILL after
        the grace period) on every worker, queued jobs cancelled. Returns when done."""

    @abstractmethod
    def close(self) -> None:
        """Release resources (after :meth:`stop` or when everything finished)."""

    def as_completed(
        self, poll: float = 0.05, idle: Callable[[], None] | None = None
    ) -> Iterator[JobResult]:
        """Yield each submitted job's verified result as it finishes (jobs submitted while
        iterating included), delivering progress events to ``on_progress`` and calling
        ``idle()`` (e.g. a progress view's tick) in this thread at least every ``poll`` s."""
        while self._handles:
            self.deliver_events()
            if idle is not None:
                idle()
            finished = False
            for key, handle in list(self._handles.items()):
                result = self._collect(key, handle)
                if result is None:
                    continue
                finished = True
                del self._handles[key]
                self.deliver_events()
                yield verify_result(result, self._versions)
            if not finished:
                time.sleep(poll)

    def deliver_events(self) -> None:
        """Pass queued progress events to ``on_progress`` (in the calling thread)."""
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return
            if self.on_progress is not None:
                self.on_progress(event)

    def _emit(self, event: ProgressEvent) -> None:
        self._events.put(event)

    def _check_new(self, job: RenderJob) -> None:
        if job.key in self._handles:
            raise ValueError(f"job {job.key!r} already submitted")

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is not None:
                self.stop()
        finally:
            self.close()


# -- Local ---------------------------------------------------------------------------------


class LocalExecutor(Executor):
    """``jobs`` processes at a time on this machine, each in its own process group.

    Each job is waited for by a thread of a pool (the guard's parent-death signal is tied to
    that thread, which lives until the job ended)."""

    def __init__(
        self,
        jobs: int = 1,
        on_progress: ProgressCallback | None = None,
        scratch: str | None = None,
        check_versions: bool = False,
    ) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        super().__init__(on_progress, check_versions)
        self.jobs, self.scratch = jobs, scratch
        self._stop = threading.Event()
        self._pool = concurrent.futures.ThreadPoolExecutor(jobs, thread_name_prefix="render")

    @property
    def capacity(self) -> int:
        return self.jobs

    def submit(self, job: RenderJob) -> None:
        self._check_new(job)
        self._handles[job.key] = self._pool.submit(self._run, job)

    def _run(self, job: RenderJob) -> JobResult:
        if self._stop.is_set():
            return JobResult(job.key, LOCAL, None, 0.0, error="stopped", stopped=True)
        self._emit(ProgressEvent(job.key, "started", LOCAL))

        def frames(n: int) -> None:
            self._emit(ProgressEvent(job.key, "frames", LOCAL, n))

        return run_job(job, LOCAL, self._stop.is_set, frames, self.scratch)

    def _collect(self, key: str, handle: Any) -> JobResult | None:
        future: concurrent.futures.Future = handle
        if not future.done():
            return None
        if future.cancelled():
            return JobResult(key, LOCAL, None, 0.0, error="stopped", stopped=True)
        error = future.exception()
        if error is not None:
            return JobResult(key, LOCAL, None, 0.0, error=f"{type(error).__name__}: {error}")
        return future.result()

    def stop(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# -- Dask ----------------------------------------------------------------------------------


def check_address(
    address: str, security: Security | None = None, allow_remote_plaintext: bool = False
) -> str:
    """Refuse addresses that would let others run code on the workers; return the address
    with its scheme.

    ``tls://`` needs ``security``; ``tcp://`` (or no scheme, Dask's default) is accepted only
    for a loopback host (``127.0.0.0/8``, ``::1``, ``localhost``) unless
    ``allow_remote_plaintext``. Host names are never resolved (no lookup, no traffic): any
    other name counts as remote. Raises :class:`InsecureAddressError`.
    """
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    scheme = scheme.lower()
    if scheme == "tls":
        if security is None:
            raise InsecureAddressError(
                f"{address}: tls:// needs certificates: give --tls-ca-file, --tls-cert and "
                "--tls-key, or --tls-config FILE"
            )
        return f"tls://{rest}"
    if scheme == "tcp":
        if not _is_loopback(_host_of(rest)) and not allow_remote_plaintext:
            raise InsecureAddressError(
                f"refusing tcp://{rest}: a Dask scheduler runs whatever code its clients "
                "send, and tcp:// is neither encrypted nor authenticated, so anyone on the "
                f"network could use it. Use tls://{rest} with certificates (--tls-ca-file, "
                "--tls-cert, --tls-key), or pass --allow-remote-plaintext if you trust this "
                "network."
            )
        return f"tcp://{rest}"
    raise InsecureAddressError(
        f"{address}: unsupported scheme {scheme}:// (use tls://HOST:PORT, or tcp:// on this "
        "machine)"
    )


def _host_of(rest: str) -> str:
    rest = rest.split("/", 1)[0]
    if rest.startswith("["):
        return rest[1 : rest.index("]")] if "]" in rest else rest[1:]
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: not resolved on purpose, treated as remote


def make_security(ca_file: str | None, cert: str | None, key: str | None) -> Security:
    """A client ``Security`` that requires encryption, from a CA file and a client
    certificate and key."""
    from distributed.security import Security

    if not (ca_file and cert):
        raise InsecureAddressError("TLS needs a CA file and a client certificate (and its key)")
    missing = [p for p in (ca_file, cert, key) if p and not Path(p).is_file()]
    if missing:
        raise InsecureAddressError(f"TLS file not found: {', '.join(missing)}")
    return Security(
        tls_ca_file=ca_file,
        tls_client_cert=cert,
        tls_client_key=key,
        require_encryption=True,
    )


def security_from_file(path: str | os.PathLike[str]) -> Security:
    """Read ``[tls] ca_file, cert, key`` from a TOML file (paths relative to the file)::

    [tls]
    ca_file = "ca.pem"
    cert = "client.pem"
    key = "client-key.pem"
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8")).get("tls", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InsecureAddressError(f"{path}: cannot read the TLS settings ({error})") from None

    def resolve(name: str) -> str | None:
        value = data.get(name)
        return str((path.parent / value).resolve()) if value else None

    return make_security(resolve("ca_file"), resolve("cert"), resolve("key"))


def _dask_task(job: RenderJob, run_id: str) -> JobResult:
    """Runs on a Dask worker: :func:`run_job` stopped by the run's Event or by this task's own
    cancellation, with progress sent back through ``log_event``."""
    from distributed import Event, get_worker
    from distributed.worker import thread_state

    worker = get_worker()
    task_key = getattr(thread_state, "key", None)
    stop_event = Event(f"render-stop-{run_id}")
    topic = f"render-progress-{run_id}"
    failures = 0

    def should_stop() -> bool:
        nonlocal failures
        state = worker.state.tasks.get(task_key) if task_key is not None else None
        if state is not None and state.state in ("cancelled", "released", "forgotten"):
            return True  # the client released it (a stop, or the coordinator went away)
        try:
            stopped = stop_event.is_set()
        except Exception:
            failures += 1  # scheduler unreachable: give up after ~5 s
            return failures > 5 / POLL_SECONDS
        failures = 0
        return stopped

    if should_stop():
        return JobResult(job.key, worker.address, None, 0.0, error="stopped", stopped=True)
    worker.log_event(topic, {"key": job.key, "kind": "started", "worker": worker.address})

    def frames(n: int) -> None:
        worker.log_event(
            topic, {"key": job.key, "kind": "frames", "worker": worker.address, "frames": n}
        )

    return run_job(job, worker.address, should_stop, frames, worker.local_directory)


class DaskExecutor(Executor):
    """Jobs on a Dask cluster: one job per worker thread (start workers with ``--nthreads 1``
    so that each render has a core)."""

    def __init__(
        self,
        address: str,
        security: Security | None = None,
        allow_remote_plaintext: bool = False,
        on_progress: ProgressCallback | None = None,
        timeout: float = 20.0,
        check_versions: bool = True,
    ) -> None:
        # Refuse an unsafe address before anything else: no import, no lookup, no connection.
        self.address = check_address(address, security, allow_remote_plaintext)
        super().__init__(on_progress, check_versions)
        from distributed import Client, Event

        self.client: Client = Client(
            self.address, security=security, timeout=timeout, set_as_default=False
        )
        self.run_id = uuid.uuid4().hex
        self._stop_event = Event(f"render-stop-{self.run_id}", client=self.client)
        self._started: set[str] = set()
        self._submitted = 0
        self.client.subscribe_topic(f"render-progress-{self.run_id}", self._on_topic)

    @property
    def capacity(self) -> int:
        workers = self.client.scheduler_info(n_workers=-1).get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def _on_topic(self, event: tuple[float, dict[str, Any]]) -> None:
        _, msg = event
        if msg.get("kind") == "started":
            self._started.add(msg["key"])
        self._emit(
            ProgressEvent(msg["key"], msg["kind"], msg.get("worker", ""), int(msg.get("frames", 0)))
        )

    def submit(self, job: RenderJob) -> None:
        self._check_new(job)
        self._handles[job.key] = self.client.submit(
            _dask_task,
            job,
            self.run_id,
            key=f"render-{job.key}-{uuid.uuid4().hex[:8]}",
            pure=False,
            retries=0,
            priority=-self._submitted,  # first submitted, first started
        )
        self._submitted += 1

    def _collect(self, key: str, handle: Any) -> JobResult | None:
        future: Future = handle
        if future.status == "pending":
            return None
        if future.status == "cancelled":
            return JobResult(key, "", None, 0.0, error="stopped", stopped=True)
        try:
            return future.result()
        except Exception as error:  # e.g. KilledWorker after allowed-failures lost workers
            return JobResult(key, "", None, 0.0, error=f"{type(error).__name__}: {error}")

    def stop(self, grace: float = STOP_GRACE_SECONDS + 3.0) -> None:
        """Set the run's stop Event, cancel the jobs that did not start, and wait until the
        running ones ended their process groups; cancel whatever is left after ``grace``
        seconds (a cancelled task stops its process group too)."""
        with contextlib.suppress(Exception):
            self._stop_event.set()
        self.deliver_events()
        futures = dict(self._handles)
        waiting = [f for k, f in futures.items() if k not in self._started]
        with contextlib.suppress(Exception):
            self.client.cancel(waiting)
        running = [f for k, f in futures.items() if k in self._started]
        deadline = time.monotonic() + grace
        while running and time.monotonic() < deadline:
            running = [f for f in running if f.status == "pending"]
            time.sleep(POLL_SECONDS)
        with contextlib.suppress(Exception):
            self.client.cancel(running)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.unsubscribe_topic(f"render-progress-{self.run_id}")
        with contextlib.suppress(Exception):
            self.client.close(timeout=5)
