"""Pictures of slides 1, 2 and 4 sit at the values they show (computed, never typed)."""

from __future__ import annotations

import numpy as np
import pytest

from lecturekit import deck as decks
from scenes.numerics import MODEL, OBSERVED_X
from scenes.numerics.toy_model import decoder_crossings
from tests.vae_deck import DECK


@pytest.fixture(scope="module")
def picture():
    decks.activate(DECK)
    from scenes.s01_latent_variable_model import GenerativePicture

    return GenerativePicture()


def test_the_observed_level_runs_at_x_across_the_whole_picture(picture):
    left, right = picture.observed_line.get_start(), picture.observed_line.get_end()
    assert np.allclose(left, picture.point(-3.0, OBSERVED_X))
    assert np.allclose(right, picture.point(3.0, OBSERVED_X))
    # Its label sits just above the line, at the right end, clear of it.
    label = picture.observed_label
    assert 0 < label.get_bottom()[1] - left[1] < 0.3
    assert label.get_right()[0] <= right[0] + 1e-6


def test_the_crossings_lie_on_the_decoder_mean_and_drop_onto_the_z_axis(picture):
    crossings = decoder_crossings(OBSERVED_X)
    assert np.allclose(picture.crossings, crossings)
    for c, dot, drop, mark in zip(
        crossings, picture.crossing_dots, picture.drops, picture.crossing_marks, strict=True
    ):
        assert np.allclose(dot.get_center(), picture.point(c, OBSERVED_X))
        assert abs(float(MODEL.decoder_mean(c)) - OBSERVED_X) < 1e-12
        axis_point = picture.point(c, picture.base)
        assert np.allclose(drop.get_end(), axis_point)
        assert abs(mark.get_x() - axis_point[0]) < 1e-6
        assert abs(mark.get_top()[1] - axis_point[1]) < 1e-6
    values = [float(v.tex_string) for v in picture.crossing_values]
    assert values == [round(float(c), 2) for c in crossings]


def test_the_grid_cost_table_states_the_computed_counts_and_times():
    from scenes.s02_why_likelihood_is_hard import _count_tex, _duration_tex

    assert _count_tex(100) == "100"
    assert _count_tex(10**4) == "10{,}000"
    assert _count_tex(10**20) == "10^{20}"
    assert _count_tex(3 * 10**7) == r"3 \times 10^{7}"
    assert _duration_tex(100 / 1e9) == r"0.1\,$\mu$s"
    assert _duration_tex(1e20 / 1e9) == "3,169 years"
    assert _duration_tex(1e100 / 1e9) == r"$3.2 \times 10^{83}$ years"
