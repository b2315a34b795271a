"""What a render job is, what comes back, and the checks before a returned file is trusted.

A :class:`RenderJob` is one command to run, wherever an executor puts it
(:mod:`lecturekit.render.executors`). A *local* job runs in place (``workdir`` set: the scene's
build folder under ``media/`` keeps its LaTeX files between runs, as it always did). A job for
another machine is self-contained: the project files it needs travel with it as bytes, under
relative paths (:func:`load_inputs`), it runs in a fresh temporary folder, and the files named
by ``returns`` come back. So a worker needs the same *environment* as the coordinator (Python,
Manim, TeX Live: compared by :func:`lecturekit.render.versions.tool_versions`), not a checkout.

Nothing a worker returns is written before :func:`check_returned_files` accepted it: plain
relative paths only (no ``..``, no absolute paths), and every file's SHA-256 and size equal to
what the worker declared. :func:`publish_files` then writes them atomically.

Every job runs in its own session and process group under :mod:`lecturekit.render.guard`, which
takes the whole group (Manim and its LaTeX) down when the process that started it dies.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .versions import tool_versions, version_mismatches

#: The frame hook (:mod:`lecturekit.render.framehook`) writes the frames written so far here.
PROGRESS_FILE_ENV = "LECTUREKIT_PROGRESS_FILE"
#: ... and the per-call records (timings, frames, updaters, frame digests) here, at exit.
CALLS_FILE_ENV = "LECTUREKIT_CALLS_FILE"

POLL_SECONDS = 0.2  # how often a running job checks its process, the stop signal and progress
STOP_GRACE_SECONDS = 5.0  # SIGTERM to the job's process group, SIGKILL after this
LOG_TAIL_BYTES = 16_384
MAX_RETURN_BYTES = 2 << 30  # refuse to ship more than 2 GiB back from one job


class UnsafeFileError(ValueError):
    """A returned or shipped file failed a check (name, hash or size): nothing was written."""


@dataclass(frozen=True)
class RenderJob:
    """One command to run on some worker.

    ``argv``, ``env`` values and ``pythonpath`` may contain ``{python}`` (the worker's
    interpreter) and ``{workdir}`` (the job's folder). Without ``workdir`` the job gets a fresh
    temporary folder holding ``inputs`` (relative POSIX path -> content) and the files matching
    ``returns`` (globs relative to it; ``**`` spans folders) come back, unless they are shipped
    inputs returned unchanged. ``cwd``, ``report`` (a JSON file the command writes, parsed into
    :attr:`JobResult.report`) and ``log`` (the command's output) are relative to the job's folder
    or absolute. ``frames_total`` is the expected frame count (progress only);
    ``expect_versions``, when given, are the coordinator's tool versions: a worker with others
    does not run the job and says why.
    """

    key: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    inputs: Mapping[str, bytes] = field(default_factory=dict)
    returns: tuple[str, ...] = ()
    workdir: str | None = None
    cwd: str = "."
    pythonpath: tuple[str, ...] = ()
    report: str | None = None
    log: str | None = None
    frames_total: int | None = None
    expect_versions: Mapping[str, str] | None = None

    def fill(self, text: str, workdir: Path, python: str = sys.executable) -> str:
        """``text`` with ``{python}`` and ``{workdir}`` filled in."""
        return text.replace("{python}", python).replace("{workdir}", str(workdir))


@dataclass
class JobResult:
    """What came back from one job.

    ``returncode`` is ``None`` when the command never ran or did not finish (stopped, version
    mismatch, lost worker); ``error`` then says why. ``files`` holds the returned files by
    relative POSIX path, with the worker's declared ``sha256`` and ``sizes`` (checked by
    :func:`check_returned_files` before use). ``calls`` are the frame hook's per-call records.
    """

    key: str
    worker: str
    returncode: int | None
    seconds: float
    files: dict[str, bytes] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    report: dict[str, Any] | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    tool_versions: dict[str, str] = field(default_factory=dict)
    log_tail: str = ""
    error: str | None = None
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when the command ran to completion with exit code 0."""
        return self.returncode == 0 and self.error is None


# -- File names, inputs, returned files ----------------------------------------------------

_BAD_CHARS = re.compile(r"[\x00-\x1f\\:]")


def check_relative_path(name: str) -> None:
    """Raise :class:`UnsafeFileError` unless ``name`` is a plain relative POSIX path.

    Refused: empty names, absolute paths (``/x``, ``//x``, ``C:x``), ``..`` or ``.``
    components, empty components (``a//b``), backslashes, control characters and a leading
    ``~``: every way a name could point outside the folder it is meant for.
    """
    if not isinstance(name, str) or not name:
        raise UnsafeFileError(f"empty or non-text file name: {name!r}")
    if name.startswith(("/", "~")) or _BAD_CHARS.search(name):
        raise UnsafeFileError(f"unsafe file name (absolute, drive or control character): {name!r}")
    if any(part in ("", ".", "..") for part in name.split("/")):
        raise UnsafeFileError(f"unsafe file name (empty, '.' or '..' component): {name!r}")


def _skipped(parts: tuple[str, ...]) -> bool:
    return "__pycache__" in parts or any(p.startswith(".") for p in parts)


def load_inputs(
    root: Path, paths: Iterable[str], under: str = "", exclude: Iterable[Path] = ()
) -> dict[str, bytes]:
    """Read files to ship with a job, keyed ``<under>/<path relative to root>``.

    A folder brings every file below it (byte code, dot-files, symlinks and whatever is under
    an ``exclude`` folder left out); a path that does not exist is skipped. Paths must stay
    inside ``root``.
    """
    root = Path(root).resolve()
    excluded = tuple(Path(e).resolve() for e in exclude)
    prefix = f"{under}/" if under else ""
    found: dict[str, bytes] = {}
    for rel in paths:
        path = (root / rel).resolve()
        if not path.is_relative_to(root):
            raise UnsafeFileError(f"input {rel!r} leaves {root}")
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
        elif path.is_file():
            candidates = [path]
        else:
            continue
        for file in candidates:
            parts = file.relative_to(root).parts
            if not _skipped(parts) and not any(file.is_relative_to(e) for e in excluded):
                found[prefix + "/".join(parts)] = file.read_bytes()
    return found


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def check_returned_files(
    files: Mapping[str, bytes],
    declared_hashes: Mapping[str, str],
    declared_sizes: Mapping[str, int],
) -> None:
    """Accept returned files only if every name is safe and matches its declared hash and
    size, and the returned set is the declared set. Runs before anything is written."""
    if set(files) != set(declared_hashes) or set(files) != set(declared_sizes):
        odd = sorted(set(files) ^ set(declared_hashes) | set(files) ^ set(declared_sizes))
        raise UnsafeFileError(f"returned files differ from the declared list: {odd[:5]}")
    for name, data in files.items():
        check_relative_path(name)
        if not isinstance(data, bytes | bytearray):
            raise UnsafeFileError(f"{name}: content is not bytes")
        if len(data) != declared_sizes[name]:
            raise UnsafeFileError(
                f"{name}: size {len(data)} differs from the declared {declared_sizes[name]}"
            )
        actual = sha256_bytes(bytes(data))
        if actual != declared_hashes[name]:
            raise UnsafeFileError(
                f"{name}: sha256 {actual[:12]}... differs from the declared "
                f"{declared_hashes[name][:12]}..."
            )


def check_report_video(result: JobResult, video: str) -> None:
    """The returned ``video`` must be exactly the one the worker decoded and described in its
    report (``report["video"]["sha256"]``) before the cache may take it."""
    declared = ((result.report or {}).get("video") or {}).get("sha256")
    if video not in result.files:
        raise UnsafeFileError(f"{video}: not among the returned files")
    if not declared or sha256_bytes(bytes(result.files[video])) != declared:
        raise UnsafeFileError(
            f"{video}: does not match the worker's report (report says {declared!r})"
        )


def publish_files(files: Mapping[str, bytes], destination: Path) -> list[Path]:
    """Write checked files under ``destination`` atomically; return their final paths.

    Every file is first written whole to a temporary file beside its target; only when all were
    written are they renamed into place (:func:`os.replace`), so a failure leaves the previous
    files as they were. A target whose folder resolves outside ``destination`` (a symlink on the
    way) or that is itself a symlink is refused.
    """
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    root = destination.resolve()
    for name in files:
        check_relative_path(name)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in sorted(files.items()):
            target = destination / PurePosixPath(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(root) or target.is_symlink():
                raise UnsafeFileError(f"{name}: resolves outside {destination}")
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
        for tmp_path, final in staged:
            os.replace(tmp_path, final)
        return [final for _, final in staged]
    finally:
        for tmp_path, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def glob_match(rel: str, pattern: str) -> bool:
    """Glob match where ``**`` spans folders and ``*``, ``?`` do not."""
    regex, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            regex, i = regex + ".*", i + 2
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.fullmatch(regex, rel) is not None


def collect_files(
    workdir: Path, patterns: Iterable[str], unchanged: Mapping[str, bytes] | None = None
) -> tuple[dict[str, bytes], dict[str, str], dict[str, int]]:
    """Files under ``workdir`` matching any of ``patterns`` (symlinks and dot-files never),
    leaving out those equal to what ``unchanged`` shipped. Returns contents, SHA-256 and sizes
    by relative POSIX path."""
    patterns = tuple(patterns)
    unchanged = unchanged or {}
    files: dict[str, bytes] = {}
    total = 0
    for path in sorted(Path(workdir).rglob("*")):
        rel = path.relative_to(workdir).as_posix()
        if (
            path.is_symlink()
            or not path.is_file()
            or _skipped(tuple(rel.split("/")))
            or not any(glob_match(rel, p) for p in patterns)
        ):
            continue
        data = path.read_bytes()
        if unchanged.get(rel) == data:
            continue
        total += len(data)
        if total > MAX_RETURN_BYTES:
            raise UnsafeFileError(f"job output exceeds {MAX_RETURN_BYTES} bytes")
        files[rel] = data
    return (
        files,
        {k: sha256_bytes(v) for k, v in files.items()},
        {k: len(v) for k, v in files.items()},
    )


# -- Running a job ----------------------------------------------------------------------------

#: Progress callback of :func:`run_job`: frames written so far.
FramesSink = Callable[[int], None]


def read_progress_file(path: Path) -> int | None:
    """Frames written so far, from the frame hook's file (``None`` if absent or unreadable)."""
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def signal_group(pid: int, signum: int) -> None:
    """Send ``signum`` to the process group led by ``pid`` (nothing if it is gone)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def stop_group(proc: subprocess.Popen, grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM the process group of ``proc``, SIGKILL after ``grace`` seconds, reap it."""
    signal_group(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)
    signal_group(proc.pid, signal.SIGKILL)  # stragglers (LaTeX) left in the group
    proc.wait()


def run_job(
    job: RenderJob,
    worker: str,
    should_stop: Callable[[], bool],
    on_frames: FramesSink | None = None,
    scratch: str | None = None,
) -> JobResult:
    """Run ``job`` and return its result; a failing command is a result, never an exception.

    The command starts in its own session (``start_new_session``, never ``preexec_fn``: unsafe
    in a threaded process) under :mod:`lecturekit.render.guard`. Every :data:`POLL_SECONDS` the
    process, ``should_stop()`` and the frame hook's progress file are checked; on a stop the
    group gets SIGTERM, then SIGKILL after :data:`STOP_GRACE_SECONDS`.
    """
    started = time.perf_counter()
    versions = tool_versions()
    result = JobResult(job.key, worker, None, 0.0, tool_versions=dict(versions))
    if job.expect_versions is not None:
        wrong = version_mismatches(job.expect_versions, versions)
        if wrong:
            result.error = "tool versions differ: " + "; ".join(wrong)
            return result
    with contextlib.ExitStack() as stack:
        private = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="job-", dir=scratch)))
        if job.workdir is not None:
            workdir = Path(job.workdir)
        else:
            workdir = private / "work"
            for rel, data in job.inputs.items():
                check_relative_path(rel)
                target = workdir / PurePosixPath(rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            workdir.mkdir(exist_ok=True)
        progress_file, calls_file = private / "progress", private / "calls.json"
        pythonpath = [job.fill(p, workdir) for p in job.pythonpath]
        env = {
            **os.environ,
            **{k: job.fill(v, workdir) for k, v in job.env.items()},
            PROGRESS_FILE_ENV: str(progress_file),
            CALLS_FILE_ENV: str(calls_file),
            "PYTHONPATH": os.pathsep.join(
                [*pythonpath, *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        log_path = workdir / job.log if job.log else private / "job.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        if job.report:
            (workdir / job.report).unlink(missing_ok=True)  # never read an earlier run's report
        command = [
            sys.executable,
            "-m",
            "lecturekit.render.guard",
            str(os.getpid()),
            "--",
            *(job.fill(a, workdir) for a in job.argv),
        ]
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                command,
                cwd=workdir / job.fill(job.cwd, workdir),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        last_frames: int | None = None
        try:
            while True:
                try:
                    proc.wait(timeout=POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if should_stop():
                    stop_group(proc)
                    result.stopped, result.error = True, "stopped"
                    break
                frames = read_progress_file(progress_file)
                if on_frames is not None and frames is not None and frames != last_frames:
                    last_frames = frames
                    on_frames(frames)
        except BaseException:
            stop_group(proc, grace=1.0)
            raise
        signal_group(proc.pid, signal.SIGKILL)  # anything the command left in its group
        result.seconds = time.perf_counter() - started
        result.log_tail = _tail(log_path)
        if result.stopped:
            return result
        result.returncode = proc.returncode
        frames = read_progress_file(progress_file)
        if on_frames is not None and frames is not None and frames != last_frames:
            on_frames(frames)
        if job.report:
            with contextlib.suppress(OSError, ValueError):
                result.report = json.loads((workdir / job.report).read_text(encoding="utf-8"))
        with contextlib.suppress(OSError, ValueError):
            result.calls = json.loads(calls_file.read_text(encoding="utf-8"))
        if job.returns:
            try:
                result.files, result.sha256, result.sizes = collect_files(
                    workdir, job.returns, job.inputs
                )
            except UnsafeFileError as too_big:
                result.error = str(too_big)
        if proc.returncode != 0 and result.error is None:
            result.error = f"command exited with code {proc.returncode}"
        return result


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - LOG_TAIL_BYTES))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""
