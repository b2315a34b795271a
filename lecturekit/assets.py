"""Data a deck's pictures draw that is computed once and shipped (``.npz``; no manim).

Anything trained or iterated turns last-bit rounding into visibly different pictures: numpy's
OpenBLAS picks its kernels by CPU (``OPENBLAS_CORETYPE``), so the same seed trains other
weights on another machine (measured: Prescott, Haswell and SkylakeX kernels gave three
different slide-9 VAEs in the VAE lecture). Such results are written by a regeneration
command of the deck and read back by its scenes; nothing trains during a render or a test of
the pictures.

:func:`load_npz` checks what it reads (present, readable, every array there with its shape,
finite) and raises one :class:`AssetError` naming the file and the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

Shape = tuple[int, ...]


class AssetError(RuntimeError):
    """A shipped data file is missing, damaged or not what the code expects."""


def load_npz(path: Path, expected: Mapping[str, Shape], regenerate: str) -> dict[str, np.ndarray]:
    """The arrays of ``path``, each checked against its ``expected`` shape and for finiteness.

    Raises :class:`AssetError` ("<path>: <what is wrong>; regenerate it with: <command>")
    when the file is missing, cannot be read (truncated, not an npz), lacks an array, or holds
    one of another shape or with NaN/inf values.
    """
    path = Path(path)

    def fail(problem: str) -> AssetError:
        return AssetError(f"{_shown(path)}: {problem}; regenerate it with: {regenerate}")

    if not path.is_file():
        raise fail("missing")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise fail(f"cannot be read ({type(error).__name__}: {error})") from None
    for name, shape in expected.items():
        if name not in arrays:
            raise fail(f"has no array {name!r}")
        if arrays[name].shape != tuple(shape):
            raise fail(f"array {name!r} has shape {arrays[name].shape}, expected {tuple(shape)}")
        if arrays[name].dtype.kind == "f" and not np.all(np.isfinite(arrays[name])):
            raise fail(f"array {name!r} holds NaN or infinite values")
    return arrays


def save_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> str:
    """Write ``arrays`` compressed to ``path`` (atomically) and return the file's SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        np.savez_compressed(f, **arrays)
    tmp.replace(path)
    return file_sha256(path)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    with Path(path).open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_json(path: Path, regenerate: str) -> dict:
    """A provenance file, or :class:`AssetError` naming it and the regeneration command."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssetError(f"{_shown(path)}: missing; regenerate it with: {regenerate}") from None
    except (OSError, ValueError) as error:
        raise AssetError(
            f"{_shown(path)}: cannot be read ({error}); regenerate it with: {regenerate}"
        ) from None


def source_commit(folder: Path, paths: Sequence[str] = (), short: bool = False) -> str:
    """The commit of the git checkout holding ``folder`` (``-dirty`` when its work tree has
    changes: tracked files anywhere, or any file under ``paths`` when given), for provenance."""
    status = ["git", "status", "--porcelain"]
    status += ["--", *paths] if paths else ["--untracked-files=no"]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", *(["--short"] if short else []), "HEAD"],
            cwd=folder,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(status, cwd=folder, check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + ("-dirty" if dirty.stdout.strip() else "")


def blas_description() -> str:
    """Which BLAS numpy uses and the kernel it picked, for provenance."""
    try:
        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name = f"{config.get('name', '?')} {config.get('version', '')}".strip()
    except Exception:  # numpy without the dict mode: the version alone will do
        name = "unknown BLAS"
    return f"{name}, numpy {np.__version__}"


def _shown(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
