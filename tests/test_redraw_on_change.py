"""``plots.redraw_on_change`` draws what ``always_redraw`` draws, rebuilding only on change."""

from __future__ import annotations

import numpy as np
from manim import Axes, FadeOut, Line, ValueTracker, always_redraw

from lecturekit.scene import plots


def _pair(tracker: ValueTracker, calls: list[int]):
    def draw() -> Line:
        calls.append(1)
        x = tracker.get_value()
        return Line([0, 0, 0], [x, 1, 0], color="#3366FF", stroke_width=3)

    return always_redraw(draw), plots.redraw_on_change(tracker.get_value, draw)


def _same(a, b) -> bool:
    return np.array_equal(a.points, b.points) and np.array_equal(a.stroke_rgbas, b.stroke_rgbas)


def test_rebuilds_only_when_its_inputs_change():
    tracker, calls = ValueTracker(1.0), []
    _, lazy = _pair(tracker, calls)
    calls.clear()
    lazy.update(0)
    lazy.update(0)
    assert calls == []
    tracker.set_value(2.0)
    lazy.update(0)
    assert len(calls) == 1


def test_same_picture_as_always_redraw_frame_by_frame():
    tracker, calls = ValueTracker(1.0), []
    eager, lazy = _pair(tracker, calls)
    for value in (1.0, 1.0, 1.5, 2.0, 2.0, 0.5):
        tracker.set_value(value)
        eager.update(0)
        lazy.update(0)
        assert _same(eager, lazy)


def test_rebuilds_after_an_outside_change_as_always_redraw_would():
    tracker, calls = ValueTracker(1.0), []
    eager, lazy = _pair(tracker, calls)
    for mob in (eager, lazy):
        mob.set_stroke(opacity=0.2)  # e.g. what an animation left behind
        mob.update(0)
    assert _same(eager, lazy)
    assert lazy.stroke_rgbas[0, 3] == 1.0


def test_input_key_compares_arrays_by_value():
    a = plots._input_key((np.array([1.0, 2.0]), 3))
    b = plots._input_key((np.array([1.0, 2.0]), 3))
    c = plots._input_key((np.array([1.0, 2.5]), 3))
    assert a == b != c


def _frames_of_fade_out(mob) -> list[float]:
    """The stroke opacity of ``mob`` over a FadeOut, updated as Scene.update_to_time does."""
    fade = FadeOut(mob)
    fade.begin()
    seen = []
    for alpha in (0.25, 0.5, 0.75):
        fade.update_mobjects(0)
        fade.interpolate(alpha)
        mob.update(0)  # suspended during its animation, as in a scene
        seen.append(float(mob.stroke_rgbas[0, 3]))
    return seen


def test_fades_out_as_always_redraw_does():
    # An animation's copies carry the updater: rebuilt, the fade's faded target came back
    # to full opacity and the curve stayed until the fade's end, then vanished.
    tracker, calls = ValueTracker(1.0), []
    eager, lazy = _pair(tracker, calls)
    eager_fade, lazy_fade = _frames_of_fade_out(eager), _frames_of_fade_out(lazy)
    assert lazy_fade == eager_fade
    assert lazy_fade[0] > lazy_fade[1] > lazy_fade[2]


def _drawn(mob) -> list:
    return [
        (np.round(m.points, 12).tolist(), m.fill_rgbas.tolist(), m.stroke_rgbas.tolist())
        for m in mob.get_family()
    ]


def test_a_reshaped_density_draws_what_a_rebuilt_one_draws():
    # The live curve and area are given new points in place (tracked_density's reshape):
    # the same picture as rebuilding them, frame after frame.
    axes = Axes(x_range=[-4, 4, 1], y_range=[0, 1, 1], x_length=6, y_length=3)
    mean = ValueTracker(0.0)

    def density():
        return lambda x: np.exp(-0.5 * (x - mean.get_value()) ** 2) / np.sqrt(2 * np.pi)

    live = plots.tracked_density(axes, density, "#FF8800", fill_opacity=0.3)
    for value in (0.5, 1.25, -2.0):
        mean.set_value(value)
        live.update(0)
        rebuilt = plots.tracked_density(axes, density, "#FF8800", fill_opacity=0.3)
        assert _drawn(live) == _drawn(rebuilt)
    # Restyled by an animation: rebuilt in full, as always_redraw would.
    live.set_opacity(0.1)
    mean.set_value(0.75)
    live.update(0)
    assert _drawn(live) == _drawn(plots.tracked_density(axes, density, "#FF8800", fill_opacity=0.3))
