"""The camera's fast path gives Cairo the same path as Manim's, and the same pixels."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    BLUE,
    ORANGE,
    RED,
    UP,
    YELLOW,
    Arrow,
    Axes,
    Camera,
    Circle,
    DashedVMobject,
    Dot,
    Line,
    MathTex,
    Polygon,
    Square,
    VGroup,
    VMobject,
)

from lecturekit.scene import fastcamera


def _shapes() -> list[VMobject]:
    axes = Axes(x_range=[-3, 3, 1], y_range=[0, 1, 1], x_length=6, y_length=3)
    curve = axes.plot(lambda x: np.exp(-x * x), color="#FF8800")
    fine = axes.plot(lambda x: np.exp(-x * x), x_range=[-3, 3, 0.02])  # a long curve
    open_path = VMobject().set_points_smoothly([[0, 0, 0], [1, 1, 0], [2, 0, 0], [3, 1, 0]])
    broken = VMobject()  # two pieces
    broken.set_points_as_corners([[0, 0, 0], [1, 0, 0]])
    broken.append_points(Line([2, 2, 0], [3, 2, 0]).points)
    long_broken = fine.copy()  # a long path (the NumPy comparison) in two pieces
    long_broken.append_points(Line([2, 2, 0], [3, 2, 0]).points)
    assert len(long_broken.points) > fastcamera._LONG > len(curve.points)
    nearly = VMobject()  # joins off by less than Manim's tolerance: still one piece
    nearly.points = Square().points + np.tile(
        [[0, 0, 0], [0, 0, 0], [0, 0, 0], [3e-9, 0, 0]], (4, 1)
    )
    partial = VMobject()  # a count of points that is not a whole number of curves
    partial.points = np.array([[0, 0, 0], [0.3, 0.5, 0], [0.6, 0.5, 0], [1, 0, 0], [2, 2, 0.0]])
    nan_path = Line().copy()
    nan_path.points = nan_path.points.copy()
    nan_path.points[1, 0] = np.nan
    far_path = Line().copy()  # an infinity in z only: Manim draws it as nothing too
    far_path.points = far_path.points.copy()
    far_path.points[2, 2] = np.inf
    return [
        Dot([0.3, 0.2, 0], radius=0.03),
        Circle(radius=0.05, stroke_width=1.5).move_to([1.1, -0.4, 0]),
        Square(),
        Polygon([0, 0, 0], [1, 0, 0], [1, 1, 0]),
        Arrow([-1, -1, 0], [1, 1, 0]),
        *DashedVMobject(Circle(radius=0.5), num_dashes=12),
        *MathTex(r"q(z \mid x)").family_members_with_points(),
        *axes.family_members_with_points(),
        curve,
        open_path,
        nearly,
        long_broken,
        broken,
        partial,
        nan_path,
        far_path,
        Line([1e-9, 0, 0], [1e-9 + 1e-12, 0, 0]),
    ]


def _paths(camera: Camera, shapes: list[VMobject]) -> list[list]:
    ctx = camera.get_cairo_context(camera.pixel_array)
    out = []
    for shape in shapes:
        camera.set_cairo_context_path(ctx, shape)
        out.append(list(ctx.copy_path()))
    return out


@pytest.fixture
def manims_camera():
    fastcamera.uninstall()
    yield
    fastcamera.install()


def test_same_cairo_path_as_manim(manims_camera, monkeypatch):
    shapes = _shapes()
    expected = _paths(Camera(), shapes)
    fastcamera.install()
    handed_back = []
    manims = fastcamera._original

    def counted(camera, ctx, vmobject):
        handed_back.append(vmobject)
        return manims(camera, ctx, vmobject)

    monkeypatch.setattr(fastcamera, "_original", counted)
    assert _paths(Camera(), shapes) == expected
    # Not vacuous: every shape took the fast path (paths in pieces, glyphs and a stray point
    # after the last curve included) but the ones with a NaN or an infinity.
    assert handed_back == shapes[-3:-1]


def test_same_pixels_as_manim(manims_camera):
    gradient = Square(fill_opacity=0.7).set_fill([BLUE, ORANGE]).set_stroke([RED, BLUE], 6)
    outlined = Circle(radius=0.8).set_stroke(YELLOW, 3, background=True).set_stroke(BLUE, 8)
    picture = VGroup(*_shapes(), gradient, outlined).set_opacity(0.6)
    before = Camera()
    before.capture_mobjects([picture])
    fastcamera.install()
    after = Camera()
    fills = []
    after.apply_fill = lambda *args: fills.append(args) or Camera.apply_fill(after, *args)
    after.capture_mobjects([picture])
    assert np.array_equal(after.pixel_array, before.pixel_array)
    assert fills == []  # not vacuous: the inlined loop drew them, not Manim's steps


def test_unseen_fills_and_strokes_are_skipped_with_the_same_pixels(manims_camera):
    # Most shapes have an empty inside (fill opacity 0) and some an unseen outline (stroke
    # opacity 0); painting them changes no pixel, so the camera does not.
    hollow = VGroup(*_shapes())
    hollow.add(Square(fill_opacity=0.5).set_stroke(opacity=0), Circle().set_fill(opacity=0))
    assert any(m.fill_rgbas[0, 3] == 0 for m in hollow.family_members_with_points())
    before = Camera()
    before.capture_mobjects([hollow])
    fastcamera.install()
    after = Camera()
    real = after.get_cairo_context(after.pixel_array)
    painted = []

    class Counted:  # the camera's Cairo context, counting what it paints
        def __getattr__(self, name):
            if name in ("fill_preserve", "stroke_preserve"):
                painted.append(name)
            return getattr(real, name)

    after.get_cairo_context = lambda pixel_array: Counted()
    after.capture_mobjects([hollow])
    assert np.array_equal(after.pixel_array, before.pixel_array)
    shapes = hollow.family_members_with_points()
    fills = sum(m.fill_rgbas[0, 3] != 0 for m in shapes)
    assert painted.count("fill_preserve") == fills < len(shapes)  # not vacuous


def test_paths_replayed_from_the_cache_are_the_same(manims_camera):
    picture = VGroup(*_shapes()[:-3]).set_opacity(0.6)  # finite shapes (the cached kind)
    wide = Camera(frame_width=20.0)  # another matrix: its own entries
    wide.capture_mobjects([picture])
    expected = Camera()
    expected.capture_mobjects([picture])
    wide_expected = wide.pixel_array.copy()
    fastcamera.install()
    fastcamera._PATHS.clear()
    fastcamera._SEEN.clear()
    paths = []
    for _ in range(3):  # traced, traced and kept, replayed
        camera = Camera()
        camera.capture_mobjects([picture])
        assert np.array_equal(camera.pixel_array, expected.pixel_array)
        paths.append(_paths(Camera(), picture.family_members_with_points()))
    assert fastcamera._PATHS  # not vacuous: the last frame was drawn from kept paths
    assert paths[0] == paths[1] == paths[2]
    wide = Camera(frame_width=20.0)
    wide.capture_mobjects([picture])
    assert np.array_equal(wide.pixel_array, wide_expected)
    picture.shift(0.01 * UP)  # moved: new points, traced afresh
    moved = Camera()
    moved.capture_mobjects([picture])
    assert not np.array_equal(moved.pixel_array, expected.pixel_array)


def test_display_kind_remembered_per_class_is_manims():
    """Camera.type_or_raise remembered per class: Manim's answer for each kind of mobject,
    and Manim's TypeError, every time, for one it cannot draw."""
    from manim import Group, ImageMobject, Mobject, PMobject

    camera = Camera()
    mobjects = [
        Dot(),
        MathTex("x")[0][0],
        VGroup(),
        Mobject(),
        Group(),
        PMobject(),
        ImageMobject(np.zeros((2, 2, 4), np.uint8)),
        Axes(),
    ]
    fastcamera.uninstall()
    try:
        expected = [camera.type_or_raise(m) for m in mobjects]
    finally:
        fastcamera.install()
    for _ in range(2):
        assert [camera.type_or_raise(m) for m in mobjects] == expected
    assert len(set(expected)) == 4  # every display class appears
    for _ in range(2):
        with pytest.raises(TypeError, match="not supported"):
            camera.type_or_raise(object())
