"""The one owner of media paths: what a render of a deck writes, and where.

A :class:`Target` is a deck at a quality, in a theme, into a media folder (optionally for a
selection of its scenes). Every file the kit reads or writes under the media folder is named
here, so the layout can be read in one place::

    media/
      <slug>-<variant>[-<part>][-narrated].mp4  the lecture (variant: quality, plus -light)
      <slug>-<variant>[-<part>][-narrated]{.srt,.vtt,-chapters.vtt,-poster.png,-storyboard.png}
      <slug>-<variant>[-<part>]-slides/    presenter page and its section videos
      <slug>-handout[-light][-<part>].pdf  handout (key frames only: no quality)
      scenes/<variant>[-narrated]/NN-title.{mp4,srt,vtt}   one file per scene, for embedding
      cache/<variant>[-narrated]/NN-title/ a cached scene: video, captions, sections, entry
                                           (narrated: also its record and its narrated MP4)
      cache/<variant>[-narrated]/<slug>[-<part>].json  which scene videos the lecture holds
      cache/speech/                        one WAV per spoken sentence (any variant)
      cache/render-times.json, cache/preflight-*.txt
      build/<variant>/NN-title/            Manim's working folder of one scene render
                                           (silent and narrated: LaTeX is made once)
      build/<variant>/NN-title/chunks/KK/  ... of one chunk of it (a scene split by -n;
                                           silent renders only: a narrated one is never split)
      headless/<theme>/, keyframes/<variant>/<Class>/
      .render.lock                         one render at a time per media folder

A narrated target (``narration`` set: ``render.py --narration``) has the same names with
``-narrated`` last, so ``vae-derivation-low-light-scenes-05-narrated.mp4`` is the narrated
light-theme low-quality video of scene 5, and never replaces a silent file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lecturekit.deck import Deck, SceneSpec

from .qualities import QUALITIES

if TYPE_CHECKING:
    from lecturekit.narration.voice import Narration

NARRATED = "-narrated"


def variant(quality: str, theme: str) -> str:
    """Folder and file-name part of a (quality, theme) pair: ``high`` or ``high-light``."""
    return quality if theme == "dark" else f"{quality}-{theme}"


def part_name(specs: Sequence[SceneSpec], deck: Deck) -> str:
    """The file-name part of a selection of scenes: empty for the whole deck, else
    ``scenes-05-07`` (their numbers). So ``render.py --scene 5`` writes
    ``<slug>-high-scenes-05.mp4`` and never replaces the whole lecture's video."""
    if {s.key for s in specs} == {s.key for s in deck.scenes}:
        return ""
    return "scenes-" + "-".join(f"{s.number:02d}" for s in specs)


def _suffix(part: str) -> str:
    return f"-{part}" if part else ""


@dataclass(frozen=True)
class Target:
    """A deck rendered at ``quality`` in ``theme`` into ``media_dir`` (``part``: a selection;
    ``narration``: the narrated version, spoken with that voice)."""

    deck: Deck
    quality: str
    theme: str = "dark"
    media_dir: Path | None = None
    part: str = ""
    narration: Narration | None = None

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise ValueError(f"unknown quality {self.quality!r}; choose from {list(QUALITIES)}")
        media = self.deck.media_dir if self.media_dir is None else self.media_dir
        object.__setattr__(self, "media_dir", Path(media).absolute())

    @property
    def media(self) -> Path:
        """The media folder (absolute)."""
        assert self.media_dir is not None  # set in __post_init__
        return self.media_dir

    def at(self, quality: str | None = None, part: str | None = None) -> Target:
        """The same target at another quality, or for another selection."""
        return replace(
            self, quality=quality or self.quality, part=self.part if part is None else part
        )

    @property
    def variant(self) -> str:
        """``high`` or ``high-light``."""
        return variant(self.quality, self.theme)

    @property
    def narrated_suffix(self) -> str:
        """``-narrated`` for the narrated version, else empty: the last part of its names."""
        return NARRATED if self.narration is not None else ""

    # -- What a lecturer gets --------------------------------------------------------------
    def lecture_file(self, suffix: str) -> Path:
        """``<media>/<slug>-<variant>[-<part>][-narrated]<suffix>``, e.g. ``.mp4`` or
        ``-poster.png``."""
        name = f"{self.deck.slug}-{self.variant}{_suffix(self.part)}{self.narrated_suffix}{suffix}"
        return self.media / name

    @property
    def video(self) -> Path:
        """The stitched lecture video."""
        return self.lecture_file(".mp4")

    @property
    def slides_dir(self) -> Path:
        """The presenter page's folder."""
        return self.lecture_file("-slides")

    @property
    def handout(self) -> Path:
        """``<slug>-handout[-light][-<part>].pdf`` (frames only: no quality in the name)."""
        theme = "" if self.theme == "dark" else f"-{self.theme}"
        return self.media / f"{self.deck.slug}-handout{theme}{_suffix(self.part)}.pdf"

    @property
    def scenes_dir(self) -> Path:
        """Where the per-scene files are published."""
        return self.media / "scenes" / f"{self.variant}{self.narrated_suffix}"

    def scene_file(self, spec: SceneSpec, suffix: str = ".mp4") -> Path:
        """A published per-scene file, ``scenes/<variant>/NN-title<suffix>``."""
        return self.scenes_dir / f"{spec.key}{suffix}"

    # -- Working folders ---------------------------------------------------------------------
    def build_dir(self, spec: SceneSpec) -> Path:
        """Manim's media folder for one scene render (its Tex folder is kept between runs)."""
        return self.media / "build" / self.variant / spec.key

    def manim_video_name(self, spec: SceneSpec) -> str:
        """The scene's MP4 relative to Manim's media folder: ``videos/<stem>/<res>/<Class>.mp4``
        (the same in a scene's build folder, a chunk's, or a cluster worker's)."""
        q = QUALITIES[self.quality]
        return f"videos/{spec.path.stem}/{q.height}p{q.fps}/{spec.class_name}.mp4"

    def manim_video(self, spec: SceneSpec) -> Path:
        """Where Manim writes the scene's MP4 (see :meth:`manim_video_name`)."""
        return self.build_dir(spec) / self.manim_video_name(spec)

    def chunk_dir(self, spec: SceneSpec, k: int) -> Path:
        """Manim's media folder for chunk ``k`` of a scene rendered in parts (its own Tex
        folder: chunks of one scene render at the same time)."""
        return self.build_dir(spec) / "chunks" / f"{k:02d}"

    def manim_sections(self, spec: SceneSpec) -> Path:
        """Manim's section folder for the scene (``--save_sections``), beside its MP4."""
        return self.manim_video(spec).parent / "sections"

    @property
    def cache_root(self) -> Path:
        """Everything remembered between runs."""
        return self.media / "cache"

    @property
    def cache_dir(self) -> Path:
        """The cached scenes of this variant (the narrated version's are its own: its beats
        last as long as their speech, so its frames differ)."""
        return self.cache_root / f"{self.variant}{self.narrated_suffix}"

    @property
    def speech_cache(self) -> Path:
        """One WAV per spoken sentence, keyed by text, voice, engine and settings
        (:class:`lecturekit.narration.speech.SpeechCache`); shared by every variant."""
        return self.cache_root / "speech"

    def narration_record(self, spec: SceneSpec) -> Path | None:
        """What a narrated render of ``spec`` said (beats, clips, captions), written by its
        worker beside Manim's MP4 and kept in the scene's cache entry; ``None`` when silent."""
        if self.narration is None:
            return None
        return self.manim_video(spec).with_suffix(".narration.json")

    @property
    def final_manifest(self) -> Path:
        """Which scene videos (by SHA-256) the lecture video was stitched from."""
        return self.cache_dir / f"{self.deck.slug}{_suffix(self.part)}.json"

    @property
    def render_times(self) -> Path:
        """Last measured render time of every scene, for longest-first scheduling."""
        return self.cache_root / "render-times.json"

    def remembered_check(self, name: str) -> Path:
        """A preflight check remembered once it passed (``preflight-<name>.txt``)."""
        return self.cache_root / f"preflight-{name}.txt"

    @property
    def headless_dir(self) -> Path:
        """Manim's media folder for headless runs (LaTeX files) in this theme."""
        return self.media / "headless" / self.theme

    def keyframes_dir(self, spec: SceneSpec) -> Path:
        """Where ``python -m lecturekit.outputs.keyframes`` writes a scene's key frames."""
        return self.media / "keyframes" / self.variant / spec.class_name

    @property
    def lock(self) -> Path:
        """The lock file: one render at a time per media folder."""
        return self.media / ".render.lock"
