"""The kit's ``number_to_point`` gives Manim's points, and so ``c2p`` the same frame points."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Axes, NumberLine

from lecturekit.scene import fastnumberline


def _lines() -> list[NumberLine]:
    axes = Axes(x_range=[-4, 4, 1], y_range=[-0.15, 2.0, 0.5], x_length=6.2, y_length=1.6)
    axes.shift([0.3, -1.7, 0])
    return [
        axes.x_axis,
        axes.y_axis,
        NumberLine(x_range=[0, 10, 2], length=5, include_tip=True).rotate(0.3),
        NumberLine(x_range=[1, 100, 10], scaling=__import__("manim").LogBase(), length=4),
    ]


INPUTS = [
    np.linspace(-4, 4, 301),
    np.array([0.25, -1.5, 3.0]),
    [1, 2, 3],  # integers, as a list
    2.5,  # a scalar: Manim's way
]


@pytest.fixture
def manims_method():
    fastnumberline.uninstall()
    yield
    fastnumberline.install()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the log line at values <= 0: NaN both ways
def test_same_points_as_manim(manims_method, monkeypatch):
    lines = _lines()
    expected = [[np.asarray(line.number_to_point(x)) for x in INPUTS] for line in lines]
    axes = Axes(x_range=[-4, 4, 1], y_range=[-0.15, 2.0, 0.5], x_length=6.2, y_length=1.6)
    xs = np.linspace(-4, 4, 301)
    ys = np.exp(-xs * xs)
    want_c2p = np.asarray(axes.c2p(xs, ys))
    fastnumberline.install()
    handed_back = []
    manims = fastnumberline._original
    monkeypatch.setattr(
        fastnumberline, "_original", lambda line, x: handed_back.append(x) or manims(line, x)
    )
    for line, want in zip(lines, expected, strict=True):
        for x, w in zip(INPUTS, want, strict=True):
            got = np.asarray(line.number_to_point(x))
            assert (got.dtype, got.shape, got.tobytes()) == (w.dtype, w.shape, w.tobytes()), x
    got_c2p = np.asarray(axes.c2p(xs, ys))
    assert got_c2p.tobytes() == want_c2p.tobytes()
    # Not vacuous: only the scalars went Manim's way (one per line, and c2p's origin).
    assert len(handed_back) == len(lines) + 1
    with pytest.raises(ValueError):  # as Manim's np.vstack of nothing
        lines[0].number_to_point(np.array([]))
