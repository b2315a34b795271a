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

When the new text is as long as the shown one (a live value on most frames of a motion), the
shown glyphs are kept: a glyph whose character changed takes the new character's points, and
every glyph is then placed by the same steps Manim takes (``arrange`` with the number's
buffer, bottoms aligned, centred, a leading minus raised to the digit after it, the
``edge_to_fix`` put back), computed at once from the glyphs' boxes. No glyph is copied and no
colour set when every part already has the colours ``init_colors`` would give it. Positions
then agree with Manim's to rounding (1e-15 units, far below a pixel), not bit for bit.

Anything else (units, ellipses, background rectangles, gradients, another renderer, a subclass
with its own ``set_value``) takes Manim's own method. ``tests/test_fastnumber.py`` compares
every attribute of every part with Manim's result, value by value (points to rounding).
"""

from __future__ import annotations

import copy
import math

import numpy as np
from manim import DOWN, ORIGIN, UP, DecimalNumber, Mobject, VMobject, config
from manim.constants import RendererType

from .drawn import COLOUR_ARRAYS

# The attributes in which two glyphs' families differ besides their points.
_GLYPH_TEXT = ("tex_string", "tex_strings", "initial_height")

# (character, class, font size) -> the glyph as _string_to_mob returns it, never drawn.
_GLYPHS: dict[tuple[str, type, float], Mobject] = {}


def _template(number: DecimalNumber, char: str) -> Mobject:
    """The shared glyph of ``char`` at the number's font size (made once, never drawn)."""
    key = (char, number.mob_class, number._font_size)
    template = _GLYPHS.get(key)
    if template is None:
        template = _GLYPHS[key] = number._string_to_mob(char)
        # The glyph's table from its SVG's group ids to groups of its paths serves
        # MathTex.get_part_by_tex and set_color_by_tex on a formula; nothing calls those on
        # one digit of a number, and its eight groups were two thirds of every copy.
        template.id_to_vgroup_dict = {}
    return template


def _glyph(number: DecimalNumber, char: str) -> Mobject:
    """``number._string_to_mob(char)``: a copy of the shared glyph at the number's font size."""
    return _template(number, char).copy()


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


def _leaves(glyph: Mobject) -> list[VMobject]:
    return [m for m in glyph.get_family() if m.has_points()]


def _colours_set(number: DecimalNumber) -> bool:
    """Whether ``number.init_colors()`` would leave every part as it is: one colour each, all
    equal to the number's, whose opacities and widths are its attributes."""
    family = number.get_family()
    if not _single_coloured(family):
        return False
    fill, stroke, background = (getattr(number, name) for name in COLOUR_ARRAYS)
    if (
        fill[0, 3] != number.fill_opacity
        or stroke[0, 3] != number.stroke_opacity
        or background[0, 3] != number.background_stroke_opacity
    ):
        return False
    # Compared as bytes (one row of four floats each, checked above): equal bytes are equal
    # colours, and a -0.0 where the number has 0.0 only sends the call to Manim's way.
    wanted = (fill.tobytes(), stroke.tobytes(), background.tobytes())
    for m in family[1:]:
        if (
            m.stroke_width != number.stroke_width
            or m.background_stroke_width != number.background_stroke_width
            or (
                m.fill_rgbas.tobytes(),
                m.stroke_rgbas.tobytes(),
                m.background_stroke_rgbas.tobytes(),
            )
            != wanted
        ):
            return False
    return True


def _box(glyph: list[VMobject]) -> np.ndarray:
    """(2, 3) minimum and maximum of the anchors of a glyph's paths (Manim's bounding box)."""
    anchors = [
        a
        for leaf in glyph
        for a in (
            leaf.points[0 :: leaf.n_points_per_cubic_curve],
            leaf.points[leaf.n_points_per_cubic_curve - 1 :: leaf.n_points_per_cubic_curve],
        )
    ]
    stacked = np.concatenate(anchors)
    return np.array([stacked.min(axis=0), stacked.max(axis=0)])


def _reuse_glyphs(number: DecimalNumber, value: float, num_string: str) -> bool:
    """Retypeset ``number`` by keeping its glyphs (module docstring); False where it cannot."""
    shown = getattr(number, "_fast_typeset", None)
    glyphs = number.submobjects
    if shown is None or shown[1] != tuple(map(id, glyphs)):
        return False  # not typeset here last, or changed since
    old_string = shown[0]
    if len(old_string) != len(num_string) or "," in num_string:
        return False
    if not math.isclose(number.font_size, number._font_size, rel_tol=1e-12):
        return False  # scaled since: Manim rescales the new glyphs; leave it to that path
    leaves = [_leaves(g) for g in glyphs]
    for i, (old, new) in enumerate(zip(old_string, num_string, strict=True)):
        if old == new:
            continue
        template = _template(number, new)
        if [type(m) for m in template.get_family()] != [type(m) for m in glyphs[i].get_family()]:
            return False
        if [len(m.points) > 0 for m in template.get_family()] != [
            m.has_points() for m in glyphs[i].get_family()
        ]:
            return False
    if not _colours_set(number):
        return False
    edge = number.get_critical_point(number.edge_to_fix)
    number.number = value
    for i, (old, new) in enumerate(zip(old_string, num_string, strict=True)):
        if old != new:
            template = _template(number, new)
            for part, source in zip(glyphs[i].get_family(), template.get_family(), strict=True):
                if source.has_points():
                    part.points = np.array(source.points)
                for name in _GLYPH_TEXT:  # what the glyph says it shows
                    if name in source.__dict__:
                        setattr(part, name, copy.copy(source.__dict__[name]))
    # Manim: arrange(buff, aligned_edge=DOWN) -- each glyph's left edge ``buff`` right of the
    # one before, bottoms level --, centre, then a leading minus's top to the next glyph's
    # top and down by half that glyph's height, then the fixed edge back where it was.
    boxes = [_box(g) for g in leaves]
    buff = number.digit_buff_per_font_unit * number._font_size
    shifts = [np.zeros(3)]
    for before, box in zip(boxes, boxes[1:], strict=False):
        previous = before + shifts[-1]
        shifts.append(
            np.array(
                [
                    previous[1, 0] + buff - box[0, 0],
                    previous[0, 1] - box[0, 1],
                    (previous[0, 2] + previous[1, 2]) / 2 - (box[0, 2] + box[1, 2]) / 2,
                ]
            )
        )
    placed = [box + shift for box, shift in zip(boxes, shifts, strict=True)]
    low = np.min([b[0] for b in placed], axis=0)
    high = np.max([b[1] for b in placed], axis=0)
    centre = (low + high) / 2
    shifts = [shift - centre for shift in shifts]
    for i, c in enumerate(num_string[:-1]):
        if c == "-":
            top_next = boxes[i + 1][1, 1] + shifts[i + 1][1]
            top = boxes[i][1, 1] + shifts[i][1]
            height_next = boxes[i + 1][1, 1] - boxes[i + 1][0, 1]
            shifts[i] = shifts[i] + np.array([0.0, top_next - top - height_next / 2, 0.0])
    placed = [box + shift for box, shift in zip(boxes, shifts, strict=True)]
    low = np.min([b[0] for b in placed], axis=0)
    high = np.max([b[1] for b in placed], axis=0)
    number.initial_height = float(high[1] - low[1])
    direction = number.edge_to_fix
    here = np.where(direction > 0, high, np.where(direction < 0, low, (low + high) / 2))
    back = edge - here
    for glyph_leaves, shift in zip(leaves, shifts, strict=True):
        for leaf in glyph_leaves:
            leaf.points += shift + back
    number._fast_typeset = (num_string, tuple(map(id, glyphs)))
    return True


def set_value(number: DecimalNumber, value: float) -> DecimalNumber:
    """``number.set_value(value)`` (Manim 0.22), with the work that cannot change the result
    left out (module docstring)."""
    if not _supported(number) or isinstance(value, complex):
        return number.set_value(value)
    num_string = number._get_num_string(value)
    if _reuse_glyphs(number, value, num_string):
        return number
    old_family = number.get_family()
    old_font_size = number.font_size
    move_to_point = number.get_edge_center(number.edge_to_fix)
    old_submobjects = number.submobjects

    # DecimalNumber._set_submobjects_from_number, without units, ellipses or backgrounds.
    number.number = value
    number.submobjects = []
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
    number._fast_typeset = (num_string, tuple(map(id, number.submobjects)))
    return number
