"""The narrated lecture, tested as a listener hears it.

The narrated version of the three-scene test deck (``tests/decks/lecture``: a title card that
says two sentences, a slide whose first beat says more than its animation shows, and a slide
that says nothing) is built once, beside the silent version in the same media folder
(``tests/lecture_build.py``), and checked: every file is there and the silent ones did not
change; audio is AAC-LC 48 kHz, exactly as long as the video, at -16 LUFS with peaks under
-1 dBFS, in sync at every chapter, without clicks; every spoken caption has speech under it
and keeps the caption rules; Chromium plays it and decodes its audio. Then the caches: a
nothing-changed re-run synthesises nothing and is as fast as a silent one; editing one
sentence synthesises that sentence and renders that scene only (the last test: it changes the
narrated cache entries of the shared media folder).
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lecturekit.build import build_video
from lecturekit.deck import load_deck
from lecturekit.narration.assemble import scene_record, scene_track
from lecturekit.narration.captions import check_cues, split_sentences
from lecturekit.narration.measure import (
    chapter_levels,
    clicks,
    decode,
    level,
    speech_under_cues,
    sync_offsets,
)
from lecturekit.narration.mix import master
from lecturekit.narration.mux import AAC_FRAME_SECONDS
from lecturekit.narration.pacer import NarrationPacer
from lecturekit.narration.script import ScriptBeat, plan_scene, speak_beats
from lecturekit.narration.speech import SpeechCache, Synthesizer
from lecturekit.narration.voice import BREATH, Narration, Voice
from lecturekit.render.headless import run_headless
from lecturekit.scene.layout import layout_checker
from lecturekit.video.captions import SRT_ROUNDING, read_srt, read_vtt
from lecturekit.video.chapters import read_chapters_vtt
from lecturekit.video.sections import last_frame, scene_steps
from tests.lecture_build import NarratedBuild, narrated_build, silent_files
from tests.test_outputs import top_level_atoms
from tests.test_presenter import CHROMIUM, CHROMIUM_ARGS, _browser_missing

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> NarratedBuild:
    return narrated_build(tmp_path_factory)


@pytest.fixture(scope="module")
def heard(narrated: NarratedBuild):
    """The narrated lecture decoded as a player decodes it."""
    return decode(narrated.build.video)


# -- Files ------------------------------------------------------------------------------------


def test_every_file_of_the_narrated_version_and_the_silent_ones_unchanged(
    narrated: NarratedBuild,
) -> None:
    target = narrated.target
    assert narrated.build.video.name == "fake-lecture-low-narrated.mp4"
    for suffix in (".mp4", ".srt", ".vtt", "-chapters.vtt", "-poster.png", "-storyboard.png"):
        assert target.lecture_file(suffix).is_file(), suffix
    for spec in narrated.specs:
        for suffix in (".mp4", ".srt", ".vtt"):
            assert target.scene_file(spec, suffix).is_file(), (spec.key, suffix)
    assert target.scenes_dir.name == "low-narrated"
    # The silent version's files: the same names, the same bytes as before.
    assert silent_files(narrated.silent.media) == narrated.silent_files
    atoms = top_level_atoms(narrated.build.video)
    assert atoms.index("moov") < atoms.index("mdat")  # fast start


def test_speech_drives_time_and_never_cuts_an_animation(narrated: NarratedBuild) -> None:
    silent = {r.spec.key: r for r in narrated.silent.build.results}
    for result in narrated.build.results:
        record = scene_record(result)
        quiet = silent[result.spec.key]
        assert result.facts.frames >= quiet.facts.frames
        for beat in record.beats:
            if beat.sounds:  # speech starts with its beat and ends a breath before its end
                assert beat.sounds[0].start == pytest.approx(beat.start)
                last = beat.sounds[-1]
                assert last.start + last.seconds + BREATH <= beat.end + 1e-6
        # The same pictures at every key frame (each section ends on one), only held longer.
        for held, plain in zip(scene_steps(result), scene_steps(quiet), strict=True):
            assert held.ends_at == plain.ends_at and held.duration >= plain.duration
            a = np.asarray(last_frame(held.source), dtype=float)
            b = np.asarray(last_frame(plain.source), dtype=float)
            assert np.abs(a - b).mean() < 1.0, (result.spec.key, held.ends_at)
    steps = scene_steps(narrated.build.results[1])
    assert float(steps[0].duration) > 4.0  # two sentences hold a one-second animation


def test_a_scene_that_says_nothing_is_silence_of_its_own_length(
    narrated: NarratedBuild, heard
) -> None:
    quiet = narrated.build.results[2]
    assert scene_record(quiet).sounds == []
    silent_result = narrated.silent.build.results[2]
    assert quiet.facts.frames == silent_result.facts.frames  # nothing to hold it
    scene = decode(narrated.target.scene_file(quiet.spec))
    assert scene.audio_seconds >= scene.video_seconds and not np.any(scene.samples)
    start, end, _ = heard.chapters[2]
    assert np.max(np.abs(heard.samples[round(start * heard.rate) : round(end * heard.rate)])) < 1e-3


# -- Audio as a listener hears it --------------------------------------------------------------


def test_audio_is_aac_lc_48khz_and_as_long_as_the_video(narrated: NarratedBuild, heard) -> None:
    assert (heard.codec, heard.profile, heard.rate) == ("aac", "LC", 48000)
    expected = sum(r.facts.frames / r.facts.fps for r in narrated.build.results)
    assert heard.video_seconds == pytest.approx(expected, abs=1e-6)
    assert 0 <= heard.audio_seconds - heard.video_seconds <= AAC_FRAME_SECONDS
    for spec in narrated.specs:
        scene = decode(narrated.target.scene_file(spec))
        assert (scene.codec, scene.rate) == ("aac", 48000)
        assert 0 <= scene.audio_seconds - scene.video_seconds <= AAC_FRAME_SECONDS


def test_loudness_is_minus_16_lufs_and_peaks_stay_under_minus_1_dbfs(
    narrated: NarratedBuild, heard
) -> None:
    whole = level(heard.samples, heard.rate)  # pyloudnorm: ITU-R BS.1770-4
    assert abs(whole.lufs + 16.0) <= 1.0, whole
    assert whole.peak_db <= -1.0, whole
    spoken = [lv for lv in chapter_levels(heard) if np.isfinite(lv.lufs)]
    assert len(spoken) == 2 and all(abs(lv.lufs + 16.0) <= 1.5 for lv in spoken), spoken
    for spec in narrated.specs[:2]:  # each scene file is mastered on its own
        scene = decode(narrated.target.scene_file(spec))
        own = level(scene.samples, scene.rate)
        assert abs(own.lufs + 16.0) <= 1.0 and own.peak_db <= -1.0, (spec.key, own)


def test_audio_and_video_are_in_sync_at_every_chapter(narrated: NarratedBuild, heard) -> None:
    results = narrated.build.results
    reference = np.concatenate(master([scene_track(r, narrated.target) for r in results])[0])
    starts = [c.start for c in narrated.build.chapters]
    offsets = sync_offsets(heard.samples, reference, heard.rate, starts)
    measured = [o for o in offsets if o is not None]
    assert len(measured) == 2  # the two chapters that speak
    assert max(abs(o) for o in measured) < 0.001, offsets
    embedded = [c[0] for c in heard.chapters]
    assert embedded == pytest.approx(starts, abs=0.001)


def test_no_click_at_any_beat_or_scene_join(narrated: NarratedBuild, heard) -> None:
    joins = [c.start for c in narrated.build.chapters[1:]]
    for result, chapter in zip(narrated.build.results, narrated.build.chapters, strict=True):
        joins += [chapter.start + beat.start for beat in scene_record(result).beats[1:]]
    assert clicks(heard.samples, heard.rate, joins) == []


# -- Captions: the spoken text, timed to the voice ---------------------------------------------


def test_captions_are_the_spoken_text_and_keep_the_rules(narrated: NarratedBuild) -> None:
    cues = read_srt(narrated.target.lecture_file(".srt"))
    assert [c.text for c in cues] == [
        c.text for c in read_vtt(narrated.target.lecture_file(".vtt"))
    ]
    spoken, said = [], []
    for result in narrated.build.results:
        record = scene_record(result)
        said += [s for b in record.beats for s in split_sentences(b.say or "")]
        spoken += [c.text for b in record.beats if b.sounds for c in b.cues]
    assert " ".join(t.replace("\n", " ") for t in spoken) == " ".join(said)

    # Every spoken cue keeps every rule; a silent beat's caption is the silent version's own
    # (the tail beat's lasts half a second in both), but no cue may overlap or flicker. A gap
    # under SRT_ROUNDING is the files' millisecond rounding at a scene's end, not a gap.
    def broken(v) -> bool:
        if v.rule == "gap":
            return cues[v.index].start - cues[v.index - 1].end >= SRT_ROUNDING
        return cues[v.index].text in spoken or v.rule == "overlap"

    assert [v for v in check_cues(cues) if broken(v)] == []
    assert [c.title for c in read_chapters_vtt(narrated.target.lecture_file("-chapters.vtt"))] == [
        s.title for s in narrated.specs
    ]


def test_speech_is_heard_under_every_spoken_caption(narrated: NarratedBuild, heard) -> None:
    cues = read_srt(narrated.target.lecture_file(".srt"))
    spoken = {
        c.text
        for r in narrated.build.results
        for b in scene_record(r).beats
        for c in b.cues
        if b.sounds
    }
    fractions = speech_under_cues(cues, heard.samples, heard.rate)
    for cue, fraction in zip(cues, fractions, strict=True):
        if cue.text in spoken:
            assert fraction > 0.5, (cue, fraction)
        else:
            assert fraction == 0.0, (cue, fraction)  # a silent beat's caption: no voice


# -- In a browser --------------------------------------------------------------------------------


@pytest.mark.skipif(_browser_missing() is not None, reason=_browser_missing() or "")
def test_chromium_plays_the_narrated_video_and_decodes_its_audio(narrated: NarratedBuild) -> None:
    from playwright.sync_api import sync_playwright

    page_html = narrated.build.video.with_name("narrated-player.html")
    page_html.write_text(
        f'<video id="v" src="{narrated.build.video.name}" muted playsinline></video>',
        encoding="utf-8",
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
        )
        try:
            page = browser.new_page()
            page.goto(page_html.as_uri())
            supported = page.evaluate(
                "document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.640028, mp4a.40.2\"')"
            )
            assert supported == "probably"
            page.evaluate("document.getElementById('v').play()")
            page.wait_for_function(
                "(v => v.currentTime > 1.0 && v.webkitAudioDecodedByteCount > 0)"
                "(document.getElementById('v'))",
                timeout=30_000,
            )
            state = page.evaluate(
                "(v => ({bytes: v.webkitAudioDecodedByteCount, duration: v.duration, "
                "error: v.error && v.error.code}))(document.getElementById('v'))"
            )
        finally:
            browser.close()
    assert state["bytes"] > 0 and state["error"] is None
    assert state["duration"] == pytest.approx(
        sum(r.facts.frames / r.facts.fps for r in narrated.build.results), abs=0.05
    )


# -- Layout and caption pacing on the narrated timing ------------------------------------------


def test_layout_and_caption_pacing_hold_on_the_narrated_timing(narrated: NarratedBuild) -> None:
    cache = SpeechCache(narrated.target.speech_cache)
    narration = Narration(Voice.default())
    for spec in narrated.specs:
        pacer = NarrationPacer(narration, cache)
        problems: list[str] = []
        small: list[str] = []
        try:
            scene = run_headless(
                spec, capture=False, step_hooks=(layout_checker(problems, small),), pacer=pacer
            )
        finally:
            pacer.close()
        assert problems == [] and small == [], (spec.key, problems, small)
        record = pacer.record()
        spoken = [c for b in record.beats if b.sounds for c in b.cues]
        assert check_cues(spoken) == [], spec.key
        assert all(v.rule not in ("gap", "overlap") for v in check_cues(record.cues))
        assert [b.caption for b in scene.beats] == [b.caption for b in record.beats]
        assert pacer.misses == 0  # the build made this speech: the cache has it all
    assert "piper" not in sys.modules  # the pacer's speech ran in a child process


def test_the_planned_narrated_timing_matches_the_render(narrated: NarratedBuild) -> None:
    """``plan_scene`` (what the lecture's caption test computes from silent runs) predicts
    where the narrated render put every beat, to within a frame."""
    cache = SpeechCache(narrated.target.speech_cache)
    narration = narrated.target.narration
    with Synthesizer(narration.voice, aligned_dir=cache.folder / "engine") as synthesizer:
        for spec, result in zip(narrated.specs, narrated.build.results, strict=True):
            silent = run_headless(spec, capture=False)
            beats = [ScriptBeat(b.caption, b.say, b.start, b.end) for b in silent.beats]
            plan = plan_scene(beats, speak_beats(beats, cache, synthesizer), 15, narration)
            rendered = [(b.start, b.end) for b in scene_record(result).beats]
            assert np.allclose(plan.spans, rendered, atol=1.01 / 15), (spec.key, plan.spans)
            assert synthesizer.starts == 0  # every sentence came from the cache


# -- Caches ------------------------------------------------------------------------------------


def speech_files(target) -> set[Path]:
    """The speech cache's sentences (its scratch folder aside)."""
    cache = target.speech_cache
    return {p for p in cache.rglob("*.wav") if p.relative_to(cache).parts[0] != "tmp"}


def test_a_nothing_changed_rerun_synthesises_nothing_and_is_as_fast_as_a_silent_one(
    narrated: NarratedBuild,
) -> None:
    deck_specs = list(narrated.specs)
    before, starts = speech_files(narrated.target), Synthesizer.total_starts
    silent_seconds, narrated_seconds = [], []
    for _ in range(2):
        t = time.perf_counter()
        again = build_video(deck_specs, narrated.target, jobs=2, on_event=lambda _l: None)
        narrated_seconds.append(time.perf_counter() - t)
        assert again.up_to_date and again.rendered == []
        t = time.perf_counter()
        quiet = build_video(deck_specs, narrated.silent.target, jobs=2, on_event=lambda _l: None)
        silent_seconds.append(time.perf_counter() - t)
        assert quiet.up_to_date
    assert speech_files(narrated.target) == before and Synthesizer.total_starts == starts
    # Both are a cache lookup and a few stats; the narrated one reads its small stamps too.
    assert min(narrated_seconds) <= 2 * min(silent_seconds) + 0.25, (
        narrated_seconds,
        silent_seconds,
    )


def test_editing_one_sentence_speaks_it_and_renders_that_scene_only(
    narrated: NarratedBuild, tmp_path: Path
) -> None:
    # A copy of the deck shares the media folder and so the caches (its files have the same
    # names and contents); editing the copy leaves the session's deck as it was.
    folder = tmp_path / "lecture"
    shutil.copytree(narrated.silent.deck.folder, folder)
    deck = load_deck(folder)
    target = replace(narrated.target, deck=deck)
    card = folder / "s_card.py"
    card.write_text(card.read_text().replace("It has three scenes.", "It has three short scenes."))
    before = speech_files(target)
    rebuilt = build_video(list(deck.scenes), target, jobs=2, on_event=lambda _l: None)
    assert [r.spec.key for r in rebuilt.rendered] == ["00-fake-title"]
    record = scene_record(rebuilt.results[0])
    assert (record.hits, record.misses) == (1, 1)  # the unchanged sentence came from the cache
    assert len(speech_files(target) - before) == 1
    captions = [c.text.replace("\n", " ") for c in read_srt(target.lecture_file(".srt"))]
    assert any("It has three short scenes." in text for text in captions)
