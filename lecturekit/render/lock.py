"""One render at a time per media folder: ``media/.render.lock`` (:attr:`Target.lock`).

Two ``render.py`` runs on the same checkout would render into the same build folders, move
files into the same cache entries and rename onto the same final video. The second run stops
at once with "another render is running (pid N)" instead.

The lock is an ``flock`` on the file, not the file's existence: the kernel releases it when the
holding process ends, however it ends, so a crash or SIGKILL never leaves a stale lock. The
file holds the holder's pid, for the message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class RenderLocked(Exception):
    """Another process holds the render lock."""

    def __init__(self, pid: int | None, path: Path) -> None:
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another render is running ({who}); wait for it to finish (lock: {path})")
        self.pid = pid


class RenderLock:
    """``with RenderLock(target.lock):`` holds the lock file for the block, or raises
    :class:`RenderLocked` at once (no waiting)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def __enter__(self) -> RenderLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise RenderLocked(holder, self.path) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)  # the file stays (unlinking it would race a waiter)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip())
    except (OSError, ValueError):
        return None
