"""Scenes rendered on a real multi-process Dask cluster (``LocalCluster``, 2 worker processes,
1 thread each, on 127.0.0.1): the cache shared with local renders, a failing scene reported
once, a scene split across workers, TLS with temporary credentials, Ctrl-C/SIGTERM stopping the
remote renders, and a worker killed mid-render. Dask's config and scratch folders are in a
temporary folder (``tests/conftest.py``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lecturekit.build import build_video
from lecturekit.deck import Deck
from lecturekit.narration.voice import Narration, Voice
from lecturekit.render.cache import SceneCache
from lecturekit.render.executors import DaskExecutor, InsecureAddressError, security_from_file
from lecturekit.render.jobs import RenderJob
from lecturekit.render.progress import ProgressModel
from lecturekit.render.renderer import NARRATION_EXECUTOR_ERROR, render_scenes
from lecturekit.render.split import SceneProfile
from lecturekit.render.target import Target
from lecturekit.video.validate import probe_video
from tests.conftest import DASK_HOME
from tests.fake_decks import copy_deck
from tests.test_robustness import RENDER, REPO, processes_mentioning, wait_for

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    from distributed import LocalCluster

    folder = tempfile.mkdtemp(prefix="workers-", dir=DASK_HOME)
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        local_directory=folder,
        dashboard_address="127.0.0.1:0",
        host="127.0.0.1",
    ) as local:
        local.folder = folder
        yield local


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return copy_deck("pipeline", tmp_path)


def remote_renders(cluster, scene_file: str) -> list[int]:
    """Render processes of ``scene_file`` running on the cluster's workers."""
    return [
        pid
        for pid in processes_mentioning(cluster.folder)
        if scene_file in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    ]


def test_cluster_renders_share_the_cache_report_failures_once_and_split(
    cluster, deck: Deck, tmp_path: Path
) -> None:
    target = Target(deck, "low", media_dir=tmp_path / "media")
    alpha, boom, steps = (deck.by_name(n) for n in ("Alpha", "Boom", "Steps"))
    tally = tmp_path / "boom-attempts.txt"
    boom_file = deck.folder / "s_boom.py"
    boom_file.write_text(
        boom_file.read_text().replace(
            "        raise RuntimeError",
            f"        open({str(tally)!r}, 'a').write('attempt\\n')\n        raise RuntimeError",
        )
    )
    # Per-call costs as a previous render would have left them, long enough to split Steps.
    SceneCache(target).store_profile(steps, SceneProfile(0.5, (5.0,) * 7))
    lines: list[str] = []
    with DaskExecutor(cluster.scheduler_address) as executor:
        results = render_scenes(
            [alpha, boom, steps], target, on_event=lines.append, executor=executor
        )
    by = {r.spec.class_name: r for r in results}
    workers = set(cluster.scheduler_info["workers"])
    done = {line.split(": ", 1)[0].split("] ")[1]: line for line in lines if line.startswith("[")}
    assert by["Alpha"].ok and any(f"rendered on {w} in" in done[alpha.key] for w in workers)
    assert not by["Boom"].ok and "RuntimeError: boom" in by["Boom"].error
    assert "FAILED on tcp://127.0.0.1:" in done[boom.key]
    assert "boom" in by["Boom"].log.read_text()  # its log came back to this machine
    assert tally.read_text() == "attempt\n"  # not retried
    assert any(line.startswith(f"{steps.key}: in 2 parts") for line in lines), lines
    assert by["Steps"].ok and probe_video(by["Steps"].video).frames == by["Steps"].facts.frames
    assert by["Steps"].captions is not None and by["Steps"].sections is not None

    # The same scene rendered here is the same cache entry: nothing to render.
    local: list[str] = []
    (again,) = render_scenes([alpha], target, on_event=local.append)
    assert local == [f"{alpha.key}: cached, unchanged"] and again.video == by["Alpha"].video


def test_tls_cluster_with_temporary_credentials(tmp_path: Path) -> None:
    from distributed import LocalCluster
    from distributed.security import Security

    security = Security.temporary()
    for name, pem in (
        ("ca.pem", security.tls_ca_file),
        ("client.pem", security.tls_client_cert),
        ("client-key.pem", security.tls_client_key),
    ):
        (tmp_path / name).write_text(pem)
    config = tmp_path / "tls.toml"
    config.write_text('[tls]\nca_file = "ca.pem"\ncert = "client.pem"\nkey = "client-key.pem"\n')
    folder = tempfile.mkdtemp(prefix="tls-", dir=DASK_HOME)
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        protocol="tls",
        security=security,
        local_directory=folder,
        dashboard_address="127.0.0.1:0",
        host="127.0.0.1",
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        with pytest.raises(InsecureAddressError, match="certificates"):
            DaskExecutor(address)  # tls:// without certificates
        job = RenderJob(
            "hello", ("{python}", "-c", "open('out.txt', 'w').write('hi')"), returns=("out.txt",)
        )
        with DaskExecutor(address, security=security_from_file(config)) as executor:
            executor.submit(job)
            (result,) = list(executor.as_completed())
    assert result.ok, result.log_tail
    assert result.worker.startswith("tls://127.0.0.1:") and result.files == {"out.txt": b"hi"}


def test_render_py_refuses_remote_plaintext_before_connecting(deck: Deck, tmp_path: Path) -> None:
    args = [sys.executable, str(RENDER), "--deck", str(deck.folder), "-q", "low"]
    args += ["--media-dir", str(tmp_path / "media"), "--executor", "tcp://192.0.2.1:8786"]
    refused = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "refusing tcp://192.0.2.1:8786" in refused.stderr
    assert "--allow-remote-plaintext" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "media" / "build").exists()


def test_render_py_refuses_narration_on_a_cluster_before_anything_runs(
    deck: Deck, tmp_path: Path
) -> None:
    args = [sys.executable, str(RENDER), "--deck", str(deck.folder), "-q", "low", "--narration"]
    args += ["--media-dir", str(tmp_path / "media"), "--executor", "tcp://127.0.0.1:8786"]
    refused = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert f"Error: {NARRATION_EXECUTOR_ERROR}" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "media" / "build").exists()
    assert not (tmp_path / "media" / "cache").exists()


class _UnusableCluster:
    """An executor on a cluster that must never get a job."""

    address = "tcp://127.0.0.1:8786"
    capacity = 2
    on_progress = None

    def submit(self, job) -> None:
        raise AssertionError(f"{job.key} was sent to the cluster")

    def as_completed(self, idle=None):
        raise AssertionError("nothing was submitted")

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_narrated_render_on_a_cluster_is_refused_before_anything_renders(
    deck: Deck, tmp_path: Path
) -> None:
    voice = Voice(tmp_path / "voice.onnx", tmp_path / "voice.onnx.json")  # never read
    narrated = Target(deck, "low", media_dir=tmp_path / "media", narration=Narration(voice))
    lines: list[str] = []
    with pytest.raises(ValueError) as refused:
        render_scenes(
            [deck.by_name("Alpha")], narrated, on_event=lines.append, executor=_UnusableCluster()
        )
    assert str(refused.value) == NARRATION_EXECUTOR_ERROR
    assert str(refused.value).startswith("--narration cannot be combined with --executor yet: ")
    assert lines == [] and not (tmp_path / "media").exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_cluster_render_stops_the_remote_renders(
    cluster, deck: Deck, tmp_path: Path, signum: int
) -> None:
    args = [sys.executable, str(RENDER), "--deck", str(deck.folder), "-q", "low", "--scene"]
    args += ["Slow", "--media-dir", str(tmp_path / "media")]
    args += ["--executor", cluster.scheduler_address]
    run = subprocess.Popen(
        args, cwd=REPO, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        wait_for(lambda: remote_renders(cluster, "s_slow.py"), 60, "Slow rendering on a worker")
        run.send_signal(signum)
        _out, err = run.communicate(timeout=30)
    finally:
        run.kill()
    assert run.returncode == 128 + signum, err
    assert f"interrupted ({signal.Signals(signum).name})" in err and "Traceback" not in err
    wait_for(
        lambda: remote_renders(cluster, "s_slow.py") == [], 10, "no render left on the workers"
    )


class KillOnStart:
    """A progress view that kills the worker a scene renders on, once its Manim runs."""

    def __init__(self, model: ProgressModel, pids: dict[str, int], cluster) -> None:
        self.model, self.pids, self.cluster, self.killed = model, pids, cluster, ""

    def start(self) -> None:
        pass

    def tick(self) -> None:
        running = self.model.snapshot().running
        if not self.killed and running and remote_renders(self.cluster, "s_steps.py"):
            self.killed = running[0].worker
            os.kill(self.pids[self.killed], signal.SIGKILL)

    def stop(self) -> None:
        pass


def test_a_worker_killed_mid_render_and_the_scene_is_rendered_elsewhere(
    cluster, deck: Deck, tmp_path: Path
) -> None:
    # Last in this module: the cluster's nanny starts a new worker in the killed one's place.
    target = Target(deck, "low", media_dir=tmp_path / "media")
    views: list[KillOnStart] = []
    lines: list[str] = []
    with DaskExecutor(cluster.scheduler_address) as executor:
        pids = executor.client.run(os.getpid)

        def view(model: ProgressModel) -> KillOnStart:
            views.append(KillOnStart(model, pids, cluster))
            return views[-1]

        build = build_video(
            [deck.by_name("Steps")], target, on_event=lines.append, executor=executor, view=view
        )
    killed = views[0].killed
    assert killed, "the scene finished before a worker could be killed"
    assert not build.failed and probe_video(build.video).frames == build.results[0].facts.frames
    done = next(line for line in lines if line.startswith("[1/1]"))
    assert "rendered on tcp://127.0.0.1:" in done and killed not in done
    assert remote_renders(cluster, "s_steps.py") == []  # the first attempt did not live on


def test_slurm_example_builds_its_job_script(tmp_path: Path) -> None:
    from distributed.security import Security

    from lecturekit.render.deploy import slurm_cluster

    pems = Security.temporary()
    for name, pem in (
        ("ca.pem", pems.tls_ca_file),
        ("node.pem", pems.tls_scheduler_cert),
        ("node-key.pem", pems.tls_scheduler_key),
        ("client.pem", pems.tls_client_cert),
        ("client-key.pem", pems.tls_client_key),
    ):
        (tmp_path / name).write_text(pem)
    cluster = slurm_cluster(Path("/shared/lecture/.venv"), tmp_path, queue="render")
    try:
        script = cluster.job_script()
        assert cluster.scheduler_address.startswith("tls://")
    finally:
        cluster.close()
    assert "#SBATCH -p render" in script and "#SBATCH --cpus-per-task=1" in script
    assert "/shared/lecture/.venv/bin/python -m distributed.cli.dask_worker tls://" in script
    assert "--nthreads 1" in script and f"--tls-ca-file {tmp_path / 'ca.pem'}" in script
