"""The ordered list of scenes: the one place that says what the video contains.

Render, tests, storyboard, captions and chapters all read :data:`SCENES`. Importing this module
does not import Manim; :meth:`SceneSpec.load` imports a scene's module only when needed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

SCENES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class SceneSpec:
    """One scene of the video.

    ``number`` is its position in the video (00 = title card); ``slide`` the slide of the
    lecture script it shows (``None`` for the title, summary and reference cards); ``title``
    names the chapter and the per-scene file.
    """

    number: int
    slide: int | None
    title: str
    module: str
    class_name: str

    @property
    def key(self) -> str:
        """File-name stem, e.g. ``01-latent-variable-model``."""
        slug = "".join(c if c.isalnum() else "-" for c in self.title.lower())
        slug = "-".join(part for part in slug.split("-") if part)
        return f"{self.number:02d}-{slug}"

    @property
    def path(self) -> Path:
        """The scene's source file."""
        return SCENES_DIR / f"{self.module}.py"

    @property
    def import_name(self) -> str:
        """Dotted module name, e.g. ``scenes.s01_latent_variable_model``."""
        return f"scenes.{self.module}"

    @property
    def label(self) -> str:
        """What the title bar shows in its corner, e.g. ``Slide 3 / 10``."""
        if self.slide is None:
            return ""
        return f"Slide {self.slide} / {NUMBER_OF_SLIDES}"

    def load(self) -> type:
        """Import the scene's module and return its Scene class."""
        module = importlib.import_module(self.import_name)
        return getattr(module, self.class_name)


NUMBER_OF_SLIDES = 10

SCENES: tuple[SceneSpec, ...] = (
    SceneSpec(0, None, "Variational Autoencoders", "s00_title", "TitleCard"),
    SceneSpec(1, 1, "Latent Variable Model & Notation", "s01_latent_variable_model",
              "LatentVariableModel"),
    SceneSpec(2, 2, "Why Direct Likelihood is Hard", "s02_why_likelihood_is_hard",
              "WhyLikelihoodIsHard"),
    SceneSpec(3, 3, "Variational Approximation", "s03_variational_approximation",
              "VariationalApproximation"),
    SceneSpec(4, 4, "Rewriting the Likelihood", "s04_rewriting_the_likelihood",
              "RewritingTheLikelihood"),
    SceneSpec(5, 5, "Expectation Under the Encoder", "s05_expectation_under_encoder",
              "ExpectationUnderEncoder"),
    SceneSpec(6, 6, "Lower Bounding the Log-Likelihood", "s06_lower_bound", "LowerBound"),
    SceneSpec(7, 7, "Decomposing the Bound", "s07_decomposing_the_bound", "DecomposingTheBound"),
    SceneSpec(8, 8, "Evidence Lower Bound (ELBO)", "s08_evidence_lower_bound",
              "EvidenceLowerBound"),
    SceneSpec(9, 9, "Why the KL Term Matters", "s09_why_kl_matters", "WhyKLMatters"),
    SceneSpec(10, 10, "What Does ELBO Really Optimize?", "s10_what_elbo_optimizes",
              "WhatELBOOptimizes"),
    SceneSpec(11, None, "Summary: The VAE Story", "s11_summary", "Summary"),
    SceneSpec(12, None, "References", "s12_references", "References"),
)


def by_name(name: str) -> SceneSpec:
    """Find a scene by class name, key, module or number; raise KeyError naming valid choices."""
    for spec in SCENES:
        if name in (spec.class_name, spec.key, spec.module, str(spec.number), f"{spec.number:02d}"):
            return spec
    choices = ", ".join(spec.class_name for spec in SCENES)
    raise KeyError(f"unknown scene {name!r}; valid scenes: {choices}")


def by_class_name(class_name: str) -> SceneSpec:
    """The spec of a Scene class (used by a scene to find its own title and slide number)."""
    for spec in SCENES:
        if spec.class_name == class_name:
            return spec
    raise KeyError(f"scene class {class_name!r} is not in the registry")
