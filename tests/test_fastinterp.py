"""Transform animations interpolated in one pass give Manim's numbers, bit for bit."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import pytest
from manim import (
    BLUE,
    DOWN,
    ORANGE,
    RIGHT,
    UP,
    Animation,
    Circle,
    Dot,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    Square,
    Transform,
    VGroup,
    rate_functions,
)

from lecturekit.scene import fastinterp
from tests.test_fastcopy import _describe

ALPHAS = (0.0, 0.13, 0.5, 0.87, 1.0)


def _dots(n: int = 40, seed: int = 0, **style) -> VGroup:
    rng = np.random.default_rng(seed)
    points = np.column_stack([rng.uniform(-3, 3, (n, 2)), np.zeros(n)])
    return VGroup(*(Dot(p, radius=0.03, **style) for p in points))


def _rings(n: int = 40, seed: int = 1) -> VGroup:
    rng = np.random.default_rng(seed)
    points = np.column_stack([rng.uniform(-3, 3, (n, 2)), np.zeros(n)])
    return VGroup(*(Circle(radius=0.05, stroke_width=1.5).move_to(p) for p in points))


def _mixed() -> VGroup:
    """Dots, a formula's glyphs, a gradient-filled square and a ring group, one family."""
    square = Square(fill_opacity=0.6).set_fill([BLUE, ORANGE])  # two colour rows
    return VGroup(_dots(12, fill_opacity=0.8), MathTex(r"q(z \mid x)"), square, _rings(10))


CASES: dict[str, Callable[[VGroup], Animation]] = {
    "fade out": lambda m: FadeOut(m),
    "fade in with a shift and a lag": lambda m: FadeIn(m, shift=0.2 * UP, lag_ratio=0.05),
    "fade out, rate there and back": lambda m: FadeOut(m, rate_func=rate_functions.there_and_back),
    "dots into rings": lambda m: ReplacementTransform(m, _rings(len(m))),
    "animate set_opacity": lambda m: m.animate.set_opacity(0.3).shift(RIGHT).build(),
    "transform along an arc (Manim's way)": lambda m: Transform(
        m, m.copy().shift(DOWN), path_arc=1.0
    ),
    "gradient into one colour (shapes differ: Manim's way for those)": lambda m: Transform(
        m, m.copy().set_fill(BLUE, opacity=1)
    ),
}


def _run(make: Callable[[VGroup], Animation], mobject: VGroup, alpha: float) -> list:
    animation = make(mobject)
    animation.begin()
    animation.interpolate(alpha)
    return _describe(animation.mobject)


@pytest.fixture
def both_ways():
    """Render a case once with Manim's loop and once batched (the install state restored)."""

    def run(make: Callable[[VGroup], Animation], build: Callable[[], VGroup], alpha: float):
        picture = build()
        twin = copy.deepcopy(picture)
        fastinterp.uninstall()
        try:
            manims = _run(make, picture, alpha)
        finally:
            fastinterp.install()
        ours = _run(make, twin, alpha)
        return manims, ours

    yield run
    fastinterp.install()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("build", [_dots, _mixed], ids=["dots", "mixed"])
def test_same_numbers_as_manims_loop(both_ways, case, alpha, build):
    manims, ours = both_ways(CASES[case], build, alpha)
    assert ours == manims


def test_a_whole_animation_frame_by_frame(both_ways):
    """Consecutive frames of one animation (the parts hold slices of the last frame's arrays
    in between): every frame equal to Manim's."""
    fastinterp.uninstall()
    manims_picture, our_picture = _mixed(), _mixed()
    expected = []
    animation = FadeOut(manims_picture, shift=0.3 * DOWN, lag_ratio=0.1)
    animation.begin()
    for k in range(16):
        animation.interpolate(k / 15)
        expected.append(_describe(animation.mobject))
    fastinterp.install()
    animation = FadeOut(our_picture, shift=0.3 * DOWN, lag_ratio=0.1)
    animation.begin()
    for k in range(16):
        animation.interpolate(k / 15)
        assert _describe(animation.mobject) == expected[k], k


def test_the_batch_is_what_runs():
    """Not vacuous: with the batch installed, Manim's per-part method is not called for plain
    parts, and is for a part that interpolates its own way."""
    calls = []

    class Counted(Dot):
        def interpolate(self, *args, **kwargs):
            calls.append(self)
            return super().interpolate(*args, **kwargs)

    fastinterp.install()  # as lecturekit.scene.lecture does
    group = VGroup(*(Dot([0.1 * k, 0, 0]) for k in range(20)), Counted())
    animation = FadeOut(group)
    animation.begin()  # (interpolates to 0 once)
    calls.clear()
    animation.interpolate(0.5)
    assert len(calls) == 1
    assert group[0].get_fill_opacity() == pytest.approx(0.5)
    # The plain parts were interpolated together: their points are slices of one array.
    bases = {id(dot.points.base) for dot in group[:20]}
    assert len(bases) == 1 and group[0].points.base is not None


def _frames(make: Callable[[VGroup], Animation], picture: VGroup, count: int) -> list:
    """Every frame of ``make(picture)``, with Animation.update_mobjects between them (which
    runs the starting copy's and target's updaters, as a scene does)."""
    animation = make(picture)
    animation.begin()
    frames = []
    for k in range(count):
        animation.update_mobjects(1 / 15)
        animation.interpolate(k / (count - 1))
        frames.append(_describe(animation.mobject))
    return frames


def _drift(mobject: VGroup, dt: float) -> None:
    mobject.shift(dt * RIGHT)


def _drifting() -> VGroup:
    """Dots whose updater moves them a little on every call (the starting copy keeps it)."""
    return _dots(16).add_updater(_drift)


@pytest.mark.parametrize(
    ("make", "build"),
    [
        (lambda m: FadeOut(m, shift=0.3 * DOWN, lag_ratio=0.1), _mixed),
        (lambda m: ReplacementTransform(m, _rings(len(m))), _dots),
        (lambda m: FadeOut(m, rate_func=rate_functions.there_and_back), _dots),
        # Starts that change between frames: the rows are joined again every frame.
        (lambda m: FadeOut(m, shift=0.2 * UP), _drifting),
    ],
    ids=["lagged fade", "dots into rings", "there and back", "starts with an updater"],
)
def test_frames_with_rows_kept_between_them(both_ways, make, build):
    fastinterp.uninstall()
    expected = _frames(make, build(), 12)
    fastinterp.install()
    assert _frames(make, build(), 12) == expected


def test_rows_are_joined_once_per_animation(monkeypatch):
    """Not vacuous: the joined rows are kept from frame to frame, and joined again when a
    start has an updater."""
    joins = []
    real = fastinterp._joined
    monkeypatch.setattr(fastinterp, "_joined", lambda *a: joins.append(a[2]) or real(*a))
    fastinterp.install()
    for build, per_frame in ((_dots, False), (_drifting, True)):
        joins.clear()
        frames = _frames(lambda m: FadeOut(m, shift=0.2 * UP), build(), 10)
        assert len(frames) == 10
        rounds = joins.count("points")
        assert rounds == (10 + 1 if per_frame else 1), (build.__name__, rounds)
