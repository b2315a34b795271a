"""The shared look of the video: themes, symbol colours, fonts, TeX template, layout helpers.

Every colour a scene uses comes from the active :class:`Theme`; every formula goes through
:func:`math`, whose TeX template defines one macro per symbol (``\\x``, ``\\z``, ``\\pt``,
``\\qp``, ...) with the symbol's colour baked in. So ``x`` has one colour on every slide, and a
scene never names a colour constant.

The theme is chosen with the environment variable ``VAE_THEME`` (``dark`` by default, or
``light``), so that separate render processes agree without passing flags through Manim.
The palettes themselves are plain data in :mod:`scenes.themes` (re-exported here), so that
tools which only need colours do not import Manim.
"""

from __future__ import annotations

from functools import cache

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
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

from .themes import (  # noqa: F401 (re-exported: scenes read the look from this module)
    DARK,
    LIGHT,
    SYMBOL_MACROS,
    SYMBOLS,
    THEME_ENV_VAR,
    THEMES,
    Theme,
    active_theme,
    tex_preamble,
)

# ---------------------------------------------------------------------------------------------
# Fonts and sizes (Manim font-size units; 48 is Manim's default). Nothing smaller than 24, so
# text stays readable at 480p and from the back of a lecture hall.
BODY_FONT = "DejaVu Sans"
TITLE_SIZE = 40
HEADING_SIZE = 34
BODY_SIZE = 30
MATH_SIZE = 40
LABEL_SIZE = 26
MIN_FONT_SIZE = 24


@cache
def tex_template(theme_name: str) -> TexTemplate:
    """The project's LaTeX template for a theme (preamble: :func:`scenes.themes.tex_preamble`)."""
    return TexTemplate(preamble=tex_preamble(theme_name))


def math(*tex: str, size: float = MATH_SIZE, **kwargs) -> MathTex:
    """A formula in the active theme: symbol macros coloured, the rest in the text colour.

    Pass the formula in pieces (as for :class:`~manim.MathTex`) to let
    ``TransformMatchingTex`` carry the pieces that stay from one step to the next.
    """
    theme = active_theme()
    kwargs.setdefault("color", theme.text)
    return MathTex(*tex, font_size=size, tex_template=tex_template(theme.name), **kwargs)


def tex(*tex_strings: str, size: float = BODY_SIZE, **kwargs) -> Tex:
    """Text-mode LaTeX (for lines that mix words and symbols) in the active theme."""
    theme = active_theme()
    kwargs.setdefault("color", theme.text)
    return Tex(*tex_strings, font_size=size, tex_template=tex_template(theme.name), **kwargs)


def text(content: str, size: float = BODY_SIZE, colour: str | None = None, **kwargs) -> Text:
    """Body text in the project font and the active theme's text colour."""
    theme = active_theme()
    return Text(content, font=BODY_FONT, font_size=size, color=colour or theme.text, **kwargs)


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


def title_bar(title: str, slide_label: str = "") -> VGroup:
    """Slide title at the top left, slide label (if any) at the top right, a rule under both.

    Returns ``VGroup(heading, label, rule)``, or ``VGroup(heading, rule)`` without a label.
    """
    theme = active_theme()
    left, right, _, top = safe_box()
    heading = text(title, size=TITLE_SIZE, weight="BOLD")
    heading.to_corner(UP + LEFT, buff=SAFE_MARGIN + 0.05)
    rule_y = frame_half_height() - TITLE_BAR_HEIGHT
    rule = Line([left, rule_y, 0], [right, rule_y, 0], stroke_width=2, color=theme.muted)
    heading.set_y((top + rule_y) / 2)
    if not slide_label:  # the title, summary and reference cards have no slide number
        return VGroup(heading, rule)
    label = text(slide_label, size=LABEL_SIZE, colour=theme.muted)
    label.to_corner(UR, buff=SAFE_MARGIN + 0.05).match_y(heading)
    return VGroup(heading, label, rule)


def emphasis_box(mobject: Mobject, colour: str | None = None, buff: float = 0.12) -> Mobject:
    """A rounded box around a term, in the highlight colour unless another is given."""
    return SurroundingRectangle(
        mobject, color=colour or active_theme().highlight, buff=buff, corner_radius=0.08
    )


def bullet_list(items: list[str], size: float = BODY_SIZE, buff: float = 0.28) -> VGroup:
    """Lines of body text, each with a bullet, aligned left."""
    theme = active_theme()
    rows = VGroup()
    for item in items:
        dot = text("\u2022", size=size, colour=theme.muted)
        row = VGroup(dot, text(item, size=size)).arrange(RIGHT, buff=0.2)
        rows.add(row)
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=buff)


def allow_overlap(*mobjects: Mobject) -> None:
    """Mark mobjects whose overlap with other text is deliberate (the layout test skips them)."""
    for mob in mobjects:
        mob.layout_overlap_ok = True


def table(
    header: list[str],
    rows: list[list[Mobject]],
    column_gap: float = 0.6,
    row_gap: float = 0.32,
) -> VGroup:
    """A slide table: bold header, a rule under it, cells left-aligned in columns.

    Returns ``VGroup(header_row, rule, *body_rows)``; each row is a VGroup of its cells, so
    a scene can reveal the table row by row.
    """
    theme = active_theme()
    header_cells = [text(h, size=BODY_SIZE, weight="BOLD") for h in header]
    grid = [header_cells, *rows]
    n_cols = len(header)
    widths = [max(row[c].width for row in grid) for c in range(n_cols)]
    lefts = [sum(widths[:c]) + c * column_gap for c in range(n_cols)]
    total_width = lefts[-1] + widths[-1]
    placed_rows = []
    y = 0.0
    for r, row in enumerate(grid):
        height = max(cell.height for cell in row)
        for c, cell in enumerate(row):
            cell.move_to([lefts[c] + cell.width / 2, y - height / 2, 0])
        placed_rows.append(VGroup(*row))
        y -= height + row_gap
        if r == 0:
            rule_y = y + row_gap / 2
            y -= 0.1
    rule = Line([0, rule_y, 0], [total_width, rule_y, 0], stroke_width=2, color=theme.muted)
    result = VGroup(placed_rows[0], rule, *placed_rows[1:])
    return result.move_to([0, 0, 0])


LEAD_INDENT = 0.8


def at_content_top(mobject: Mobject, buff: float = 0.15) -> Mobject:
    """Place a slide's lead line ("Goal: ...", "Step 2: ...") at the top left of the content."""
    return mobject.next_to([0, content_top(), 0], DOWN, buff=buff).to_edge(LEFT, buff=LEAD_INDENT)
