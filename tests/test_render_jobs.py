"""Jobs, tool versions, returned-file checks, the atomic publisher, the progress display and
the split planner: the pieces behind ``render.py --executor``, without a cluster."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lecturekit.render.executors import (
    InsecureAddressError,
    LocalExecutor,
    ProgressEvent,
    check_address,
    verify_result,
)
from lecturekit.render.framehook import FrameCounter
from lecturekit.render.jobs import (
    JobResult,
    RenderJob,
    UnsafeFileError,
    check_relative_path,
    check_report_video,
    check_returned_files,
    collect_files,
    publish_files,
    read_progress_file,
    run_job,
    sha256_bytes,
)
from lecturekit.render.progress import (
    PlainView,
    ProgressModel,
    RichView,
    format_seconds,
    make_view,
)
from lecturekit.render.split import (
    SceneProfile,
    check_seams,
    chunk_argument,
    lpt_makespan,
    partitions,
    plan_splits,
    safe_starts,
    simulate,
)
from lecturekit.render.versions import first_line_version, tool_versions, version_mismatches

REPO = Path(__file__).resolve().parent.parent

# -- Tool versions ----------------------------------------------------------------------------


def test_first_line_version_parses_latex_and_dvisvgm() -> None:
    latex = (
        "pdfTeX 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian)\n"
        "kpathsea version 6.3.4\nCopyright 2022 Han The Thanh (pdfTeX) et al.\n"
    )
    assert first_line_version(latex) == "pdfTeX 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian)"
    assert first_line_version("dvisvgm 3.0.3\n") == "dvisvgm 3.0.3"
    assert first_line_version("") == ""
    assert first_line_version("weird output\nline 2") == "weird output"


def test_tool_versions_are_versions_not_paths() -> None:
    versions = tool_versions()
    assert versions["manim"].startswith("0.22.")
    assert versions["python"] == sys.version.split()[0]
    for key in ("av", "libavcodec", "pycairo", "cairo", "manimpango", "pango", "numpy", "scipy"):
        assert versions[key][0].isdigit(), (key, versions[key])
    assert versions["latex"].startswith("pdfTeX 3.") and "TeX Live" in versions["latex"]
    assert versions["dvisvgm"].startswith("dvisvgm 3.")
    assert not any(v.startswith("/") for v in versions.values())


def test_version_mismatch_names_both_versions() -> None:
    wrong = version_mismatches(
        {"manim": "0.22.0", "av": "18.1.0"}, {"manim": "0.21.1", "av": "18.1.0"}
    )
    assert wrong == ["manim: this machine has 0.22.0, the worker has 0.21.1"]


def test_verify_result_refuses_other_versions_and_bad_files() -> None:
    good = tool_versions()
    other = JobResult("k", "w", 0, 1.0, tool_versions={**good, "pango": "1.44.0"})
    verify_result(other, good)
    assert other.error == (
        f"tool versions differ: pango: this machine has {good['pango']}, the worker has 1.44.0"
    )
    bad = JobResult(
        "k",
        "w",
        0,
        1.0,
        files={"../x": b"x"},
        sha256={"../x": sha256_bytes(b"x")},
        sizes={"../x": 1},
    )
    verify_result(bad, good)
    assert bad.error.startswith("returned files refused") and bad.files == {}


def test_a_worker_with_other_versions_does_not_run_the_job(tmp_path: Path) -> None:
    tally = tmp_path / "ran"
    job = RenderJob(
        "v",
        ("{python}", "-c", f"open({str(tally)!r}, 'w')"),
        expect_versions={**tool_versions(), "manim": "0.19.0"},
    )
    result = run_job(job, "here", lambda: False)
    assert result.returncode is None and not tally.exists()
    assert result.error == (
        "tool versions differ: manim: this machine has 0.19.0, the worker has "
        f"{tool_versions()['manim']}"
    )


# -- Returned files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "a/../x",
        "a/..",
        "/abs",
        "//host/x",
        "C:/x",
        "c:x",
        "a\\b",
        "",
        "a//b",
        "./a",
        "~/x",
        "a\x00b",
    ],
)
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(UnsafeFileError):
        check_relative_path(name)


def test_safe_names_pass() -> None:
    for name in ("a.mp4", "build/videos/s/480p15/Scene.mp4", "sections/S_0000_a.mp4", "x..y"):
        check_relative_path(name)


def test_returned_files_must_match_their_declared_hash_size_and_list() -> None:
    files = {"v/a.mp4": b"video", "v/a.srt": b"captions"}
    hashes = {k: sha256_bytes(v) for k, v in files.items()}
    sizes = {k: len(v) for k, v in files.items()}
    check_returned_files(files, hashes, sizes)
    with pytest.raises(UnsafeFileError, match="sha256"):
        check_returned_files({**files, "v/a.mp4": b"vidEo"}, hashes, sizes)
    with pytest.raises(UnsafeFileError, match="size"):
        check_returned_files({**files, "v/a.mp4": b"video!"}, hashes, sizes)
    with pytest.raises(UnsafeFileError, match="declared"):
        check_returned_files({**files, "extra": b""}, hashes, sizes)
    with pytest.raises(UnsafeFileError):
        check_returned_files({"/abs": b"x"}, {"/abs": sha256_bytes(b"x")}, {"/abs": 1})


def test_returned_video_must_be_the_one_the_worker_reported() -> None:
    video = b"\x00\x00\x00 ftypisom"
    result = JobResult(
        "s",
        "w",
        0,
        1.0,
        files={"v/S.mp4": video},
        report={"video": {"sha256": sha256_bytes(video)}},
    )
    check_report_video(result, "v/S.mp4")
    result.files["v/S.mp4"] = video + b"!"
    with pytest.raises(UnsafeFileError, match="report"):
        check_report_video(result, "v/S.mp4")
    with pytest.raises(UnsafeFileError, match="not among"):
        check_report_video(result, "v/Other.mp4")


def test_publish_is_atomic_and_all_or_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    (dest / "v").mkdir(parents=True)
    (dest / "v" / "a.mp4").write_bytes(b"old")
    written = publish_files({"v/a.mp4": b"new", "v/sections/s.json": b"[]"}, dest)
    assert sorted(p.relative_to(dest).as_posix() for p in written) == [
        "v/a.mp4",
        "v/sections/s.json",
    ]
    assert (dest / "v" / "a.mp4").read_bytes() == b"new"
    with pytest.raises(UnsafeFileError):
        publish_files({"v/a.mp4": b"newer", "../evil": b"x"}, dest)
    assert (dest / "v" / "a.mp4").read_bytes() == b"new"  # nothing replaced
    assert not (tmp_path / "evil").exists()
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, dest / "link")
    with pytest.raises(UnsafeFileError, match="outside"):
        publish_files({"link/x.mp4": b"x"}, dest)
    assert not (outside / "x.mp4").exists()
    assert not [p for p in dest.rglob("*") if p.name.endswith(".tmp")]


def test_collect_files_globs_skips_symlinks_and_unchanged_inputs(tmp_path: Path) -> None:
    for rel in (
        "build/videos/m/480p15/S.mp4",
        "build/videos/m/480p15/partial_movie_files/u.mp4",
        "build/Tex/a.svg",
        "build/Tex/b.svg",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(rel.encode())
    os.symlink("/etc/passwd", tmp_path / "build/videos/m/480p15/evil.mp4")
    files, hashes, sizes = collect_files(
        tmp_path,
        ("build/videos/*/*/*.mp4", "build/Tex/*.svg"),
        {"build/Tex/a.svg": b"build/Tex/a.svg"},
    )
    assert sorted(files) == [
        "build/Tex/b.svg",
        "build/videos/m/480p15/S.mp4",
    ]  # a.svg came unchanged
    check_returned_files(files, hashes, sizes)


def test_run_job_ships_inputs_and_reports_a_failure() -> None:
    job = RenderJob(
        "fails",
        ("{python}", "-c", "import sys; print(open('in/a.txt').read()); sys.exit(3)"),
        inputs={"in/a.txt": b"shipped"},
    )
    result = run_job(job, "here", lambda: False)
    assert result.returncode == 3 and not result.ok
    assert "shipped" in result.log_tail
    assert result.error == "command exited with code 3"


COORDINATOR = """
import sys, time
from lecturekit.render.executors import LocalExecutor
from lecturekit.render.jobs import RenderJob
marker = sys.argv[1]
code = ("import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
        f"'import time; time.sleep(120)', {marker!r}]); time.sleep(120)")
LocalExecutor(1).submit(RenderJob("x", ("{python}", "-c", code, marker)))
time.sleep(120)
"""


def test_a_job_dies_with_a_coordinator_killed_outright(tmp_path: Path) -> None:
    """SIGKILL leaves the coordinator no chance to stop anything: the guard, which dies with
    its parent (PR_SET_PDEATHSIG), takes the job's whole process group along."""
    from tests.test_robustness import processes_mentioning, wait_for

    marker = f"job-marker-{os.getpid()}-{time.time_ns()}"
    script = tmp_path / "coordinator.py"
    script.write_text(COORDINATOR)
    parent = subprocess.Popen([sys.executable, str(script), marker], cwd=REPO)
    try:
        wait_for(lambda: len(processes_mentioning(marker)) >= 3, 30, "guard, job, grandchild")
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        wait_for(lambda: processes_mentioning(marker) == [], 10, "the job's processes to end")
    finally:
        parent.kill()


def test_local_executor_reports_jobs_and_progress() -> None:
    code = (
        "import os, time\n"
        "path = os.environ['LECTUREKIT_PROGRESS_FILE']\n"
        "for frames in (10, 20, 30):\n"
        "    open(path + '.tmp', 'w').write(f'{frames} 0\\n'); os.replace(path + '.tmp', path)\n"
        "    time.sleep(0.45)\n"
    )
    events: list[ProgressEvent] = []
    with LocalExecutor(jobs=2, on_progress=events.append) as executor:
        executor.submit(RenderJob("a", ("{python}", "-c", code)))
        executor.submit(RenderJob("b", ("{python}", "-c", "raise SystemExit(2)")))
        results = {r.key: r for r in executor.as_completed()}
    assert results["a"].ok and results["a"].worker == "local"
    assert results["b"].returncode == 2
    frames = [e.frames for e in events if e.key == "a" and e.kind == "frames"]
    assert frames[-1] == 30 and frames == sorted(set(frames)) and len(frames) >= 2  # 0.2-s polls
    assert ("b", "started") in {(e.key, e.kind) for e in events}


# -- Addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["tcp://127.0.0.1:8786", "127.0.0.1:8786", "tcp://localhost:8786", "tcp://[::1]:8786"],
)
def test_plaintext_on_this_machine_is_allowed(address: str) -> None:
    assert check_address(address).startswith("tcp://")


@pytest.mark.parametrize(
    "address",
    ["tcp://10.1.2.3:8786", "192.0.2.7:8786", "tcp://sched.example.org:8786", "tcp://0.0.0.0:8786"],
)
def test_remote_plaintext_is_refused_unless_allowed(address: str) -> None:
    with pytest.raises(InsecureAddressError, match="--allow-remote-plaintext") as refused:
        check_address(address)
    assert "tls://" in str(refused.value)
    assert check_address(address, allow_remote_plaintext=True).startswith("tcp://")


def test_tls_needs_certificates_and_odd_schemes_are_refused() -> None:
    with pytest.raises(InsecureAddressError, match="certificates"):
        check_address("tls://sched:8786")
    with pytest.raises(InsecureAddressError, match="unsupported"):
        check_address("ucx://sched:8786")


# -- Progress -------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_model_totals_eta_and_a_rescheduled_job() -> None:
    clock = FakeClock()
    model = ProgressModel(clock)
    model.add_job("a", 100)
    model.add_job("b", 300)
    model.on_event(ProgressEvent("a", "started", "tcp://w1"))
    clock.now += 10
    model.on_event(ProgressEvent("a", "frames", "tcp://w1", 100))
    snap = model.snapshot()
    assert (snap.done_frames, snap.total_frames, snap.elapsed, snap.eta) == (100, 400, 10, 30)
    model.finish("a", ok=True)
    model.on_event(ProgressEvent("b", "started", "tcp://w2"))
    model.on_event(ProgressEvent("b", "frames", "tcp://w2", 50))
    model.on_event(ProgressEvent("b", "started", "tcp://w3"))  # its worker died: from zero
    snap = model.snapshot()
    assert snap.done_frames == 100 and [j.worker for j in snap.running] == ["tcp://w3"]
    assert format_seconds(None) == "--:--" and format_seconds(3725) == "1:02:05"


def test_plain_view_summary_at_most_every_10_s_and_only_on_change() -> None:
    clock = FakeClock()
    model = ProgressModel(clock)
    model.add_job("s1", 50)
    model.add_job("s2", 50)
    out = io.StringIO()
    view = PlainView(model, out, every=10.0, clock=clock)
    view.start()
    model.on_event(ProgressEvent("s1", "started", "tcp://10.0.0.5:4000"))
    for second in range(1, 26):
        clock.now += 1
        model.on_event(ProgressEvent("s1", "frames", "tcp://10.0.0.5:4000", second))
        view.tick()
    for _ in range(30):  # nothing changes: nothing printed
        clock.now += 1
        view.tick()
    view.stop()
    lines = out.getvalue().splitlines()
    # at t=10, 20 and 30 (frames changed at t=21-25), then nothing new: only the last one
    assert [line.split("elapsed ")[1][:4] for line in lines] == ["0:10", "0:20", "0:30", "0:55"]
    assert lines[0] == "progress: 10/100 frames (10%), 0/2 done, 1 running, elapsed 0:10, ETA 1:30"


def test_rich_view_draws_at_once_and_at_least_once_a_second() -> None:
    from rich.console import Console

    model = ProgressModel()
    model.add_job("05-expectation", 825)
    model.on_event(ProgressEvent("05-expectation", "started", "tls://10.0.0.7:39001"))
    model.on_event(ProgressEvent("05-expectation", "frames", "tls://10.0.0.7:39001", 400))
    out = io.StringIO()
    view = RichView(model, Console(file=out, force_terminal=True, width=140))
    started = time.monotonic()
    view.start()
    assert view.draws >= 1 and time.monotonic() - started < 5  # first draw at once
    time.sleep(1.6)
    assert view.draws >= 3  # redrawn by its own thread, at least once a second
    view.stop()
    text = out.getvalue()
    assert "all scenes" in text and "400/825 frames" in text and "on tls://10.0.0.7:39001" in text
    assert isinstance(make_view(model, io.StringIO()), PlainView)  # off a terminal


def test_frame_counter_writes_at_most_every_half_second(tmp_path: Path) -> None:
    counter = FrameCounter(tmp_path / "p", tmp_path / "t.json", every=0.5)
    started = time.monotonic()
    while time.monotonic() - started < 1.2:
        counter.add(1)
    assert 2 <= counter.writes <= 4
    counter.finish()
    assert read_progress_file(tmp_path / "p") == counter.frames


# -- The split planner ---------------------------------------------------------------------


def test_partitions_balance_contiguous_calls() -> None:
    assert partitions([1, 1, 1, 1], 2)[1] == [(0, 1), (2, 3)]
    assert partitions([5, 1, 1, 1, 1, 1], 2)[1] == [(0, 0), (1, 5)]
    assert partitions([1, 2, 3], 5)[-1] == [(0, 0), (1, 1), (2, 2)]  # one call at least each
    assert lpt_makespan([3, 3, 2, 2, 2], 2) == 7 and lpt_makespan([], 3) == 0


def test_plan_splits_only_where_it_shortens_the_render() -> None:
    long = SceneProfile(setup=2.0, costs=(5.0,) * 8)  # 42 s
    short = SceneProfile(setup=2.0, costs=(1.0,) * 4)  # 6 s
    profiles = {"long": long, "a": short, "b": short}
    one = plan_splits(profiles, 1)
    assert one.chunks == 3 and one.makespan == pytest.approx(54.0)
    four = plan_splits(profiles, 4)
    assert len(four.ranges["long"]) >= 3 and four.makespan < 42 * 0.6  # 42 s unsplit
    even = plan_splits({f"s{i}": short for i in range(4)}, 4)  # as many scenes as workers
    assert even.chunks == 4 and even.makespan == 6.0
    for row in simulate(profiles, (1, 2, 4, 8)):
        assert row["lower_bound"] - 1e-9 <= row["split"] <= row["unsplit"] + 1e-9


def test_no_chunk_starts_after_a_time_based_updater_or_in_a_scene_that_failed_its_seams() -> None:
    drifting = SceneProfile(setup=1.0, costs=(5.0,) * 6, dt_from=2)
    plan = plan_splits({"d": drifting}, 4)
    assert safe_starts(plan.ranges["d"], 2) and len(plan.ranges["d"]) > 1
    assert all(start <= 2 for start, _ in plan.ranges["d"])
    refused = SceneProfile(setup=1.0, costs=(5.0,) * 6, splittable=False)
    assert plan_splits({"r": refused}, 4).chunks == 1


def test_chunks_overlap_by_one_call_and_seams_compare_its_digest() -> None:
    ranges = [(0, 2), (3, 4), (5, 7)]
    assert chunk_argument(ranges, 0) == ("0,2", None)
    assert chunk_argument(ranges, 1) == ("2,4", 2)  # renders call 2 again, without writing it
    assert chunk_argument(ranges, 2)[0].startswith("4,")  # open-ended: calls added since count
    calls = [
        [{"index": 2, "digest": "x"}],
        [{"index": 2, "digest": "x"}, {"index": 4, "digest": "y"}],
        [{"index": 4, "digest": "y"}],
    ]
    assert check_seams(ranges, calls) is None
    calls[2][0]["digest"] = "z"
    assert "chunk 3 does not start from the state chunk 2 ended in" in check_seams(ranges, calls)


@pytest.mark.parametrize("remote", [False, True])
def test_every_scene_process_hashes_strings_with_one_seed(tmp_path: Path, remote: bool) -> None:
    """A scene's frames must not depend on the process's random string-hash seed (Manim pairs
    formula parts through sets of strings): local and remote jobs both fix it."""
    from lecturekit.render.renderer import SCENE_ENV, _JobMaker, _Part
    from lecturekit.render.target import Target
    from tests.fake_decks import copy_deck

    deck = copy_deck("pipeline", tmp_path)
    maker = _JobMaker(Target(deck, "low", media_dir=tmp_path / "media"), remote=remote)
    job = maker.job(_Part(deck.scenes[0]), frames_total=None)
    assert SCENE_ENV == {"PYTHONHASHSEED": "0"}
    assert job.env["PYTHONHASHSEED"] == "0"
