"""Kept colour rows are Manim's, byte for byte, and every call gets its own array."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from manim import BLUE, ORANGE, RED, WHITE, ManimColor, VMobject
from manim.utils.color.core import HSV

from lecturekit.scene import fastrgba

COLOURS = [
    None,
    WHITE,
    ManimColor("#E0C060"),
    ManimColor([0.2, 0.4, 0.6, 0.5]),
    "#A070E0",
    "red",
    [BLUE, ORANGE],
    (RED,),
    HSV((0.3, 0.5, 0.7)),
]
OPACITIES = [None, 0, 1, 0.0, 0.35, 1.0, True, np.float64(0.5), (0.2, 0.8)]
SHEENS = [0, 0.0, 0.25, -0.1]


def _manims(sheen, colour, opacity) -> np.ndarray:
    fastrgba.uninstall()
    try:
        return VMobject(sheen_factor=sheen).generate_rgbas_array(colour, opacity)
    finally:
        fastrgba.install()


@pytest.mark.parametrize("sheen", SHEENS)
def test_same_rows_as_manims(sheen):
    for colour, opacity in itertools.product(COLOURS, OPACITIES):
        expected = _manims(sheen, colour, opacity)
        mobject = VMobject(sheen_factor=sheen)
        for _ in range(2):  # the first call keeps the rows, the second returns them
            ours = mobject.generate_rgbas_array(colour, opacity)
            assert ours.dtype == expected.dtype and ours.shape == expected.shape
            assert ours.tobytes() == expected.tobytes(), (colour, opacity, sheen)


def test_each_call_gets_its_own_array_and_only_plain_arguments_are_kept(monkeypatch):
    expected = _manims(0, "#A070E0", 0.5).tobytes()
    calls = []
    real = fastrgba._original
    monkeypatch.setattr(fastrgba, "_original", lambda *a: calls.append(a[1:]) or real(*a))
    mobject = VMobject()
    calls.clear()
    first = mobject.generate_rgbas_array("#A070E0", 0.5)
    first[:] = 0  # a caller changing its array in place changes no other's
    second = mobject.generate_rgbas_array(ManimColor("#A070E0"), 0.5)
    third = mobject.generate_rgbas_array("#A070E0", 0.5)
    assert third.tobytes() == expected
    assert second.tobytes() == third.tobytes() and second is not third
    mobject.generate_rgbas_array([BLUE, ORANGE], 0.5)  # a gradient: Manim's every time
    mobject.generate_rgbas_array([BLUE, ORANGE], 0.5)
    assert len(calls) == 4, calls  # the string once, the ManimColor once, the gradient twice


def test_a_new_mobject_has_manims_colours():
    """Through ``VMobject.__init__``: every colour array as Manim's."""

    def arrays(**style):
        m = VMobject(**style)
        return [
            getattr(m, n).tobytes()
            for n in ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")
        ]

    styles = [
        {},
        {"color": RED, "fill_opacity": 0.4},
        {"stroke_color": "#123456", "stroke_opacity": 0.3, "sheen_factor": 0.2},
    ]
    fastrgba.uninstall()
    try:
        expected = [arrays(**s) for s in styles]
    finally:
        fastrgba.install()
    assert [arrays(**s) for s in styles] == expected
    assert [arrays(**s) for s in styles] == expected
