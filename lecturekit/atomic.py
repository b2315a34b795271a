"""Write final files atomically: a temporary file in the same folder, renamed when complete.

A lecturer's course page links to fixed paths under media/; a crash or Ctrl-C mid-write must
leave the previous good file there, never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it onto ``final`` if the block succeeds.

    The temporary file keeps ``final``'s suffix so writers that pick a format from the name
    (PIL, PyAV) still work. On error it is removed and ``final`` is untouched.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{final.stem}.", suffix=f".tmp{final.suffix}", dir=final.parent
    )
    # mkstemp creates the file private (0600); a final file must get the permissions any new
    # file would (a web server reads the video), or keep those of the file it replaces.
    try:
        mode = final.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.fchmod(fd, mode)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(final: Path, content: str) -> None:
    """Write a text file atomically (UTF-8)."""
    with atomic_path(final) as tmp:
        tmp.write_text(content, encoding="utf-8")
