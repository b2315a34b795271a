"""One real build of the three-scene test deck ``tests/decks/lecture``, shared by the output,
presenter and handout tests.

The deck's LectureScenes render at low quality through :func:`lecturekit.build.build_video`
(which writes captions, chapters, poster and storyboard) and are exported as slides. It takes
about ten seconds, once per test session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from lecturekit.build import BuildResult, build_video
from lecturekit.deck import Deck, SceneSpec
from lecturekit.outputs.slides import export_slides
from lecturekit.render.target import Target
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


_BUILDS: dict[str, LectureBuild] = {}


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
