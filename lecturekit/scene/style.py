"""The shared look of every deck: fonts, sizes, formulas in the deck's colours, layout helpers.

Every colour a scene uses comes from the active :class:`~lecturekit.theme.Theme` (the deck's
colours in the theme chosen by ``$LECTURE_THEME``); every formula goes through :func:`math`,
whose TeX template defines the deck's macros with each symbol's colour baked in (``\\x``,
``\\pt``, ... in the VAE lecture). So a symbol has one colour on every slide, and a scene
never names a colour constant. The deck is the one of the scene being built
(:func:`lecturekit.deck.active_deck`, set by ``LectureScene.setup``).
"""

from __future__ import annotations

from functools import cache

from manim import (
    DOWN,
    LEFT,
    UP,
    UR,
    Axes,
    Line,
    MathTex,
    Mobject,
    SurroundingRectangle,
    Tex,
    Text,
    TexTemplate,
    VGroup,
    config,
)

from lecturekit.deck import Deck, active_deck
from lecturekit.theme import Theme, active_theme_name, tex_preamble

# ---------------------------------------------------------------------------------------------
# Fonts and sizes (Manim font-size units; 48 is Manim's default). Text is at least 30: at 480p
# that is an x-height of about 9 px, readable from the back of a lecture hall, and it holds
# for annotations too (reasons beside a step, axis numbers, legends, braces' names). Labels
# that sit beside formulas are set in the formulas' own face (``tex``, Computer Modern); the
# sans face is for titles only.
BODY_FONT = "DejaVu Sans"  # titles (the slide title bar, cards)
TITLE_SIZE = 40
HEADING_SIZE = 34
BODY_SIZE = 30
MATH_SIZE = 40
LABEL_SIZE = 30
MIN_FONT_SIZE = 30


def active_theme() -> Theme:
    """The active deck's colours in the theme selected by ``$LECTURE_THEME``."""
    return active_deck().theme(active_theme_name())


@cache
def tex_template(deck: Deck, theme_name: str) -> TexTemplate:
    """A deck's LaTeX template in a theme (preamble: :func:`lecturekit.theme.tex_preamble`)."""
    return TexTemplate(preamble=tex_preamble(deck.theme(theme_name), deck.macros))


def _template() -> TexTemplate:
    return tex_template(active_deck(), active_theme_name())


def math(*tex: str, size: float = MATH_SIZE, **kwargs) -> MathTex:
    """A formula in the active theme: symbol macros coloured, the rest in the text colour.

    Pass the formula in pieces (as for :class:`~manim.MathTex`) to let
    ``TransformMatchingTex`` carry the pieces that stay from one step to the next.
    """
    kwargs.setdefault("color", active_theme().text)
    return MathTex(*tex, font_size=size, tex_template=_template(), **kwargs)


def tex(*tex_strings: str, size: float = BODY_SIZE, **kwargs) -> Tex:
    """Text-mode LaTeX (for lines that mix words and symbols) in the active theme."""
    kwargs.setdefault("color", active_theme().text)
    return Tex(*tex_strings, font_size=size, tex_template=_template(), **kwargs)


def text(content: str, size: float = BODY_SIZE, color: str | None = None, **kwargs) -> Text:
    """Body text in the kit's font and the active theme's text colour."""
    return Text(
        content, font=BODY_FONT, font_size=size, color=color or active_theme().text, **kwargs
    )


def axes(
    x_range: tuple[float, float, float],
    y_range: tuple[float, float, float],
    x_length: float,
    y_length: float,
    ticks: bool = True,
    **kwargs,
) -> Axes:
    """Axes in the theme's muted colour, without arrow tips (every plot of a deck looks alike).

    ``ticks=False`` drops the tick marks; other keyword arguments go to :class:`~manim.Axes`
    (``x_axis_config``, ``y_axis_config``, ...).
    """
    axis_config = {"color": active_theme().muted, "stroke_width": 2}
    if not ticks:
        axis_config["include_ticks"] = False
    return Axes(
        x_range=list(x_range),
        y_range=list(y_range),
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config=axis_config,
        **kwargs,
    )


# ---------------------------------------------------------------------------------------------
# Layout. Manim's frame is 14.22 x 8 units; everything that must be read stays inside the safe
# area, and the slide content stays below the title bar.
SAFE_MARGIN = 0.3
TITLE_BAR_HEIGHT = 1.0


def frame_half_width() -> float:
    """Half the frame width in Manim units."""
    return config.frame_width / 2


def frame_half_height() -> float:
    """Half the frame height in Manim units."""
    return config.frame_height / 2


def safe_box() -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of the safe area in Manim units."""
    w, h = frame_half_width() - SAFE_MARGIN, frame_half_height() - SAFE_MARGIN
    return (-w, w, -h, h)


def content_top() -> float:
    """The y coordinate below which slide content starts (under the title bar)."""
    return frame_half_height() - TITLE_BAR_HEIGHT - 0.15


class TitleBar(VGroup):
    """Slide title at the top left, slide label (if any) at the top right, a rule under both.

    Parts: ``heading``, ``label`` (``None`` on cards without a slide number), ``rule``.
    """

    def __init__(self, title: str, slide_label: str = "") -> None:
        theme = active_theme()
        left, right, _, top = safe_box()
        self.heading = text(title, size=TITLE_SIZE, weight="BOLD")
        self.heading.to_corner(UP + LEFT, buff=SAFE_MARGIN + 0.05)
        rule_y = frame_half_height() - TITLE_BAR_HEIGHT
        self.rule = Line([left, rule_y, 0], [right, rule_y, 0], stroke_width=2, color=theme.muted)
        self.heading.set_y((top + rule_y) / 2)
        self.label = None
        if slide_label:  # the title, summary and reference cards have no slide number
            self.label = text(slide_label, size=LABEL_SIZE, color=theme.muted)
            self.label.to_corner(UR, buff=SAFE_MARGIN + 0.05).match_y(self.heading)
        parts = [self.heading, self.label, self.rule] if self.label else [self.heading, self.rule]
        super().__init__(*parts)


MIN_BOX_BUFF = 0.1  # a box drawn closer touches its glyphs (a 0.06 box clipped an integral)


def emphasis_box(mobject: Mobject, color: str | None = None, buff: float = 0.12) -> Mobject:
    """A rounded box around a term, in the highlight colour unless another is given; never
    closer to its contents than :data:`MIN_BOX_BUFF`."""
    return SurroundingRectangle(
        mobject,
        color=color or active_theme().highlight,
        buff=max(buff, MIN_BOX_BUFF),
        corner_radius=0.08,
    )


class Table(VGroup):
    """A slide table: bold header, a rule under it, cells left-aligned in columns.

    Parts: ``header`` (a VGroup of the header cells), ``rule``, ``rows`` (a list of VGroups of
    cells), so a scene can reveal the table row by row; the group's members are header, rule
    and the rows, in that order.
    """

    def __init__(
        self,
        header: list[str],
        rows: list[list[Mobject]],
        column_gap: float = 0.6,
        row_gap: float = 0.32,
    ) -> None:
        theme = active_theme()
        header_cells = [tex(rf"\textbf{{{h}}}", size=BODY_SIZE) for h in header]
        grid = [header_cells, *rows]
        n_cols = len(header)
        widths = [max(row[c].width for row in grid) for c in range(n_cols)]
        lefts = [sum(widths[:c]) + c * column_gap for c in range(n_cols)]
        total_width = lefts[-1] + widths[-1]
        placed = []
        y = 0.0
        for r, row in enumerate(grid):
            height = max(cell.height for cell in row)
            for c, cell in enumerate(row):
                cell.move_to([lefts[c] + cell.width / 2, y - height / 2, 0])
            placed.append(VGroup(*row))
            y -= height + row_gap
            if r == 0:
                rule_y = y + row_gap / 2
                y -= 0.1
        self.header, self.rows = placed[0], placed[1:]
        self.rule = Line(
            [0, rule_y, 0], [total_width, rule_y, 0], stroke_width=2, color=theme.muted
        )
        super().__init__(self.header, self.rule, *self.rows)
        self.move_to([0, 0, 0])


LEAD_INDENT = 0.8


def at_content_top(mobject: Mobject, buff: float = 0.15) -> Mobject:
    """Place a slide's lead line ("Goal: ...", "Step 2: ...") at the top left of the content."""
    return mobject.next_to([0, content_top(), 0], DOWN, buff=buff).to_edge(LEFT, buff=LEAD_INDENT)
