"""``DecimalNumber.set_value`` with the same result and less work per call.

A live number re-typesets on every frame whose rounded text changes (slide 10's nine numbers
through a 4-second fitting step): Manim 0.22's ``set_value`` copies a glyph per character out
of its shared map and scales each copy to the number's font size, arranges them, scales and
moves the whole back, matches each new glyph's style to the old glyph's and then re-applies
the number's own style to every part. That was the largest cost of a moving picture's frame.

:func:`set_value` does the same steps in the same order with two of them taken out where they
cannot change the result:

- each glyph is copied from one already scaled to this font size (kept per character, class
  and font size): the copy of a scaled glyph is the glyph scaled after copying, as the same
  operations run on the same numbers. One attribute differs from Manim's: the glyph's table
  of its SVG groups (``id_to_vgroup_dict``, read by ``get_part_by_tex`` and
  ``set_color_by_tex`` on formulas) is empty, which makes a copy 3x cheaper;
- ``match_style`` is skipped when ``init_colors`` overwrites everything it sets: the number,
  its old glyphs and its new ones are all one colour each (one row of fill, stroke and
  background-stroke colour), and no sheen. ``init_colors`` then sets every part's fill,
  stroke, background stroke and sheen from the number itself, as it does after
  ``match_style`` in Manim's method.

Anything else (units, ellipses, background rectangles, gradients, another renderer, a subclass
with its own ``set_value``) takes Manim's own method. ``tests/test_fastnumber.py`` compares
every attribute of every part with Manim's result, value by value.
"""

from __future__ import annotations

from manim import DOWN, ORIGIN, UP, DecimalNumber, Mobject, config
from manim.constants import RendererType

from .drawn import COLOUR_ARRAYS

# (character, class, font size) -> the glyph as _string_to_mob returns it, never drawn.
_GLYPHS: dict[tuple[str, type, float], Mobject] = {}


def _glyph(number: DecimalNumber, char: str) -> Mobject:
    """``number._string_to_mob(char)``: a copy of the shared glyph at the number's font size."""
    key = (char, number.mob_class, number._font_size)
    template = _GLYPHS.get(key)
    if template is None:
        template = _GLYPHS[key] = number._string_to_mob(char)
        # The glyph's table from its SVG's group ids to groups of its paths serves
        # MathTex.get_part_by_tex and set_color_by_tex on a formula; nothing calls those on
        # one digit of a number, and its eight groups were two thirds of every copy.
        template.id_to_vgroup_dict = {}
    return template.copy()


def _single_coloured(mobjects: list[Mobject]) -> bool:
    for m in mobjects:
        for name in COLOUR_ARRAYS:
            value = getattr(m, name, None)
            if value is None or len(value) != 1:
                return False
        if getattr(m, "sheen_factor", 0) != 0:
            return False
    return True


def _supported(number: DecimalNumber) -> bool:
    """The configurations handled here (the rest take Manim's own method)."""
    return (
        type(number).set_value is DecimalNumber.set_value
        and type(number)._string_to_mob is DecimalNumber._string_to_mob
        and config.renderer == RendererType.CAIRO
        and number.unit is None
        and not number.show_ellipsis
        and not number.include_background_rectangle
    )


def set_value(number: DecimalNumber, value: float) -> DecimalNumber:
    """``number.set_value(value)`` (Manim 0.22), with the work that cannot change the result
    left out (module docstring)."""
    if not _supported(number) or isinstance(value, complex):
        return number.set_value(value)
    old_family = number.get_family()
    old_font_size = number.font_size
    move_to_point = number.get_edge_center(number.edge_to_fix)
    old_submobjects = number.submobjects

    # DecimalNumber._set_submobjects_from_number, without units, ellipses or backgrounds.
    number.number = value
    number.submobjects = []
    num_string = number._get_num_string(value)
    number.add(*(_glyph(number, char) for char in num_string))
    number.arrange(buff=number.digit_buff_per_font_unit * number._font_size, aligned_edge=DOWN)
    number.move_to(ORIGIN)
    for i, c in enumerate(num_string):
        if c == "-" and len(num_string) > i + 1:
            number[i].align_to(number[i + 1], UP)
            number[i].shift(number[i + 1].height * DOWN / 2)
        elif c == ",":
            number[i].shift(number[i].height * DOWN / 2)
    number.initial_height = number.height

    number.font_size = old_font_size
    number.move_to(move_to_point, number.edge_to_fix)
    new_family = number.get_family()
    if not _single_coloured([*old_family, *new_family]):
        for sm1, sm2 in zip(number.submobjects, old_submobjects, strict=False):
            sm1.match_style(sm2)
    for mob in old_family:
        # As Manim: the Cairo renderer may still draw the old glyphs this frame.
        mob.points[:] = 0
    number.init_colors()
    return number
