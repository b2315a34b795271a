"""Offline speech: Piper in child processes, and a cache of one WAV per sentence.

Piper (``piper-tts``, GPL-3.0-or-later) is never imported here: :class:`Synthesizer` starts
``_piper_worker.py`` as a separate, long-lived process that loads the voice once and answers
one JSON line per sentence, so the GPL engine never shares a process with the project's code.

Determinism: ``noise_scale=0`` and ``noise_w_scale=0`` make Piper's output byte-identical from
run to run (and for 1 or 2 ONNX Runtime threads), so a cache keyed by the exact text, the voice
files' hashes, the engine's version and the settings is exact (:class:`SpeechCache`).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import Any, NamedTuple

from lecturekit.atomic import write_text_atomic

from .voice import VOICE_MEMO, Settings, SpeechError, Voice, engine_version, install_command

WORKER_SCRIPT = Path(__file__).with_name("_piper_worker.py")
CACHE_SCHEMA = 1


class Word(NamedTuple):
    """One spoken word inside a clip (seconds from the clip's start) and its phonemes.

    A "word" is what espeak-ng phonemises as one: it may join short words ("of the").
    """

    start: float
    end: float
    phonemes: str


@dataclass(frozen=True)
class Clip:
    """One synthesised sentence: a mono 16-bit WAV file and what is known about it.

    ``words`` holds each spoken word's times, from Piper's own per-phoneme durations (empty
    when the ``onnx`` package is missing and the model could not be patched).
    """

    path: Path
    seconds: float
    sample_rate: int
    text: str
    key: str = ""
    words: tuple[Word, ...] = ()
    phonemes: str = ""


class SpeechCache:
    """Per-sentence WAVs in ``folder``, keyed by SHA-256 of (text, voice, engine, settings).

    Layout: ``<folder>/<key[:2]>/<key>.wav`` and ``<key>.json`` (metadata, written last, so its
    presence means the entry is complete); ``engine/`` holds the voice model patched to report
    its phoneme durations; ``voices.json`` remembers voice-file hashes. Writes are atomic
    (temporary file + rename), so two render workers may fill it at once.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @property
    def voice_memo(self) -> Path:
        """Where voice-file hashes are remembered (:meth:`Voice.fingerprint`)."""
        return self.folder / VOICE_MEMO

    def key(self, text: str, voice: Voice, settings: Settings, engine: str) -> str:
        """The cache key of one sentence."""
        identity = {
            "schema": CACHE_SCHEMA,
            "text": text,
            "voice": voice.fingerprint(self.voice_memo),
            "engine": engine,
            "settings": settings.as_dict(),
        }
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".wav"), base.with_suffix(".json")

    def get(self, key: str) -> Clip | None:
        """The cached clip, or ``None`` (also for an entry left incomplete by a crash)."""
        wav, meta = self._paths(key)
        if not (meta.is_file() and wav.is_file()):
            return None
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            return Clip(
                path=wav,
                seconds=float(info["seconds"]),
                sample_rate=int(info["sample_rate"]),
                text=info["text"],
                key=key,
                words=tuple(Word(*w) for w in info.get("words", [])),
                phonemes=info.get("phonemes", ""),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def scratch_path(self) -> Path:
        """A fresh temporary WAV path inside the cache (same file system: renames are atomic)."""
        folder = self.folder / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{uuid.uuid4().hex}.wav"

    def put(self, key: str, clip: Clip) -> Clip:
        """Move ``clip``'s WAV into the cache under ``key`` and record its metadata."""
        wav, meta = self._paths(key)
        wav.parent.mkdir(parents=True, exist_ok=True)
        os.replace(clip.path, wav)
        info = {
            "seconds": clip.seconds,
            "sample_rate": clip.sample_rate,
            "text": clip.text,
            "words": [list(w) for w in clip.words],
            "phonemes": clip.phonemes,
        }
        write_text_atomic(meta, json.dumps(info, ensure_ascii=False))
        return Clip(wav, clip.seconds, clip.sample_rate, clip.text, key, clip.words, clip.phonemes)


class _Worker:
    """One child process running ``_piper_worker.py``."""

    def __init__(self, command: list[str]) -> None:
        self._stderr = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        except OSError as error:
            self._stderr.close()
            raise SpeechError(
                f"cannot start {command[0]} for the Piper speech engine ({error})",
                install_command(command[0]),
            ) from None
        self.hello = self._read("starting the voice")
        if not self.hello.get("ok"):
            self.close()
            detail = self.hello.get("detail")
            if self.hello.get("error") == "missing-engine":
                raise SpeechError(
                    f"the Piper speech engine cannot be imported by {command[0]} ({detail})",
                    install_command(command[0]),
                )
            raise SpeechError(f"Piper could not load the voice {command[4]}: {detail}")

    def _read(self, doing: str) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            self._stderr.seek(0)
            tail = self._stderr.read().decode(errors="replace").strip().splitlines()[-5:]
            raise SpeechError(
                f"the Piper child process ended while {doing} "
                f"(exit {self.process.returncode}): " + " / ".join(tail)
            )
        return json.loads(line)

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        reply = self._read(f"answering {message.get('op')}")
        if not reply.get("ok"):
            raise SpeechError(f"Piper failed on {message.get('text')!r}: {reply.get('error')}")
        return reply

    def close(self) -> None:
        """Close stdin (the child then exits by itself) and reap it."""
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self._stderr.close()


@dataclass
class Synthesizer:
    """Piper in ``workers`` separate child processes, started on first use.

    ``threads`` is ONNX Runtime's intra-op thread count per child (default: cores / workers;
    measured on 2 cores: 2 children of 1 thread synthesise a lecture in 23.5 s where 1 child of
    2 threads takes 28.7 s). ``aligned_dir`` keeps the voice model patched (once, 3 s) to
    report its phoneme durations, from which each clip knows its words' times; without the
    ``onnx`` package the child falls back to the plain model and clips have no word times.
    """

    voice: Voice
    settings: Settings = field(default_factory=Settings)
    workers: int = 1
    threads: int | None = None
    aligned_dir: Path | None = None
    python: str = sys.executable

    starts: int = field(default=0, init=False)
    _pool: list[_Worker] = field(default_factory=list, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    total_starts = 0  # class-wide count of child processes started (the tests count them)

    def _command(self) -> list[str]:
        threads = self.threads or max(1, (os.cpu_count() or 1) // max(1, self.workers))
        # -P: the worker's own folder (this package's) is not put on the child's sys.path.
        command = [self.python, "-P", str(WORKER_SCRIPT), "--model", str(self.voice.model)]
        command += ["--config", str(self.voice.config), "--threads", str(threads)]
        if self.aligned_dir is not None:
            memo = self.aligned_dir.parent / VOICE_MEMO
            name = f"aligned-{self.voice.fingerprint(memo)[:16]}.onnx"
            command += ["--aligned-model", str(self.aligned_dir / name)]
        return command

    def _start(self, count: int) -> list[_Worker]:
        with self._lock:
            missing = count - len(self._pool)
            if missing > 0:
                self.voice.check()
                command = self._command()
                with ThreadPoolExecutor(missing) as pool:
                    started = list(pool.map(lambda _: _Worker(command), range(missing)))
                self._pool.extend(started)
                self.starts += missing
                Synthesizer.total_starts += missing
            return self._pool[:count]

    def synthesize(self, text: str, out: Path) -> Clip:
        """Speak ``text`` (one sentence) into the WAV file ``out``."""
        return self._run(self._start(1)[0], text, Path(out))

    def _run(self, worker: _Worker, text: str, out: Path) -> Clip:
        reply = worker.request(
            {"op": "synthesize", "text": text, "out": str(out), "settings": self.settings.as_dict()}
        )
        return Clip(
            path=out,
            seconds=reply["samples"] / reply["sample_rate"],
            sample_rate=reply["sample_rate"],
            text=text,
            words=tuple(Word(float(a), float(b), p) for a, b, p in reply["words"]),
            phonemes=reply["phonemes"],
        )

    def synthesize_many(self, jobs: Sequence[tuple[str, Path]]) -> list[Clip]:
        """Speak many (text, out) pairs on up to ``workers`` children; results in input order.

        Longest texts go first so that the children finish at about the same time.
        """
        if not jobs:
            return []
        workers = self._start(min(self.workers, len(jobs)))
        idle: Queue[_Worker] = Queue()
        for worker in workers:
            idle.put(worker)

        def one(index: int) -> tuple[int, Clip]:
            worker = idle.get()
            try:
                return index, self._run(worker, jobs[index][0], Path(jobs[index][1]))
            finally:
                idle.put(worker)

        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        results: list[Clip | None] = [None] * len(jobs)
        with ThreadPoolExecutor(len(workers)) as pool:
            for index, clip in pool.map(one, order):
                results[index] = clip
        return [clip for clip in results if clip is not None]

    def phonemize(self, text: str) -> list[str]:
        """espeak-ng phonemes of ``text``, one string per sentence Piper would make (to check
        how a spelling is spoken: ``python -m lecturekit.narration.script --phonemes``)."""
        return list(self._start(1)[0].request({"op": "phonemize", "text": text})["phonemes"])

    def close(self) -> None:
        """Stop every child process."""
        with self._lock:
            for worker in self._pool:
                worker.close()
            self._pool.clear()

    def __enter__(self) -> Synthesizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class SpeechResult:
    """What :func:`speak` did: clips in input order, cache hits and misses, wall time."""

    clips: list[Clip]
    hits: int
    misses: int
    seconds: float


def speak(texts: Sequence[str], cache: SpeechCache, synthesizer: Synthesizer) -> SpeechResult:
    """Clips for ``texts`` (one sentence each), synthesising only what ``cache`` lacks.

    A fully cached call starts no child process; duplicate texts are synthesised once.
    """
    started = time.perf_counter()
    engine = engine_version()
    keys = [cache.key(t, synthesizer.voice, synthesizer.settings, engine) for t in texts]
    found = {key: cache.get(key) for key in set(keys)}
    todo = {key: text for key, text in zip(keys, texts, strict=True) if found[key] is None}
    if todo:
        jobs = [(text, cache.scratch_path()) for text in todo.values()]
        for key, clip in zip(todo, synthesizer.synthesize_many(jobs), strict=True):
            found[key] = cache.put(key, clip)
    clips = [found[key] for key in keys]
    return SpeechResult(
        clips=[c for c in clips if c is not None],
        hits=len(texts) - len(todo),
        misses=len(todo),
        seconds=time.perf_counter() - started,
    )
