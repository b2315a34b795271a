"""A deck's narration script, for its author: what each beat shows, says, and how it will time.

    python -m lecturekit.narration.script [--deck DIR] [--scene NAME ...] [--speak] [--phonemes]
                                          [--voice PATH.onnx]

Runs each scene headless (animations skipped: seconds per scene, no video) and prints its beats
in order: the caption, the spoken text split into the sentences the voice will say, and the
beat's length. With ``--speak`` every sentence is synthesised (or taken from the deck's speech
cache, ``<media>/cache/speech``) and each beat shows how long its speech lasts, how much the
voice holds it beyond its animations, and any caption rule its spoken captions would break;
with ``--phonemes`` also how the voice reads each sentence (espeak-ng's phonemes), to check
spoken mathematics ("q of z given x", not "q(z|x)") before a render.

:func:`plan_scene` is the timing the narrated render will have, computed from a silent run's
beats: the caption tests use it on every scene of the lecture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from lecturekit.deck import Deck, DeckError, SceneSpec, deck_dir_option, load_deck
from lecturekit.render.qualities import QUALITIES
from lecturekit.render.target import Target
from lecturekit.video.captions import Cue

from .captions import Violation, check_cues, split_sentences
from .speech import Clip, SpeechCache, Synthesizer, speak
from .timeline import beat_cues, plan_beat, retime_beats
from .voice import BREATH, SENTENCE_GAP, Narration, SpeechError, Voice


@dataclass(frozen=True)
class ScriptBeat:
    """A beat as a silent run shows it: caption, spoken text, span (scene seconds)."""

    caption: str
    say: str | None
    start: float
    end: float

    @property
    def sentences(self) -> list[str]:
        """The sentences the voice says, one clip each."""
        return split_sentences(self.say) if self.say else []


def read_script(spec: SceneSpec, theme: str = "dark") -> list[ScriptBeat]:
    """The beats of ``spec``, from a headless run (no video, animations skipped)."""
    from lecturekit.render.headless import run_headless

    scene = run_headless(spec, quality="low", theme=theme, capture=False)
    return [ScriptBeat(b.caption, b.say, b.start, b.end or b.start) for b in scene.beats]


@dataclass(frozen=True)
class ScenePlan:
    """A scene's narrated timing, computed from its silent run.

    ``spans``: each beat's (start, end) once held for its speech; ``held``: how much longer
    each beat lasts than its animations; ``cues``: the narrated captions (spoken text where
    a beat speaks, its caption where it does not); ``spoken``: for each cue, whether it is
    spoken text.
    """

    spans: list[tuple[float, float]]
    held: list[float]
    cues: list[Cue]
    spoken: list[bool]

    def problems(self) -> list[Violation]:
        """Caption rules the spoken captions break (a silent beat's caption is the same as in
        the silent version, which its own tests check): reading speed, duration, lines, and
        gaps or overlaps with any neighbour."""
        return [
            v for v in check_cues(self.cues) if self.spoken[v.index] or v.rule in ("gap", "overlap")
        ]


def plan_scene(
    beats: Sequence[ScriptBeat],
    clips: Sequence[Sequence[Clip]],
    fps: float,
    narration: Narration | None = None,
) -> ScenePlan:
    """The narrated timing of a scene whose silent run gave ``beats``, with ``clips`` (one
    list per beat, one clip per sentence): each beat held as the render's pacer would hold it
    (:mod:`lecturekit.narration.timeline`). Within a frame of the narrated render's timing."""
    breath = narration.breath if narration else BREATH
    gap = narration.gap if narration else SENTENCE_GAP
    speeches = [plan_beat(c, breath, gap) if c else None for c in clips]
    spans = retime_beats(
        [(b.start, b.end) for b in beats], [s.min_seconds if s else 0.0 for s in speeches], fps
    )
    cues: list[Cue] = []
    spoken: list[bool] = []
    held = []
    for beat, speech, (start, end) in zip(beats, speeches, spans, strict=True):
        held.append((end - start) - (beat.end - beat.start))
        if speech is None:
            if end > start:
                cues.append(Cue(start, end, beat.caption))
                spoken.append(False)
            continue
        own = beat_cues(speech, start, end)
        cues += own
        spoken += [True] * len(own)
    return ScenePlan(spans, held, cues, spoken)


def speak_beats(
    beats: Sequence[ScriptBeat], cache: SpeechCache, synthesizer: Synthesizer
) -> list[list[Clip]]:
    """Every beat's clips (synthesised where the cache lacks them), in one batch."""
    sentences = [s for b in beats for s in b.sentences]
    made = iter(speak(sentences, cache, synthesizer).clips)
    return [[next(made) for _ in b.sentences] for b in beats]


def _print_scene(
    spec: SceneSpec,
    beats: Sequence[ScriptBeat],
    plan: ScenePlan | None,
    phonemes: Callable[[str], list[str]] | None,
    echo: Callable[[str], None],
) -> None:
    echo(f"\n## {spec.number:02d} {spec.title} ({spec.class_name})")
    for k, beat in enumerate(beats):
        timing = f"{beat.end - beat.start:.1f} s"
        if plan is not None:
            start, end = plan.spans[k]
            timing = f"{end - start:.1f} s narrated, held {plan.held[k]:+.1f} s"
        echo(f"\n[{k + 1}] caption: {beat.caption}  ({timing})")
        for sentence in beat.sentences:
            echo(f"    say: {sentence}")
            if phonemes is not None:
                echo(f"         /{' | '.join(phonemes(sentence))}/")
        if not beat.sentences:
            echo("    (silent)")
    if plan is not None:
        for v in plan.problems():
            echo(f"  caption problem: {plan.cues[v.index].text!r}: {v.rule} ({v.detail})")


@click.command()
@deck_dir_option("The deck folder (deck.toml and its scene modules).")
@click.option("--scene", "scene_names", multiple=True, metavar="NAME", help="Repeatable.")
@click.option("--speak", "speak_", is_flag=True, help="Synthesise and show narrated timing.")
@click.option("--phonemes", is_flag=True, help="Show how the voice reads each sentence.")
@click.option(
    "--voice",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A Piper voice (default: en_US-joe-medium).",
)
def main(
    deck_dir: Path, scene_names: tuple[str, ...], speak_: bool, phonemes: bool, voice: Path | None
) -> None:
    """Print a deck's narration script, beat by beat."""
    try:
        deck: Deck = load_deck(deck_dir)
        specs = [deck.by_name(n) for n in scene_names] if scene_names else list(deck.scenes)
    except (DeckError, KeyError) as error:
        raise click.ClickException(str(error.args[0] if error.args else error)) from None
    synthesizer = cache = None
    narration = None
    if speak_ or phonemes:
        try:
            narration = Narration(Voice.from_model(voice) if voice else Voice.default())
            narration.voice.check()
        except SpeechError as error:
            raise click.ClickException(str(error)) from None
        cache = SpeechCache(Target(deck, "low").speech_cache)
        synthesizer = Synthesizer(
            narration.voice, narration.settings, workers=1, aligned_dir=cache.folder / "engine"
        )
    fps = QUALITIES["high"].fps
    try:
        click.echo(f"# {deck.title}: narration script")
        for spec in specs:
            beats = read_script(spec)
            plan = None
            if speak_ and synthesizer is not None and cache is not None:
                plan = plan_scene(beats, speak_beats(beats, cache, synthesizer), fps, narration)
            reader = synthesizer.phonemize if (phonemes and synthesizer is not None) else None
            _print_scene(spec, beats, plan, reader, click.echo)
    except SpeechError as error:
        raise click.ClickException(str(error)) from None
    finally:
        if synthesizer is not None:
            synthesizer.close()


if __name__ == "__main__":
    main()
