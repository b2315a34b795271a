"""The lecture's own narration: every scene's spoken captions keep the caption rules on the
narrated timing.

Computed from the silent headless run the snapshot and layout tests already make (the
``scene_run`` fixture) and each beat's speech (from the lecture's speech cache,
``media/cache/speech``, synthesised where it lacks a sentence): the timing a narrated render
will have, to within a frame (:func:`lecturekit.narration.script.plan_scene`). A scene
whose beats say nothing yet keeps its silent timing and captions, which
``test_accessibility.py`` checks.
"""

from __future__ import annotations

import pytest

from lecturekit.narration.script import ScriptBeat, plan_scene, speak_beats
from lecturekit.narration.speech import SpeechCache, Synthesizer
from lecturekit.narration.voice import Narration, Voice
from lecturekit.render.qualities import QUALITIES
from lecturekit.render.target import Target
from tests.vae_deck import DECK, SCENES

FPS = QUALITIES["low"].fps


@pytest.fixture(scope="module")
def speech():
    """The lecture's speech cache and a voice (whose child starts only on a cache miss)."""
    narration = Narration(Voice.default())
    cache = SpeechCache(Target(DECK, "low").speech_cache)
    with Synthesizer(
        narration.voice, narration.settings, workers=2, aligned_dir=cache.folder / "engine"
    ) as synthesizer:
        yield narration, cache, synthesizer


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_narrated_captions_keep_the_rules(spec, scene_run, speech):
    run = scene_run(spec)
    beats = [ScriptBeat(b.caption, b.say, b.start, b.end) for b in run.beats]
    if not any(b.sentences for b in beats):
        plan = plan_scene(beats, [[] for _ in beats], FPS)
        assert plan.held == [0.0] * len(beats)
        assert [c.text for c in plan.cues] == [b.caption for b in beats if b.end > b.start]
        return
    narration, cache, synthesizer = speech
    plan = plan_scene(beats, speak_beats(beats, cache, synthesizer), FPS, narration)
    problems = [f"{plan.cues[v.index].text!r}: {v.rule} ({v.detail})" for v in plan.problems()]
    assert problems == [], "\n".join(problems)
    assert plan.spans[-1][1] <= run.duration + sum(plan.held) + 1e-6
