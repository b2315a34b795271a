"""Colours of a lecture, as plain data (no Manim import): themes, symbol colours, TeX macros.

A :class:`Theme` is one look (``dark`` or ``light``): base colours for background, text and
rules, and one colour per *symbol* of the deck's notation. Symbols are coloured inside the TeX
template (one ``\\definecolor`` and one macro per symbol), so a symbol has one colour on every
slide; plot *roles* name what a curve shows and point at the symbol of its concept, so a curve
and its formula always match. A deck declares its symbols, roles and macros in ``deck.toml``
(:mod:`lecturekit.deck`); the colours come from the kit's :data:`HUES` by name, or from the
deck as hex per theme.

The kit's hues were searched (OKLCH, coloraide) for WCAG contrast >= 5 against the
background and CIEDE2000 >= 10 between every pair, the text and the muted colour under
normal vision and simulated protanopia, deuteranopia and tritanopia (>= 30 between blue and
orange). The seventh, lilac, was searched last against the other six (worst pair 11.9 dark,
10.2 light).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

THEME_ENV_VAR = "LECTURE_THEME"
THEME_NAMES = ("dark", "light")


@dataclass(frozen=True)
class Theme:
    """All colours of one look of a deck (hex strings).

    ``symbols`` maps each notation symbol to its colour; ``roles`` maps a plot role (what is
    drawn, e.g. ``posterior``) to the symbol whose colour it takes. Roles and symbols read as
    attributes: ``theme.posterior``, ``theme.symbol("x")``.
    """

    name: str
    background: str
    text: str
    muted: str  # secondary text, axes, rules
    warning: str  # emphasis such as "this integral is the bottleneck"
    highlight: str  # boxes and braces that single a term out
    symbols: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)

    def symbol(self, name: str) -> str:
        """Colour of a notation symbol."""
        return self.symbols[name]

    def role(self, name: str) -> str:
        """Colour of a plot role (the colour of the symbol it points at)."""
        return self.symbols[self.roles[name]]

    def __getattr__(self, name: str) -> str:
        # Only called for names that are not fields: plot roles (theme.posterior).
        roles = self.__dict__.get("roles", {})
        if name in roles:
            return self.symbols[roles[name]]
        raise AttributeError(
            f"theme {self.__dict__.get('name')!r} has no colour or role "
            f"{name!r} (roles: {', '.join(sorted(roles)) or 'none'})"
        )

    def text_colours(self) -> dict[str, str]:
        """Every colour used for text or symbols, by name (for the contrast tests)."""
        return {"text": self.text, "muted": self.muted, **self.symbols}


@dataclass(frozen=True)
class Palette:
    """The kit's base colours and named hues for one theme."""

    background: str
    text: str
    muted: str
    warning: str
    highlight: str
    hues: Mapping[str, str]


PALETTES: dict[str, Palette] = {
    "dark": Palette(
        background="#14161C",
        text="#ECEFF4",
        muted="#A3AAB8",
        warning="#F76263",
        highlight="#FFE58F",
        hues={
            "yellow": "#FFE58F",
            "green": "#59D4A4",
            "blue": "#00A0FB",
            "orange": "#FFA044",
            "purple": "#C46FBD",
            "red": "#F76263",
            "lilac": "#D7B7F0",
        },
    ),
    "light": Palette(
        background="#FAF8F3",
        text="#1B1E24",
        muted="#4A505C",
        warning="#C72E53",
        highlight="#5A4201",
        hues={
            "yellow": "#5A4201",
            "green": "#446C53",
            "blue": "#0060B3",
            "orange": "#915E00",
            "purple": "#8A0778",
            "red": "#C72E53",
            "lilac": "#7F5C81",
        },
    ),
}
HUES = tuple(PALETTES["dark"].hues)


def active_theme_name() -> str:
    """The theme selected by ``$LECTURE_THEME`` (``dark`` by default)."""
    name = os.environ.get(THEME_ENV_VAR, "dark")
    if name not in THEME_NAMES:
        raise ValueError(f"unknown theme {name!r}; choose from {', '.join(THEME_NAMES)}")
    return name


def _hex_for_xcolor(colour: str) -> str:
    return colour.lstrip("#").upper()


BASE_PREAMBLE = (r"\usepackage{amsmath}", r"\usepackage{amssymb}", r"\usepackage{xcolor}")


def tex_preamble(theme: Theme, macros: Mapping[str, str]) -> str:
    """The LaTeX preamble of a deck's template in a theme: amsmath, one ``sym-<name>`` colour
    per symbol and the deck's macros (which use those colours)."""
    lines = list(BASE_PREAMBLE)
    for name, colour in theme.symbols.items():
        lines.append(rf"\definecolor{{sym-{name}}}{{HTML}}{{{_hex_for_xcolor(colour)}}}")
    for macro, body in macros.items():
        lines.append(rf"\newcommand{{{macro}}}{{{body}}}")
    return "\n".join(lines)
