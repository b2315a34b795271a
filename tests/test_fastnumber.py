"""The kit's ``set_value`` gives the same number as Manim's, part by part."""

from __future__ import annotations

import numpy as np
import pytest
from manim import BLUE, ORANGE, RIGHT, DecimalNumber, Integer

from lecturekit.scene import fastnumber
from tests.test_fastcopy import _describe

# Lengths that change and stay, signs that flip, a frame-by-frame run of one length.
VALUES = [-2.6134, -2.6124, 0.0, -0.0001, 0.4512, 12.345, 12345.678, -1.5, 1.5, -2.6134]
VALUES += [float(v) for v in np.linspace(-2.9, -2.1, 17)] + [-0.55, 0.55, 9.99, -9.99]
# Kept glyphs are placed to rounding, not bit for bit (fastnumber's docstring): far below
# a pixel (1/160 of a unit at 1080p).
POINTS_TOLERANCE = 1e-12


def _split(number) -> tuple[list, list]:
    """``_describe`` without points and the kit's own mark, and the points apart."""
    described = _describe(number)
    points = [np.array(m.points) for m in number.get_family()]
    for _, attributes in described:
        attributes.pop("points", None)
        attributes.pop("_fast_typeset", None)
        if "initial_height" in attributes:
            attributes["initial_height"] = round(attributes["initial_height"], 9)
    return described, points


def _assert_same(ours, manims, note=None) -> None:
    described_ours, points_ours = _split(ours)
    described_manims, points_manims = _split(manims)
    assert described_ours == described_manims, note
    for a, b in zip(points_ours, points_manims, strict=True):
        assert a.shape == b.shape, note
        assert np.allclose(a, b, rtol=0, atol=POINTS_TOLERANCE), note


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
        _assert_same(ours, manims, value)
    # The one attribute that differs (fastnumber's docstring): no table of SVG groups.
    assert all(glyph.id_to_vgroup_dict == {} for glyph in ours.submobjects)


def test_same_after_a_fade_and_a_gradient():
    manims, ours = _pair(num_decimal_places=3)
    for number in (manims, ours):
        number.set_opacity(0.3)  # an animation left it half faded
    manims.set_value(1.25)
    fastnumber.set_value(ours, 1.25)
    _assert_same(ours, manims)
    for number in (manims, ours):
        number.set_color([BLUE, ORANGE])  # a gradient: Manim's own method
    for value in (3.5, -0.125, -0.5):
        manims.set_value(value)
        fastnumber.set_value(ours, value)
        _assert_same(ours, manims, value)


def test_other_numbers_take_manims_method():
    manims, ours = Integer(7, unit=r"\%"), Integer(7, unit=r"\%")
    manims.set_value(12)
    fastnumber.set_value(ours, 12)
    assert _describe(ours) == _describe(manims)


def test_glyphs_kept_when_the_length_stays():
    number = DecimalNumber(-2.512, num_decimal_places=3, font_size=24)
    fastnumber.set_value(number, -2.513)  # typeset here once: glyphs known
    glyphs = list(number.submobjects)
    fastnumber.set_value(number, -2.947)
    assert number.submobjects == glyphs
    fastnumber.set_value(number, -12.947)  # one longer: new glyphs
    assert number.submobjects != glyphs


def test_a_scaled_or_moved_number_keeps_its_place_and_size():
    manims, ours = _pair(num_decimal_places=3, font_size=24)
    for number in (manims, ours):
        number.scale(1.5).move_to([2.0, -1.0, 0.0])
    for value in (-2.6, -2.7, -2.8, -1.5):
        manims.set_value(value)
        fastnumber.set_value(ours, value)
        _assert_same(ours, manims, value)
    for number in (manims, ours):
        number.shift(RIGHT)
    for value in (-1.75, -1.25):
        manims.set_value(value)
        fastnumber.set_value(ours, value)
        _assert_same(ours, manims, value)
