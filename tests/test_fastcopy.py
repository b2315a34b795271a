"""The kit's faster ``Mobject.__deepcopy__`` gives the same copy as Manim's own."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from manim import (
    Arrow,
    Axes,
    Circle,
    DashedVMobject,
    Dot,
    Line,
    ManimColor,
    Mobject,
    Polygon,
    VGroup,
)

from lecturekit.scene import fastcopy


def _picture() -> VGroup:
    axes = Axes(x_range=[-3, 3, 1], y_range=[0, 1, 1], x_length=6, y_length=3)
    curve = axes.plot(lambda x: np.exp(-x * x), color="#FF8800")
    dots = VGroup(*(Dot([0.1 * k, 0, 0], radius=0.03, fill_opacity=0.8) for k in range(30)))
    dashed = DashedVMobject(Circle(radius=0.5), num_dashes=12)
    area = Polygon([0, 0, 0], [1, 0, 0], [1, 1, 0], stroke_width=0, fill_opacity=0.3)
    group = VGroup(axes, curve, dots, dashed, area, Arrow(ORIGIN3, [1, 1, 0]), Line())
    dots[0].add_updater(lambda m: None)
    dots[1].shared = dots[1].points  # two attributes, one array
    group.target = dots[2].copy()
    return group


ORIGIN3 = np.zeros(3)


def _value(value: object) -> object:
    """A comparable form of an attribute (colours by class and value, other objects by type)."""
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, ManimColor):
        return (type(value).__name__, {k: _value(v) for k, v in vars(value).items()})
    if isinstance(value, int | float | str | bool | type(None)):
        return value
    return type(value).__name__


def _describe(mobject: Mobject) -> list[tuple[str, dict[str, object]]]:
    """Each family member's attributes, comparable across copies (objects by type)."""
    out = []
    for member in mobject.get_family():
        attributes: dict[str, object] = {}
        for key, value in member.__dict__.items():
            if key == "original_id":
                continue
            if isinstance(value, np.ndarray | ManimColor):
                attributes[key] = _value(value)
            elif isinstance(value, list | tuple):
                attributes[key] = (type(value).__name__, [_value(v) for v in value])
            elif isinstance(value, int | float | str | bool | type(None)):
                attributes[key] = value
            else:
                attributes[key] = type(value).__name__
        out.append((type(member).__name__, attributes))
    return out


@pytest.fixture
def manim_copy():
    """Manim's own __deepcopy__ for the test, the kit's restored after it."""
    fastcopy.uninstall()
    yield
    fastcopy.install()


def test_same_copy_as_manim(manim_copy):
    picture = _picture()
    expected = _describe(copy.deepcopy(picture))
    fastcopy.install()
    obtained = copy.deepcopy(picture)
    assert _describe(obtained) == expected


def test_copy_is_independent_and_keeps_sharing():
    picture = _picture()
    fastcopy.install()
    clone = picture.copy()
    dots, clone_dots = picture[2], clone[2]
    assert clone_dots[1].shared is clone_dots[1].points
    assert clone_dots[0].points is not dots[0].points
    clone_dots[0].shift([1, 0, 0])
    assert not np.allclose(clone_dots[0].points, dots[0].points)
    assert clone_dots[0].updaters and clone_dots[0].updaters is not dots[0].updaters
    assert clone.target is not picture.target


def test_glyph_copy_shares_its_svg_path(manim_copy):
    """A typeset glyph's copy is Manim's own, except that the svgelements path it was parsed
    from (read only at construction) is shared rather than copied."""
    from manim import MathTex

    glyph = MathTex("2")
    expected = _describe(copy.deepcopy(glyph))
    fastcopy.install()
    clone = glyph.copy()
    assert _describe(clone) == expected
    paths = [m for m in glyph.get_family() if hasattr(m, "path_obj")]
    assert paths
    for original, copied in zip(glyph.get_family(), clone.get_family(), strict=True):
        if hasattr(original, "path_obj"):
            assert copied.path_obj is original.path_obj
            assert copied.points is not original.points


def test_colour_copy_is_deepcopys(manim_copy):
    """A colour's copy: a new object of its class, equal value, its own array."""
    colours = [ManimColor("#FF8800"), ManimColor("#336699", alpha=0.4)]
    colours.append(colours[0])  # the same colour twice stays one copy
    expected = copy.deepcopy(colours)
    fastcopy.install()
    obtained = copy.deepcopy(colours)
    assert [_value(c) for c in obtained] == [_value(c) for c in expected]
    assert obtained[0] is obtained[2] and obtained[0] is not colours[0]
    for original, clone in zip(colours, obtained, strict=True):
        assert type(clone) is type(original)
        assert clone._internal_value is not original._internal_value
