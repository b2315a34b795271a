"""Render workers as Slurm jobs (dask-jobqueue), with TLS: the README's example, runnable.

:func:`slurm_cluster` builds a ``SLURMCluster`` whose workers render scenes: one Slurm job per
worker, one thread each (a render is one process using about one core), the same Python
environment on the compute nodes as on the machine running ``render.py`` (a virtual environment
on a shared filesystem, or the same install at the same path), and TLS certificates on that
shared filesystem. ``cluster.scale(jobs=N)`` submits the jobs (``sbatch``); the scheduler runs
inside the process that made the cluster. Print the job script it would submit (no Slurm
needed)::

    python -m lecturekit.render.deploy --venv /shared/lecture/.venv --certs /shared/render-certs

``PBSCluster`` (``dask_jobqueue``) takes the same arguments. ``pip install -e .[hpc]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def node_security(certs: Path) -> Any:
    """The scheduler's and workers' ``Security``: ``ca.pem``, ``node.pem``, ``node-key.pem``
    (and the client pair, for the process that makes the cluster) in ``certs``."""
    from distributed.security import Security

    return Security(
        tls_ca_file=str(certs / "ca.pem"),
        tls_scheduler_cert=str(certs / "node.pem"),
        tls_scheduler_key=str(certs / "node-key.pem"),
        tls_worker_cert=str(certs / "node.pem"),
        tls_worker_key=str(certs / "node-key.pem"),
        tls_client_cert=str(certs / "client.pem"),
        tls_client_key=str(certs / "client-key.pem"),
        require_encryption=True,
    )


def slurm_cluster(
    venv: Path,
    certs: Path,
    queue: str | None = None,
    walltime: str = "02:00:00",
    memory: str = "4GiB",
) -> Any:
    """A ``SLURMCluster`` whose workers render scenes (see the module docstring)."""
    from dask_jobqueue import SLURMCluster

    return SLURMCluster(
        queue=queue,
        cores=1,  # one render per worker (--nthreads 1): a render uses about one core
        processes=1,
        memory=memory,
        walltime=walltime,
        python=str(venv / "bin" / "python"),  # the same environment as render.py's
        protocol="tls://",
        security=node_security(certs),
        local_directory="$TMPDIR",  # job folders on the node's own disk
        job_script_prologue=["export PYTHONDONTWRITEBYTECODE=1"],
        scheduler_options={"dashboard_address": ":0"},
    )


def main(argv: list[str] | None = None) -> int:
    """Print the Slurm job script of :func:`slurm_cluster` (nothing is submitted)."""
    parser = argparse.ArgumentParser(prog="python -m lecturekit.render.deploy")
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix))
    parser.add_argument("--certs", type=Path, required=True)
    parser.add_argument("--queue")
    args = parser.parse_args(argv)
    names = ("ca.pem", "node.pem", "node-key.pem", "client.pem", "client-key.pem")
    missing = [n for n in names if not (args.certs / n).is_file()]
    if missing:
        print(f"error: {args.certs} lacks {', '.join(missing)} (see README: certificates)")
        return 2
    cluster = slurm_cluster(args.venv, args.certs, args.queue)
    try:
        print(cluster.job_script())
        print(f"# scheduler: {cluster.scheduler_address}")
    finally:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
