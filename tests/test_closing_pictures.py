"""Slide 9's panels and the summary's step pictures put every mark at the value it stands for."""

from __future__ import annotations

import numpy as np
import pytest

from lecturekit import deck as decks
from scenes import s09_why_kl_matters as s09
from scenes import s11_summary as s11
from scenes.numerics import MODEL, OBSERVED_X, elbo, fit_reverse_kl, load_kl_vae
from tests.vae_deck import DECK


@pytest.fixture(autouse=True)
def active_deck():
    decks.activate(DECK)


# --- slide 9 ----------------------------------------------------------------------------------


def inside_panel(frame_points: np.ndarray, centre: np.ndarray) -> bool:
    half = np.array([s09.PANEL_WIDTH, s09.PANEL_HEIGHT]) / 2
    return bool(np.all(np.abs(frame_points[:, :2] - centre[:2]) <= half + 1e-9))


def test_slide9_panels_fit_the_safe_width():
    left, right, _, _ = s09.style.safe_box()
    assert s09.LEFT_PANEL[0] - s09.PANEL_WIDTH / 2 == pytest.approx(left)
    assert s09.RIGHT_PANEL[0] + s09.PANEL_WIDTH / 2 == pytest.approx(right)
    assert s09.PANEL_STEP - s09.PANEL_WIDTH > 1.0  # room for an arrow and its label


def test_slide9_views_show_every_point_with_equal_scales():
    runs = [load_kl_vae(beta) for beta in (0, 1)]
    decoded = np.vstack([runs[0].data, *(r.prior_decoded for r in runs)])
    view = s09.View.fitting(s09.LEFT_PANEL, decoded)
    assert inside_panel(view(decoded), s09.LEFT_PANEL)
    # One scale on both axes: a unit step in x1 and in x2 have the same length on screen.
    step = view(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    assert np.linalg.norm(step[1] - step[0]) == pytest.approx(np.linalg.norm(step[2] - step[0]))
    # Every prior sample lies in the middle latent panel, z = 0 at its centre.
    latent = s09.View.latent(s09.MIDDLE_PANEL, float(np.abs(runs[0].prior_samples).max()))
    assert inside_panel(latent(runs[0].prior_samples), s09.MIDDLE_PANEL)
    assert np.allclose(latent(np.zeros(2))[0], s09.MIDDLE_PANEL)


def test_slide9_latent_steps_are_evenly_spaced():
    for beta in (0, 1):
        z = load_kl_vae(beta).interp_z[:: s09.PATH_STRIDE]
        assert len(z) == 9
        assert np.allclose(z[[0, -1]], load_kl_vae(beta).interp_z[[0, -1]])  # the two codes
        steps = np.linalg.norm(np.diff(z, axis=0), axis=1)
        assert np.allclose(steps, steps[0])


# --- summary ----------------------------------------------------------------------------------


def test_goal_picture_marks_the_observed_x_at_its_density():
    picture = s11.EvidencePicture()
    expected = picture.axes.c2p(OBSERVED_X, MODEL.evidence(OBSERVED_X))
    assert np.allclose(picture.point.get_center(), expected)
    assert picture.stem.get_bottom()[1] == pytest.approx(picture.axes.c2p(OBSERVED_X, 0)[1])


def test_elbo_terms_add_up_and_each_bar_is_as_long_as_its_value():
    picture = s11.ElboTermsPicture()
    q = fit_reverse_kl()
    recon, kl, total = s11._reconstruction(q), s11._kl_to_prior(q), elbo(q)
    assert recon - kl == pytest.approx(total, abs=1e-10)
    scale = s11.PICTURE_WIDTH / abs(total)
    assert picture.reconstruction_bar.width == pytest.approx(abs(recon) * scale)
    assert picture.kl_bar.width == pytest.approx(kl * scale)
    # The bars run from 0 (zero tick) to the ELBO (ELBO tick), end to end.
    assert picture.reconstruction_bar.get_right()[0] == pytest.approx(picture.zero_tick.get_x())
    assert picture.reconstruction_bar.get_left()[0] == pytest.approx(picture.kl_bar.get_right()[0])
    assert picture.kl_bar.get_left()[0] == pytest.approx(picture.elbo_tick.get_x())
    # The numbers written add up at the precision written.
    shown = [round(v, s11.DECIMALS) for v in (recon, -kl, total)]
    assert shown[0] + shown[1] == pytest.approx(shown[2], abs=10**-s11.DECIMALS / 2)


def test_jensen_picture_puts_log_mean_above_mean_log():
    picture = s11.JensenPicture()
    assert picture.on_curve.get_y() > picture.average.get_y()
    assert picture.on_curve.get_x() == pytest.approx(picture.average.get_x())
