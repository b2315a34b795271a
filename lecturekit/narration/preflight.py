"""Checks before a narrated render starts, each failure one message naming the fix.

``render.py --narration`` needs a Piper voice (``--voice PATH.onnx`` with its ``.onnx.json``,
or the default voice's package), the Piper engine importable by this interpreter (checked in a
child process: the GPL engine never loads into the project's process) and ``pyloudnorm`` for
mastering. Without them the render stops before any scene renders, with the install command,
and the exit code of any other preflight failure.
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

from lecturekit.atomic import write_text_atomic
from lecturekit.render.preflight import Problem
from lecturekit.render.target import Target

from .voice import Narration, SpeechError, Voice, engine_version, install_command

ENGINE_CHECK = "import piper, onnxruntime"


def choose_narration(voice: Path | None) -> tuple[Narration | None, list[Problem]]:
    """The narration for ``--voice`` (``None``: the default voice), or why there is none."""
    try:
        chosen = Voice.from_model(voice) if voice is not None else Voice.default()
        chosen.check()
    except SpeechError as error:
        return None, [Problem(error.what, error.fix or install_command())]
    return Narration(chosen), []


def check_narration(target: Target) -> list[Problem]:
    """The narrated target's engine and mastering library must be there.

    Importing the engine in a child takes about a second, so a pass is remembered under the
    media folder until the interpreter or the engine's version changes.
    """
    problems = []
    if importlib.util.find_spec("pyloudnorm") is None:
        problems.append(
            Problem(
                "Python package 'pyloudnorm' is not installed (it measures the narrated "
                "audio's loudness for mastering)",
                install_command(),
            )
        )
    try:
        engine = engine_version()
    except SpeechError as error:
        return [*problems, Problem(error.what, error.fix or install_command())]
    key = hashlib.sha256(f"{sys.executable}\0{engine}".encode()).hexdigest()
    passed = target.remembered_check("narration-engine")
    if passed.exists() and passed.read_text().strip() == key:
        return problems
    done = subprocess.run(
        [sys.executable, "-c", ENGINE_CHECK], capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return [
            *problems,
            Problem(
                f"the Piper speech engine is installed but cannot be imported ({last})",
                install_command(),
            ),
        ]
    try:
        write_text_atomic(passed, key + "\n")
    except OSError:
        pass  # an unwritable media folder is reported by the general preflight
    return problems
