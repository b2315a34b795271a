"""Marks draw the same pixels as the separate shapes they hold: still, mid-transform, fading."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    BLUE,
    Camera,
    Circle,
    Dot,
    Ellipse,
    FadeOut,
    Line,
    Scene,
    Transform,
    VGroup,
    VMobject,
)

from lecturekit.scene import fastcamera
from lecturekit.scene.marks import Marks, MarksError

RNG = np.random.default_rng(7)
# Crowded on purpose: shapes overlap each other, and two sit exactly on top of each other
# (a shape's end then meets the next one's start, which must still be a new shape).
CENTRES = np.vstack([RNG.normal(0, 0.4, size=(60, 2)), [[0.5, 0.5], [0.5, 0.5]]])


def _dots(opacity: float = 0.8) -> list[VMobject]:
    return [Dot([x, y, 0], radius=0.06, color=BLUE, fill_opacity=opacity) for x, y in CENTRES]


def _rings() -> list[VMobject]:
    return [
        Circle(radius=0.09, color="#E07000", stroke_width=3).move_to([x, y, 0]) for x, y in CENTRES
    ]


def _ellipses() -> list[VMobject]:
    return [
        Ellipse(width=0.1 + 0.3 * abs(x), height=0.05 + 0.2 * abs(y), stroke_width=1)
        .set_fill(BLUE, 0.2)
        .move_to([x, y, 0])
        for x, y in CENTRES
    ]


def _pixels(*mobjects) -> np.ndarray:
    camera = Camera()
    camera.capture_mobjects(list(mobjects))
    return camera.pixel_array


@pytest.mark.parametrize("make", [_dots, _rings, _ellipses], ids=["dots", "rings", "ellipses"])
def test_still_marks_draw_as_their_shapes(make):
    expected = _pixels(VGroup(*make()))
    assert expected.any()  # not vacuous: something was drawn
    assert np.array_equal(_pixels(Marks(make())), expected)


def test_shapes_in_pieces_and_manims_camera():
    broken = []  # shapes of two pieces each: the path splits inside a shape too
    for x, y in CENTRES[:10]:
        shape = VMobject(stroke_width=2, stroke_color=BLUE)
        shape.set_points_as_corners([[x, y, 0], [x + 0.3, y, 0]])
        shape.append_points(Line([x, y + 0.1, 0], [x + 0.3, y + 0.2, 0]).points)
        broken.append(shape)
    expected = _pixels(VGroup(*broken))
    assert np.array_equal(_pixels(Marks(broken)), expected)
    fastcamera.uninstall()
    try:  # Manim's own camera gets the shapes one by one
        assert np.array_equal(_pixels(VGroup(*broken)), expected)

        class Tinted(Camera):  # a camera that draws Manim's way in the kit too
            def apply_fill(self, ctx, vmobject):
                return Camera.apply_fill(self, ctx, vmobject)

        fastcamera.install()
        camera = Tinted()
        camera.capture_mobjects([Marks(broken)])
        assert np.array_equal(camera.pixel_array, expected)
    finally:
        fastcamera.install()


def test_not_finite_marks_drawn_as_manim_draws_them():
    shapes = _rings()[:5]
    shapes[2].points = shapes[2].points.copy()
    shapes[2].points[3, 0] = np.nan  # Manim draws a shape with a NaN as nothing
    assert np.array_equal(_pixels(Marks(shapes)), _pixels(VGroup(*shapes)))


@pytest.mark.parametrize("alpha", [0.0, 0.37, 1.0])
def test_transform_and_fade_frames_equal_the_groups(alpha):
    def frame(start, end, fade):
        transform = Transform(start, end)
        transform.begin()
        transform.interpolate(alpha)
        out = FadeOut(fade)
        out.begin()
        out.interpolate(alpha)
        return _pixels(start, fade)

    expected = frame(VGroup(*_dots()), VGroup(*_rings()), VGroup(*_ellipses()))
    got = frame(Marks(_dots()), Marks(_rings()), Marks(_ellipses()))
    assert np.array_equal(got, expected)


def test_mixed_styles_and_mismatched_transforms_are_refused():
    with pytest.raises(MarksError, match="shares one style"):
        Marks([*_dots(0.8), *_dots(0.5)])
    with pytest.raises(MarksError, match="without parts"):
        Marks([VGroup(*_dots())])
    with pytest.raises(MarksError, match="same shapes' sizes"):
        Transform(Marks(_dots()), Marks(_dots()[:10])).begin()
    broken = Marks(_rings())
    broken.points = broken.points[:-4]
    with pytest.raises(MarksError, match="now has"):
        _pixels(broken)


def test_replace_group_keeps_the_drawing_order():
    scene = Scene()
    below, group, above = Circle(), VGroup(*_dots()), Circle()
    scene.add(below, group, above)
    marks = Marks.replace_group(scene, group)
    assert scene.mobjects == [below, marks, above]
    assert marks.count == len(CENTRES) and not marks.submobjects


def test_copies_place_shapes_as_their_constructors_do():
    points = np.column_stack([CENTRES, np.zeros(len(CENTRES))])
    dot = Dot(radius=0.06, color=BLUE, fill_opacity=0.8)
    from_dots = Marks([Dot(p, radius=0.06, color=BLUE, fill_opacity=0.8) for p in points])
    copied = Marks.copies(dot, points)
    assert copied.piece_ends == from_dots.piece_ends
    assert copied.points.tobytes() == from_dots.points.tobytes()
    ring = Circle(radius=0.09, color="#E07000", stroke_width=3)
    moved = Marks([ring.copy().move_to(p) for p in points])
    copied = Marks.copies(ring, points - ring.get_center())
    assert copied.points.tobytes() == moved.points.tobytes()
    assert np.array_equal(_pixels(copied), _pixels(VGroup(*_rings())))
    with pytest.raises(MarksError, match="offsets"):
        Marks.copies(ring, np.zeros((0, 3)))


def test_marks_that_hold_still_are_replayed_with_the_same_pixels():
    """A fade: the same points frame after frame, traced twice, then each shape replayed from
    its kept path; a move afterwards is traced again. Every frame equals the shapes' own."""
    camera = Camera()

    def frame(picture, opacity, shift=0.0):
        picture.set_opacity(opacity).shift([shift, 0, 0])
        camera.reset()
        camera.capture_mobjects([picture])
        return camera.pixel_array.copy()

    group, marks = VGroup(*_rings()), Marks(_rings())
    steps = [(1.0, 0.0), (0.8, 0.0), (0.6, 0.0), (0.4, 0.0), (0.4, 0.25), (0.3, 0.0)]
    for k, (opacity, shift) in enumerate(steps):
        expected = frame(group, opacity, shift)
        assert np.array_equal(frame(marks, opacity, shift), expected), k
        kept = fastcamera._MARKS_PATHS[marks].paths
        # Not vacuous: paths kept from the second frame of the same points on.
        assert (kept is not None) == (k in (1, 2, 3, 5)), k
