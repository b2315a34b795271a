"""The outcome of one scene render: its checked video (fresh or cached), or why it failed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lecturekit.deck import SceneSpec
from lecturekit.video.validate import VideoFacts

from .cache import CacheEntry


@dataclass(frozen=True)
class RenderResult:
    """One scene's video (in the cache), its captions and sections, or its error."""

    spec: SceneSpec
    video: Path | None
    seconds: float
    log: Path
    error: str | None = None
    cached: bool = False
    facts: VideoFacts | None = None
    sections: Path | None = None  # index of the section videos (one per key frame)
    narration: Path | None = None  # a narrated render's record of what it said

    @classmethod
    def from_entry(
        cls,
        spec: SceneSpec,
        entry: CacheEntry,
        log: Path,
        cached: bool = True,
        seconds: float = 0.0,
    ) -> RenderResult:
        """The result a cache entry stands for (a hit, or the entry a render just stored)."""
        sections = entry.sections_index if entry.sections_index.exists() else None
        narration = entry.narration_record if entry.narration_record.exists() else None
        return cls(
            spec,
            entry.video_path,
            seconds,
            log,
            cached=cached,
            facts=entry.video,
            sections=sections,
            narration=narration,
        )

    @classmethod
    def failure(cls, spec: SceneSpec, seconds: float, log: Path, error: str) -> RenderResult:
        """A scene that did not render."""
        return cls(spec, None, seconds, log, error=error)

    @property
    def ok(self) -> bool:
        """True when the scene has a checked video."""
        return self.error is None and self.video is not None

    @property
    def captions(self) -> Path | None:
        """The scene's .srt beside its video, when it has captions."""
        if self.video is None:
            return None
        srt = self.video.with_suffix(".srt")
        return srt if srt.exists() else None
