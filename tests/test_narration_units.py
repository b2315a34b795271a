"""Narration without the engine or a render: sentences, caption cues, beat timing, mixing,
mastering, muxing, names. Synthetic signals stand in for speech; each test takes well under a
second (the mux tests a few)."""

from __future__ import annotations

import tomllib
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from lecturekit.narration.captions import (
    RULES,
    check_cues,
    cue_chars,
    settle_cues,
    split_cues,
    split_sentences,
    syllables,
    time_cues,
    wrap_lines,
)
from lecturekit.narration.measure import clicks, decode, speech_under_cues, sync_offsets
from lecturekit.narration.mix import (
    CEILING_DB,
    RATE,
    MixError,
    limit,
    loudness,
    master,
    mix_scene,
    peak_db,
    resample,
    samples_for,
)
from lecturekit.narration.mux import AAC_FRAME_SECONDS, MuxError, mux_lecture, mux_scene
from lecturekit.narration.pacer import SceneNarration, Sound, SpokenBeat
from lecturekit.narration.speech import Clip, Word
from lecturekit.narration.timeline import beat_cues, plan_beat, retime_beats
from lecturekit.narration.voice import (
    BREATH,
    NARRATION_REQUIREMENTS,
    SENTENCE_GAP,
    Narration,
    Settings,
    Voice,
)
from lecturekit.render.target import Target
from lecturekit.video.captions import Cue
from lecturekit.video.chapters import Chapter
from tests.vae_deck import DECK, REPO

# -- Sentences and cues -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We use e.g. Gaussians. They are simple.", ["We use e.g. Gaussians.", "They are simple."]),
        ("The KL is 0.45 here. See Fig. 3 below.", ["The KL is 0.45 here.", "See Fig. 3 below."]),
        ("We call it q. Then we sample.", ["We call it q.", "Then we sample."]),
        ("Is it hard? Yes... it is.", ["Is it hard?", "Yes... it is."]),
        ("By D. P. Kingma et al. in 2014.", ["By D. P. Kingma et al. in 2014."]),
        ("First line\n\nsecond paragraph", ["First line", "second paragraph"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


LONG = [
    "Maximizing the ELBO moves q onto one mode and shrinks the gap between the true log "
    "likelihood and the bound, which is exactly the KL divergence from q of z given x to "
    "the true posterior p of z given x.",
    "The encoder maps x to the parameters of q, a mean and a width, and the decoder maps z "
    "back to a distribution over x, which we can sample from.",
]


@pytest.mark.parametrize("sentence", LONG)
def test_cues_fit_two_lines_of_42_and_keep_every_word(sentence: str) -> None:
    cues = split_cues(sentence)
    for cue in cues:
        lines = cue.split("\n")
        assert len(lines) <= RULES.max_lines
        assert all(len(line) <= RULES.max_chars for line in lines)
    assert " ".join(c.replace("\n", " ") for c in cues) == " ".join(sentence.split())


def test_a_long_sentence_breaks_at_a_clause_and_a_short_one_stays_whole() -> None:
    cues = split_cues(LONG[1])
    assert len(cues) == 2 and cues[0].replace("\n", " ").endswith(("q,", "width,", "decoder"))
    assert split_cues("Step three: apply Jensen's inequality.") == [
        "Step three: apply Jensen's inequality."
    ]
    assert wrap_lines("x" * 43) is None
    with pytest.raises(ValueError):
        split_cues("a " + "b" * 50)


def test_syllable_estimate() -> None:
    assert syllables("the evidence lower bound") == 7
    assert syllables("KL") == 2


def test_cues_follow_the_words_and_span_the_whole_clip() -> None:
    words = [Word(0.1 + 0.3 * i, 0.35 + 0.3 * i, "ˈɛks") for i in range(8)]
    cues = time_cues(["one two three four", "five six seven eight"], 10.0, 2.6, words)
    assert cues[0].start == pytest.approx(10.0)  # the cue is up as the sentence starts
    assert cues[0].end == cues[1].start == pytest.approx(10.0 + words[4].start)
    assert cues[1].end == pytest.approx(12.6)  # ... and until it has ended
    by_syllables = time_cues(["one two", "three four five six"], 0.0, 3.0)
    assert by_syllables[0].end == pytest.approx(1.0)  # 2 of 6 syllables


def test_checker_finds_every_kind_of_violation() -> None:
    cues = [
        Cue(0.0, 0.5, "short"),
        Cue(0.6, 1.6, "x" * 30),
        Cue(1.5, 3.0, "overlaps the previous"),
        Cue(4.0, 6.0, "a\nb\nc"),
        Cue(7.0, 12.0, "y" * 43),
    ]
    found = {(v.index, v.rule) for v in check_cues(cues)}
    assert found == {
        (0, "min-duration"),
        (1, "reading-speed"),
        (1, "gap"),
        (2, "overlap"),
        (3, "lines"),
        (4, "line-length"),
    }


def test_settle_lengthens_short_cues_with_a_margin_for_milliseconds() -> None:
    settled = settle_cues([Cue(0.0, 0.6, "Hi."), Cue(0.7, 2.5, "Then more words.")], limit=5.0)
    assert check_cues(settled) == []
    assert settled[0].end - settled[0].start >= 1.005  # stays >= 1 s when written to the ms
    assert settled[0].end == settled[1].start


# -- Beat timing --------------------------------------------------------------------------------


def clip(seconds: float, text: str) -> Clip:
    return Clip(path=Path("/nowhere.wav"), seconds=seconds, sample_rate=22050, text=text)


def test_a_beat_lasts_its_speech_and_a_breath_and_its_sentences_follow_each_other() -> None:
    speech = plan_beat([clip(2.0, "Long speech."), clip(1.5, "Two sentences.")])
    assert [p.offset for p in speech.placements] == pytest.approx([0.0, 2.0 + SENTENCE_GAP])
    assert speech.speech_seconds == pytest.approx(3.75)
    assert speech.min_seconds == pytest.approx(3.75 + BREATH)


def test_a_short_sentence_holds_its_beat_long_enough_to_be_read() -> None:
    speech = plan_beat([clip(0.4, "Yes.")])  # spoken in 0.4 s, read in at least 1 s
    assert speech.min_seconds >= 1.0
    cues = beat_cues(speech, 5.0, 5.0 + speech.min_seconds)
    assert check_cues(cues) == [] and cues[0].start == 5.0


def test_a_beats_last_cue_meets_the_next_beat_without_a_flicker_gap() -> None:
    speech = plan_beat([clip(2.0, "A sentence of a reasonable length.")])
    cues = beat_cues(speech, 0.0, speech.min_seconds + 0.1)  # ends 0.45 s before the beat
    assert cues[-1].end == pytest.approx(2.0)
    held = beat_cues(speech, 0.0, 2.15)  # would end 0.15 s before: held to the beat's end
    assert held[-1].end == pytest.approx(2.15)


def test_retiming_keeps_animations_and_shifts_later_beats() -> None:
    spans = [(0.8, 2.8), (2.8, 3.8), (4.8, 5.8)]  # a title bar first, a gap before beat 3
    narrated = retime_beats(spans, [1.0, 2.55, 0.0], fps=15)
    assert narrated[0] == pytest.approx((0.8, 2.8))  # the animation is longer: unchanged
    assert narrated[1] == pytest.approx((2.8, 2.8 + 39 / 15))  # 2.55 s -> 39 whole frames
    assert narrated[2][1] - narrated[2][0] == pytest.approx(1.0)
    assert narrated[2][0] - narrated[1][1] == pytest.approx(1.0)  # time between beats kept


def test_a_scene_record_survives_its_file(tmp_path: Path) -> None:
    record = SceneNarration(
        [
            SpokenBeat("Cap.", "Said.", 0.0, 2.0, [Sound(0.0, "k" * 64, "Said.", 1.2)], []),
            SpokenBeat("Silent.", None, 2.0, 3.0, [], [Cue(2.0, 3.0, "Silent.")]),
        ],
        hits=1,
        misses=2,
    )
    path = tmp_path / "record.json"
    record.write(path)
    assert SceneNarration.read(path) == record
    path.write_text("{}")
    with pytest.raises(ValueError, match="not a narration record"):
        SceneNarration.read(path)


# -- Mixing and mastering -----------------------------------------------------------------------


def speechlike(seconds: float, rate: int = 22050, seed: int = 0) -> np.ndarray:
    """Noise shaped like syllables (4 Hz envelope) with spiky peaks, peak-normalised as Piper's
    output is."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    signal = rng.standard_normal(len(t)) * np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 2
    signal[rng.integers(0, len(t), 20)] *= 8
    return (signal / np.max(np.abs(signal))).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int = 22050) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.mark.parametrize(
    ("frames", "fps", "samples"), [(30, 15, 96000), (1, 60, 800), (7, 30, 11200)]
)
def test_a_track_has_exactly_the_videos_length(frames: int, fps: int, samples: int) -> None:
    assert samples_for(frames, fps) == samples


def test_mix_places_clips_fades_them_and_refuses_overlaps(tmp_path: Path) -> None:
    a = write_wav(tmp_path / "a.wav", speechlike(1.0, seed=1))
    loud = write_wav(tmp_path / "dc.wav", np.full(22050, 0.9, dtype=np.float32))
    total = samples_for(60, 15)
    track = mix_scene([(0.0, a, "a"), (1.5, loud, "dc")], total, clip_lufs=None)
    assert track.dtype == np.float32 and len(track) == total
    assert np.all(track[int(1.02 * RATE) : int(1.5 * RATE)] == 0)
    assert clicks(track, RATE, [1.5, 2.5]) == []  # a full-scale clip, faded: no click
    with pytest.raises(MixError, match="before"):
        mix_scene([(0.0, a, "a"), (0.5, a, "again")], total)
    with pytest.raises(MixError, match="does not fit"):
        mix_scene([(3.5, a, "late")], total)


def test_resampling_keeps_pitch_and_level() -> None:
    tone = (0.5 * np.sin(2 * np.pi * 1000 * np.arange(22050) / 22050)).astype(np.float32)
    out = resample(tone, 22050, RATE)
    assert len(out) == RATE
    spectrum = np.abs(np.fft.rfft(out[1000:-1000] * np.hanning(len(out) - 2000)))
    assert abs(np.argmax(spectrum) * RATE / (len(out) - 2000) - 1000) < 2
    assert abs(np.max(np.abs(out[1000:-1000])) - 0.5) < 0.01


def test_mastering_reaches_minus_16_lufs_under_the_ceiling_with_one_gain() -> None:
    base = speechlike(8.0, RATE, seed=3)
    quiet, louder = base * 0.1, base * 0.14
    tracks, report = master([quiet, louder])
    joined = np.concatenate(tracks)
    assert abs(loudness(joined) + 16.0) < 0.1
    assert peak_db(joined) <= CEILING_DB + 1e-6
    assert loudness(tracks[1]) > loudness(tracks[0])  # one gain: chapters keep their order
    assert [len(t) for t in tracks] == [len(quiet), len(louder)]
    silent, _ = master([np.zeros(RATE, dtype=np.float32)])
    assert not np.any(silent[0])


def test_limiter_holds_the_ceiling() -> None:
    assert peak_db(limit(speechlike(5.0, RATE, seed=6) * 2.0)) <= CEILING_DB + 1e-6


# -- Muxing ---------------------------------------------------------------------------------------


def silent_video(path: Path, frames: int, fps: int = 15) -> Path:
    """A small H.264 video like Manim's (a moving bar, so frames differ)."""
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
        stream.codec_context.time_base = Fraction(1, fps)
        for index in range(frames):
            image = np.full((96, 160, 3), 24, dtype=np.uint8)
            image[:, (index * 9) % 150 : (index * 9) % 150 + 8] = 230
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


FRAMES = [16 + (i * 7) % 11 for i in range(13)]  # 13 scenes of 16-26 frames at 15 fps


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("mux")
    videos = [silent_video(folder / f"s{i:02d}.mp4", n) for i, n in enumerate(FRAMES)]
    tracks = []
    for k, frames in enumerate(FRAMES):
        track = np.zeros(samples_for(frames, 15), dtype=np.float32)
        burst = speechlike(0.3, RATE, seed=k) * 0.5
        track[: len(burst)] = burst  # a distinct sound on each scene's first sample
        tracks.append(track)
    return folder, videos, tracks


def test_one_encode_for_13_scenes_is_in_sync_at_every_chapter(scenes) -> None:
    folder, videos, tracks = scenes
    durations = [Fraction(n, 15) for n in FRAMES]
    starts = np.concatenate([[0], np.cumsum([float(d) for d in durations])[:-1]])
    chapters = [
        Chapter(f"Scene {k}", float(s), float(s + d))
        for k, (s, d) in enumerate(zip(starts, durations, strict=True))
    ]
    out = folder / "lecture.mp4"
    report = mux_lecture(videos, durations, tracks, out, chapters)
    decoded = decode(out)
    assert (decoded.codec, decoded.profile, decoded.rate) == ("aac", "LC", 48000)
    assert [c[2] for c in decoded.chapters] == [c.title for c in chapters]
    offsets = sync_offsets(decoded.samples, np.concatenate(tracks), RATE, list(starts))
    assert max(abs(o) for o in offsets) < 0.001  # under a millisecond at all 13 chapters
    assert 0 <= report.audio_seconds - report.video_seconds <= AAC_FRAME_SECONDS
    with av.open(str(out)) as container:  # the video is a stream copy: the same packets
        copied = [bytes(p) for p in container.demux(container.streams.video[0]) if p.size]
    original = []
    for video in videos:
        with av.open(str(video)) as container:
            original += [bytes(p) for p in container.demux(container.streams.video[0]) if p.size]
    assert len(copied) == len(original) and copied[5] == original[5]


def test_a_scene_track_of_the_wrong_length_is_refused(scenes) -> None:
    folder, videos, tracks = scenes
    with pytest.raises(MuxError, match="samples"):
        mux_scene(videos[0], Fraction(FRAMES[0], 15), tracks[0][:-100], folder / "bad.mp4")


def test_the_codecs_overshoot_is_limited_so_the_decoded_peak_stays_under_minus_1_dbfs(
    scenes,
) -> None:
    folder, videos, _ = scenes
    n = samples_for(FRAMES[0], 15)
    square = (0.79 * np.sign(np.sin(2 * np.pi * 220 * np.arange(n) / RATE))).astype(np.float32)
    report = mux_scene(videos[0], Fraction(FRAMES[0], 15), square, folder / "loud.mp4")
    assert report.peak_db <= -1.0
    assert peak_db(decode(folder / "loud.mp4").samples) <= -1.0


def test_speech_under_cues_tells_a_voice_from_silence() -> None:
    track = np.zeros(3 * RATE, dtype=np.float32)
    track[:RATE] = speechlike(1.0, RATE) * 0.3
    fractions = speech_under_cues([Cue(0.0, 1.0, "said"), Cue(2.0, 3.0, "silent")], track, RATE)
    assert fractions[0] > 0.3 and fractions[1] == 0.0  # syllables and the pauses between


# -- Names, settings, requirements ---------------------------------------------------------------


def test_the_narrated_version_has_names_of_its_own() -> None:
    voice = Voice(Path("/v/voice.onnx"), Path("/v/voice.onnx.json"))
    silent = Target(DECK, "low", "light", REPO / "media", "scenes-05")
    narrated = Target(DECK, "low", "light", REPO / "media", "scenes-05", Narration(voice))
    assert silent.video.name == "vae-derivation-low-light-scenes-05.mp4"
    assert narrated.video.name == "vae-derivation-low-light-scenes-05-narrated.mp4"
    assert narrated.lecture_file(".srt").name == "vae-derivation-low-light-scenes-05-narrated.srt"
    assert narrated.scenes_dir.name == "low-light-narrated" != silent.scenes_dir.name
    assert narrated.cache_dir != silent.cache_dir
    assert narrated.build_dir(DECK.scenes[0]) == silent.build_dir(DECK.scenes[0])  # LaTeX once
    assert narrated.speech_cache == silent.speech_cache == REPO / "media" / "cache" / "speech"
    assert silent.narration_record(DECK.scenes[0]) is None


def test_narration_round_trips_to_the_worker() -> None:
    voice = Voice(Path("/v/voice.onnx"), Path("/v/voice.onnx.json"))
    narration = Narration(voice, Settings(length_scale=1.2), breath=0.4)
    back = Narration.from_json(narration.to_json(Path("/m/speech"), Path("/m/r.json"), 2))
    assert back == (narration, Path("/m/speech"), Path("/m/r.json"), 2)


def test_pyproject_narration_extra_matches_the_install_command() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert tuple(project["optional-dependencies"]["narration"]) == NARRATION_REQUIREMENTS
    assert "vae-visual-derivation[narration]" in project["optional-dependencies"]["test"]


def test_characters_are_counted_as_read() -> None:
    assert cue_chars("two\nlines") == len("two lines")
