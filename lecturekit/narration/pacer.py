"""The narrated render's pacer: each beat's speech, and the beat held until it has been said.

A narrated scene renders like a silent one, in its own worker process, with one difference:
:class:`NarrationPacer` is set on :class:`~lecturekit.scene.lecture.LectureScene` (the
``BeatPacer`` seam). As a beat opens, its ``say=`` text is split into sentences, each one's
speech is taken from the speech cache or synthesised (Piper, in a child process), and the beat
is held until its speech and a breath are over (:mod:`lecturekit.narration.timeline`). The
scene's own clock gives each beat's real start, so the speech is placed where the rendered
frames put the beat.

When the scene has rendered, the pacer's record (:class:`SceneNarration`: every beat's start,
end, clips and captions) is written beside the scene's video
(:meth:`~lecturekit.render.target.Target.narration_record`); the scene cache keeps it with the
video, and the build mixes the scene's audio from it (:mod:`lecturekit.narration.assemble`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lecturekit.atomic import write_text_atomic
from lecturekit.video.captions import Cue

from .captions import split_sentences
from .speech import SpeechCache, Synthesizer, speak
from .timeline import BeatSpeech, beat_cues, plan_beat
from .voice import Narration

if TYPE_CHECKING:
    from lecturekit.scene.lecture import Beat, LectureScene

SIDECAR_FORMAT = 1


class NarrationPacer:
    """A :class:`~lecturekit.scene.lecture.BeatPacer` that speaks each beat's ``say=``.

    ``threads``: ONNX Runtime threads of the Piper child (started on the first sentence the
    cache lacks, and only then).
    """

    def __init__(self, narration: Narration, cache: SpeechCache, threads: int = 1) -> None:
        self.narration = narration
        self.cache = cache
        self.synthesizer = Synthesizer(
            narration.voice,
            narration.settings,
            workers=1,
            threads=threads,
            aligned_dir=cache.folder / "engine",
        )
        self._beats: list[tuple[Beat, BeatSpeech | None]] = []
        self.hits = 0
        self.misses = 0
        self.record_path: Path | None = None  # set by install(): the render's record file

    # -- BeatPacer ------------------------------------------------------------------------------
    def begin(self, scene: LectureScene, beat: Beat) -> None:
        """Make (or find) the beat's speech as the beat starts."""
        speech = None
        if beat.say is not None and beat.say.strip():
            result = speak(split_sentences(beat.say), self.cache, self.synthesizer)
            self.hits += result.hits
            self.misses += result.misses
            speech = plan_beat(result.clips, self.narration.breath, self.narration.gap)
        self._beats.append((beat, speech))

    def min_end(self, scene: LectureScene, beat: Beat) -> float:
        """The beat lasts at least until its speech, its breath and its captions are over."""
        speech = self.speech_of(beat)
        return beat.start + (speech.min_seconds if speech is not None else 0.0)

    # -- What was said ----------------------------------------------------------------------------
    def speech_of(self, beat: Beat) -> BeatSpeech | None:
        """The speech planned for ``beat`` (``None`` for a beat without ``say=``)."""
        for known, speech in reversed(self._beats):
            if known is beat:
                return speech
        raise KeyError(f"beat {beat.caption!r} never began")

    def record(self) -> SceneNarration:
        """What the scene said, beat by beat, once it has rendered."""
        beats = []
        for beat, speech in self._beats:
            if beat.end is None:
                continue  # a beat the scene never finished (it failed): nothing to place
            if speech is None:
                cues = [Cue(beat.start, beat.end, beat.caption)] if beat.end > beat.start else []
                sounds: list[Sound] = []
            else:
                cues = beat_cues(speech, beat.start, beat.end)
                sounds = [
                    Sound(beat.start + p.offset, p.clip.key, p.clip.text, p.clip.seconds)
                    for p in speech.placements
                ]
            beats.append(SpokenBeat(beat.caption, beat.say, beat.start, beat.end, sounds, cues))
        return SceneNarration(beats, self.hits, self.misses)

    def close(self) -> None:
        """Stop the Piper child, if one was started."""
        self.synthesizer.close()


@dataclass(frozen=True)
class Sound:
    """One sentence's clip placed in its scene: ``start`` seconds from the scene's start;
    ``key`` finds it in the speech cache."""

    start: float
    key: str
    text: str
    seconds: float


@dataclass(frozen=True)
class SpokenBeat:
    """A beat of a narrated render: its caption and text, its span, its sounds and cues."""

    caption: str
    say: str | None
    start: float
    end: float
    sounds: Sequence[Sound]
    cues: Sequence[Cue]


@dataclass(frozen=True)
class SceneNarration:
    """Everything a narrated scene said (the sidecar of its video), and how many of its
    sentences came from the speech cache (``hits``) or were synthesised (``misses``)."""

    beats: Sequence[SpokenBeat]
    hits: int = 0
    misses: int = 0

    @property
    def sounds(self) -> list[Sound]:
        """Every clip of the scene, in time order."""
        return sorted((s for b in self.beats for s in b.sounds), key=lambda s: s.start)

    @property
    def cues(self) -> list[Cue]:
        """The scene's narrated captions: the spoken text where a beat speaks, the beat's
        caption where it does not."""
        return [c for b in self.beats for c in b.cues]

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the sidecar file."""
        return {
            "format": SIDECAR_FORMAT,
            "speech": {"hits": self.hits, "misses": self.misses},
            "beats": [
                {
                    "caption": b.caption,
                    "say": b.say,
                    "start": b.start,
                    "end": b.end,
                    "sounds": [[s.start, s.key, s.text, s.seconds] for s in b.sounds],
                    "cues": [[c.start, c.end, c.text] for c in b.cues],
                }
                for b in self.beats
            ],
        }

    def write(self, path: Path) -> None:
        """Write the sidecar file (atomically)."""
        write_text_atomic(path, json.dumps(self.to_json(), ensure_ascii=False, indent=1))

    @classmethod
    def read(cls, path: Path) -> SceneNarration:
        """Read a sidecar file; ``ValueError`` naming the file when it is not one."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != SIDECAR_FORMAT:
                raise ValueError(f"format {data.get('format')!r}, not {SIDECAR_FORMAT}")
            beats = [
                SpokenBeat(
                    b["caption"],
                    b["say"],
                    float(b["start"]),
                    float(b["end"]),
                    [Sound(float(s), k, t, float(d)) for s, k, t, d in b["sounds"]],
                    [Cue(float(s), float(e), t) for s, e, t in b["cues"]],
                )
                for b in data["beats"]
            ]
            speech = data.get("speech", {})
            return cls(beats, int(speech.get("hits", 0)), int(speech.get("misses", 0)))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: not a narration record ({error})") from None


def install(config: str) -> NarrationPacer:
    """Set a pacer made from ``config`` (:meth:`Narration.to_json`) on every LectureScene of
    this process: the render worker's hook for ``render.py --narration``. The pacer's
    ``record_path`` is where the worker writes :meth:`NarrationPacer.record` once the scene
    has rendered."""
    from lecturekit.scene.lecture import LectureScene

    narration, speech_cache, record, threads = Narration.from_json(config)
    pacer = NarrationPacer(narration, SpeechCache(speech_cache), threads)
    pacer.record_path = record
    LectureScene.pacer = pacer
    return pacer
