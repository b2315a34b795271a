"""Live mobjects held still during plays that cannot change them (lecturekit.scene.holding):
which are held, a wrong hold stops the render, and every frame is the one Manim draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import (
    Dot,
    FadeIn,
    Square,
    ValueTracker,
    Wait,
    tempconfig,
)
from manim.animation.animation import prepare_animation

from lecturekit.deck import load_deck
from lecturekit.scene import holding
from tests.fake_decks import copy_deck


def _live_label(dot: Dot) -> Square:
    label = Square(side_length=0.2)
    label.add_updater(lambda m: m.next_to(dot, 0.5 * np.array([1.0, 0.0, 0.0])))
    label.update()
    return label


def _held(members, *animations, keep_live=()):
    anims = [prepare_animation(a) for a in animations]
    hold = holding.Hold.begin(members, anims, keep_live)
    return hold, [m for m, _ in hold.held]


def test_held_only_when_the_play_cannot_change_it():
    dot, other = Dot(), Square()
    label = _live_label(dot)
    tracker = ValueTracker(0.0)
    members = [dot, label, other]

    hold, held = _held(members, FadeIn(other))
    assert held == [label] and label.updaters == []
    hold.end()
    assert len(label.updaters) == 1

    for animations in (
        (FadeIn(label),),  # animated itself
        (tracker.animate.set_value(1.0),),  # what live pictures are drawn from moves
        (Wait(1),),  # a still wait runs no updater anyway
    ):
        hold, held = _held(members, *animations)
        assert held == [], animations
        hold.end()
    hold, held = _held(members, FadeIn(other), keep_live=[label])
    assert held == []

    clock = Square()
    clock.add_updater(lambda m, dt: m.rotate(dt))
    hold, held = _held([*members, clock], FadeIn(other))
    assert held == []  # something changes with time alone: nothing is held


def test_a_hold_that_would_change_a_frame_stops_the_render():
    dot, other = Dot(), Square()
    label = _live_label(dot)
    hold, held = _held([dot, label, other], FadeIn(other))
    assert held == [label]
    dot.shift(np.array([1.0, 0.0, 0.0]))  # something the label reads moved after all
    with pytest.raises(holding.HoldBroken, match="Square"):
        hold.end()
    assert len(label.updaters) == 1  # put back even so


SCENE = """
import numpy as np
from manim import FadeIn, FadeOut, Square, Text, ValueTracker, DOWN, LEFT, RIGHT, UP

from lecturekit.scene import plots
from lecturekit.scene.lecture import LectureScene


class Live(LectureScene):
    def construct(self) -> None:
        x = ValueTracker(0.0)
        curve = plots.redraw_on_change(
            x.get_value,
            lambda: Square(side_length=1 + x.get_value(), fill_opacity=0.4, color="#FF8800"),
        )
        number = plots.live_number(x.get_value, decimals=3).to_edge(UP)
        with self.beat("Live parts appear.", key_frame="live"):
            self.play(FadeIn(curve, number), run_time=0.5)
        with self.beat("Something else moves beside them.", key_frame="beside"):
            side = Square(side_length=0.5, fill_opacity=1).to_edge(LEFT)
            self.play(FadeIn(side, shift=DOWN), run_time=0.5)
            self.play(side.animate.to_edge(RIGHT), run_time=0.5)
        with self.beat("What they are drawn from moves.", key_frame="moved"):
            self.play(x.animate.set_value(1.234), run_time=0.5)
            self.play(FadeOut(side), run_time=0.5)
"""


def _frames(spec, tmp_path: Path, monkeypatch, hold: bool) -> list[np.ndarray]:
    from manim.renderer.cairo_renderer import CairoRenderer

    frames: list[np.ndarray] = []
    original = CairoRenderer.add_frame

    def add_frame(self, frame, num_frames=1):
        frames.extend([np.array(frame[..., :3])] * num_frames)
        return original(self, frame, num_frames)

    with monkeypatch.context() as patch:
        patch.setattr(CairoRenderer, "add_frame", add_frame)
        if not hold:
            patch.setattr(holding.Hold, "begin", classmethod(lambda cls, *a, **k: cls([])))
        options = {
            "quality": "low_quality",
            "format": "none",
            "write_to_movie": False,
            "disable_caching": True,
            "media_dir": str(tmp_path / "media"),
            "verbosity": "WARNING",
            "progress_bar": "none",
        }
        with tempconfig(options):
            spec.load()().render()
    return frames


def test_every_frame_is_the_one_manim_draws(tmp_path: Path, monkeypatch):
    deck = copy_deck("lecture", tmp_path)
    (deck.folder / "s_live.py").write_text(SCENE)
    deck.file.write_text(
        deck.file.read_text()
        + '\n[[scene]]\nslide = 3\ntitle = "Live"\nmodule = "s_live"\nclass = "Live"\n'
    )
    spec = load_deck(deck.folder).by_class_name("Live")
    held_plays = []
    begin = holding.Hold.begin.__func__

    def counting(cls, *args, **kwargs):
        hold = begin(cls, *args, **kwargs)
        held_plays.append(len(hold.held))
        return hold

    monkeypatch.setattr(holding.Hold, "begin", classmethod(counting))
    with_hold = _frames(spec, tmp_path, monkeypatch, hold=True)
    assert sum(1 for n in held_plays if n) >= 2  # the two plays beside the live parts
    without = _frames(spec, tmp_path, monkeypatch, hold=False)
    assert len(with_hold) == len(without) > 30
    for k, (a, b) in enumerate(zip(with_hold, without, strict=True)):
        assert np.array_equal(a, b), f"frame {k} differs"
