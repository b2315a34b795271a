"""Shared fixtures: one headless run per scene feeds the snapshot, layout and readability tests."""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import signal
import tempfile
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import pytest
from manim import MarkupText, SingleStringMathTex, Text

from lecturekit.deck import SceneSpec
from lecturekit.render.headless import run_headless
from lecturekit.scene.layout import layout_checker

# Dask writes its configuration (~/.config/dask/) and scratch space (/tmp/dask-scratch-space)
# unless told otherwise: the cluster tests keep both in a folder of their own.
DASK_HOME = tempfile.mkdtemp(prefix="lecturekit-dask-")
atexit.register(shutil.rmtree, DASK_HOME, ignore_errors=True)
os.environ["DASK_CONFIG"] = DASK_HOME
os.environ["DASK_TEMPORARY_DIRECTORY"] = DASK_HOME


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="Rewrite the reference frames under tests/snapshots/ (look at them!).",
    )


@pytest.fixture(scope="session", autouse=True)
def interruptible_children():
    """Let the renders the tests start take SIGINT as Ctrl-C.

    A suite started in the background (``nohup``, ``&`` in a script) has SIGINT ignored, and an
    ignored signal stays ignored across exec: ``render.py`` would then never see the SIGINT the
    interruption tests send. A handler (unlike SIG_IGN) resets to the default in a child.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield


@pytest.fixture(scope="session")
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


# A suite running beside this one (the forced-BLAS-kernel run) keeps its LaTeX files apart:
# two processes compiling the same formula into one folder read each other's half-written SVGs.
HEADLESS_MEDIA_ENV = "LECTUREKIT_TEST_HEADLESS_MEDIA"


def _headless_media(theme: str) -> Path | None:
    folder = os.environ.get(HEADLESS_MEDIA_ENV)
    return Path(folder) / theme if folder else None


class SceneRun:
    """A finished headless run of one scene and what was seen while it ran.

    ``problems``: layout problems after each step; ``small_text``: text below the minimum
    size after each step; ``created_sizes``: the font size of every text mobject created;
    ``texts``: the full content of every text mobject created (what the screen says);
    ``captions``: the scene's subcaptions (srt.Subtitle); ``beats``; ``key_frames``;
    ``duration``.
    """

    def __init__(self, spec: SceneSpec, theme: str = "dark") -> None:
        self.problems: list[str] = []
        self.small_text: list[str] = []
        self.created_sizes: list[tuple[str, float]] = []
        self.texts: list[str] = []
        check = layout_checker(self.problems, self.small_text)
        with ExitStack() as stack:
            for cls in (Text, MarkupText, SingleStringMathTex):
                stack.enter_context(self._record_sizes(cls))
            scene = run_headless(
                spec,
                quality="low",
                theme=theme,
                step_hooks=(check,),
                media_dir=_headless_media(theme),
            )
        self.key_frames = scene.key_frames
        self.duration = scene.time
        self.captions = list(scene.renderer.file_writer.subcaptions)
        self.beats = list(scene.beats)

    def _record_sizes(self, cls: type):
        original = cls.__init__
        sizes, texts = self.created_sizes, self.texts

        def init(obj, *args, **kwargs):
            original(obj, *args, **kwargs)
            content = str(getattr(obj, "tex_string", None) or getattr(obj, "text", ""))
            texts.append(content)
            if obj.height > 0:  # an empty string has no size to judge
                sizes.append((content[:40], float(obj.font_size)))

        return mock.patch.object(cls, "__init__", init)


_RUNS: dict[tuple[str, str], SceneRun] = {}


@pytest.fixture(scope="session")
def scene_run():
    """Get (and cache for the session) the headless run of a scene in a theme."""

    def get(spec: SceneSpec, theme: str = "dark") -> SceneRun:
        key = (spec.key, theme)
        if key not in _RUNS:
            _RUNS[key] = SceneRun(spec, theme)
        return _RUNS[key]

    return get


_FORCED_RUN: list = []  # the forced-kernel snapshot run, if this session has its test


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The forced-kernel run's test only waits for it: last, so the run overlaps the most.
    from tests.test_blas_kernels import FORCED_TEST

    items.sort(key=lambda item: item.name == FORCED_TEST)


def pytest_collection_finish(session: pytest.Session) -> None:
    # Start the snapshot suite under a forced BLAS kernel now, beside the rest of the suite
    # (tests/test_blas_kernels.py), unless this process is that run itself.
    from tests.test_blas_kernels import FORCED_TEST, ForcedRun

    if (
        os.environ.get("OPENBLAS_CORETYPE")
        or platform.machine() not in ("x86_64", "AMD64")
        or not any(item.name == FORCED_TEST for item in session.items)
    ):
        return
    folder = tempfile.mkdtemp(prefix="forced-blas-")
    atexit.register(shutil.rmtree, folder, True)
    _FORCED_RUN.append(ForcedRun(Path(folder) / "forced.log"))


@pytest.fixture(scope="session")
def forced_blas_run():
    """The forced-kernel snapshot run started at collection (None if it was not started)."""
    yield _FORCED_RUN[0] if _FORCED_RUN else None
    for run in _FORCED_RUN:
        run.stop()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A skipped snapshot test guards nothing: treat it as a failure, not as green.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = [r for r in reporter.stats.get("skipped", []) if "snapshot" in r.nodeid]
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"{len(skipped)} snapshot tests were skipped: failing the run.", red=True
        )
        session.exitstatus = 1
