"""Versions of the tools that decide a rendered frame: for the cache key and the preflight."""

from __future__ import annotations

import shutil
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
    """Path, size and mtime of a binary: changes when it is upgraded, costs no subprocess."""
    found = shutil.which(name)
    if found is None:
        return "absent"
    st = Path(found).resolve().stat()
    return f"{Path(found).resolve()}:{st.st_size}:{st.st_mtime_ns}"
