"""Narration text → sentences → caption cues timed to the speech.

The narrated captions are the spoken text itself, split into cues within the project's caption
rules (:class:`CaptionRules`: at most 2 lines of 42 characters, at most 20 characters a second,
each cue at least 1 s, no gap between cues shorter than 0.2 s; back to back is fine), each
timed to the speech of its sentence. Characters are counted with a line break as one space.

Pure text and numbers: no audio, no engine. Cue times inside a sentence come from the clip's
word times (Piper's own phoneme durations) when available, else from a syllable estimate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from lecturekit.video.captions import Cue

from .speech import Word


@dataclass(frozen=True)
class CaptionRules:
    """The project's caption rules."""

    max_lines: int = 2
    max_chars: int = 42
    max_cps: float = 20.0
    min_seconds: float = 1.0
    min_gap: float = 0.2


RULES = CaptionRules()
SETTLE_MARGIN = 0.01  # seconds: what millisecond time stamps may take off a cue, and more

# Abbreviations whose full stop never ends a sentence (compared lower-case, without the dot).
ABBREVIATIONS = frozenset(
    (
        "e.g i.e cf vs fig figs eq eqs sec ch no nos dr mr mrs ms prof st approx al resp ref refs"
    ).split()
)
_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s+|$)")
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for with from and or but as is are be its it this that".split()
)
_DIGIT_SYLLABLES = dict(zip("0123456789", (2, 1, 1, 1, 1, 1, 1, 2, 1, 1), strict=True))
_CLAUSE_WORDS = frozenset("and but so because which where while whereas then or that".split())


def split_sentences(text: str) -> list[str]:
    """Split narration into sentences; abbreviations, decimals and initials do not end one.

    Blank lines always end a sentence. "e.g. Gaussians", "Fig. 3", "0.45", "K. L. divergence"
    stay whole; "...given x. Next" is split after "x." (a lower-case single letter is a symbol,
    not an initial).
    """
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        start = 0
        for match in _END.finditer(flat):
            if _is_sentence_end(flat, match):
                sentences.append(flat[start : match.end()].strip())
                start = match.end()
        if flat[start:].strip():
            sentences.append(flat[start:].strip())
    return sentences


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    after = text[match.end() :].lstrip()
    if not after:
        return True
    starts_new = after[0].isupper() or after[0].isdigit() or after[0] in "\"'(["
    if match.group().rstrip("\"')]") != ".":
        return starts_new  # "!", "?", "..." end a sentence unless lower case follows
    before = text[: match.start()].split()
    word = before[-1].lstrip("(\"'") if before else ""
    if word.lower() in ABBREVIATIONS:
        return False
    # Initials: a capital letter before another ("K. L.") or after one ("D. P. Kingma").
    if re.fullmatch(r"[A-Z]", word):
        previous = before[-2] if len(before) > 1 else ""
        if re.match(r"[A-Z][.\s]", after) or re.fullmatch(r"[A-Z]\.", previous):
            return False
    return starts_new


@lru_cache(maxsize=4096)
def syllables(text: str) -> int:
    """A rough English syllable count of ``text`` (at least 1 for any non-empty word).

    Spelled-out letters ("E L B O", "KL") count one each; digits count their spoken names.
    """
    total = 0
    for token in re.findall(r"[A-Za-z']+|\d", text):
        if token.isdigit():
            total += _DIGIT_SYLLABLES[token]
        elif len(token) == 1 or (token.isupper() and len(token) <= 4 and token != "ELBO"):
            total += 3 if token.upper() == "W" else len(token)
        else:
            total += _word_syllables(token.lower())
    return total


def _word_syllables(word: str) -> int:
    word = word.strip("'")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith("es") and len(word) > 3 and word[-3] not in "sxzcgh" and count > 1:
        count -= 1
    if word.endswith("ed") and len(word) > 3 and word[-3] not in "td" and count > 1:
        count -= 1
    return max(1, count)


_IPA_VOWELS = re.compile(r"[aeiouæɐɑɒɔəɚɛɜɝɪɨʊʌʏyøœɵɘɤɯᵻ]+")


def phoneme_syllables(phonemes: str) -> int:
    """Vowel nuclei in an espeak-ng IPA string (diphthongs count once)."""
    return max(1, len(_IPA_VOWELS.findall(phonemes)))


def wrap_lines(text: str, rules: CaptionRules = RULES) -> str | None:
    """``text`` on at most ``rules.max_lines`` lines of ``rules.max_chars``, or None.

    One line if it fits; else two lines broken where they are most even, preferring a break
    after punctuation and not after a short function word ("the", "of").
    """
    text = " ".join(text.split())
    if len(text) <= rules.max_chars:
        return text
    if rules.max_lines < 2:
        return None
    words = text.split(" ")
    best: tuple[float, str] | None = None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        if len(first) > rules.max_chars or len(second) > rules.max_chars:
            continue
        cost = abs(len(first) - len(second))
        cost -= 12 if first[-1] in ",;:" else 0
        cost += 8 if words[i - 1].lower() in _FUNCTION_WORDS else 0
        if best is None or cost < best[0]:
            best = (cost, f"{first}\n{second}")
    return best[1] if best else None


def _break_cost(words: Sequence[str], i: int) -> float:
    """Cost of ending a cue after ``words[i-1]`` (0 at the sentence end)."""
    if i == len(words):
        return 0.0
    last, following = words[i - 1], words[i].lower().strip("\"'(")
    if last[-1] in ",;:—–)":
        return 1.0
    if following in _CLAUSE_WORDS:
        return 4.0
    if last.lower() in _FUNCTION_WORDS:
        return 40.0
    return 12.0


def split_cues(sentence: str, rules: CaptionRules = RULES) -> list[str]:
    """Split one sentence into cue texts (with ``\\n`` line breaks) that fit the line rules.

    Fewest cues first; among those, breaks at clause boundaries (commas, "and", "which") and
    parts of even length. A part shorter than ~20 characters is discouraged (it would last
    under 1 s). Raises ValueError if a single word is longer than a line.
    """
    words = sentence.split()
    if not words:
        return []
    if any(len(w) > rules.max_chars for w in words):
        raise ValueError(f"a word is longer than {rules.max_chars} characters: {sentence!r}")
    capacity = rules.max_chars * rules.max_lines
    n = len(words)
    best: list[tuple[float, int] | None] = [None] * (n + 1)
    best[0] = (0.0, 0)
    for end in range(1, n + 1):
        for begin in range(end - 1, -1, -1):
            part = " ".join(words[begin:end])
            if len(part) > capacity:
                break
            if best[begin] is None or wrap_lines(part, rules) is None:
                continue
            cost = best[begin][0] + 100.0 + _break_cost(words, end) + _short_penalty(part)
            cost += abs(len(part) - capacity * 0.75) * 0.05
            if best[end] is None or cost < best[end][0]:
                best[end] = (cost, begin)
    cues: list[str] = []
    end = n
    while end > 0:
        entry = best[end]
        assert entry is not None
        begin = entry[1]
        cues.append(wrap_lines(" ".join(words[begin:end]), rules) or "")
        end = begin
    return cues[::-1]


def _short_penalty(part: str) -> float:
    return max(0.0, 20 - len(part)) * 3.0


def cue_chars(text: str) -> int:
    """Characters of a cue as read (a line break counts as a space)."""
    return len(text.replace("\n", " "))


def time_cues(
    cue_texts: Sequence[str],
    start: float,
    seconds: float,
    words: Sequence[Word] = (),
) -> list[Cue]:
    """Time one sentence's cues, the sentence's clip starting at ``start`` (timeline seconds).

    With ``words`` (the clip's word times) each cue boundary goes to the start of the spoken
    word whose share of syllables matches the cue texts' share; without, the clip is divided by
    the syllable estimate. The first cue starts with the clip and the last ends with it (the
    few hundredths of a second of silence Piper leaves around a sentence included), and cues
    are back to back, so a sentence's captions are on screen exactly while it is heard.
    """
    if not cue_texts:
        return []
    if len(words) >= len(cue_texts):
        edges = _edges_from_words(cue_texts, words, seconds)
    else:
        edges = _edges_from_syllables(cue_texts, seconds)
    return [Cue(start + edges[i], start + edges[i + 1], text) for i, text in enumerate(cue_texts)]


def _edges_from_syllables(cue_texts: Sequence[str], seconds: float) -> list[float]:
    counts = [syllables(t) for t in cue_texts]
    total = sum(counts) or 1
    edges, running = [0.0], 0
    for count in counts:
        running += count
        edges.append(seconds * running / total)
    return edges


def _edges_from_words(
    cue_texts: Sequence[str], words: Sequence[Word], seconds: float
) -> list[float]:
    text_counts = [syllables(t) for t in cue_texts]
    text_total = sum(text_counts) or 1
    spoken = [phoneme_syllables(w.phonemes) for w in words]
    spoken_total = sum(spoken)
    cumulative = [sum(spoken[:k]) / spoken_total for k in range(len(words) + 1)]
    edges = [0.0]
    previous_k, running = 0, 0
    for i, count in enumerate(text_counts[:-1]):
        running += count
        target = running / text_total
        remaining = len(cue_texts) - 1 - i  # boundaries still to place after this one
        choices = range(previous_k + 1, len(words) - remaining)  # every cue keeps a word
        if not choices:
            edges.append(edges[-1])
            continue
        k = min(choices, key=lambda k: abs(cumulative[k] - target) - _pause_bonus(words, k))
        edges.append(words[k].start)
        previous_k = k
    edges.append(max(seconds, words[-1].end))
    return edges


def _pause_bonus(words: Sequence[Word], k: int) -> float:
    """Prefer boundaries at audible pauses (a comma's silence)."""
    if 0 < k < len(words) and words[k].start - words[k - 1].end > 0.12:
        return 0.04
    return 0.0


def settle_cues(
    cues: Sequence[Cue], limit: float, floor: float = 0.0, rules: CaptionRules = RULES
) -> list[Cue]:
    """Make cues follow the timing rules where the free time allows; keep their order.

    A cue shorter than ``min_seconds`` or faster than ``max_cps`` takes, in turn: the silence
    after it (up to the next cue or ``limit``), the silence before it (down to the previous cue
    or ``floor``), then spare time of a back-to-back neighbour (moving their shared boundary).
    Finally gaps shorter than ``min_gap`` are closed by extending the earlier cue, and overlaps
    are cut. What cannot be fixed is left for :func:`check_cues` to report.

    Each cue is given :data:`SETTLE_MARGIN` more than the rules ask: SubRip and WebVTT keep
    milliseconds, and a cue of exactly 1 s must not read as 0.999 s once written.
    """
    cues = sorted(cues, key=lambda c: c.start)
    starts = [c.start for c in cues]
    ends = [c.end for c in cues]
    need = [max(rules.min_seconds, cue_chars(c.text) / rules.max_cps) + SETTLE_MARGIN for c in cues]
    n = len(cues)

    def short(i: int) -> float:
        return need[i] - (ends[i] - starts[i])

    def spare(i: int) -> float:
        return max(0.0, -short(i))

    for i in range(n):
        if short(i) > 0:  # the silence after
            room = (starts[i + 1] if i + 1 < n else limit) - ends[i]
            take = min(short(i), max(0.0, room))
            if i + 1 < n and room - take < rules.min_gap:
                take = max(0.0, room)
            ends[i] += take
        if short(i) > 0:  # the silence before
            room = starts[i] - (ends[i - 1] if i else floor)
            take = min(short(i), max(0.0, room))
            if i and room - take < rules.min_gap:
                take = max(0.0, room)
            starts[i] -= take
        if short(i) > 0 and i + 1 < n and abs(ends[i] - starts[i + 1]) < 1e-9:
            take = min(short(i), spare(i + 1))
            ends[i] += take
            starts[i + 1] += take
        if short(i) > 0 and i and abs(ends[i - 1] - starts[i]) < 1e-9:
            take = min(short(i), spare(i - 1))
            starts[i] -= take
            ends[i - 1] -= take
    for i in range(n - 1):
        if ends[i] > starts[i + 1] or starts[i + 1] - ends[i] < rules.min_gap:
            ends[i] = starts[i + 1]
    return [Cue(starts[i], ends[i], c.text) for i, c in enumerate(cues)]


@dataclass(frozen=True)
class Violation:
    """A caption rule broken by cue ``index``."""

    index: int
    rule: str
    detail: str


def check_cues(cues: Sequence[Cue], rules: CaptionRules = RULES) -> list[Violation]:
    """Every rule violation in ``cues`` (empty list = all rules hold)."""
    found: list[Violation] = []
    for i, cue in enumerate(cues):
        lines = cue.text.split("\n")
        duration = cue.end - cue.start
        if len(lines) > rules.max_lines:
            found.append(Violation(i, "lines", f"{len(lines)} lines > {rules.max_lines}"))
        for line in lines:
            if len(line) > rules.max_chars:
                found.append(Violation(i, "line-length", f"{len(line)} chars: {line!r}"))
        if duration < rules.min_seconds - 1e-6:
            found.append(Violation(i, "min-duration", f"{duration:.3f} s < {rules.min_seconds}"))
        cps = cue_chars(cue.text) / duration if duration > 0 else float("inf")
        if cps > rules.max_cps + 1e-6:
            found.append(Violation(i, "reading-speed", f"{cps:.1f} chars/s > {rules.max_cps}"))
        if i:
            gap = cue.start - cues[i - 1].end
            if gap < -1e-6:
                found.append(Violation(i, "overlap", f"starts {-gap:.3f} s before previous ends"))
            elif 1e-6 < gap < rules.min_gap - 1e-6:
                found.append(Violation(i, "gap", f"gap {gap:.3f} s < {rules.min_gap}"))
    return found
