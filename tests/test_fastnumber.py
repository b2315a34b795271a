"""The kit's ``set_value`` gives the same number as Manim's, part by part."""

from __future__ import annotations

import pytest
from manim import BLUE, ORANGE, RIGHT, DecimalNumber, Integer

from lecturekit.scene import fastnumber
from tests.test_fastcopy import _describe

VALUES = [-2.6134, -2.6124, 0.0, -0.0001, 0.4512, 12.345, 12345.678, -1.5, 1.5, -2.6134]


def _pair(**kwargs):
    return DecimalNumber(VALUES[0], **kwargs), DecimalNumber(VALUES[0], **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_decimal_places": 3, "font_size": 22, "color": ORANGE},
        {"num_decimal_places": 2, "font_size": 30},
        {"num_decimal_places": 1, "include_sign": True, "edge_to_fix": RIGHT},
    ],
)
def test_same_parts_as_manims_set_value(kwargs):
    manims, ours = _pair(**kwargs)
    manims.shift(RIGHT)
    ours.shift(RIGHT)
    for value in VALUES:
        manims.set_value(value)
        fastnumber.set_value(ours, value)
        assert _describe(ours) == _describe(manims), value
    # The one attribute that differs (fastnumber's docstring): no table of SVG groups.
    assert all(glyph.id_to_vgroup_dict == {} for glyph in ours.submobjects)


def test_same_after_a_fade_and_a_gradient():
    manims, ours = _pair(num_decimal_places=3)
    for number in (manims, ours):
        number.set_opacity(0.3)  # an animation left it half faded
    manims.set_value(1.25)
    fastnumber.set_value(ours, 1.25)
    assert _describe(ours) == _describe(manims)
    for number in (manims, ours):
        number.set_color([BLUE, ORANGE])  # a gradient: Manim's own method
    for value in (3.5, -0.125):
        manims.set_value(value)
        fastnumber.set_value(ours, value)
        assert _describe(ours) == _describe(manims), value


def test_other_numbers_take_manims_method():
    manims, ours = Integer(7, unit=r"\%"), Integer(7, unit=r"\%")
    manims.set_value(12)
    fastnumber.set_value(ours, 12)
    assert _describe(ours) == _describe(manims)
