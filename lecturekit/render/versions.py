"""Versions of the tools that decide a rendered frame: for the cache key and the preflight.

:func:`tool_versions` names every tool by its *version* (never by a path or a modification
time), so the same Manim, PyAV, Cairo, Pango and TeX Live give the same cache key on any
machine: a scene rendered on a cluster worker and the same scene rendered here share one cache
entry, and a worker with other versions is refused (:func:`version_mismatches`).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

# Distributions whose version can change a rendered frame or its encoding.
RENDER_DISTRIBUTIONS = ("manim", "av", "pycairo", "manimpango", "numpy", "scipy", "pillow")
TEX_BINARIES = ("latex", "dvisvgm")


def distribution_version(distribution: str) -> str:
    """The installed version of a distribution, or ``absent``."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def binary_identity(name: str) -> str:
    """Path, size and mtime of a binary: changes when it is upgraded, costs no subprocess.

    Used to remember a passed preflight check on this machine; never in a cache key, which must
    not depend on where a tool is installed (see :func:`tool_versions`)."""
    found = shutil.which(name)
    if found is None:
        return "absent"
    st = Path(found).resolve().stat()
    return f"{Path(found).resolve()}:{st.st_size}:{st.st_mtime_ns}"


_VERSION_LINE = re.compile(r"^(.*?\d+(?:\.\d+)+[\w.+-]*(?:\s*\([^)]*\))?)")


def first_line_version(text: str) -> str:
    """The program name and version on the first line of a ``--version`` output.

    ``pdfTeX 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian) kpathsea version 6.3.4`` gives
    ``pdfTeX 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian)`` (the distribution in parentheses
    pins the formats and fonts too); ``dvisvgm 3.0.3`` gives ``dvisvgm 3.0.3``. Text without a
    version number is returned stripped; empty text gives ``""``.
    """
    stripped = text.strip()
    line = stripped.splitlines()[0].strip() if stripped else ""
    match = _VERSION_LINE.match(line)
    return match.group(1).strip() if match else line


def program_version(program: str) -> str:
    """``first_line_version`` of ``PROGRAM --version``, or ``absent``."""
    try:
        out = subprocess.run(
            [program, "--version"],
            capture_output=True,
            text=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "absent"
    return first_line_version(out.stdout or out.stderr) or "absent"


def _library_versions() -> dict[str, str]:
    # The C libraries as the Python bindings load them: a system upgrade of Cairo or Pango
    # changes pictures without changing pycairo's or ManimPango's own version.
    found = {"cairo": "absent", "pango": "absent", "libavcodec": "absent"}
    try:
        import cairo

        found["cairo"] = cairo.cairo_version_string()
    except ImportError:
        pass
    try:
        import manimpango

        found["pango"] = str(manimpango.pango_version())
    except (ImportError, AttributeError):
        pass
    try:
        import av

        found["libavcodec"] = ".".join(str(n) for n in av.library_versions["libavcodec"])
    except (ImportError, KeyError, AttributeError):
        pass
    return found


@functools.lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """Versions of everything that draws or encodes a frame (cached for the process).

    Keys: ``python``, the :data:`RENDER_DISTRIBUTIONS` (``manim``, ``av``, ``pycairo``,
    ``manimpango``, ``numpy``, ``scipy``, ``pillow``), ``cairo``, ``pango``, ``libavcodec``
    and the first lines of ``latex --version`` and ``dvisvgm --version``.
    """
    with ThreadPoolExecutor(len(TEX_BINARIES)) as pool:  # the two subprocesses overlap
        tex = dict(zip(TEX_BINARIES, pool.map(program_version, TEX_BINARIES), strict=True))
        versions = {"python": sys.version.split()[0]}
        versions.update({d: distribution_version(d) for d in RENDER_DISTRIBUTIONS})
        versions.update(_library_versions())
    versions.update(tex)
    return versions


def version_mismatches(coordinator: Mapping[str, str], worker: Mapping[str, str]) -> list[str]:
    """One message per tool whose version differs, naming both versions."""
    return [
        f"{tool}: this machine has {coordinator.get(tool, 'absent')}, "
        f"the worker has {worker.get(tool, 'absent')}"
        for tool in sorted(set(coordinator) | set(worker))
        if coordinator.get(tool, "absent") != worker.get(tool, "absent")
    ]
