"""Checks before any scene renders, each failure one message naming the fix.

A render takes minutes; finding out at scene 9 that LaTeX is missing, or at the stitch that the
disk is full, wastes them. :func:`preflight` checks, in a second or so:

- the Python packages a render imports;
- ``latex`` and ``dvisvgm`` on PATH, and the deck's TeX template compiling a formula that
  uses every one of its macros, through ``style.math`` as every scene's formulas do;
- the output folder exists (it is created if missing) and is writable;
- enough free disk for the chosen quality (estimated from the video's length).
"""

from __future__ import annotations

import hashlib
import importlib
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lecturekit.atomic import write_text_atomic
from lecturekit.deck import KIT_ROOT, Deck
from lecturekit.theme import tex_preamble

from .headless import theme_env
from .qualities import QUALITIES
from .target import Target
from .versions import binary_identity, distribution_version

SETUP_HINT = "make setup"
PIP_INSTALL = ".venv/bin/python -m pip install -e '.[test]'"
TEX_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-latex-extra dvisvgm"
APT_INSTALL = f"apt-get install -y {TEX_PACKAGES}"

# (module imported by a render, distribution that provides it)
PYTHON_MODULES = (
    ("manim", "manim"),
    ("av", "av"),
    ("cairo", "pycairo"),
    ("manimpango", "manimpango"),
    ("numpy", "numpy"),
    ("scipy", "scipy"),
    ("PIL", "pillow"),
    ("click", "click"),
)

# Bytes of H.264 per second of video at 480p15, measured on slide 1 (14 kB/s), scaled by pixel
# rate for the other qualities. Deliberately conservative: slide 1 at 1080p60 measured 39 kB/s,
# a seventh of the scaled figure, but busier slides (sampled points, plots) compress worse.
_BYTES_PER_SECOND_LOW = 14_000
# Copies of the video alive at once at the end of a run: the scene files in the cache, the
# published per-scene files, the stitched temporary file and the previous final video; plus
# Manim's partial movies of the scenes being rendered.
_DISK_COPIES = 5
_DISK_MARGIN = 200 * 2**20  # LaTeX files, logs, headroom
DEFAULT_SCENE_SECONDS = 60.0  # a scene never rendered yet
STYLE_MODULE = KIT_ROOT / "scene" / "style.py"


@dataclass(frozen=True)
class Problem:
    """One failed check: what is wrong and the command or action that fixes it."""

    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.what}\n  fix: {self.fix}"


def check_python_modules(
    modules: Sequence[tuple[str, str]] = PYTHON_MODULES, passed: Path | None = None
) -> list[Problem]:
    """Every module a render imports must import.

    ``passed`` is a file remembering the last check that passed: importing Manim and SciPy
    takes about half a second, so it is skipped while the interpreter and the installed
    versions of the distributions are the same as then.
    """
    key = _modules_key(modules)
    if _passed_before(passed, key):
        return []
    problems = []
    for module, distribution in modules:
        try:
            importlib.import_module(module)
        except Exception as error:  # ImportError, or a broken native library behind it
            problems.append(
                Problem(
                    f"Python package {distribution!r} cannot be imported ({type(error).__name__}: "
                    f"{str(error).splitlines()[0] if str(error) else module})",
                    f"{PIP_INSTALL}   (or: {SETUP_HINT})",
                )
            )
    if passed is not None and not problems:
        write_text_atomic(passed, key + "\n")
    return problems


def _passed_before(passed: Path | None, key: str) -> bool:
    """True when the file ``passed`` records a pass of the check under the same ``key``."""
    return passed is not None and passed.exists() and passed.read_text().strip() == key


def _modules_key(modules: Sequence[tuple[str, str]]) -> str:
    parts = [sys.executable, *(f"{d}={distribution_version(d)}" for _, d in modules)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def check_tex_binaries() -> list[Problem]:
    """``latex`` and ``dvisvgm`` must be on PATH."""
    return [
        Problem(
            f"{binary!r} is not on PATH (Manim needs it for every formula)",
            f"{APT_INSTALL}   (or: {SETUP_HINT})",
        )
        for binary in ("latex", "dvisvgm")
        if shutil.which(binary) is None
    ]


def _tex_check_key(deck: Deck, theme: str) -> str:
    """What decides whether the TeX check passes: the deck's preamble, the module that
    builds the template, Manim (its default template) and the ``latex``/``dvisvgm`` binaries.

    Computed without importing Manim, so that a run whose check is remembered starts fast.
    """
    style_source = hashlib.sha256(STYLE_MODULE.read_bytes()).hexdigest()
    parts = [
        tex_preamble(deck.theme(theme), deck.macros),
        style_source,
        distribution_version("manim"),
        *(binary_identity(b) for b in ("latex", "dvisvgm")),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def probe_formula(deck: Deck) -> str:
    """A formula that uses every macro of the deck (so each definition is compiled once)."""
    return " ".join([*deck.macros, "x^2"])


def check_tex_template(deck: Deck, theme: str, passed: Path | None = None) -> list[Problem]:
    """The deck's TeX template must compile a formula with its macros (``style.math``).

    ``passed`` is a file remembering the last check that passed: the compile (0.7 s) is skipped
    while the template text and the ``latex``/``dvisvgm`` binaries are the same as then.
    """
    key = _tex_check_key(deck, theme)
    if _passed_before(passed, key):
        return []
    from manim import tempconfig  # imported only when the check runs: Manim is slow to load

    from lecturekit import deck as decks
    from lecturekit.scene import style

    with tempfile.TemporaryDirectory(prefix="lecture-preflight-") as tmp:
        options = {"media_dir": tmp, "verbosity": "CRITICAL", "no_latex_cleanup": False}
        try:
            decks.activate(deck)
            with theme_env(theme), tempconfig(options):
                style.math(probe_formula(deck))
        except Exception as error:
            return [
                Problem(
                    f"the TeX template of {deck.file} does not compile a formula "
                    f"with its macros: {_tex_failure(error, Path(tmp))}",
                    f"{APT_INSTALL}   (a LaTeX package is probably missing)",
                )
            ]
    if passed is not None:
        write_text_atomic(passed, key + "\n")
    return []


def _tex_failure(error: Exception, tex_dir: Path) -> str:
    for log in tex_dir.rglob("*.log"):
        missing = re.search(r"File `([^']+)' not found", log.read_text(errors="replace"))
        if missing:
            return f"LaTeX file {missing.group(1)} not found"
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def check_output_folder(media_dir: Path) -> list[Problem]:
    """The output folder must exist (created when missing) and take a new file."""
    media_dir = Path(media_dir)
    try:
        media_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=media_dir, prefix=".write-test-"):
            pass
    except OSError as error:
        return [
            Problem(
                f"the output folder {media_dir} is not writable ({error.strerror or error})",
                f"choose another with --media-dir, or make {media_dir} writable",
            )
        ]
    return []


def estimated_disk_bytes(quality: str, video_seconds: float) -> int:
    """Disk a render of ``video_seconds`` of video at ``quality`` needs at its peak."""
    low, q = QUALITIES["low"], QUALITIES[quality]
    scale = (q.width * q.height * q.fps) / (low.width * low.height * low.fps)
    return int(_BYTES_PER_SECOND_LOW * scale * video_seconds * _DISK_COPIES + _DISK_MARGIN)


def check_free_disk(media_dir: Path, quality: str, video_seconds: float) -> list[Problem]:
    """Enough free disk under ``media_dir`` for the estimate of :func:`estimated_disk_bytes`."""
    needed = estimated_disk_bytes(quality, video_seconds)
    folder = Path(media_dir)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < needed:
        return [
            Problem(
                f"not enough free disk in {folder}: a {quality}-quality render needs "
                f"about {needed / 2**20:.0f} MB, {free / 2**20:.0f} MB are free",
                "free some space, or render at a lower --quality",
            )
        ]
    return []


def preflight(target: Target, video_seconds: float) -> list[Problem]:
    """Run every check; return the problems (empty when the render can start).

    The two slow checks (imports, TeX compile) are remembered under the media folder's cache
    once they pass, until what decides them changes.
    """
    problems = check_output_folder(target.media)
    writable = not problems
    problems += check_python_modules(
        passed=target.remembered_check("modules") if writable else None
    )
    if writable:
        problems += check_free_disk(target.media, target.quality, video_seconds)
    tex = check_tex_binaries()
    problems += tex
    if not tex and not any("'manim'" in p.what for p in problems):
        passed = (
            target.remembered_check(f"tex-{target.deck.slug}-{target.theme}") if writable else None
        )
        problems += check_tex_template(target.deck, target.theme, passed)
    return problems
