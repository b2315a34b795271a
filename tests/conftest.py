"""Shared fixtures: one headless run per scene feeds the snapshot and layout tests."""

from __future__ import annotations

import pytest

from pipeline.headless import run_headless
from pipeline.layout import layout_problems
from scenes import registry


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true",
                     help="Rewrite the reference frames under tests/snapshots/ (look at them!).")


@pytest.fixture(scope="session")
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


class SceneRun:
    """A finished headless run: key frames and the layout problems seen after each step."""

    def __init__(self, spec: registry.SceneSpec, theme: str = "dark") -> None:
        self.problems: list[str] = []

        def check(scene) -> None:
            at = f"t={scene.time:.1f}s"
            self.problems.extend(f"{at}: {p}" for p in layout_problems(scene.mobjects))

        scene = run_headless(spec, quality="low", theme=theme, step_hooks=(check,))
        self.key_frames = scene.key_frames
        self.duration = scene.time


_RUNS: dict[tuple[str, str], SceneRun] = {}


@pytest.fixture(scope="session")
def scene_run():
    """Get (and cache for the session) the headless run of a scene."""

    def get(spec: registry.SceneSpec, theme: str = "dark") -> SceneRun:
        key = (spec.key, theme)
        if key not in _RUNS:
            _RUNS[key] = SceneRun(spec, theme)
        return _RUNS[key]

    return get


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A skipped snapshot test guards nothing: treat it as a failure, not as green.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = [r for r in reporter.stats.get("skipped", []) if "snapshot" in r.nodeid]
    if skipped and exitstatus == 0:
        reporter.write_line(f"{len(skipped)} snapshot tests were skipped: failing the run.",
                            red=True)
        session.exitstatus = 1
