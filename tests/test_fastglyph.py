"""A glyph outline parsed once per process gives the segments and formulas of a new parse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import svgelements as se
from manim import MathTex, Tex
from manim.mobject.svg import svg_mobject

from lecturekit.scene import fastglyph
from tests.test_fastcopy import _describe

FORMULAS = [
    lambda: MathTex(
        r"\log p_\theta(x)",
        r"\geq",
        r"\mathbb{E}_{q_\phi(z \mid x)}\left[\log \frac{p_\theta(x, z)}{q_\phi(z \mid x)}\right]",
    ),
    lambda: MathTex(r"\sqrt{2\pi\sigma^2}\,\mathcal{N}(z; \mu, \sigma^2) = e^{-z^2/2}"),
    lambda: Tex(r"\textbf{1. Enables generation.} At test time, we sample $z \sim p(z)$."),
]


def _segments(path: se.Path) -> list:
    """Each segment's kind and attributes, points as coordinate pairs."""
    out = []
    for segment in path:
        values = {k: (v.x, v.y) if isinstance(v, se.Point) else v for k, v in vars(segment).items()}
        out.append((type(segment).__name__, values))
    return out


@pytest.fixture
def fresh():
    """No formula remembered by Manim, no outline by the kit; the kit's parse after."""
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    fastglyph.uninstall()
    yield
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    fastglyph.install()


@pytest.mark.parametrize("build", FORMULAS, ids=["bound", "gaussian", "text"])
def test_same_formula_as_a_new_parse(fresh, build):
    expected = _describe(build())
    fastglyph.install()
    for _ in range(2):  # the first build keeps the outlines, the second uses them
        svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
        assert _describe(build()) == expected


def test_same_segments_for_every_outline(fresh):
    """Every path string of the formulas' SVG files: the kept parse's segments, point for
    point and flag for flag, are a new parse's; and the library parses each string once."""
    for build in FORMULAS:
        build()
    files = sorted(Path(svg_mobject.config.media_dir, "Tex").glob("*.svg"))
    strings = {d for f in files for d in re.findall(r' d=[\'"]([^\'"]+)[\'"]', f.read_text())}
    assert len(strings) > 20
    expected = {d: _segments(se.Path(d)) for d in strings}
    parses = []
    real = fastglyph._original
    fastglyph._original = lambda path, d: parses.append(d) or real(path, d)
    try:
        fastglyph.install()
        for _ in range(3):
            assert {d: _segments(se.Path(d)) for d in strings} == expected
    finally:
        fastglyph._original = real
    assert sorted(parses) == sorted(strings)
    # Appending to a path that has segments is the library's own parse, every time.
    path = se.Path("M 0 0 L 1 1")
    path.parse("l 2 0 z")
    assert _segments(path) == _segments(se.Path("M 0 0 L 1 1 l 2 0 z"))
