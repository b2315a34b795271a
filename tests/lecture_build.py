"""One real build of the three-scene test deck ``tests/decks/lecture``, shared by the output,
presenter and handout tests.

The deck's LectureScenes render at low quality through :func:`lecturekit.build.build_video`
(which writes captions, chapters, poster and storyboard) and are exported as slides. It takes
about ten seconds, once per test session. :func:`narrated_build` renders the narrated version
of the same deck into the same media folder (its beats speak their ``say=``), as a lecturer
who has both would.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from lecturekit.build import BuildResult, build_video
from lecturekit.deck import Deck, SceneSpec
from lecturekit.narration.voice import Narration, Voice
from lecturekit.outputs.slides import export_slides
from lecturekit.render.target import Target
from lecturekit.video.validate import file_sha256
from tests.fake_decks import copy_deck

QUALITY = "low"
THEME = "dark"


@dataclass
class LectureBuild:
    """The build and where everything went."""

    deck: Deck
    target: Target
    build: BuildResult
    slides_index: Path

    @property
    def media(self) -> Path:
        """The build's media folder."""
        return self.target.media

    @property
    def specs(self) -> tuple[SceneSpec, ...]:
        """The deck's scenes, in order."""
        return self.deck.scenes


_BUILDS: dict = {}  # "dark": LectureBuild, "narrated": NarratedBuild


def lecture_build(tmp_path_factory: pytest.TempPathFactory) -> LectureBuild:
    """Build the test lecture once per session (render, outputs, slides) and return it."""
    if "dark" not in _BUILDS:
        folder = tmp_path_factory.mktemp("lecture")
        deck = copy_deck("lecture", folder)
        target = Target(deck, QUALITY, THEME, folder / "media")
        build = build_video(list(deck.scenes), target, jobs=2, on_event=lambda _line: None)
        assert not build.failed, [(r.spec.key, r.error, r.log) for r in build.failed]
        index = export_slides(build.results, target, on_event=lambda _line: None)
        _BUILDS["dark"] = LectureBuild(deck, target, build, index)
    return _BUILDS["dark"]


@dataclass
class NarratedBuild:
    """The narrated build beside the silent one, and the silent files as they were before it."""

    silent: LectureBuild
    target: Target
    build: BuildResult
    seconds: float
    silent_files: dict[Path, str] = field(default_factory=dict)

    @property
    def specs(self) -> tuple[SceneSpec, ...]:
        """The deck's scenes, in order."""
        return self.silent.deck.scenes


def silent_files(media: Path) -> dict[Path, str]:
    """Every file of the silent version under ``media`` with its SHA-256 (the narrated
    version's files and the caches aside)."""
    return {
        path: file_sha256(path)
        for path in sorted(media.rglob("*"))
        if path.is_file()
        and "narrated" not in path.as_posix()
        and path.relative_to(media).parts[0] not in ("cache", "build")
    }


def narrated_build(tmp_path_factory: pytest.TempPathFactory) -> NarratedBuild:
    """Build the narrated version of the test lecture once per session, after the silent one,
    into the same media folder."""
    if "narrated" not in _BUILDS:
        silent = lecture_build(tmp_path_factory)
        before = silent_files(silent.media)
        target = replace(silent.target, narration=Narration(Voice.default()))
        started = time.perf_counter()
        build = build_video(list(silent.deck.scenes), target, jobs=2, on_event=lambda _l: None)
        seconds = time.perf_counter() - started
        assert not build.failed, [(r.spec.key, r.error, r.log) for r in build.failed]
        _BUILDS["narrated"] = NarratedBuild(silent, target, build, seconds, before)
    return _BUILDS["narrated"]
