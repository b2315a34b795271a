"""Run a scene in this process without writing video: fast access to its key frames.

The snapshot tests, the layout test, the storyboard and the handout all use this. Animations
are skipped (each ``play`` jumps to its end state, updaters included), so a scene costs only
its LaTeX and the few frames that are captured.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from lecturekit.deck import SceneSpec
from lecturekit.theme import THEME_ENV_VAR

from .qualities import QUALITIES
from .target import Target

if TYPE_CHECKING:
    from lecturekit.scene.lecture import BeatPacer


@contextmanager
def theme_env(theme: str) -> Iterator[None]:
    """Select a theme for scenes built inside the block."""
    previous = os.environ.get(THEME_ENV_VAR)
    os.environ[THEME_ENV_VAR] = theme
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(THEME_ENV_VAR, None)
        else:
            os.environ[THEME_ENV_VAR] = previous


def run_headless(
    spec: SceneSpec,
    quality: str = "low",
    theme: str = "dark",
    capture: bool = True,
    step_hooks: tuple[Callable, ...] = (),
    media_dir: Path | None = None,
    pacer: BeatPacer | None = None,
):
    """Construct ``spec``'s scene without video output and return the finished scene.

    With ``capture`` the scene's ``key_frames`` hold RGBA pixel arrays, plus a last frame
    named ``last``. ``step_hooks`` are called with the scene after every play/wait. A
    ``pacer`` (:class:`lecturekit.scene.lecture.BeatPacer`) times the beats, as a narrated
    render's does.
    """
    from manim import tempconfig

    scene_class = spec.load()
    q = QUALITIES[quality]
    options = {
        "quality": q.config_name,
        "format": "none",  # no video file: the key frames are read from the renderer
        "save_last_frame": False,
        "disable_caching": True,
        "media_dir": str(media_dir or Target(spec.deck, quality, theme).headless_dir),
        "verbosity": "WARNING",
        "progress_bar": "none",
        "notify_outdated_version": False,
    }
    with theme_env(theme), tempconfig(options):
        runner = type(
            scene_class.__name__,
            (scene_class,),
            {"capture_key_frames": capture, "step_hooks": tuple(step_hooks), "pacer": pacer},
        )
        scene = runner(skip_animations=True)  # Manim 0.22 ignores config["skip_animations"]
        scene.render()
        if capture:
            from lecturekit.scene.lecture import KeyFrame

            scene.renderer.static_image = None  # see LectureScene.key_frame
            scene.renderer.update_frame(scene, ignore_skipping=True)
            pixels = scene.renderer.get_frame().copy()
            scene.key_frames.append(KeyFrame("last", scene.time, pixels))
    return scene
