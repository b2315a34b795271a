"""Fake scenes for the pipeline tests: a copy of ``tests/fake_project`` in a temporary folder.

The scenes render in one to three seconds at low quality (most of it Manim's start-up), import
a shared ``fakelecture.style`` module as real scenes import ``scenes.style``, and live outside
the repository, so a test may edit them (and their style) freely.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from scenes.registry import SceneSpec

TEMPLATE = Path(__file__).resolve().parent / "fake_project"
PACKAGE = "fakelecture"


@dataclass(frozen=True)
class FakeSpec(SceneSpec):
    """A registry entry whose module lives in a fake project folder, not under scenes/."""

    root: Path = Path()

    @property
    def path(self) -> Path:
        """The scene's source file in the fake project."""
        return self.root / PACKAGE / f"{self.module}.py"

    @property
    def import_name(self) -> str:
        """Dotted module name in the fake project."""
        return f"{PACKAGE}.{self.module}"


def fake_specs(root: Path) -> dict[str, FakeSpec]:
    """The fake scenes of the project at ``root``, by class name, in registry order."""
    specs = (
        FakeSpec(1, None, "Alpha", "s_alpha", "Alpha", root=root),
        FakeSpec(2, None, "Beta", "s_beta", "Beta", root=root),
        FakeSpec(3, None, "Boom", "s_boom", "Boom", root=root),
        FakeSpec(4, None, "Slow", "s_slow", "Slow", root=root),
        FakeSpec(5, None, "Editor", "s_editor", "Editor", root=root),
    )
    return {s.class_name: s for s in specs}


def make_fake_project(folder: Path) -> Path:
    """Copy the fake project into ``folder`` and return its root (what goes on sys.path)."""
    root = folder / "fake_project"
    shutil.copytree(TEMPLATE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def edit(path: Path, line: str = "# edited") -> None:
    """Change a file's content (the cache keys on content, not on modification times)."""
    path.write_text(path.read_text() + f"\n{line}\n")
