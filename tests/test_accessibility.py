"""Readable by everyone: contrast, colour-vision deficiency, text size, caption pacing, themes.

Colour science by coloraide (WCAG 2.1 contrast, CIEDE2000, Brettel/Viénot CVD simulation).
"""

from __future__ import annotations

import ast
import itertools
import re
import textwrap

import manim
import numpy as np
import pytest
from coloraide import Color

from lecturekit.scene import style
from lecturekit.theme import PALETTES, THEME_NAMES
from tests.vae_deck import DECK, SCENES

TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, normal text
NON_TEXT_CONTRAST = 3.0  # WCAG 2.1 non-text contrast (plot lines and areas)
MIN_DELTA_E = 10.0
MIN_DELTA_E_P_Q = 25.0
SIMULATIONS = (None, "protan", "deutan", "tritan")

MAX_CHARS_PER_SECOND = 20
MAX_LINES, MAX_LINE_LENGTH = 2, 42
MIN_CUE_SECONDS = 1.0
MIN_GAP_SECONDS = 0.2

THEMES = list(THEME_NAMES)


def contrasts_below(colours: dict[str, str], background: str, minimum: float) -> dict[str, float]:
    """The colours whose WCAG contrast with ``background`` is under ``minimum``, by role
    (rounded to two decimals, as a failure shows them)."""
    ground = Color(background)
    contrasts = {role: Color(c).contrast(ground) for role, c in colours.items()}
    return {role: round(c, 2) for role, c in contrasts.items() if c < minimum}


@pytest.mark.parametrize("theme_name", THEMES)
def test_text_and_symbol_colours_meet_wcag_aa(theme_name):
    theme = DECK.theme(theme_name)
    roles = {**theme.text_colours(), "warning": theme.warning, "highlight": theme.highlight}
    low = contrasts_below(roles, theme.background, TEXT_CONTRAST)
    assert not low, f"{theme_name}: contrast below {TEXT_CONTRAST}:1 for {low}"


@pytest.mark.parametrize("theme_name", THEMES)
def test_plot_colours_meet_non_text_contrast(theme_name):
    theme = DECK.theme(theme_name)
    plot = {**{role: theme.role(role) for role in theme.roles}, "axes": theme.muted}
    low = contrasts_below(plot, theme.background, NON_TEXT_CONTRAST)
    assert not low, f"{theme_name}: plot contrast below {NON_TEXT_CONTRAST}:1 for {low}"


@pytest.mark.parametrize("theme_name", THEMES)
def test_symbol_colours_stay_apart_under_colour_vision_deficiency(theme_name, capsys):
    # Every pair of symbol colours (any two may share a slide) and the text colour.
    theme = DECK.theme(theme_name)
    colours = {**theme.symbols, "text": theme.text}
    failures, report = [], []
    for simulation in SIMULATIONS:
        seen = {
            k: Color(c).filter(simulation) if simulation else Color(c) for k, c in colours.items()
        }
        worst = (float("inf"), "")
        for a, b in itertools.combinations(colours, 2):
            distance = seen[a].delta_e(seen[b], method="2000")
            need = MIN_DELTA_E_P_Q if {a, b} == {"p", "q"} else MIN_DELTA_E
            if distance < need:
                failures.append(f"{simulation or 'normal'}: {a} vs {b} dE2000 {distance:.1f}")
            worst = min(worst, (distance, f"{a} vs {b}"))
        p_q = seen["p"].delta_e(seen["q"], method="2000")
        report.append(
            f"{theme_name} {simulation or 'normal':>7}: worst pair {worst[1]} "
            f"dE2000 {worst[0]:.1f}; p vs q {p_q:.1f}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert not failures, "\n".join(failures)


MANIM_COLOUR_NAMES = {
    name
    for name in dir(manim)
    if name.isupper() and isinstance(getattr(manim, name), manim.ManimColor)
}


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_scene_names_no_colour_constant(spec):
    # Scenes take every colour from the theme; a colour named in a scene ignores the theme.
    if not spec.path.exists():
        pytest.fail(f"{spec.path} is missing")
    tree = ast.parse(spec.path.read_text())
    named = sorted(
        {
            node.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id in MANIM_COLOUR_NAMES
        }
    )
    hexes = sorted(
        {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("#")
            and len(node.value) in (4, 7, 9)
        }
    )
    assert not named and not hexes, f"colour constants in {spec.path.name}: {named + hexes}"


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_no_text_smaller_than_minimum(spec, scene_run):
    run = scene_run(spec)
    created = [
        f"created {content!r} at {size:.1f}"
        for content, size in run.created_sizes
        if size < style.MIN_FONT_SIZE - 0.5
    ]
    problems = created + run.small_text
    assert not problems, f"text below font size {style.MIN_FONT_SIZE}:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_caption_pacing(spec, scene_run):
    run = scene_run(spec)
    assert run.captions, f"{spec.class_name} has no captions"
    problems = []
    previous_end = None
    for cue in run.captions:
        start, end = cue.start.total_seconds(), cue.end.total_seconds()
        seconds = end - start
        text = cue.content
        lines = textwrap.wrap(text, MAX_LINE_LENGTH)
        if seconds < MIN_CUE_SECONDS:
            problems.append(f"{text!r} shown {seconds:.2f} s < {MIN_CUE_SECONDS} s")
        elif len(text) / seconds > MAX_CHARS_PER_SECOND:
            problems.append(
                f"{text!r}: {len(text) / seconds:.1f} characters/s "
                f"> {MAX_CHARS_PER_SECOND} ({len(text)} chars in {seconds:.2f} s)"
            )
        if len(lines) > MAX_LINES:
            problems.append(f"{text!r} needs {len(lines)} lines of {MAX_LINE_LENGTH}")
        if previous_end is not None:
            gap = start - previous_end
            if gap < -1e-6:
                problems.append(f"{text!r} overlaps the previous cue by {-gap:.2f} s")
            elif 1e-6 < gap < MIN_GAP_SECONDS:
                problems.append(f"{text!r} follows a flicker gap of {gap:.2f} s")
        previous_end = end
        if end > run.duration + 1e-6:
            problems.append(f"{text!r} ends after the scene ({end:.2f} > {run.duration:.2f})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_light_theme_renders_cleanly(spec, scene_run):
    run = scene_run(spec, "light")
    assert not run.problems, "light theme layout problems:\n" + "\n".join(run.problems[:20])
    background = np.array(Color(PALETTES["light"].background).convert("srgb").coords()) * 255
    for kf in run.key_frames:
        rgb = kf.pixels[..., :3].astype(float)
        ink = np.abs(rgb - background).max(axis=-1) > 60
        assert ink.mean() > 0.002, f"light key frame {kf.name} is almost blank"
        corner = rgb[:5, :5].reshape(-1, 3).mean(axis=0)
        assert np.allclose(corner, background, atol=3), f"{kf.name}: background not the theme's"


# The script (../shared/seed) spells American English ("Maximizing", "regularization",
# "memorization"): captions and the screen follow it, one spelling throughout.
BRITISH = re.compile(
    r"\b(?:(?:maximi|minimi|optimi|regulari|memori|factori|recogni|normali|generali|"
    r"parametri|summari|visuali|characteri|initiali|emphasi|randomi|standardi|categori|"
    r"symboli|utili|reali|organi)s(?:e|es|ed|ing|ation|ations|er|ers)|"
    r"colours?|colour(?:ed|ing)|behaviours?|centres?|centred|neighbours?|favours?|modell(?:ing|ed)|"
    r"labell(?:ing|ed)|analys(?:e|es|ed|ing))\b",
    re.IGNORECASE,
)


def test_british_spellings_are_found() -> None:
    # The check has teeth: each of these would fail a scene.
    for word in (
        "factorises",
        "Maximising",
        "recognise",
        "regularisation",
        "colour",
        "modelling",
        "normalised",
        "memorisation",
    ):
        assert BRITISH.search(word), word
    for word in (
        "factorizes",
        "Maximizing",
        "recognize",
        "otherwise",
        "noise",
        "precise",
        "color",
        "modeling",
        "raise",
        "comprise",
    ):
        assert not BRITISH.search(word), word


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_captions_and_screen_use_the_scripts_american_spelling(spec, scene_run):
    run = scene_run(spec)
    said = [c.content for c in run.captions] + run.texts + [b.say for b in run.beats if b.say]
    found = sorted({m.group(0) for line in said for m in BRITISH.finditer(line)})
    assert not found, f"British spellings on screen or in captions: {found}"
