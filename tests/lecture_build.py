"""One real build of a tiny fake lecture, shared by the lecture-output and presenter tests.

Three LectureScenes of the fake project (``tests/fake_project/fakelecture/s_card.py`` and
``s_steps.py``) are rendered at low quality through :func:`pipeline.build.build_video` (which
writes captions, chapters, poster and storyboard) and exported as slides. It takes about ten
seconds, once per test session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.build import BuildResult, build_video
from pipeline.slides import export_slides
from tests.fake_scenes import FakeSpec, make_fake_project

QUALITY = "low"
THEME = "dark"


def lecture_specs(root: Path) -> list[FakeSpec]:
    """The fake lecture: a title card (number 0) and two slides."""
    return [
        FakeSpec(0, None, "Fake Title", "s_card", "Card", root=root),
        FakeSpec(1, 1, "First Fake Slide", "s_steps", "StepsOne", root=root),
        FakeSpec(2, 2, "Second Fake Slide", "s_steps", "StepsTwo", root=root),
    ]


@dataclass
class LectureBuild:
    """The build and where everything went."""

    project: Path
    media: Path
    specs: list[FakeSpec]
    build: BuildResult
    slides_index: Path


_BUILDS: dict[str, LectureBuild] = {}


def lecture_build(tmp_path_factory: pytest.TempPathFactory) -> LectureBuild:
    """Build the fake lecture once per session (render, outputs, slides) and return it."""
    if "dark" not in _BUILDS:
        folder = tmp_path_factory.mktemp("lecture")
        project = make_fake_project(folder)
        media = folder / "media"
        specs = lecture_specs(project)
        build = build_video(specs, QUALITY, THEME, jobs=2, media_dir=media,
                            source_roots=(project,), on_event=lambda _line: None)
        assert not build.failed, [(r.spec.key, r.error, r.log) for r in build.failed]
        index = export_slides(build.results, QUALITY, THEME, media, on_event=lambda _line: None)
        _BUILDS["dark"] = LectureBuild(project, media, specs, build, index)
    return _BUILDS["dark"]
