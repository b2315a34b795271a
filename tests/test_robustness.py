"""A render never lies and never loses a good video: each fault is made for real.

Runs ``render.py --deck`` over a copy of the test deck ``tests/decks/pipeline`` in a
subprocess where the test needs a separate process (signals, two runs at once, PATH without
LaTeX), and the library functions in-process elsewhere.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lecturekit import build as build_module
from lecturekit import cli
from lecturekit.build import build_video
from lecturekit.deck import Deck, load_deck
from lecturekit.render import preflight
from lecturekit.render.cache import SceneCache, settings_fingerprint
from lecturekit.render.lock import RenderLock
from lecturekit.render.renderer import manim_flags, render_scenes
from lecturekit.render.target import Target, part_name
from lecturekit.scene import style
from lecturekit.video.validate import VideoError, probe_video
from tests.fake_decks import copy_deck

pytestmark = pytest.mark.render

REPO = Path(__file__).resolve().parent.parent
RENDER = REPO / "render.py"
GOOD_VIDEO = b"the lecturer's previous, good video: must survive byte for byte"
VAE = load_deck(REPO / "scenes")


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return copy_deck("pipeline", tmp_path)


def low(deck: Deck, media: Path, part: str = "") -> Target:
    return Target(deck, "low", media_dir=media, part=part)


def fake_build(deck: Deck, media: Path, names: list[str], jobs: int = 2):
    return build_video(
        [deck.by_name(n) for n in names], low(deck, media), jobs=jobs, on_event=lambda _line: None
    )


def selection_video(deck: Deck, media: Path, *names: str) -> Path:
    """The video ``render.py --scene A --scene B`` writes for a selection of the deck."""
    chosen = [s for s in deck.scenes if s.class_name in names]
    return low(deck, media, part_name(chosen, deck)).video


def key(deck: Deck, name: str) -> str:
    return deck.by_name(name).key


def start_render(
    deck: Deck, media: Path, *scenes: str, env: dict | None = None, extra: tuple[str, ...] = ()
) -> subprocess.Popen:
    args = [
        sys.executable,
        str(RENDER),
        "--deck",
        str(deck.folder),
        "-q",
        "low",
        "--media-dir",
        str(media),
        "--jobs",
        "2",
        *extra,
    ]
    for name in scenes:
        args += ["--scene", name]
    return subprocess.Popen(
        args,
        cwd=REPO,
        env=env or os.environ.copy(),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def run_render(*args, **kwargs) -> subprocess.CompletedProcess:
    proc = start_render(*args, **kwargs)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def wait_for(condition, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def processes_mentioning(text: str) -> list[int]:
    """Pids of live processes whose command line contains ``text`` (workers, LaTeX)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def leftovers(media: Path) -> list[Path]:
    """Temporary files next to final outputs (``atomic_path`` names them ``.<stem>.*.tmp*``)."""
    return [p for p in media.rglob(".*") if ".tmp" in p.name]


# -- 1. Preflight ----------------------------------------------------------------------------


def test_preflight_passes_here_and_compiles_the_decks_template(tmp_path: Path) -> None:
    assert preflight.preflight(Target(VAE, "low", media_dir=tmp_path / "media"), 60.0) == []


def test_latex_hidden_from_path_stops_before_rendering(deck: Deck, tmp_path: Path) -> None:
    media = tmp_path / "media"
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    result = run_render(deck, media, "Alpha", env={**os.environ, "PATH": str(empty_bin)})
    assert result.returncode == cli.EXIT_PREFLIGHT
    assert "'latex' is not on PATH" in result.stderr
    assert "'dvisvgm' is not on PATH" in result.stderr
    assert "apt-get install" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (media / "build").exists()  # no scene started


def test_broken_tex_template_names_the_missing_package(monkeypatch, tmp_path: Path) -> None:
    from manim import TexTemplate

    def broken(_deck, _theme: str) -> TexTemplate:
        return TexTemplate(preamble=r"\usepackage{surelynotapackage}")

    monkeypatch.setattr(style, "tex_template", broken)
    problems = preflight.check_tex_template(VAE, "dark")
    assert len(problems) == 1
    assert "surelynotapackage.sty not found" in problems[0].what
    assert "apt-get install" in problems[0].fix


def test_missing_python_package_names_the_install_command() -> None:
    problems = preflight.check_python_modules([("surely_not_a_module", "surely-not")])
    assert "'surely-not' cannot be imported" in problems[0].what
    assert "pip install" in problems[0].fix


def test_import_check_is_remembered_until_the_packages_change(monkeypatch, tmp_path: Path) -> None:
    passed = tmp_path / "preflight-modules.txt"
    missing = [("surely_not_a_module", "surely-not")]
    assert preflight.check_python_modules(missing, passed) and not passed.exists()
    assert preflight.check_python_modules(passed=passed) == [] and passed.exists()

    def no_import(name: str):
        raise AssertionError(f"imported {name} although nothing changed")

    monkeypatch.setattr(preflight.importlib, "import_module", no_import)
    assert preflight.check_python_modules(passed=passed) == []  # remembered: no import
    # Another installed version (here: another list of distributions) checks again.
    problems = preflight.check_python_modules([("numpy", "numpy")], passed)
    assert "imported numpy although nothing changed" in problems[0].what


def test_output_folder_missing_is_created_unwritable_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "new" / "media"
    assert preflight.check_output_folder(missing) == [] and missing.is_dir()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    problems = preflight.check_output_folder(blocker / "media")
    assert "is not writable" in problems[0].what and "--media-dir" in problems[0].fix


def test_too_little_free_disk_is_refused(monkeypatch, tmp_path: Path) -> None:
    need = preflight.estimated_disk_bytes("high", 600.0)
    assert need > preflight.estimated_disk_bytes("low", 600.0)
    monkeypatch.setattr(
        preflight.shutil, "disk_usage", lambda _p: type("Usage", (), {"free": need - 1})()
    )
    problems = preflight.check_free_disk(tmp_path, "high", 600.0)
    assert "not enough free disk" in problems[0].what and "--quality" in problems[0].fix
    monkeypatch.setattr(
        preflight.shutil, "disk_usage", lambda _p: type("Usage", (), {"free": need})()
    )
    assert preflight.check_free_disk(tmp_path, "high", 600.0) == []


# -- 2. A failing scene is isolated; 3. the previous good video survives ----------------------


def test_failing_scene_is_isolated_and_the_good_video_survives(deck: Deck, tmp_path: Path) -> None:
    media = tmp_path / "media"
    final = selection_video(deck, media, "Alpha", "Boom", "Beta")
    final.parent.mkdir(parents=True)
    final.write_bytes(GOOD_VIDEO)

    result = run_render(deck, media, "Alpha", "Boom", "Beta")
    assert result.returncode == cli.EXIT_SCENES_FAILED
    assert "1 of 3 scenes failed" in result.stderr
    boom = key(deck, "Boom")
    assert f"Boom ({boom}): RuntimeError: boom: the fake scene failed on purpose" in result.stderr
    assert "second line of the error" not in result.stderr  # the first line only
    log = low(deck, media).build_dir(deck.by_name("Boom")) / "render.log"
    assert f"full log: {log}" in result.stderr
    assert "second line of the error" in log.read_text()  # the full error is in the log
    assert "Traceback" not in result.stderr
    assert final.read_bytes() == GOOD_VIDEO
    assert leftovers(media) == []

    # The scenes that did render are cached: only the failing one is tried again.
    again = run_render(deck, media, "Alpha", "Boom", "Beta", extra=("--verbose",))
    assert again.returncode == cli.EXIT_SCENES_FAILED
    assert f"{key(deck, 'Alpha')}: cached, unchanged" in again.stdout
    assert f"{key(deck, 'Beta')}: cached, unchanged" in again.stdout
    assert f"{boom}: to render" in again.stdout
    assert final.read_bytes() == GOOD_VIDEO


def test_a_selection_of_scenes_never_replaces_the_whole_lectures_video(
    deck: Deck, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    whole = low(deck, media).video
    whole.parent.mkdir(parents=True)
    whole.write_bytes(GOOD_VIDEO)
    result = run_render(deck, media, "Beta", "Alpha")
    assert result.returncode == 0, result.stderr
    selection = selection_video(deck, media, "Alpha", "Beta")
    assert selection.name == "fake-low-scenes-00-01.mp4"  # the deck's order
    assert f"video: {selection}" in result.stdout
    assert probe_video(selection).frames > 0
    assert whole.read_bytes() == GOOD_VIDEO
    storyboard = selection.with_name("fake-low-scenes-00-01-storyboard.png")
    assert storyboard.exists() and not whole.with_name("fake-low-storyboard.png").exists()


def test_stitched_video_failing_its_check_is_not_moved_into_place(
    deck: Deck, tmp_path: Path, monkeypatch
) -> None:
    media = tmp_path / "media"
    final = low(deck, media).video
    final.parent.mkdir(parents=True)
    final.write_bytes(GOOD_VIDEO)
    real_stitch = build_module.stitch

    def drop_last_scene(inputs, output, chapters=()):
        real_stitch(inputs[:-1], output, chapters[:-1])  # a stitch that lost a scene

    monkeypatch.setattr(build_module, "stitch", drop_last_scene)
    with pytest.raises(VideoError, match="frames"):
        fake_build(deck, media, ["Alpha", "Beta"])
    assert final.read_bytes() == GOOD_VIDEO
    assert leftovers(media) == []
    assert not (media / "scenes").exists()  # nothing published from a failed build

    monkeypatch.setattr(build_module, "stitch", real_stitch)
    good = fake_build(deck, media, ["Alpha", "Beta"])
    assert probe_video(good.video).frames == sum(r.facts.frames for r in good.results)


def test_interrupted_stitch_leaves_no_partial_file(deck: Deck, tmp_path: Path, monkeypatch) -> None:
    media = tmp_path / "media"
    final = low(deck, media).video
    final.parent.mkdir(parents=True)
    final.write_bytes(GOOD_VIDEO)

    def half_written(_inputs, output, _chapters=()):
        output.write_bytes(b"\0" * 1000)
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "stitch", half_written)
    with pytest.raises(KeyboardInterrupt):
        fake_build(deck, media, ["Alpha"])
    assert final.read_bytes() == GOOD_VIDEO
    assert leftovers(media) == []


# -- 4. Interruptions ------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_render_stops_workers_and_resumes(
    deck: Deck, tmp_path: Path, signum: int
) -> None:
    media = tmp_path / "media"
    final = selection_video(deck, media, "Alpha", "Slow")
    final.parent.mkdir(parents=True)
    final.write_bytes(GOOD_VIDEO)
    target = low(deck, media)
    alpha_entry = target.cache_dir / key(deck, "Alpha") / "entry.json"
    slow_log = target.build_dir(deck.by_name("Slow")) / "render.log"

    run = start_render(deck, media, "Alpha", "Slow")
    # Interrupt once Alpha is cached and Slow is mid-render.
    wait_for(lambda: alpha_entry.exists() and slow_log.exists(), what="Alpha cached")
    assert processes_mentioning(str(media))  # the Slow worker is running
    run.send_signal(signum)
    _out, err = run.communicate(timeout=30)
    assert run.returncode == 128 + signum
    assert f"interrupted ({signal.Signals(signum).name})" in err
    assert "Traceback" not in err
    assert processes_mentioning(str(media)) == []  # workers (and their LaTeX) are gone
    assert final.read_bytes() == GOOD_VIDEO
    assert leftovers(media) == []
    assert not (target.cache_dir / key(deck, "Slow") / "entry.json").exists()

    if signum == signal.SIGINT:  # resuming is the same after either signal: check it once
        again = run_render(deck, media, "Alpha", "Slow", extra=("--verbose",))
        assert again.returncode == 0, again.stderr
        assert f"{key(deck, 'Alpha')}: cached, unchanged" in again.stdout
        assert f"{key(deck, 'Slow')}: to render" in again.stdout
        assert probe_video(final).frames > 0


def test_interrupt_stops_every_worker_before_returning(deck: Deck, tmp_path: Path) -> None:
    # In-process, so the workers' parent stays alive: what stops them here is render_scenes
    # itself, not the parent-death signal that backs it up when the parent is killed.
    media = tmp_path / "media"

    def interrupt_after_first_scene(line: str) -> None:
        if line.startswith("[1/2]"):
            assert processes_mentioning(str(media)), "Slow should still be rendering"
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_scenes(
            [deck.by_name("Alpha"), deck.by_name("Slow")],
            low(deck, media),
            jobs=2,
            on_event=interrupt_after_first_scene,
        )
    assert processes_mentioning(str(media)) == []


# -- 5. Concurrent runs ----------------------------------------------------------------------


def test_second_concurrent_run_is_refused_with_the_first_ones_pid(
    deck: Deck, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    first = start_render(deck, media, "Slow")  # renders for several seconds
    wait_for(lambda: (media / "build").exists(), what="the first run to start rendering")
    second = run_render(deck, media, "Alpha")
    assert first.poll() is None, "the first run ended too early to test anything"
    assert second.returncode == cli.EXIT_LOCKED
    assert f"another render is running (pid {first.pid})" in second.stderr
    _out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert not (low(deck, media).cache_dir / key(deck, "Alpha")).exists()  # it did nothing
    assert probe_video(selection_video(deck, media, "Slow")).frames > 0


def test_lock_is_released_when_its_holder_dies(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from lecturekit.render.lock import RenderLock\n"
            f"with RenderLock({str(tmp_path / 'lock')!r}):\n"
            "    print('locked', flush=True); time.sleep(60)",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(Exception, match=f"pid {holder.pid}"):
        RenderLock(tmp_path / "lock").__enter__()
    holder.kill()
    holder.wait()
    with RenderLock(tmp_path / "lock"):  # no stale lock after a SIGKILL
        pass


# -- 6./7. Corrupted cache and bad input ------------------------------------------------------


def test_truncated_cached_video_is_rendered_again_not_stitched(deck: Deck, tmp_path: Path) -> None:
    media = tmp_path / "media"
    fake_build(deck, media, ["Alpha", "Beta"])
    target = low(deck, media)
    cached = target.cache_dir / key(deck, "Alpha") / "scene.mp4"
    cached.write_bytes(cached.read_bytes()[: cached.stat().st_size // 2])

    settings = settings_fingerprint(target, manim_flags("low"))
    lookup = SceneCache(target).lookup(deck.by_name("Alpha"), settings)
    assert not lookup.hit and "truncated or damaged" in lookup.reason
    with pytest.raises(VideoError):
        probe_video(cached)

    again = fake_build(deck, media, ["Alpha", "Beta"])
    assert [r.spec.class_name for r in again.rendered] == ["Alpha"]
    assert probe_video(again.video).frames == sum(r.facts.frames for r in again.results)


DEFAULT_DECK = {"deck": str(REPO / "scenes")}  # what render.py passes


@pytest.mark.parametrize(
    "args, message",
    [
        (["--quality", "ultra"], "'ultra' is not one of"),
        (["--scene", "NoSuchScene"], "unknown scene 'NoSuchScene'; valid scenes:"),
        (["--jobs", "0"], "0 is not a number of worker processes"),
        (["--jobs", "-3"], "-3 is not a number of worker processes"),
        (["--deck", "/no/such/deck"], "/no/such/deck: no such deck folder"),
        (["--deck", "lecturekit"], "is not a deck: it has no deck.toml"),
    ],
)
def test_bad_input_gets_a_clear_message(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli.main, args, default_map=DEFAULT_DECK)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_unwritable_output_folder_is_a_preflight_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        cli.main,
        ["--quality", "low", "--scene", "1", "--media-dir", str(blocker / "media")],
        default_map=DEFAULT_DECK,
    )
    assert result.exit_code == cli.EXIT_PREFLIGHT
    assert "is not writable" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_unexpected_error_is_one_line_and_a_traceback_only_with_verbose(
    monkeypatch, tmp_path: Path
) -> None:
    def broken_build(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "build_video", broken_build)
    monkeypatch.setattr(cli, "_preflight", lambda *_args: None)
    args = ["--quality", "low", "--scene", "1", "--media-dir", str(tmp_path / "media")]
    quiet = CliRunner().invoke(cli.main, args, default_map=DEFAULT_DECK)
    assert quiet.exit_code == 1
    assert "error: OSError: [Errno 28] No space left on device" in quiet.output
    assert "--verbose for the traceback" in quiet.output
    assert "Traceback" not in quiet.output
    verbose = CliRunner().invoke(cli.main, [*args, "--verbose"], default_map=DEFAULT_DECK)
    assert isinstance(verbose.exception, OSError)  # raised: Python prints the traceback


def test_tex_check_is_remembered_until_the_decks_macros_change(monkeypatch, tmp_path: Path) -> None:
    lecture = copy_deck("lecture", tmp_path)
    passed = tmp_path / "preflight-tex-dark.txt"
    assert preflight.check_tex_template(lecture, "dark", passed) == [] and passed.exists()

    def no_compile(*_args, **_kwargs):
        raise AssertionError("compiled although nothing changed")

    monkeypatch.setattr(style, "math", no_compile)
    assert preflight.check_tex_template(lecture, "dark", passed) == []  # remembered
    monkeypatch.undo()

    # An edited deck.toml is another template: compiled again, and its error named.
    with lecture.file.open("a") as toml:
        toml.write("\n[macros]\n'\\broken' = '\\surelynotacommand'\n")
    edited = load_deck(lecture.folder)
    assert edited is not lecture and "\\broken" in edited.macros
    problems = preflight.check_tex_template(edited, "dark", passed)
    assert problems and "does not compile" in problems[0].what
