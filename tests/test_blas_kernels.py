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


class ForcedRun:
    """The snapshot suite under ``FORCED_KERNEL`` and one thread, in a process of its own.

    Started when the session's tests are collected (``tests/conftest.py``), so it runs on the
    second core while this process runs the rest of the suite, which is mostly one busy thread:
    on 2 cores it then adds little to the suite's wall time instead of ~4-9 minutes at its end.
    """

    def __init__(self, log: Path) -> None:
        env = {**os.environ, "OPENBLAS_CORETYPE": FORCED_KERNEL, "OPENBLAS_NUM_THREADS": "1"}
        env["LECTUREKIT_TEST_HEADLESS_MEDIA"] = str(log.parent / "media")  # its own LaTeX files
        self.log = log
        with log.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", SNAPSHOTS],
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def result(self) -> tuple[int, str]:
        """Wait for the run; its exit code and the last lines of its output."""
        code = self.proc.wait()
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return code, "\n".join(lines[-25:])

    def stop(self) -> None:
        """End the run if it is still going (the session ended early)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


SNAPSHOTS = "tests/test_scene_snapshots.py"
FORCED_TEST = "test_frames_are_the_same_under_forced_blas_kernels"


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64"),
    reason="OpenBLAS core types named here are x86-64 kernels",
)
def test_frames_are_the_same_under_forced_blas_kernels(
    forced_blas_run: ForcedRun | None, tmp_path: Path
) -> None:
    run = forced_blas_run or ForcedRun(tmp_path / "forced.log")  # started early, or now
    code, tail = run.result()
    assert code == 0, f"snapshots under OPENBLAS_CORETYPE={FORCED_KERNEL}:\n{tail}"
    assert " passed" in tail and "skipped" not in tail, tail


def _core(env_extra: dict[str, str]) -> str:
    """The OpenBLAS core a numpy process uses (``Core: Haswell`` with OPENBLAS_VERBOSE=2)."""
    code = "import numpy as np; a = np.arange(9.0).reshape(3, 3); print((a @ a).sum())"
    # The machine's own kernels unless env_extra forces one (also when the suite itself runs
    # under a forced kernel).
    own = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env = {**own, **env_extra, "OPENBLAS_VERBOSE": "2"}
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
