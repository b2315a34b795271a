"""What the render worker learns from inside Manim: frames, per-call records, and chunks.

:func:`install_from_env` (called by :mod:`lecturekit.render.worker` before Manim runs, when
:mod:`lecturekit.render.jobs` set the environment) wraps a few Manim 0.22 methods:

- ``SceneFileWriter.write_frame(pixels, *, repeat=1)``, which every written frame goes through
  (a frozen frame is one call with ``repeat=N``): frames are counted and the count is rewritten
  to the progress file (``"<frames> <call>\\n"``, by rename) at most every
  :data:`WRITE_EVERY` seconds. Cost per frame: a clock read and an addition.
- ``CairoRenderer.play``, i.e. each ``play``/``wait`` call (the unit of Manim's ``-n
  START,END``): one record per call, written as JSON at exit: ``index``, ``end`` (seconds since
  the hook was installed, so the gaps hold the ``construct()`` code between calls), ``frames``,
  ``skipped`` and ``section``. These feed the split planner (:mod:`lecturekit.render.split`).
- ``Mobject.add_updater`` and ``Scene.add_updater``: ``dt_from`` in the records is the first
  call that ran with a time-based updater (one taking ``dt``), a scene updater, or a
  ``stop_condition``. Skipping calls (``-n``) integrates such an updater in one big step, so a
  chunk may only start at or before that call.

When the render is a chunk of a scene (``-n START,END``), the hook also makes the chunk exact:

- a skipped call advances the scene's clock exactly as rendering it would have (frame by frame,
  ``len(arange(0, run_time, 1/fps))`` frames; Manim adds ``run_time`` in one step), so captions
  and anything computed from ``self.time`` agree with the whole render, and runs the updaters
  once more at the end (``update_mobjects(0)``), as a rendered call does;
- the call ``$LECTUREKIT_DROP_CALL`` is rendered but not written: the digest of its frames
  (and of the range's last call) is recorded, so the coordinator can check that this chunk
  starts from the state the previous chunk ended in (:func:`lecturekit.render.split.check_seams`);
- ``combine_to_section_videos`` leaves out sections with nothing in this range (Manim 0.22
  fails on them with ``InvalidDataError``: an empty concat list).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import inspect
import json
import os
import time
from pathlib import Path
from typing import Any

from .jobs import CALLS_FILE_ENV, PROGRESS_FILE_ENV

WRITE_EVERY = 0.5  # seconds between two rewrites of the progress file
DROP_CALL_ENV = "LECTUREKIT_DROP_CALL"


class FrameCounter:
    """Counts frames and calls; writes the progress file at most every ``every`` seconds."""

    def __init__(
        self, progress_file: Path | None, calls_file: Path | None, every: float = WRITE_EVERY
    ) -> None:
        self.progress_file, self.calls_file, self.every = progress_file, calls_file, every
        self.frames = 0
        self.call = 0  # index of the call being played (or the next one)
        self.calls: list[dict[str, Any]] = []
        self.dt_from: int | None = None
        self.writes = 0
        self._next_write = 0.0
        self.t0 = time.perf_counter()

    def add(self, repeat: int) -> None:
        """Count ``repeat`` frames; rewrite the file if the last write is old enough."""
        self.frames += repeat
        now = time.monotonic()
        if now >= self._next_write:
            self._next_write = now + self.every
            self.write()

    def time_based(self) -> None:
        """A time-based updater exists from the current call on."""
        if self.dt_from is None:
            self.dt_from = self.call

    def write(self) -> None:
        """Rewrite the progress file atomically (best effort)."""
        if self.progress_file is None:
            return
        tmp = self.progress_file.with_name(f"{self.progress_file.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(f"{self.frames} {self.call}\n")
            os.replace(tmp, self.progress_file)
            self.writes += 1
        except OSError:
            pass

    def finish(self) -> None:
        """Final write of both files (registered with :mod:`atexit`)."""
        self.write()
        if self.calls_file is not None:
            for record in self.calls:
                record["dt_from"] = self.dt_from
            with contextlib.suppress(OSError):
                self.calls_file.write_text(json.dumps(self.calls))


def _takes_dt(function: Any) -> bool:
    # Manim's own test (Mobject.has_time_based_updater): a parameter named dt.
    try:
        return "dt" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return True  # cannot tell: assume the worst


def _rendered_clock(start: float, scene: Any, fps: float) -> float:
    """The scene clock after a call as rendering it would have moved it (see module doc)."""
    import numpy as np

    dt = 1 / fps
    if scene.is_current_animation_frozen_frame():
        return start + int(scene.duration / dt) * dt
    t = start
    for _ in range(len(np.arange(0, scene.duration, 1 / fps))):
        t += 1 * dt  # one add_frame per frame, as CairoRenderer.add_frame does
    return t


_installed: FrameCounter | None = None


def install(
    progress_file: str | os.PathLike[str] | None,
    calls_file: str | os.PathLike[str] | None = None,
    drop_call: int | None = None,
    every: float = WRITE_EVERY,
) -> FrameCounter:
    """Install the hooks in this process (once) and return the counter."""
    global _installed
    if _installed is not None:
        return _installed
    from manim import config
    from manim.mobject.mobject import Mobject
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene import Scene
    from manim.scene.scene_file_writer import SceneFileWriter

    counter = FrameCounter(
        Path(progress_file) if progress_file else None,
        Path(calls_file) if calls_file else None,
        every,
    )
    state: dict[str, Any] = {"dropping": False, "digest": None}
    original = {
        "write_frame": SceneFileWriter.write_frame,
        "add_partial": SceneFileWriter.add_partial_movie_file,
        "begin": SceneFileWriter.begin_animation,
        "end": SceneFileWriter.end_animation,
        "sections": SceneFileWriter.combine_to_section_videos,
        "play": CairoRenderer.play,
        "mob_updater": Mobject.add_updater,
        "scene_updater": Scene.add_updater,
    }

    def write_frame(self, pixels, *, repeat: int = 1):  # type: ignore[no-untyped-def]
        digest = state["digest"]
        if digest is not None:
            digest.update(repeat.to_bytes(8, "little"))
            digest.update(pixels)
        if state["dropping"]:
            return None  # rendered to compare, not written
        counter.add(repeat)
        return original["write_frame"](self, pixels, repeat=repeat)

    def add_partial_movie_file(self, hash_animation):  # type: ignore[no-untyped-def]
        return original["add_partial"](self, None if state["dropping"] else hash_animation)

    def begin_animation(self, allow_write=False, **kwargs):  # type: ignore[no-untyped-def]
        return original["begin"](self, allow_write and not state["dropping"], **kwargs)

    def end_animation(self, allow_write=False):  # type: ignore[no-untyped-def]
        return original["end"](self, allow_write and not state["dropping"])

    def play(self, scene, *args, **kwargs):  # type: ignore[no-untyped-def]
        index, frames = self.num_plays, counter.frames
        counter.call = index
        clock = self.time
        range_skipped = 0 < config.from_animation_number and index < config.from_animation_number
        state["dropping"] = index == drop_call
        wanted = index == drop_call or index == config.upto_animation_number
        state["digest"] = hashlib.sha256() if wanted else None
        try:
            outcome = original["play"](self, scene, *args, **kwargs)
        except BaseException as error:
            state["dropping"], state["digest"] = False, None
            if type(error).__name__ == "EndSceneEarlyException":
                raise  # the first call after -n's END: not part of this render
            record(self, scene, index, frames, None)
            raise
        if range_skipped:
            self.time = _rendered_clock(clock, scene, config.frame_rate)
            scene.update_mobjects(0)  # as play_internal does after a rendered call
        if scene.updaters or scene.always_update_mobjects or scene.stop_condition is not None:
            counter.time_based()
        digest = state["digest"]
        state["dropping"], state["digest"] = False, None
        record(self, scene, index, frames, digest.hexdigest() if digest is not None else None)
        counter.call = index + 1
        return outcome

    def record(self, scene, index: int, frames: int, digest: str | None) -> None:  # type: ignore[no-untyped-def]
        counter.calls.append(
            {
                "index": index,
                "end": round(time.perf_counter() - counter.t0, 6),
                "frames": counter.frames - frames,
                "skipped": bool(self.skip_animations) or index == drop_call,
                "section": self.file_writer.sections[-1].name,
                "digest": digest,
            }
        )

    def combine_to_section_videos(self):  # type: ignore[no-untyped-def]
        for section in self.sections:
            if not section.get_clean_partial_movie_files():
                section.video = None  # nothing of it in this range: write no file
        return original["sections"](self)

    def mob_add_updater(self, update_function, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _takes_dt(update_function):
            counter.time_based()
        return original["mob_updater"](self, update_function, *args, **kwargs)

    def scene_add_updater(self, func):  # type: ignore[no-untyped-def]
        counter.time_based()  # scene updaters always get dt
        return original["scene_updater"](self, func)

    SceneFileWriter.write_frame = write_frame  # type: ignore[method-assign]
    SceneFileWriter.add_partial_movie_file = add_partial_movie_file  # type: ignore[method-assign]
    SceneFileWriter.begin_animation = begin_animation  # type: ignore[method-assign]
    SceneFileWriter.end_animation = end_animation  # type: ignore[method-assign]
    SceneFileWriter.combine_to_section_videos = combine_to_section_videos  # type: ignore[method-assign]
    CairoRenderer.play = play  # type: ignore[method-assign]
    Mobject.add_updater = mob_add_updater  # type: ignore[method-assign]
    Scene.add_updater = scene_add_updater  # type: ignore[method-assign]
    atexit.register(counter.finish)
    _installed = counter
    return counter


def install_from_env() -> FrameCounter | None:
    """Install the hooks if the job's environment asks for them (see module docstring)."""
    progress = os.environ.get(PROGRESS_FILE_ENV)
    calls = os.environ.get(CALLS_FILE_ENV)
    drop = os.environ.get(DROP_CALL_ENV)
    if not (progress or calls or drop):
        return None
    return install(progress, calls, int(drop) if drop else None)
