"""Speech: offline, deterministic, cached, out of process, with one clear message when the
voice or the engine is missing.

One speech cache serves the module (its ``engine/`` folder keeps the voice model patched for
word times, so only the first Piper child pays for patching it).
"""

from __future__ import annotations

import sys
import time
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from lecturekit import cli
from lecturekit.narration import preflight as narration_preflight
from lecturekit.narration.speech import SpeechCache, Synthesizer, speak
from lecturekit.narration.voice import (
    Narration,
    Settings,
    SpeechError,
    Voice,
    engine_version,
    install_command,
)
from lecturekit.render.target import Target
from tests.vae_deck import DECK, REPO

SENTENCE = "The evidence lower bound is never above log p theta of x."


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> SpeechCache:
    return SpeechCache(tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def synth(cache: SpeechCache):
    with Synthesizer(Voice.default(), aligned_dir=cache.folder / "engine") as synthesizer:
        yield synthesizer


def test_the_same_text_gives_the_same_bytes_in_any_process(
    synth: Synthesizer, cache: SpeechCache, tmp_path: Path
) -> None:
    first = synth.synthesize(SENTENCE, tmp_path / "a.wav")
    second = synth.synthesize(SENTENCE, tmp_path / "b.wav")
    with Synthesizer(Voice.default(), threads=1, aligned_dir=cache.folder / "engine") as other:
        third = other.synthesize(SENTENCE, tmp_path / "c.wav")
    data = first.path.read_bytes()
    assert len(data) > 44 + 22050  # header + over half a second of 16-bit audio
    assert data == second.path.read_bytes() == third.path.read_bytes()
    assert first.sample_rate == 22050 and 2.0 < first.seconds < 7.0


def test_a_clip_knows_its_words_times(synth: Synthesizer, tmp_path: Path) -> None:
    clip = synth.synthesize("Step three: apply Jensen's inequality.", tmp_path / "w.wav")
    starts = [w.start for w in clip.words]
    assert len(clip.words) >= 5 and starts == sorted(starts)
    assert clip.words[-1].end <= clip.seconds + 1e-6


def test_the_engine_never_loads_into_the_projects_process(synth: Synthesizer, tmp_path: Path):
    synth.synthesize("Hello.", tmp_path / "h.wav")
    assert "piper" not in sys.modules and "onnxruntime" not in sys.modules


def test_cached_speech_starts_no_engine_and_an_edit_makes_one_sentence(
    cache: SpeechCache, tmp_path: Path
) -> None:
    texts = ["A first sentence.", "A second sentence.", "A third sentence."]
    own = SpeechCache(tmp_path / "speech")
    (own.folder).mkdir()
    (own.folder / "engine").symlink_to(cache.folder / "engine")  # the patched model
    voice = Voice.default()
    with Synthesizer(voice, aligned_dir=own.folder / "engine") as synthesizer:
        cold = speak(texts, own, synthesizer)
    assert (cold.hits, cold.misses) == (0, 3)
    before = Synthesizer.total_starts
    started = time.perf_counter()
    with Synthesizer(voice, aligned_dir=own.folder / "engine") as synthesizer:
        warm = speak(texts, own, synthesizer)
    assert time.perf_counter() - started < 1.0
    assert (warm.hits, warm.misses) == (3, 0)
    assert Synthesizer.total_starts == before  # no child process at all
    assert [c.path.read_bytes() for c in warm.clips] == [c.path.read_bytes() for c in cold.clips]
    with Synthesizer(voice, aligned_dir=own.folder / "engine") as synthesizer:
        edited = speak([texts[0], "A changed second sentence.", texts[2]], own, synthesizer)
    assert (edited.hits, edited.misses) == (2, 1)
    assert not list((own.folder / "tmp").iterdir())  # nothing half-written left behind


def test_the_cache_key_is_text_voice_engine_and_settings(cache: SpeechCache) -> None:
    voice, engine = Voice.default(), engine_version()
    base = cache.key("Hello.", voice, Settings(), engine)
    assert base == cache.key("Hello.", voice, Settings(), engine)
    assert base != cache.key("Hello!", voice, Settings(), engine)
    assert base != cache.key("Hello.", voice, Settings(length_scale=1.0), engine)
    assert base != cache.key("Hello.", voice, Settings(), "piper-tts 9.9.9; onnxruntime 1")


def test_an_incomplete_cache_entry_is_a_miss(tmp_path: Path) -> None:
    key = "ab" + "0" * 62
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / f"{key}.wav").write_bytes(b"RIFF")  # a WAV without its metadata
    assert SpeechCache(tmp_path).get(key) is None


def test_any_piper_voice_can_be_given_by_its_model(tmp_path: Path) -> None:
    default = Voice.default()
    model = tmp_path / "copy.onnx"
    model.symlink_to(default.model)
    model.with_name("copy.onnx.json").symlink_to(default.config)
    voice = Voice.from_model(model)
    assert voice.problem() is None and voice.describe() == default.describe()
    assert voice.fingerprint() == default.fingerprint()  # the same files: the same speech


def test_a_bad_voice_file_is_one_clear_error(tmp_path: Path) -> None:
    model = tmp_path / "v.onnx"
    model.write_bytes(b"not a model")
    model.with_name("v.onnx.json").write_text('{"audio": {"sample_rate": 22050}}')
    with pytest.raises(SpeechError, match="could not load the voice"):
        Synthesizer(Voice.from_model(model)).synthesize("Hi.", tmp_path / "x.wav")


def test_an_engine_missing_from_the_interpreter_names_the_install_command(tmp_path: Path):
    bare = tmp_path / "bare"
    venv.EnvBuilder(with_pip=False).create(bare)  # a Python without piper-tts
    python = str(bare / "bin" / "python")
    voice = Voice.default()
    with pytest.raises(SpeechError) as error:
        Synthesizer(voice, python=python).synthesize("Hi.", tmp_path / "x.wav")
    assert install_command(python) in str(error.value)


# -- render.py: one message, with the install command, exit code of a failed preflight ----------

ARGS = ["--deck", str(REPO / "scenes"), "--quality", "low", "--scene", "1"]


def test_a_missing_voice_stops_the_render_before_it_starts(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.onnx"
    result = CliRunner().invoke(
        cli.main, [*ARGS, "--media-dir", str(tmp_path), "--narration", "--voice", str(missing)]
    )
    assert result.exit_code == cli.EXIT_PREFLIGHT
    assert "cannot render: preflight found 1 problem(s)" in result.output
    assert f"the Piper voice model {missing} does not exist" in result.output
    assert "pass --voice PATH.onnx" in result.output and install_command() in result.output
    assert "Traceback" not in result.output


def test_a_missing_engine_stops_the_render_with_the_install_command(
    monkeypatch, tmp_path: Path
) -> None:
    def no_engine() -> str:
        raise SpeechError("the Piper speech engine is not installed", install_command())

    monkeypatch.setattr(narration_preflight, "engine_version", no_engine)
    narrated = Target(DECK, "low", media_dir=tmp_path, narration=Narration(Voice.default()))
    problems = narration_preflight.check_narration(narrated)
    assert [p.what for p in problems] == ["the Piper speech engine is not installed"]
    assert problems[0].fix == install_command()
    result = CliRunner().invoke(cli.main, [*ARGS, "--media-dir", str(tmp_path), "--narration"])
    assert result.exit_code == cli.EXIT_PREFLIGHT
    assert "the Piper speech engine is not installed" in result.output
    assert install_command() in result.output


def test_the_engine_check_runs_once_and_is_remembered(tmp_path: Path) -> None:
    narrated = Target(DECK, "low", media_dir=tmp_path, narration=Narration(Voice.default()))
    assert narration_preflight.check_narration(narrated) == []
    assert narrated.remembered_check("narration-engine").exists()
    started = time.perf_counter()
    assert narration_preflight.check_narration(narrated) == []
    assert time.perf_counter() - started < 0.2  # no child process this time


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--voice", "v.onnx"], "--voice chooses the narrator's voice: add --narration"),
        (["--narration", "--slides"], "run them without --narration"),
        (["--narration", "--handout"], "run them without --narration"),
        (
            ["--narration", "--executor", "tcp://127.0.0.1:8786"],
            "--narration cannot be combined with --executor yet: ",
        ),
        (
            ["--narration", "--executor", "tls://render-host:8786"],
            "--narration cannot be combined with --executor yet: ",
        ),
    ],
)
def test_narration_options_that_do_not_go_together(extra: list[str], message: str) -> None:
    result = CliRunner().invoke(cli.main, [*ARGS, *extra])
    assert result.exit_code == 2 and message in result.output
