"""The pictures do not depend on the CPU's BLAS kernels: the snapshot suite, run again under
forced OpenBLAS kernels and one thread, matches the same references.

numpy's OpenBLAS picks its kernels by CPU; before the trained results were shipped in
``assets/``, a machine with SkylakeX kernels drew another slide 9 than one with Haswell
kernels. The default kernels of this machine are what the rest of the suite runs under; this
test adds Prescott (SSE3, the oldest and most different kernels, which every x86-64 CPU can
execute). ``make kernels`` runs the snapshots under every kernel this CPU can execute.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FORCED_KERNEL = "Prescott"


def executable_kernels() -> list[str]:
    """OpenBLAS core types this CPU can run (forcing one it lacks dies on SIGILL)."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split("flags")[1].split("\n")[0].split())
    except (OSError, IndexError):
        flags = set()
    kernels = ["Prescott"]
    if "avx2" in flags:
        kernels.append("Haswell")
    if "avx512f" in flags:
        kernels.append("SkylakeX")
    return kernels


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64"),
    reason="OpenBLAS core types named here are x86-64 kernels",
)
def test_frames_are_the_same_under_forced_blas_kernels(tmp_path: Path) -> None:
    env = {**os.environ, "OPENBLAS_CORETYPE": FORCED_KERNEL, "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_scene_snapshots.py",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-25:])
    assert proc.returncode == 0, f"snapshots under OPENBLAS_CORETYPE={FORCED_KERNEL}:\n{tail}"
    assert " passed" in tail and "skipped" not in tail, tail


def _core(env_extra: dict[str, str]) -> str:
    """The OpenBLAS core a numpy process uses (``Core: Haswell`` with OPENBLAS_VERBOSE=2)."""
    code = "import numpy as np; a = np.arange(9.0).reshape(3, 3); print((a @ a).sum())"
    env = {**os.environ, **env_extra, "OPENBLAS_VERBOSE": "2"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr  # a kernel the CPU lacks dies on SIGILL
    assert proc.stdout.split()[-1] == "486.0"
    cores = [
        line.split(":", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("Core:")
    ]
    assert cores, proc.stderr
    return cores[-1]


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64"),
    reason="OpenBLAS core types named here are x86-64 kernels",
)
def test_forcing_the_kernel_takes_effect() -> None:
    # Otherwise the test above would run the default kernels twice and prove nothing.
    assert FORCED_KERNEL in executable_kernels()
    default = _core({})
    forced = _core({"OPENBLAS_CORETYPE": FORCED_KERNEL})
    assert forced != default, f"OPENBLAS_CORETYPE={FORCED_KERNEL} still ran {default} kernels"
