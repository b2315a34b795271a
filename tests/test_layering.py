"""The kit's drawing-order moves: only past mobjects whose pixels cannot meet."""

from __future__ import annotations

from manim import Dot, Scene, Square

from lecturekit.scene.layering import lower_if_clear, raise_if_clear


def _scene(*mobjects) -> Scene:
    scene = Scene()
    scene.add(*mobjects)
    return scene


def test_lower_passes_what_it_does_not_overlap_and_stops_at_what_it_does():
    under = Square(side_length=2.0)  # around the origin
    far = Dot([5.0, 3.0, 0.0])
    label = Dot([0.5, 0.5, 0.0])  # inside the square
    scene = _scene(under, far, label)
    assert lower_if_clear(scene, label) == [label]
    assert scene.mobjects == [under, label, far]


def test_lower_goes_to_the_bottom_when_nothing_overlaps():
    a, b, c = Dot([-4.0, 0.0, 0.0]), Dot([4.0, 0.0, 0.0]), Dot([0.0, 3.0, 0.0])
    scene = _scene(a, b, c)
    assert lower_if_clear(scene, c) == [c]
    assert scene.mobjects == [c, a, b]


def test_lower_keeps_what_touches_the_mobject_below_it():
    a = Square(side_length=1.0)
    b = Dot([0.55, 0.0, 0.0])  # within the margin of the square's edge
    scene = _scene(a, b)
    assert lower_if_clear(scene, b) == []
    assert scene.mobjects == [a, b]


def test_raise_passes_only_what_it_does_not_overlap():
    moving, above = Dot([0.0, 0.0, 0.0]), Square(side_length=1.0)
    scene = _scene(moving, above)
    assert raise_if_clear(scene, moving) == []
    clear = Dot([4.0, 0.0, 0.0])
    scene = _scene(clear, above)
    assert raise_if_clear(scene, clear) == [clear]
    assert scene.mobjects == [above, clear]
