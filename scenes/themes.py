"""The video's palettes and symbol colours, as plain data (no Manim import).

Split from :mod:`scenes.style` so that the render CLI, the storyboard and the presenter page
can read the themes and the TeX preamble without loading Manim (about half a second on every
``render.py`` run). Scenes use them through :mod:`scenes.style`, which re-exports them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

THEME_ENV_VAR = "VAE_THEME"

# Symbols that carry one colour through the whole video. theta travels with p (it
# parametrises the model p_theta) and phi with q (it parametrises the encoder q_phi), so a
# whole "p_theta" or "q_phi" reads as one coloured unit.
SYMBOLS = ("x", "z", "p", "q", "kl", "elbo")


@dataclass(frozen=True)
class Theme:
    """All colours of one look of the video (hex strings).

    ``symbols`` maps each name in :data:`SYMBOLS` to its colour. Plot roles reuse the symbol
    colour of the concept they draw (the true posterior is the model's colour, the Gaussian
    fit is the encoder's), so a curve and its formula always match.
    """

    name: str
    background: str
    text: str
    muted: str  # secondary text, axes, rules
    symbols: dict[str, str] = field(default_factory=dict)
    warning: str = "#FF6B6B"  # emphasis such as "this integral is the bottleneck"
    highlight: str = "#FFE58F"  # boxes and braces that single a term out

    def symbol(self, name: str) -> str:
        """Colour of a symbol from :data:`SYMBOLS`."""
        return self.symbols[name]

    # Plot roles: named by what is drawn, coloured by the concept it belongs to.
    @property
    def posterior(self) -> str:
        """True posterior p_theta(z|x) and other model densities."""
        return self.symbols["p"]

    @property
    def approx(self) -> str:
        """The encoder's Gaussian q_phi(z|x)."""
        return self.symbols["q"]

    @property
    def latent(self) -> str:
        """Points and axes in latent space (z)."""
        return self.symbols["z"]

    @property
    def data(self) -> str:
        """Observed data points (x)."""
        return self.symbols["x"]

    @property
    def kl(self) -> str:
        """KL terms and gaps."""
        return self.symbols["kl"]

    @property
    def elbo(self) -> str:
        """The ELBO and its bar."""
        return self.symbols["elbo"]

    def text_colours(self) -> dict[str, str]:
        """Every colour used for text or symbols, by role (for the contrast tests)."""
        return {"text": self.text, "muted": self.muted, **self.symbols}


# The palettes were searched (OKLCH, coloraide) for WCAG contrast >= 5 against the
# background and CIEDE2000 >= 11.5 between every pair of symbol colours under normal vision
# and simulated protanopia, deuteranopia and tritanopia (>= 30 for p vs q).
DARK = Theme(
    name="dark",
    background="#14161C",
    text="#ECEFF4",
    muted="#A3AAB8",
    symbols={
        "x": "#FFE58F",
        "z": "#59D4A4",
        "p": "#00A0FB",
        "q": "#FFA044",
        "kl": "#C46FBD",
        "elbo": "#F76263",
    },
    warning="#F76263",
    highlight="#FFE58F",
)

LIGHT = Theme(
    name="light",
    background="#FAF8F3",
    text="#1B1E24",
    muted="#4A505C",
    symbols={
        "x": "#5A4201",
        "z": "#446C53",
        "p": "#0060B3",
        "q": "#915E00",
        "kl": "#8A0778",
        "elbo": "#C72E53",
    },
    warning="#C72E53",
    highlight="#5A4201",
)

THEMES: dict[str, Theme] = {t.name: t for t in (DARK, LIGHT)}


def active_theme() -> Theme:
    """The theme selected by ``$VAE_THEME`` (default ``dark``)."""
    name = os.environ.get(THEME_ENV_VAR, "dark")
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose from {sorted(THEMES)}") from None


def _hex_for_xcolor(colour: str) -> str:
    return colour.lstrip("#").upper()


# One macro per symbol. Colours live in the template, so a formula is coloured the same way
# wherever it is typeset, and matching-tex transforms see identical substrings.
SYMBOL_MACROS = {
    r"\x": r"{\color{sym-x}x}",
    r"\z": r"{\color{sym-z}z}",
    r"\pt": r"{\color{sym-p}p_{\theta}}",
    r"\p": r"{\color{sym-p}p}",
    r"\qp": r"{\color{sym-q}q_{\phi}}",
    r"\q": r"{\color{sym-q}q}",
    r"\thetac": r"{\color{sym-p}\theta}",
    r"\phic": r"{\color{sym-q}\phi}",
    r"\KL": r"{\color{sym-kl}\mathrm{KL}}",
    r"\elbo": r"{\color{sym-elbo}\mathcal{L}}",
    r"\E": r"\mathbb{E}",
    r"\given": r"\,|\,",
}


def tex_preamble(theme_name: str) -> str:
    """The LaTeX preamble of the project's template for a theme: amsmath, the symbol colours
    and one macro per symbol."""
    theme = THEMES[theme_name]
    preamble = [
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",
        r"\usepackage{xcolor}",
    ]
    for name, colour in theme.symbols.items():
        preamble.append(rf"\definecolor{{sym-{name}}}{{HTML}}{{{_hex_for_xcolor(colour)}}}")
    for macro, body in SYMBOL_MACROS.items():
        preamble.append(rf"\newcommand{{{macro}}}{{{body}}}")
    return "\n".join(preamble)
