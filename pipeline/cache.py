"""The scene-level cache: a scene whose inputs did not change is not rendered again.

A scene's inputs are

- the project files its render loaded: its own module and every project module imported while
  it rendered (``scenes/style.py``, ``scenes/lecture.py``, ``scenes/numerics/*``, ...), plus
  every project file it opened for reading (assets). The render worker records them
  (:mod:`pipeline.worker`), so the list is exact, dynamic imports included; and
- the settings: quality, theme, the Manim flags, the versions of everything that draws or
  encodes (Python, Manim, PyAV, pycairo, ManimPango, NumPy, SciPy, Pillow) and the LaTeX
  binaries.

The cache key is the SHA-256 of the settings and of the content hash of every input. It is
stored in ``entry.json`` beside the cached ``scene.mp4``. The recorded list is sound as a
dependency list for the next run: a scene can only start loading a new file after a file it
already loads (its own module, at least) changed, which changes the key.

The entry also stores the cached MP4's SHA-256 and decoded facts (:class:`VideoFacts`): a
truncated or damaged cached file does not match and is rendered again, never stitched.

Layout: ``media/cache/<variant>/<NN-scene>/{scene.mp4, scene.srt, entry.json}`` and
``media/cache/render-times.json`` (last measured render time per scene, for scheduling).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from scenes.registry import SceneSpec

from .atomic import write_text_atomic
from .headless import REPO_ROOT
from .validate import VideoFacts, file_sha256

# Bump when the entry format or anything the pipeline adds to a scene's output changes.
CACHE_FORMAT = 2

# Distributions whose version can change a rendered frame or its encoding.
_DISTRIBUTIONS = ("manim", "av", "pycairo", "manimpango", "numpy", "scipy", "pillow")
_TEX_BINARIES = ("latex", "dvisvgm")


def distribution_version(distribution: str) -> str:
    """The installed version of a distribution, or ``absent``."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def binary_identity(name: str) -> str:
    """Path, size and mtime of a binary: changes when it is upgraded, costs no subprocess."""
    found = shutil.which(name)
    if found is None:
        return "absent"
    st = Path(found).resolve().stat()
    return f"{Path(found).resolve()}:{st.st_size}:{st.st_mtime_ns}"


def settings_fingerprint(quality: str, theme: str, manim_flags: Iterable[str]) -> dict[str, str]:
    """Everything besides the project files that decides a scene's rendered video."""
    settings = {
        "cache_format": str(CACHE_FORMAT),
        "quality": quality,
        "theme": theme,
        "manim_flags": " ".join(manim_flags),
        "python": sys.version.split()[0],
    }
    settings.update({f"version:{d}": distribution_version(d) for d in _DISTRIBUTIONS})
    settings.update({f"binary:{b}": binary_identity(b) for b in _TEX_BINARIES})
    return settings


def display_path(path: Path) -> str:
    """A path relative to the repository when inside it (entries survive moving media/)."""
    path = Path(path)
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def resolve_display_path(name: str) -> Path:
    """Inverse of :func:`display_path`."""
    path = Path(name)
    return path if path.is_absolute() else REPO_ROOT / path


class InputHasher:
    """Content hashes of input files, each file read once per run (style.py is every scene's)."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, int, int], str] = {}

    def sha256(self, path: Path) -> str | None:
        """The file's SHA-256, or ``None`` when it no longer exists."""
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        memo_key = (str(path), st.st_mtime_ns, st.st_size)
        if memo_key not in self._memo:
            self._memo[memo_key] = file_sha256(path)
        return self._memo[memo_key]


def cache_key(settings: Mapping[str, str], inputs: Mapping[str, str | None]) -> str:
    """SHA-256 over the settings and the (path, content hash) of every input."""
    blob = json.dumps({"settings": dict(settings), "inputs": sorted(inputs.items())},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    """A cached scene video and what it was made from."""

    scene: str
    key: str
    settings: dict[str, str]
    inputs: dict[str, str]
    video: VideoFacts
    render_seconds: float
    folder: Path = field(compare=False)

    @property
    def video_path(self) -> Path:
        """The cached MP4."""
        return self.folder / "scene.mp4"

    @property
    def captions_path(self) -> Path | None:
        """The cached captions (.srt), when the scene has any."""
        srt = self.folder / "scene.srt"
        return srt if srt.exists() else None

    def to_json(self) -> dict:
        """Plain dict for ``entry.json``."""
        return {"format": CACHE_FORMAT, "scene": self.scene, "key": self.key,
                "settings": self.settings, "inputs": self.inputs,
                "video": self.video.to_json(), "render_seconds": self.render_seconds}


@dataclass(frozen=True)
class Lookup:
    """The outcome of a cache lookup: the entry on a hit, else why it missed."""

    entry: CacheEntry | None
    reason: str

    @property
    def hit(self) -> bool:
        """True when the cached video can be used as is."""
        return self.entry is not None


class SceneCache:
    """The cached scene videos of one variant (quality and theme) under ``media/cache``."""

    def __init__(self, media_dir: Path, variant: str) -> None:
        self.root = Path(media_dir) / "cache"
        self.folder = self.root / variant
        self.variant = variant
        self.hasher = InputHasher()

    def scene_folder(self, spec: SceneSpec) -> Path:
        """Where one scene's entry lives."""
        return self.folder / spec.key

    def _read_entry(self, spec: SceneSpec) -> CacheEntry | None:
        folder = self.scene_folder(spec)
        try:
            data = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
            if data.get("format") != CACHE_FORMAT:
                return None
            return CacheEntry(data["scene"], data["key"], data["settings"], data["inputs"],
                              VideoFacts.from_json(data["video"]),
                              float(data["render_seconds"]), folder)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable entry: a miss, and the render rewrites it

    def lookup(self, spec: SceneSpec, settings: Mapping[str, str]) -> Lookup:
        """Find ``spec``'s cached video if its inputs and settings are unchanged and the
        cached file is intact."""
        entry = self._read_entry(spec)
        if entry is None:
            return Lookup(None, "not rendered yet")
        if entry.settings != dict(settings):
            changed = sorted(k for k in set(entry.settings) | set(settings)
                             if entry.settings.get(k) != settings.get(k))
            return Lookup(None, f"settings changed ({', '.join(changed)})")
        current = {name: self.hasher.sha256(resolve_display_path(name))
                   for name in entry.inputs}
        changed = sorted(n for n in entry.inputs if current[n] != entry.inputs[n])
        if changed or cache_key(settings, current) != entry.key:
            more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
            return Lookup(None, f"{changed[0] if changed else 'inputs'} changed{more}")
        video = entry.video_path
        try:
            intact = (video.stat().st_size == entry.video.bytes
                      and file_sha256(video) == entry.video.sha256)
        except FileNotFoundError:
            intact = False
        if not intact:
            return Lookup(None, "cached video is missing, truncated or damaged")
        return Lookup(entry, "unchanged")

    def store(self, spec: SceneSpec, settings: Mapping[str, str], inputs: Mapping[Path, str],
              video: Path, captions: Path | None, facts: VideoFacts,
              render_seconds: float) -> CacheEntry:
        """Move a freshly rendered and probed video into the cache and record its entry.

        ``inputs`` maps each input file to its content hash *as the render saw it* (the
        worker hashes them when they are loaded): a file saved while the scene rendered then
        no longer matches, and the next run renders the scene again.
        The old entry is removed first and the new one written last (atomically), so a crash
        in between leaves no entry, i.e. a miss, never an entry naming the wrong video.
        """
        folder = self.scene_folder(spec)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "entry.json").unlink(missing_ok=True)
        inputs = {display_path(Path(p)): sha for p, sha in inputs.items()}
        entry = CacheEntry(spec.key, cache_key(settings, inputs), dict(settings), inputs,
                           facts, render_seconds, folder)
        os.replace(video, entry.video_path)  # same file system: media/build -> media/cache
        srt = folder / "scene.srt"
        if captions is not None and captions.exists():
            os.replace(captions, srt)
        else:
            srt.unlink(missing_ok=True)
        write_text_atomic(folder / "entry.json", json.dumps(entry.to_json(), indent=1))
        return entry

    def video_seconds(self, spec: SceneSpec) -> float | None:
        """Length of the scene's last rendered video (its entry may be outdated), if any."""
        entry = self._read_entry(spec)
        return entry.video.duration if entry is not None else None

    # -- Render times, for longest-first scheduling ------------------------------------------
    @property
    def _times_file(self) -> Path:
        return self.root / "render-times.json"

    def render_times(self) -> dict[str, dict[str, float]]:
        """``{variant: {scene key: seconds}}`` of the last successful renders."""
        try:
            data = json.loads(self._times_file.read_text(encoding="utf-8"))
            return {v: {k: float(s) for k, s in d.items()} for v, d in data.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            return {}

    def record_render_time(self, spec: SceneSpec, seconds: float) -> None:
        """Remember how long ``spec`` took at this variant (atomically rewritten)."""
        times = self.render_times()
        times.setdefault(self.variant, {})[spec.key] = round(seconds, 3)
        self.root.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self._times_file, json.dumps(times, indent=1, sort_keys=True))
