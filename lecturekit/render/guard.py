"""Run a command so that it dies with the process that started it.

    python -m lecturekit.render.guard PARENT_PID -- COMMAND ARGS...

:func:`lecturekit.render.jobs.run_job` starts every job through this guard, in a new session (so the
guard leads the job's process group). The guard starts the command in the same group and
waits for it. It ends the whole group when

- the parent (a Dask worker, or the local coordinator) dies, even by SIGKILL: on Linux the
  kernel sends the guard SIGTERM (``PR_SET_PDEATHSIG``, set by the guard on *itself*: no
  ``preexec_fn`` in the threaded parent), elsewhere the guard notices its parent changed;
- the guard gets SIGTERM/SIGINT/SIGHUP (a stop): it forwards the signal to the group and
  exits after the command did (SIGKILL after a grace period).

Without it, a worker killed mid-render leaves Manim rendering on, unseen: cancelling a Dask
task, ``client.restart()`` or closing the cluster never kill a subprocess the task started.
The guard's exit code is the command's (``128 + N`` when it died of signal N).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

GRACE_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _end_group(signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(os.getpgid(0), signum)


def main(argv: list[str]) -> int:
    """Entry point (see module docstring)."""
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m lecturekit.render.guard PARENT_PID -- COMMAND ...", file=sys.stderr)
        return 2
    parent, command = int(argv[0]), argv[2:]
    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    _die_with_parent(parent)
    proc = subprocess.Popen(command)  # same process group: a group signal reaches it
    deadline: float | None = None
    while True:
        try:
            code = proc.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            pass
        if os.getppid() != parent and not stopping:
            stopping.append(signal.SIGTERM)  # non-Linux fallback: parent gone
        if stopping and deadline is None:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # do not stop ourselves
            _end_group(signal.SIGTERM)
            deadline = time.monotonic() + GRACE_SECONDS
        if deadline is not None and time.monotonic() > deadline:
            _end_group(signal.SIGKILL)  # ends the guard too
    if stopping:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _end_group(signal.SIGTERM)  # the command's own children, if any outlived it
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
