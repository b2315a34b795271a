"""A scene rendered in chunks (Manim's ``-n``) and joined by stream copy is the whole render:
same decoded frames, same sections, same captions; a chunk that cannot start from the whole
render's state is caught and the scene rendered whole. Real renders of the test deck."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lecturekit.deck import Deck
from lecturekit.narration.preflight import choose_narration
from lecturekit.render.cache import SceneCache
from lecturekit.render.renderer import _plan, render_scenes
from lecturekit.render.split import SceneProfile
from lecturekit.render.target import Target
from tests.fake_decks import copy_deck
from tests.test_render_pipeline import frame_digests

pytestmark = pytest.mark.render


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return copy_deck("pipeline", tmp_path)


def sections_of(result) -> list[tuple[str, str, list[str]]]:
    index = json.loads(result.sections.read_text())
    return [
        (s["name"], s["nb_frames"], frame_digests(result.sections.parent / s["video"]))
        for s in index
    ]


def test_chunks_join_into_the_whole_renders_frames_sections_and_captions(
    deck: Deck, tmp_path: Path
) -> None:
    target = Target(deck, "low", media_dir=tmp_path / "media")
    steps = deck.by_name("Steps")
    (whole,) = render_scenes([steps], target, jobs=2, on_event=lambda _l: None)
    assert whole.ok, whole.error
    kept = tmp_path / "whole.mp4"
    shutil.copyfile(whole.video, kept)
    expected = (frame_digests(kept), sections_of(whole), whole.captions.read_text())
    profile = SceneCache(target).profile(steps)
    assert profile is not None and len(profile.costs) == 7 and profile.dt_from is None
    assert sum(profile.frames) == whole.facts.frames

    # Costs that make splitting pay on 3 workers: the scene renders in 3 chunks.
    SceneCache(target).store_profile(steps, SceneProfile(0.5, (5.0,) * 7, profile.frames))
    lines: list[str] = []
    (split,) = render_scenes([steps], target, jobs=3, on_event=lines.append, force=True)
    assert split.ok, split.error
    assert any(line.startswith(f"{steps.key}: in 3 parts") for line in lines), lines
    assert (frame_digests(split.video), sections_of(split), split.captions.read_text()) == expected
    assert split.facts.frames == whole.facts.frames
    assert len(sections_of(split)) == 3  # next_section x3, one section cut by a chunk boundary
    # the profile measured from the chunks is complete, so the next run can plan again
    assert len(SceneCache(target).profile(steps).costs) == 7


def test_a_chunk_after_a_dt_updater_is_caught_and_the_scene_rendered_whole(
    deck: Deck, tmp_path: Path
) -> None:
    target = Target(deck, "low", media_dir=tmp_path / "media")
    drift = deck.by_name("Drift")
    # A profile that does not know about Drift's dt updater (from call 1 on) and makes a chunk
    # start at call 3: that chunk would begin from another state than the whole render.
    SceneCache(target).store_profile(drift, SceneProfile(0.5, (1.0, 1.0, 1.0, 30.0)))
    lines: list[str] = []
    (result,) = render_scenes([drift], target, jobs=2, on_event=lines.append)
    assert any(line.startswith(f"{drift.key}: in 2 parts") for line in lines), lines
    assert any(
        "does not start from the state" in line and "rendering it whole" in line for line in lines
    )
    assert result.ok, result.error
    assert result.facts.frames == 4 * 8  # 4 calls of 0.5 s at 15 fps (the wait moves: updater)
    profile = SceneCache(target).profile(drift)
    assert profile.dt_from == 1  # the frame hook saw the updater take dt from call 1
    assert not profile.splittable  # and the scene is not split again


def test_a_narrated_scene_is_never_split(deck: Deck, tmp_path: Path) -> None:
    # Each beat of a narrated scene lasts until its speech is over, so where a call starts
    # depends on every sentence before it: chunks would not see that. The same costs that split
    # the silent scene into 3 chunks leave the narrated one whole.
    narration, problems = choose_narration(None)  # the default voice
    assert not problems, problems
    silent = Target(deck, "low", media_dir=tmp_path / "media")
    narrated = Target(deck, "low", media_dir=tmp_path / "media", narration=narration)
    steps = deck.by_name("Steps")
    long_calls = SceneProfile(0.5, (5.0,) * 7)
    for target in (silent, narrated):
        SceneCache(target).store_profile(steps, long_calls)
    assert len(_plan([steps], silent, SceneCache(silent), 3)[steps]) == 3
    assert _plan([steps], narrated, SceneCache(narrated), 3) == {steps: ((0, 0),)}

    lines: list[str] = []
    (result,) = render_scenes([steps], narrated, jobs=3, on_event=lines.append)
    assert result.ok, result.error
    assert not any(" parts (" in line for line in lines), lines
    assert result.narration is not None and result.narration.is_file()  # the pacer's record
    assert not (narrated.build_dir(steps) / "chunks").exists()
    # the frame hook ran in the narrated worker too: the whole render's calls were measured
    assert len(SceneCache(narrated).profile(steps).costs) == 7


def test_a_chunk_that_ends_inside_a_beat_ends_cleanly() -> None:
    # Slide 9 split at call 25 stopped inside a beat: the beat's block saw Manim's
    # EndSceneEarlyException and tear_down reported the beat as never ended.
    from types import SimpleNamespace

    from manim.utils.exceptions import EndSceneEarlyException

    from lecturekit.scene.lecture import LectureScene

    scene = object.__new__(LectureScene)  # no render: only the beat bookkeeping
    scene.renderer = SimpleNamespace(time=1.0)
    scene._open_beat, scene.pacer, scene.beats = None, None, []
    with pytest.raises(EndSceneEarlyException):
        with scene.beat("cut by the chunk's end"):
            raise EndSceneEarlyException()
    assert scene._open_beat is None and scene.beats == []
    scene.tear_down()  # no "never ended"
