"""Speech drives time: a beat's sentences, how long the beat must last, its captions.

A beat lasts as long as its animations or its speech plus a breath, whichever is longer;
animations are never cut; speech starts with its beat, and the sentences of one beat follow
each other after a short pause. The beat also lasts long enough for its captions to keep the
caption rules (a one-word sentence still gets its second on screen). Pure arithmetic: no audio,
no Manim. The render's pacer (:mod:`lecturekit.narration.pacer`) applies it beat by beat.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lecturekit.video.captions import Cue

from .captions import RULES, CaptionRules, settle_cues, split_cues, time_cues
from .speech import Clip
from .voice import BREATH, SENTENCE_GAP


@dataclass(frozen=True)
class Placement:
    """A sentence's clip, ``offset`` seconds after its beat's start."""

    offset: float
    clip: Clip


@dataclass(frozen=True)
class BeatSpeech:
    """What a beat says, laid out from the beat's start.

    ``cues`` are timed to the speech (relative to the beat's start) and not yet settled into
    the beat's final length; ``min_seconds`` is the shortest the beat may last: its speech plus
    the breath, or longer where its captions need more time on screen.
    """

    placements: tuple[Placement, ...]
    cues: tuple[Cue, ...]
    speech_seconds: float
    min_seconds: float


def plan_beat(
    clips: Sequence[Clip],
    breath: float = BREATH,
    gap: float = SENTENCE_GAP,
    rules: CaptionRules = RULES,
) -> BeatSpeech:
    """Lay out one beat's sentences (one clip each, in order) from the beat's start."""
    at = 0.0
    placements: list[Placement] = []
    cues: list[Cue] = []
    for index, clip in enumerate(clips):
        if index:
            at += gap
        placements.append(Placement(at, clip))
        cues += time_cues(split_cues(clip.text, rules), at, clip.seconds, clip.words)
        at += clip.seconds
    settled = settle_cues(cues, limit=math.inf, floor=0.0, rules=rules)
    needed = settled[-1].end if settled else 0.0
    minimum = max(at + breath, needed) if clips else 0.0
    return BeatSpeech(tuple(placements), tuple(cues), at, minimum)


def beat_cues(
    speech: BeatSpeech, start: float, end: float, rules: CaptionRules = RULES
) -> list[Cue]:
    """The beat's captions on the scene's timeline, settled within [``start``, ``end``].

    The next beat's first cue starts with that beat, so a last cue that would end less than
    ``rules.min_gap`` before this beat's end is held to it: no flicker gap at a beat's join.
    """
    shifted = [Cue(start + c.start, start + c.end, c.text) for c in speech.cues]
    settled = settle_cues(shifted, limit=end, floor=start, rules=rules)
    if settled and end - settled[-1].end < rules.min_gap:
        last = settled[-1]
        settled[-1] = Cue(last.start, end, last.text)
    return settled


def frames_for(seconds: float, fps: float) -> int:
    """Whole frames that cover ``seconds`` (a hair of float error does not add a frame)."""
    return max(0, math.ceil(round(seconds * fps, 6)))


def retime_beats(
    spans: Sequence[tuple[float, float]], min_seconds: Sequence[float], fps: float
) -> list[tuple[float, float]]:
    """Where beats of a silent run (``spans``: start, end in scene seconds) fall once each
    lasts at least ``min_seconds`` (rounded up to whole frames, as the scene holds a beat):
    the narrated timing, computed without running the scene again. Time between beats
    (animations outside any beat) keeps its length."""
    shift, out = 0.0, []
    for (start, end), minimum in zip(spans, min_seconds, strict=True):
        length = end - start
        narrated = max(length, frames_for(minimum, fps) / fps)
        out.append((start + shift, start + shift + narrated))
        shift += narrated - length
    return out
