"""The one owner of media paths: what a render of a deck writes, and where.

A :class:`Target` is a deck at a quality, in a theme, into a media folder (optionally for a
selection of its scenes). Every file the kit reads or writes under the media folder is named
here, so the layout can be read in one place::

    media/
      <slug>-<variant>[-<part>].mp4        the lecture (variant: quality, plus -light)
      <slug>-<variant>[-<part>]{.srt,.vtt,-chapters.vtt,-poster.png,-storyboard.png}
      <slug>-<variant>[-<part>]-slides/    presenter page and its section videos
      <slug>-handout[-light][-<part>].pdf  handout (key frames only: no quality)
      scenes/<variant>/NN-title.{mp4,srt,vtt}   one file per scene, for embedding
      cache/<variant>/NN-title/            a cached scene: video, captions, sections, entry
      cache/<variant>/<slug>[-<part>].json which scene videos the lecture video holds
      cache/render-times.json, cache/preflight-*.txt
      build/<variant>/NN-title/            Manim's working folder of one scene render
      build/<variant>/NN-title/chunks/KK/  ... of one chunk of it (a scene split by -n)
      headless/<theme>/, keyframes/<variant>/<Class>/
      .render.lock                         one render at a time per media folder
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lecturekit.deck import Deck, SceneSpec

from .qualities import QUALITIES


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
    """A deck rendered at ``quality`` in ``theme`` into ``media_dir`` (``part``: a selection)."""

    deck: Deck
    quality: str
    theme: str = "dark"
    media_dir: Path | None = None
    part: str = ""

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

    # -- What a lecturer gets --------------------------------------------------------------
    def lecture_file(self, suffix: str) -> Path:
        """``<media>/<slug>-<variant>[-<part>]<suffix>``, e.g. ``.mp4`` or ``-poster.png``."""
        return self.media / f"{self.deck.slug}-{self.variant}{_suffix(self.part)}{suffix}"

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
        return self.media / "scenes" / self.variant

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
        """The cached scenes of this variant."""
        return self.cache_root / self.variant

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
