"""The lecture's shared pictures put every label at the value it states (slides 3, 8 and 10)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import RIGHT, ValueTracker, VMobject

from lecturekit import deck as decks
from lecturekit.scene.layout import layout_problems, text_on_curves
from scenes import pictures
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    POOR_START,
    elbo,
    fit_reverse_kl,
    kl_integrand,
    kl_to_posterior,
    optimiser_path,
    prior_path,
    reconstruction_path,
    theta_step,
)
from tests.vae_deck import DECK

LOG_PX = MODEL.log_evidence(OBSERVED_X)
FIT_ELBO = elbo(fit_reverse_kl())
POOR_ELBO = elbo(POOR_START)


@pytest.fixture(autouse=True)
def active_deck():
    decks.activate(DECK)


def bar_at(elbo_value: float, log_evidence: float = LOG_PX, **scale) -> pictures.ElboGapBar:
    """Slide 10's bar (or one on another scale), moved somewhere off the origin."""
    if scale:
        bar = pictures.ElboGapBar(lambda: elbo_value, lambda: log_evidence, **scale)
    else:
        bar = pictures.gap_bar(lambda: elbo_value, lambda: log_evidence)
    bar.shift(2.1 * RIGHT + 0.4 * np.array([0.0, -1.0, 0.0]))
    return bar.refresh()


def shown(mob: VMobject) -> bool:
    return any(m.has_points() for m in mob.get_family())


def test_fitted_elbo_is_labelled_at_its_own_height():
    bar = bar_at(FIT_ELBO)
    y = bar.y_of(FIT_ELBO)
    assert bar.elbo_on_scale()
    assert bar.elbo_label.get_y() == pytest.approx(y, abs=1e-9)
    assert bar.elbo_line.get_y() == pytest.approx(y, abs=1e-9)
    assert bar.elbo_fill.get_top()[1] == pytest.approx(y, abs=1e-9)
    assert not shown(bar.elbo_leader)  # nothing displaced, nothing to lead
    assert bar.elbo_label.number.get_value() == pytest.approx(FIT_ELBO)
    # log p(x) at the top line, the floor at the bottom edge, each with its value.
    top = bar.y_of(LOG_PX)
    assert bar.top_line.get_y() == pytest.approx(top, abs=1e-9)
    assert bar.top_label.get_y() == pytest.approx(top, abs=1e-9)
    assert bar.top_label.number.get_value() == pytest.approx(LOG_PX)
    assert bar.floor_label.get_y() == pytest.approx(bar.bottom, abs=1e-9)
    assert bar.floor_label.get_value() == bar.floor
    # The scale is linear: the ELBO sits where its value puts it between floor and ceiling.
    frac = (FIT_ELBO - bar.floor) / (bar.ceiling - bar.floor)
    assert (y - bar.bottom) / bar.frame.height == pytest.approx(frac)


def test_gap_label_shows_log_evidence_minus_elbo_beside_the_gap():
    bar = bar_at(FIT_ELBO)
    gap = bar.gap_label.number.get_value()
    assert gap == pytest.approx(LOG_PX - FIT_ELBO)
    assert gap == pytest.approx(kl_to_posterior(fit_reverse_kl()), abs=1e-8)
    assert shown(bar.gap_brace) and not shown(bar.gap_leader)
    brace = bar.gap_brace
    assert brace.get_bottom()[1] == pytest.approx(bar.y_of(FIT_ELBO), abs=0.05)
    assert brace.get_top()[1] == pytest.approx(bar.y_of(LOG_PX), abs=0.05)
    assert bar.gap_label.get_y() == pytest.approx(brace.get_y(), abs=0.05)
    assert bar.gap_label.get_left()[0] > brace.get_right()[0]


def test_poor_start_is_marked_off_the_scale():
    bar = bar_at(POOR_ELBO)
    assert POOR_ELBO < bar.floor and not bar.elbo_on_scale()
    assert shown(bar.break_mark) and shown(bar.off_arrow)
    assert not shown(bar.elbo_fill) and not shown(bar.elbo_line)
    # The label is pinned under the bar, below the arrow pointing down to it, with its value.
    label = bar.elbo_label
    assert label.get_top()[1] < bar.off_arrow.get_bottom()[1] + 0.06
    assert bar.off_arrow.get_top()[1] <= bar.bottom
    assert label.get_x() == pytest.approx(bar.frame.get_x())
    assert label.number.get_value() == pytest.approx(POOR_ELBO)
    assert round(POOR_ELBO, 2) == -107.01
    # The gap fills the whole bar and its number is still the true gap.
    assert bar.gap_label.number.get_value() == pytest.approx(LOG_PX - POOR_ELBO)
    assert bar.gap_fill.get_bottom()[1] == pytest.approx(bar.bottom, abs=1e-9)
    # On the fitted q nothing is off the scale.
    fitted = bar_at(FIT_ELBO)
    assert not shown(fitted.break_mark) and not shown(fitted.off_arrow)


def test_thin_gap_gets_a_leader_line_not_a_glyph():
    # On a ten-unit scale the fitted gap is thinner than a brace can be drawn.
    bar = bar_at(FIT_ELBO, floor=LOG_PX - 10.0, height=2.9)
    assert bar.gap_is_thin()
    assert shown(bar.gap_leader) and not shown(bar.gap_brace)
    dot, line = bar.gap_leader.submobjects
    gap_middle = (bar.y_of(FIT_ELBO) + bar.y_of(LOG_PX)) / 2
    assert dot.get_y() == pytest.approx(gap_middle, abs=1e-6)
    assert line.get_end()[0] == pytest.approx(bar.gap_label.get_left()[0] - 0.08)
    # The two level labels cannot both sit at their heights: the ELBO's steps down, and a
    # leader joins it to its line, which is still at the ELBO's height.
    assert shown(bar.elbo_leader)
    assert bar.elbo_label.get_top()[1] < bar.top_label.get_bottom()[1]
    assert bar.elbo_line.get_y() == pytest.approx(bar.y_of(FIT_ELBO), abs=1e-9)
    assert bar.elbo_leader.get_end()[1] == pytest.approx(bar.y_of(FIT_ELBO), abs=1e-9)


@pytest.mark.parametrize("value", [FIT_ELBO, POOR_ELBO, -3.9, optimiser_path()[11].elbo])
def test_bar_labels_never_overlap(value):
    bar = bar_at(value)
    assert not layout_problems([bar])
    assert not text_on_curves([bar])


def test_labels_move_with_the_values():
    value = ValueTracker(optimiser_path()[11].elbo)
    model = theta_step(fit_reverse_kl())
    evidence = ValueTracker(LOG_PX)
    bar = pictures.gap_bar(value.get_value, evidence.get_value).refresh()
    for elbo_value, log_px in [(FIT_ELBO, LOG_PX), (FIT_ELBO, model.log_evidence(OBSERVED_X))]:
        value.set_value(elbo_value)
        evidence.set_value(log_px)
        bar.update()
        assert bar.elbo_label.get_y() == pytest.approx(bar.y_of(elbo_value), abs=1e-9)
        assert bar.top_label.get_y() == pytest.approx(bar.y_of(log_px), abs=1e-9)
        assert bar.gap_label.number.get_value() == pytest.approx(log_px - elbo_value)


def test_slide_10_values_lie_on_its_scale():
    # The phi-step's start, the fit and the theta-step's model all sit on the bar's scale.
    q = fit_reverse_kl()
    model = theta_step(q)
    values = [optimiser_path()[11].elbo, FIT_ELBO, LOG_PX]
    values += [elbo(q, OBSERVED_X, model), model.log_evidence(OBSERVED_X)]
    assert all(pictures.GAP_BAR_FLOOR < v < pictures.GAP_BAR_CEILING for v in values)


def test_kl_integrand_area_drawn_is_the_gap():
    q = fit_reverse_kl()
    plot = pictures.KLIntegrandPlot(lambda: q, lambda: MODEL, y_min=-0.2, y_max=2.0)
    assert plot.signed_area() == pytest.approx(kl_to_posterior(q), abs=2e-3)
    start = optimiser_path()[11].q
    plot = pictures.KLIntegrandPlot(lambda: start, lambda: MODEL, y_min=-0.2, y_max=2.0)
    assert plot.signed_area() == pytest.approx(kl_to_posterior(start), abs=2e-3)


def test_slide_10_plots_hold_every_curve_they_draw():
    # Nothing is clipped at the plots' tops (a clipped integrand would lose area, the gap).
    from scenes import s10_what_elbo_optimizes as slide

    q_star = fit_reverse_kl()
    qs = [step.q for step in optimiser_path()[slide.PHI_START :]] + [q_star]
    models = [MODEL, theta_step(q_star)]
    z = pictures.z_grid()
    low, high = slide.INTEGRAND_RANGE
    for model in models:
        for q in qs if model == MODEL else [q_star]:
            integrand = kl_integrand(q, z, OBSERVED_X, model)
            assert low <= integrand.min() and integrand.max() <= high
            assert q.pdf(z).max() <= slide.DENSITY_MAX
        assert model.posterior_density(OBSERVED_X, z).max() <= slide.DENSITY_MAX


def test_slide_8_plot_holds_q_on_both_pulls():
    from scenes import s08_evidence_lower_bound as slide

    z = pictures.z_grid()
    for step in reconstruction_path() + prior_path():
        assert step.q.pdf(z).max() <= slide.PLOT_Y_MAX
    assert np.exp(MODEL.log_likelihood(OBSERVED_X, z)).max() <= slide.PLOT_Y_MAX
