"""Pictures of the title card and slides 5 and 6 put every mark and number at the value it
names (read back from the mobjects, compared with the numerics)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from manim import DecimalNumber, tempconfig

from lecturekit.deck import activate
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    fit_forward_kl,
    fit_reverse_kl,
    importance_sampling_run,
    jensen_picture,
)
from tests.vae_deck import DECK


@pytest.fixture(scope="module", autouse=True)
def deck(tmp_path_factory):
    activate(DECK)
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        yield


def _xy(axes, point) -> np.ndarray:
    """Axes coordinates of a scene point."""
    return np.asarray(axes.p2c(point))[:2]


def test_jensen_plot_marks_sit_at_their_values():
    from scenes.s06_lower_bound import N_POINTS, SEED, LogPlot

    picture = jensen_picture(fit_forward_kl(), n=N_POINTS, seed=SEED)
    plot = LogPlot(picture)
    axes = plot.axes
    for dot, x, lx in zip(plot.samples, picture.x_values, picture.log_x, strict=True):
        np.testing.assert_allclose(_xy(axes, dot.get_center()), [x, lx], atol=1e-9)
    mean_x = float(np.mean(picture.x_values))
    np.testing.assert_allclose(
        _xy(axes, plot.average.get_center()), [mean_x, picture.mean_log_x], atol=1e-9
    )
    np.testing.assert_allclose(
        _xy(axes, plot.top.get_center()), [mean_x, picture.log_mean_x], atol=1e-9
    )
    # The top point is on the log curve, above the average (Jensen for the concave log).
    assert picture.log_mean_x == pytest.approx(math.log(mean_x), abs=1e-12)
    assert plot.top.get_center()[1] > plot.average.get_center()[1]
    # The gap runs between them; each label beside its own mark.
    ends = sorted(_xy(axes, p)[1] for p in (plot.gap_line.get_start(), plot.gap_line.get_end()))
    np.testing.assert_allclose(ends, [picture.mean_log_x, picture.log_mean_x], atol=1e-9)
    assert plot.top_label.get_right()[0] < plot.top.get_center()[0]
    assert plot.top_label.get_bottom()[1] > plot.top.get_center()[1]
    assert plot.average_label.get_top()[1] < plot.average.get_center()[1]
    assert plot.gap_label.get_left()[0] > plot.gap_line.get_right()[0]
    assert plot.average.get_y() < plot.gap_label.get_y() < plot.top.get_y()


def test_jensen_readout_shows_the_sample_and_exact_values():
    from scenes.s06_lower_bound import N_POINTS, SEED, JensenReadout

    picture = jensen_picture(fit_forward_kl(), n=N_POINTS, seed=SEED)
    readout = JensenReadout(picture)
    numbers = [m for m in readout.sample_column if isinstance(m, DecimalNumber)]
    exact = [m for m in readout.exact_column if isinstance(m, DecimalNumber)]
    sample_gap = picture.log_mean_x - picture.mean_log_x
    assert [n.get_value() for n in numbers] == pytest.approx(
        [picture.log_mean_x, picture.mean_log_x, sample_gap]
    )
    assert [n.get_value() for n in exact] == pytest.approx(
        [picture.exact_log_mean_x, picture.exact_mean_log_x, picture.exact_gap]
    )
    # Each exact value on the row of its sample value, right of it.
    for s, e in zip(numbers, exact, strict=True):
        assert e.get_y() == pytest.approx(s.get_y(), abs=1e-9)
        assert e.get_left()[0] > s.get_right()[0]


def test_sample_heights_and_ratio_readout_match_the_densities():
    from scenes.s05_expectation_under_encoder import (
        KEY_SAMPLE,
        N_SAMPLES,
        SEED,
        DensityPanel,
        SampleReadout,
    )

    r = fit_forward_kl()
    run = importance_sampling_run(r, n=N_SAMPLES, seed=SEED)
    panel = DensityPanel(r)
    samples = SampleReadout(panel, r, run)
    for i in range(KEY_SAMPLE + 1):
        samples.show(i)
        z = float(run.z[i])
        to_r, to_p = samples.lines[i]
        np.testing.assert_allclose(_xy(panel.axes, to_r.get_end()), [z, r.pdf(z)], atol=1e-6)
        np.testing.assert_allclose(
            _xy(panel.axes, to_p.get_end()), [z, MODEL.joint_density(OBSERVED_X, z)], atol=1e-9
        )
        values = [
            m.get_value() for m in samples.readout.get_family() if isinstance(m, DecimalNumber)
        ]
        assert values == pytest.approx(
            [MODEL.joint_density(OBSERVED_X, z), r.pdf(z), run.weights[i]]
        )
        assert run.weights[i] == pytest.approx(MODEL.joint_density(OBSERVED_X, z) / r.pdf(z))
    # The key sample is the one with the largest ratio of those read out.
    assert np.argmax(run.weights[: KEY_SAMPLE + 1]) == KEY_SAMPLE


def test_estimate_panel_lines_sit_at_their_values():
    from scenes.s05_expectation_under_encoder import N_SAMPLES, SEED, EstimatePanel

    run = importance_sampling_run(fit_forward_kl(), n=N_SAMPLES, seed=SEED)
    encoder_run = importance_sampling_run(fit_reverse_kl(), n=N_SAMPLES, seed=SEED)
    panel = EstimatePanel(run, encoder_run)
    axes = panel.axes
    for end in (panel.truth_line.get_start(), panel.truth_line.get_end()):
        assert _xy(axes, end)[1] == pytest.approx(run.true_px, abs=1e-9)
    last = panel.encoder_curve.family_members_with_points()[-1].points[-1]
    np.testing.assert_allclose(
        _xy(axes, last), [math.log10(N_SAMPLES), encoder_run.running_mean[-1]], atol=1e-9
    )
    full = panel.run_curve(run, N_SAMPLES, dashed=True)
    last = full.family_members_with_points()[-1].points[-1]
    np.testing.assert_allclose(
        _xy(axes, last), [math.log10(N_SAMPLES), run.running_mean[-1]], atol=1e-9
    )
    # The honest contrast: the proposal's mean ends near p(x), the encoder's far below it.
    assert abs(run.running_mean[-1] - run.true_px) < 2 * run.running_se[-1]
    assert encoder_run.running_mean[-1] < 0.8 * run.true_px
    # The encoder's draws never reach the left mode (the caption says they miss it).
    left_mode, right_mode = MODEL.posterior_modes(OBSERVED_X)
    assert encoder_run.z.min() > 0.5 * (left_mode + right_mode)


def test_title_card_names_each_curve_beside_it():
    from scenes.s00_title import PosteriorPicture

    picture = PosteriorPicture()
    axes, q = picture.axes, fit_reverse_kl()
    peak = max(picture.q_curve.points, key=lambda p: p[1])
    np.testing.assert_allclose(_xy(axes, peak), [q.mu, q.pdf(q.mu)], atol=0.05)
    left_mode = float(MODEL.posterior_modes(OBSERVED_X)[0])
    assert (
        picture.true_label.get_bottom()[1]
        > axes.c2p(left_mode, float(MODEL.posterior_density(OBSERVED_X, left_mode)))[1]
    )
    assert abs(axes.p2c(picture.true_label.get_center())[0] - left_mode) < 0.5
    assert picture.q_label.get_left()[0] > axes.c2p(q.mu + 2 * q.s, 0)[0]
    # The encoder's Gaussian is solid with a fill (its style on every slide), not dashed.
    assert picture.q_fill.get_fill_opacity() > 0
    assert type(picture.q_curve).__name__ != "DashedVMobject"
