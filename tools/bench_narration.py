"""The narration part of ``make bench`` (``tools/bench.py``): speech synthesis and the narrated
render, measured on this machine.

- **Cold synthesis of the whole lecture's narration**: every sentence the deck's beats say
  (their ``say=``), synthesised into an empty speech cache by 2 Piper children of one ONNX
  Runtime thread each, as the render's speech would be on 2 cores. The first run starts from
  a cache without the patched voice model (the very first narrated render anywhere); the
  others keep it, as every later cold cache does. Wall time, the children's CPU time, and the
  speech's real-time factor. While the deck's beats say nothing yet, a stand-in narration of
  the lecture (``tools/sample_narration.txt``, 76 sentences) is synthesised instead, and the
  report says so.
- **The narrated full render against the silent one**: ``render.py -q low --jobs 2
  --narration`` into an empty media folder, against the silent ``--jobs 2`` render of the
  same rounds, and its nothing-changed re-run.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lecturekit.deck import SceneSpec
from lecturekit.narration.captions import split_sentences
from lecturekit.narration.script import read_script
from lecturekit.narration.speech import SpeechCache, Synthesizer, speak
from lecturekit.narration.voice import Narration, Voice

SAMPLE = Path(__file__).resolve().parent / "sample_narration.txt"
TARGET_SYNTHESIS_SECONDS = 120.0


def sample_sentences(path: Path = SAMPLE) -> list[str]:
    """The stand-in narration's sentences, in order (``#`` lines are headings or comments)."""
    text = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    )
    return split_sentences(text)


def deck_sentences(specs: Sequence[SceneSpec], log: Callable[[str], None]) -> list[str]:
    """Every sentence the scenes' beats say, from headless runs; empty (without running any
    scene) when no scene module passes ``say=`` at all."""
    if not any(re.search(r"\bsay\s*=", spec.path.read_text()) for spec in specs):
        return []
    sentences = []
    for spec in specs:
        log(f"reading the narration of {spec.class_name} (headless)")
        sentences += [s for beat in read_script(spec) for s in beat.sentences]
    return sentences


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class SpeechRun:
    """One cold synthesis of the narration."""

    seconds: float
    cpu_seconds: float
    patched_model: bool  # this run also patched the voice model (an empty cache)
    load: float


@dataclass
class NarrationReport:
    """The narration numbers of one benchmark session and their Markdown."""

    sentences: int = 0
    words: int = 0
    speech_seconds: float = 0.0
    stand_in: bool = False
    runs: list[SpeechRun] = field(default_factory=list)
    narrated_render: list[float] = field(default_factory=list)
    narrated_unchanged: list[float] = field(default_factory=list)
    silent_render: list[float] = field(default_factory=list)
    narrated_seconds_of_video: float | None = None
    silent_seconds_of_video: float | None = None

    def markdown(self) -> list[str]:
        """The ``## Narration`` section of BENCHMARKS.md."""
        lines = ["## Narration", ""]
        if not self.runs and not self.narrated_render:
            return [*lines, "Not measured in this session.", ""]
        if self.runs:
            what = (
                "the stand-in narration `tools/sample_narration.txt` (the deck's beats say "
                "nothing yet)"
                if self.stand_in
                else "every sentence the deck's beats say"
            )
            kept = [r for r in self.runs if not r.patched_model]
            median = statistics.median(r.seconds for r in (kept or self.runs))
            lines += [
                f"Cold synthesis of {what}: {self.sentences} sentences, {self.words} words, "
                f"{self.speech_seconds:.0f} s of speech; 2 Piper children of 1 ONNX Runtime "
                "thread each, into an empty speech cache.",
                "",
                "| Run | Wall time, s | Children's CPU, s | Real-time factor | Load before |",
                "|---|---|---|---|---|",
            ]
            for k, run in enumerate(self.runs, start=1):
                note = " (empty cache: voice model patched first)" if run.patched_model else ""
                lines.append(
                    f"| {k}{note} | {run.seconds:.1f} | {run.cpu_seconds:.1f} | "
                    f"{self.speech_seconds / run.seconds:.1f}x | {run.load:.1f} |"
                )
            met = "yes" if median < TARGET_SYNTHESIS_SECONDS else "**no**"
            cpu = statistics.median(r.cpu_seconds for r in (kept or self.runs))
            lines += [
                "",
                f"Median (model already patched): **{median:.1f} s**; target under "
                f"{TARGET_SYNTHESIS_SECONDS:.0f} s on 2 cores: {met}. The two children used "
                f"{cpu:.1f} CPU-seconds (median): on 2 cores free of other work that is about "
                f"{cpu / 2:.0f} s of wall time; a loaded machine stretches the wall time, not "
                "the work.",
                "",
            ]
        if self.narrated_render:
            lines += [
                "| What | Wall time, s |",
                "|---|---|",
                "| `render.py -q low --jobs 2 --media-dir <empty>` (silent) | "
                f"{_cell(self.silent_render)} |",
                "| `render.py -q low --jobs 2 --narration --media-dir <empty>` | "
                f"{_cell(self.narrated_render)} |",
                f"| Narrated, nothing changed | {_cell(self.narrated_unchanged, 2)} |",
                "",
            ]
            if self.silent_render:
                ratio = statistics.median(self.narrated_render) / statistics.median(
                    self.silent_render
                )
                lines.append(f"Narrated / silent render time: {ratio:.2f}x.")
            if self.narrated_seconds_of_video and self.silent_seconds_of_video:
                lines.append(
                    f"The narrated video lasts {self.narrated_seconds_of_video:.1f} s, the "
                    f"silent one {self.silent_seconds_of_video:.1f} s."
                )
            lines.append("")
        return lines


def _cell(values: list[float], digits: int = 1) -> str:
    if not values:
        return "not measured"
    if len(values) == 1:
        return f"{values[0]:.{digits}f} (1 run)"
    return (
        f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-"
        f"{max(values):.{digits}f}, {len(values)} runs)"
    )


def measure_speech(
    report: NarrationReport,
    specs: Sequence[SceneSpec],
    folder: Path,
    runs: int,
    log: Callable[[str], None],
) -> None:
    """Cold synthesis of the lecture's narration, ``runs`` times (see module docstring)."""
    texts = deck_sentences(specs, log)
    report.stand_in = not texts
    texts = texts or sample_sentences()
    report.sentences, report.words = len(texts), sum(len(t.split()) for t in texts)
    narration = Narration(Voice.default())
    cache = SpeechCache(folder)
    shutil.rmtree(folder, ignore_errors=True)
    for k in range(runs):
        for child in folder.glob("*"):  # keep the patched model after the first run
            if child.name != "engine":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        patched = not (folder / "engine").exists()
        log(f"[speech {k + 1}/{runs}] synthesising {len(texts)} sentences into an empty cache")
        load, cpu = os.getloadavg()[0], _children_cpu()
        started = time.perf_counter()
        with Synthesizer(
            narration.voice,
            narration.settings,
            workers=2,
            threads=1,
            aligned_dir=folder / "engine",
        ) as synthesizer:
            result = speak(texts, cache, synthesizer)
        seconds = time.perf_counter() - started
        assert result.misses == len(set(texts)), "the cache was not empty"
        report.speech_seconds = sum(c.seconds for c in result.clips)
        report.runs.append(SpeechRun(seconds, _children_cpu() - cpu, patched, load))
