"""The scene-level cache: a scene whose inputs did not change is not rendered again.

A scene's inputs are

- the files its render loaded: its own module and every deck or kit module imported while it
  rendered (``lecturekit/scene/style.py``, ``scenes/formulas.py``, ``scenes/numerics/*``,
  ...), plus every deck file it opened for reading (``assets/*``). The render worker records
  them (:mod:`lecturekit.render.worker`), so the list is exact, dynamic imports included; and
- the settings: quality, theme, the Manim flags, and the versions of everything that draws or
  encodes (Python, Manim, PyAV and its libavcodec, pycairo and Cairo, ManimPango and Pango,
  NumPy, SciPy, Pillow, ``latex`` and ``dvisvgm``), by version and never by path or mtime
  (:func:`lecturekit.render.versions.tool_versions`): the same tools on another machine give
  the same key, so a scene rendered on a cluster worker shares its entry with a local render.

The cache key is the SHA-256 of the settings and of the content hash of every input. It is
stored in ``entry.json`` beside the cached ``scene.mp4``. The recorded list is sound as a
dependency list for the next run: a scene can only start loading a new file after a file it
already loads (its own module, at least) changed, which changes the key. Input paths are
recorded relative to the kit (``kit:scene/style.py``) or the deck's import root
(``deck:scenes/s01_latent_variable_model.py``), so an entry does not depend on where either
lives.

The entry also stores the cached MP4's SHA-256 and decoded facts (:class:`VideoFacts`): a
truncated or damaged cached file does not match and is rendered again, never stitched. The
scene's section videos (one per key frame, for the presenter page and the storyboard) are
kept with it.

A narrated render (``render.py --narration``) has entries of its own (its beats last as long as
their speech), whose settings add the voice, the speech engine's version and the synthesis
settings, and which keep the record of what the scene said (``narration.json``).

Layout (:class:`lecturekit.render.target.Target`): ``cache/<variant>/<NN-scene>/{scene.mp4,
scene.srt, sections/, entry.json, profile.json}`` (narrated: ``cache/<variant>-narrated/``,
plus ``narration.json``) and ``cache/render-times.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lecturekit.atomic import write_text_atomic
from lecturekit.deck import KIT_ROOT, SceneSpec
from lecturekit.video.validate import VideoFacts, file_sha256

from .split import SceneProfile
from .target import Target
from .versions import tool_versions

# Bump when the entry format or anything the pipeline adds to a scene's output changes.
CACHE_FORMAT = 5
SECTIONS_INDEX = "sections.json"
NARRATION_RECORD = "narration.json"  # a narrated scene's record (lecturekit.narration.pacer)
PROFILE = "profile.json"  # per-call render costs of the scene's last render (for splitting)


def settings_fingerprint(
    target: Target, manim_flags: Iterable[str], versions: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Everything besides the deck's and the kit's files that decides a scene's video.

    ``versions`` defaults to this machine's :func:`tool_versions`; a worker's render is only
    accepted when its versions equal these (:mod:`lecturekit.render.executors`)."""
    settings = {
        "cache_format": str(CACHE_FORMAT),
        "quality": target.quality,
        "theme": target.theme,
        "manim_flags": " ".join(manim_flags),
    }
    versions = tool_versions() if versions is None else versions
    settings.update({f"version:{tool}": v for tool, v in sorted(versions.items())})
    if target.narration is not None:  # the voice, engine and settings decide its timing too
        settings.update(target.narration.fingerprint(target.speech_cache))
    return settings


class InputRoots:
    """Names input files relative to the kit or the deck, and back (see module docstring)."""

    def __init__(self, deck_root: Path, kit_root: Path = KIT_ROOT) -> None:
        self.roots = (("kit", Path(kit_root).resolve()), ("deck", Path(deck_root).resolve()))

    def name(self, path: Path) -> str:
        """``kit:<relative path>``, ``deck:<relative path>``, or the absolute path."""
        path = Path(path).resolve()
        for label, root in self.roots:
            if path.is_relative_to(root):
                return f"{label}:{path.relative_to(root).as_posix()}"
        return path.as_posix()

    def path(self, name: str) -> Path:
        """Inverse of :meth:`name`."""
        label, sep, rest = name.partition(":")
        for known, root in self.roots:
            if sep and label == known:
                return root / rest
        return Path(name)


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
    blob = json.dumps(
        {"settings": dict(settings), "inputs": sorted(inputs.items())}, sort_keys=True
    )
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
    def narration_record(self) -> Path:
        """What a narrated render said, beat by beat (only in a narrated variant's entries)."""
        return self.folder / NARRATION_RECORD

    @property
    def sections_index(self) -> Path:
        """The index of the scene's section videos (Manim's ``--save_sections`` JSON)."""
        return self.folder / "sections" / SECTIONS_INDEX

    def to_json(self) -> dict:
        """Plain dict for ``entry.json``."""
        return {
            "format": CACHE_FORMAT,
            "scene": self.scene,
            "key": self.key,
            "settings": self.settings,
            "inputs": self.inputs,
            "video": self.video.to_json(),
            "render_seconds": self.render_seconds,
        }


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
    """The cached scene videos of one target's variant (quality and theme)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.folder = target.cache_dir
        self.variant = target.cache_dir.name  # render times of narrated renders are their own
        self.roots = InputRoots(target.deck.import_root)
        self.hasher = InputHasher()

    def scene_folder(self, spec: SceneSpec) -> Path:
        """Where one scene's entry lives."""
        return self.folder / spec.key

    def entry(self, spec: SceneSpec) -> CacheEntry | None:
        """The scene's last entry, whether or not it is still valid (``None`` if unreadable)."""
        folder = self.scene_folder(spec)
        try:
            data = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
            if data.get("format") != CACHE_FORMAT:
                return None
            return CacheEntry(
                data["scene"],
                data["key"],
                data["settings"],
                data["inputs"],
                VideoFacts.from_json(data["video"]),
                float(data["render_seconds"]),
                folder,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable entry: a miss, and the render rewrites it

    def lookup(self, spec: SceneSpec, settings: Mapping[str, str]) -> Lookup:
        """Find ``spec``'s cached video if its inputs and settings are unchanged and the
        cached file is intact."""
        entry = self.entry(spec)
        if entry is None:
            return Lookup(None, "not rendered yet")
        if entry.settings != dict(settings):
            changed = sorted(
                k
                for k in set(entry.settings) | set(settings)
                if entry.settings.get(k) != settings.get(k)
            )
            return Lookup(None, f"settings changed ({', '.join(changed)})")
        current = {name: self.hasher.sha256(self.roots.path(name)) for name in entry.inputs}
        changed = sorted(n for n in entry.inputs if current[n] != entry.inputs[n])
        if changed or cache_key(settings, current) != entry.key:
            more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
            return Lookup(None, f"{changed[0] if changed else 'inputs'} changed{more}")
        video = entry.video_path
        try:
            intact = (
                video.stat().st_size == entry.video.bytes
                and file_sha256(video) == entry.video.sha256
            )
        except FileNotFoundError:
            intact = False
        if not intact:
            return Lookup(None, "cached video is missing, truncated or damaged")
        if self.target.narration is not None and not entry.narration_record.is_file():
            return Lookup(None, "the record of what the scene said is missing")
        return Lookup(entry, "unchanged")

    def store(
        self,
        spec: SceneSpec,
        settings: Mapping[str, str],
        inputs: Mapping[str, str],
        video: Path,
        captions: Path | None,
        sections: Path | None,
        facts: VideoFacts,
        render_seconds: float,
        narration: Path | None = None,
    ) -> CacheEntry:
        """Move a freshly rendered and probed video, its captions and its section videos
        (Manim's ``sections/`` folder) into the cache and record its entry; ``narration``
        is a narrated render's record of what it said (:mod:`lecturekit.narration.pacer`).

        ``inputs`` maps each input file, by name (``kit:...``, ``deck:...``, as the worker
        records them), to its content hash *as the render saw it* (the worker hashes them when
        they are loaded): a file saved while the scene rendered then no longer matches, and the
        next run renders the scene again.
        The old entry is removed first and the new one written last (atomically), so a crash
        in between leaves no entry, i.e. a miss, never an entry naming the wrong video.
        """
        folder = self.scene_folder(spec)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "entry.json").unlink(missing_ok=True)
        named = dict(inputs)
        entry = CacheEntry(
            spec.key,
            cache_key(settings, named),
            dict(settings),
            named,
            facts,
            render_seconds,
            folder,
        )
        os.replace(video, entry.video_path)  # same file system: media/build -> media/cache
        srt = folder / "scene.srt"
        if captions is not None and captions.exists():
            os.replace(captions, srt)
        else:
            srt.unlink(missing_ok=True)
        _replace_sections(sections, spec, folder / "sections")
        if narration is not None and narration.exists():
            os.replace(narration, entry.narration_record)
        else:
            entry.narration_record.unlink(missing_ok=True)
        write_text_atomic(folder / "entry.json", json.dumps(entry.to_json(), indent=1))
        return entry

    def profile(self, spec: SceneSpec) -> SceneProfile | None:
        """The scene's per-call costs from its last render at this variant, if recorded."""
        try:
            data = json.loads((self.scene_folder(spec) / PROFILE).read_text(encoding="utf-8"))
            return SceneProfile.from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store_profile(self, spec: SceneSpec, profile: SceneProfile) -> None:
        """Remember the scene's per-call costs (for splitting it next time)."""
        folder = self.scene_folder(spec)
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(folder / PROFILE, json.dumps(profile.to_json(), indent=1))

    def video_seconds(self, spec: SceneSpec) -> float | None:
        """Length of the scene's last rendered video (its entry may be outdated), if any."""
        entry = self.entry(spec)
        return entry.video.duration if entry is not None else None

    # -- Render times, for longest-first scheduling ------------------------------------------
    def render_times(self) -> dict[str, dict[str, float]]:
        """``{variant: {scene key: seconds}}`` of the last successful renders."""
        try:
            data = json.loads(self.target.render_times.read_text(encoding="utf-8"))
            return {v: {k: float(s) for k, s in d.items()} for v, d in data.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            return {}

    def record_render_time(self, spec: SceneSpec, seconds: float) -> None:
        """Remember how long ``spec`` took at this variant (atomically rewritten)."""
        times = self.render_times()
        times.setdefault(self.variant, {})[spec.key] = round(seconds, 3)
        write_text_atomic(self.target.render_times, json.dumps(times, indent=1, sort_keys=True))


def _replace_sections(source: Path | None, spec: SceneSpec, target: Path) -> None:
    """Move Manim's section folder of a render into the cache entry (index renamed to
    :data:`SECTIONS_INDEX`); without one, the entry has no sections."""
    if target.exists():
        shutil.rmtree(target)
    if source is None or not (source / f"{spec.class_name}.json").exists():
        return
    os.replace(source, target)
    os.replace(target / f"{spec.class_name}.json", target / SECTIONS_INDEX)
