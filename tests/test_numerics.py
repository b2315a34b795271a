"""The mathematics the video states, checked on the numbers the scenes draw."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.special import logsumexp

from scenes.numerics import kl_vae, toy_model
from scenes.numerics.toy_model import MODEL, OBSERVED_X, POOR_START, Z_RANGE, Gaussian

X = OBSERVED_X
LOG_PX = MODEL.log_evidence(X)
REPO = Path(__file__).resolve().parents[1]

# Poor and good Gaussians alike: far off, too narrow, too wide, on the minor mode.
OTHER_QS = [
    POOR_START,
    Gaussian(-3.5, 0.05),
    Gaussian(0.0, 3.0),
    Gaussian(0.0, 0.01),
    Gaussian(-1.55, 0.23),
    Gaussian(2.0, 10.0),
    Gaussian(0.5, 0.8),
]


@pytest.fixture(scope="module")
def q_star() -> Gaussian:
    return toy_model.fit_reverse_kl(X)


@pytest.fixture(scope="module")
def q_fwd() -> Gaussian:
    return toy_model.fit_forward_kl(X)


def fine_grid(n: int = 200_001) -> np.ndarray:
    return np.linspace(-12.0, 12.0, n)


# --- log p(x) --------------------------------------------------------------------------


def test_densities_of_one_float_are_the_array_path_floats():
    # The quadratures pass one Python float at a time, which skips NumPy; the values (and so
    # log p(x) and every KL on screen) must be the floats the array path gives.
    z = np.linspace(-13.0, 13.0, 2601)
    model = toy_model.ToyModel(sigma=0.6, curvature=1.0, slope=0.5, offset=0.25)
    q = Gaussian(0.37, 0.81)
    for name, f in [
        ("log_joint", lambda t: model.log_joint(OBSERVED_X, t)),
        ("decoder_mean", model.decoder_mean),
        ("log_prior", model.log_prior),
        ("q.logpdf", q.logpdf),
    ]:
        one_by_one = np.array([f(float(t)) for t in z])
        assert all(type(f(float(t))) is float for t in z[:3]), name
        assert np.array_equal(one_by_one, f(z)), name
        # a NumPy scalar takes the array path
        assert np.array_equal(np.array([f(t) for t in z]), one_by_one), name


def test_log_evidence_matches_fine_grid():
    # The trapezoid rule is spectrally accurate for this smooth, fast-decaying integrand.
    z = fine_grid()
    grid = logsumexp(MODEL.log_joint(X, z)) + math.log(z[1] - z[0])
    assert abs(grid - LOG_PX) < 1e-10


def test_log_evidence_matches_brute_force_monte_carlo():
    # p(x) = E_{z ~ p(z)}[p(x|z)]: no proposal, no cleverness, many samples.
    rng = np.random.default_rng(12345)
    lik = np.exp(MODEL.log_likelihood(X, rng.standard_normal(2_000_000)))
    est, se = lik.mean(), lik.std(ddof=1) / math.sqrt(lik.size)
    assert abs(est - math.exp(LOG_PX)) < 3 * se
    assert se / est < 0.01  # the check has teeth


def test_posterior_is_normalised_and_inside_plot_range():
    z = fine_grid()
    dz = z[1] - z[0]
    post = MODEL.posterior_density(X, z)
    assert abs(post.sum() * dz - 1.0) < 1e-10
    inside = (z >= Z_RANGE[0]) & (z <= Z_RANGE[1])
    assert post[inside].sum() * dz > 1.0 - 1e-9
    # p(x, z) = p(z|x) p(x) (compared where exp does not lose digits to huge exponents).
    zin = z[inside]
    joint = MODEL.joint_density(X, zin)
    assert np.allclose(joint, MODEL.posterior_density(X, zin) * math.exp(LOG_PX), rtol=1e-11)


def test_sample_generative_follows_the_model():
    z, x = MODEL.sample_generative(20_000, seed=0)
    assert z.shape == x.shape == (20_000,)
    z2, x2 = MODEL.sample_generative(20_000, seed=0)
    assert np.array_equal(z, z2) and np.array_equal(x, x2)
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1.0) < 0.03
    resid = (x - MODEL.decoder_mean(z)) / MODEL.sigma
    assert abs(resid.mean()) < 0.03 and abs(resid.std() - 1.0) < 0.03


# --- the posterior is not Gaussian, and the two fits differ -----------------------------


def test_posterior_is_bimodal_with_unequal_modes():
    z = np.linspace(*Z_RANGE, 8001)
    post = MODEL.posterior_density(X, z)
    peaks = np.where((post[1:-1] > post[:-2]) & (post[1:-1] > post[2:]))[0] + 1
    assert len(peaks) == 2
    left, right = z[peaks]
    assert np.allclose([left, right], MODEL.posterior_modes(X), atol=2e-3)
    assert left < -1.0 and right > 1.0
    # Deep valley between the modes, and the right mode is clearly the heavier one.
    valley = post[peaks[0] : peaks[1]].min()
    assert valley < 0.05 * post[peaks].min()
    dz = z[1] - z[0]
    mass_left = post[z < 0].sum() * dz
    assert 0.2 < mass_left < 0.45


def test_reverse_and_forward_kl_fits_differ(q_star, q_fwd):
    left, right = MODEL.posterior_modes(X)
    # Reverse KL seeks the heavier mode; forward KL spreads between the two.
    assert abs(q_star.mu - right) < 0.1
    assert left < q_fwd.mu < right
    assert abs(q_fwd.mu - q_star.mu) > 0.5
    assert q_fwd.s > 3 * q_star.s
    # Each is better than the other under its own criterion.
    assert toy_model.elbo(q_star, X) > toy_model.elbo(q_fwd, X) + 1.0
    z = fine_grid()
    dz = z[1] - z[0]
    post = MODEL.posterior_density(X, z)
    lpost = MODEL.log_posterior(X, z)

    def forward_kl(q: Gaussian) -> float:
        return float(np.sum(post * (lpost - q.logpdf(z))) * dz)

    assert forward_kl(q_fwd) < forward_kl(q_star) - 1.0


def test_forward_kl_fit_is_moment_matching(q_fwd):
    z = fine_grid()
    w = MODEL.posterior_density(X, z) * (z[1] - z[0])
    mean = np.sum(w * z)
    std = math.sqrt(np.sum(w * (z - mean) ** 2))
    assert abs(q_fwd.mu - mean) < 1e-9 and abs(q_fwd.s - std) < 1e-9
    # Moment matching minimises KL(p || q) over Gaussians: nudging it only makes it worse.
    lpost = MODEL.log_posterior(X, z)

    def forward_kl(q: Gaussian) -> float:
        return float(np.sum(w * (lpost - q.logpdf(z))))

    base = forward_kl(q_fwd)
    for dmu, ds in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
        assert forward_kl(Gaussian(q_fwd.mu + dmu, q_fwd.s + ds)) > base


# --- ELBO, gap identity, optimum --------------------------------------------------------


def test_gap_identity_at_optimum_and_other_qs(q_star, q_fwd):
    gaps = []
    for q in [q_star, q_fwd, *OTHER_QS]:
        kl = toy_model.kl_to_posterior(q, X)
        assert kl >= 0.0
        assert abs((LOG_PX - toy_model.elbo(q, X)) - kl) < 1e-8, q
        assert toy_model.gap(q, X) == pytest.approx(kl, abs=1e-8)
        gaps.append(kl)
    # The identity was checked from a near fit to a q far off in the tail, not in one regime.
    assert min(gaps) < 0.5 and max(gaps) > 100


def test_elbo_never_exceeds_log_evidence(q_star):
    mus = np.linspace(-4.0, 4.0, 41)
    ss = np.geomspace(0.01, 5.0, 30)
    for mu in mus:
        for s in ss:
            assert toy_model.elbo(Gaussian(mu, s), X) <= LOG_PX
    assert LOG_PX - toy_model.elbo(q_star, X) > 0.1  # a Gaussian cannot close the gap here


def test_optimum_beats_grid_search(q_star):
    mus = np.linspace(-4.0, 4.0, 161)
    ss = np.geomspace(0.02, 3.0, 80)
    grid = np.array([[toy_model.elbo(Gaussian(m, s), X) for s in ss] for m in mus])
    best = toy_model.elbo(q_star, X)
    assert grid.max() <= best
    i, j = np.unravel_index(grid.argmax(), grid.shape)
    assert abs(mus[i] - q_star.mu) < 0.1 and abs(ss[j] - q_star.s) < 0.05


def test_optimum_is_stationary_and_gradient_is_correct(q_star):
    assert np.allclose(toy_model.elbo_grad(q_star, X), 0.0, atol=1e-8)
    h = 1e-6
    for q in [Gaussian(0.3, 0.7), Gaussian(-2.0, 0.2), POOR_START]:
        g_mu, g_ls = toy_model.elbo_grad(q, X)
        right, left = Gaussian(q.mu + h, q.s), Gaussian(q.mu - h, q.s)
        fd_mu = (toy_model.elbo(right, X) - toy_model.elbo(left, X)) / (2 * h)
        up, down = Gaussian(q.mu, q.s * math.exp(h)), Gaussian(q.mu, q.s * math.exp(-h))
        fd_ls = (toy_model.elbo(up, X) - toy_model.elbo(down, X)) / (2 * h)
        assert g_mu == pytest.approx(fd_mu, rel=1e-6, abs=1e-6)
        assert g_ls == pytest.approx(fd_ls, rel=1e-6, abs=1e-6)


def test_two_local_optima_one_per_mode(q_star):
    optima = toy_model.reverse_kl_local_optima(X)
    assert len(optima) == 2
    left, right = MODEL.posterior_modes(X)
    assert abs(optima[0].mu - left) < 0.1 and abs(optima[1].mu - right) < 0.1
    assert optima[1] == q_star


def test_optimiser_path(q_star):
    path = toy_model.optimiser_path(X)
    assert 15 <= len(path) <= 80
    assert (path[0].mu, path[0].s) == (POOR_START.mu, POOR_START.s)
    elbos = np.array([step.elbo for step in path])
    assert np.all(np.diff(elbos) > 0)
    # Every point is a real Gaussian whose recorded ELBO and gap agree with the KL computed
    # independently (adaptive quadrature of q log(q / p(z|x)), not the ELBO's Gauss-Hermite).
    for step in path:
        kl = toy_model.kl_to_posterior(step.q, X)
        assert abs(step.gap - kl) < 1e-8
        assert abs(step.elbo - (LOG_PX - kl)) < 1e-8
    # It starts poor and ends at the optimum.
    assert path[0].gap > 10.0
    assert abs(path[-1].mu - q_star.mu) < 2e-3 and abs(path[-1].s - q_star.s) < 2e-3
    assert toy_model.elbo(q_star, X) - path[-1].elbo < 1e-5
    # Damped steps: no single jump across the picture.
    steps = np.hypot(np.diff([p.mu for p in path]), np.diff(np.log([p.s for p in path])))
    assert steps.max() <= 0.15 + 1e-12


# --- The ELBO's two decompositions, each term's pull, theta- and phi-steps (slides 8, 10) --


def test_both_decompositions_hold_to_1e8(q_star, q_fwd):
    # log p(x) = ELBO + KL(q || p(z|x)) and ELBO = E_q[log p(x|z)] - KL(q || p(z)), each term
    # computed on its own (adaptive quadrature, Gauss-Hermite, closed form).
    for q in [q_star, q_fwd, *OTHER_QS]:
        parts = toy_model.elbo_parts(q, X)
        assert parts.log_evidence == LOG_PX
        assert abs(parts.log_evidence - (parts.elbo + parts.kl_posterior)) < 1e-8, q
        assert abs(parts.elbo - (parts.reconstruction - parts.kl_prior)) < 1e-8, q
        assert parts.kl_prior >= 0.0 and parts.kl_posterior >= 0.0
    # The same holds for another model (the theta-step's).
    model = toy_model.theta_step(q_star)
    parts = toy_model.elbo_parts(q_star, X, model)
    assert abs(parts.log_evidence - (parts.elbo + parts.kl_posterior)) < 1e-8
    assert abs(parts.elbo - (parts.reconstruction - parts.kl_prior)) < 1e-8


def test_kl_to_prior_closed_form_matches_quadrature():
    for q in [Gaussian(0.0, 1.0), Gaussian(1.08, 0.22), Gaussian(-2.0, 3.0)]:
        z = np.linspace(q.mu - 12 * q.s, q.mu + 12 * q.s, 200_001)
        log_prior = -0.5 * (z**2 + math.log(2 * math.pi))
        numeric = np.trapezoid(q.pdf(z) * (q.logpdf(z) - log_prior), z)
        assert toy_model.kl_to_prior(q) == pytest.approx(numeric, abs=1e-8)
    assert toy_model.kl_to_prior(Gaussian(0.0, 1.0)) == 0.0


def test_term_gradients_match_finite_differences():
    h = 1e-6
    for q in [Gaussian(0.3, 0.7), Gaussian(-2.0, 0.2), POOR_START]:
        for value, grad in (
            (
                lambda g: toy_model.reconstruction(g, X),
                lambda g: toy_model.reconstruction_grad(g, X),
            ),
            (toy_model.kl_to_prior, toy_model.kl_to_prior_grad),
        ):
            g_mu, g_ls = grad(q)
            fd_mu = (value(Gaussian(q.mu + h, q.s)) - value(Gaussian(q.mu - h, q.s))) / (2 * h)
            up, down = Gaussian(q.mu, q.s * math.exp(h)), Gaussian(q.mu, q.s * math.exp(-h))
            fd_ls = (value(up) - value(down)) / (2 * h)
            assert g_mu == pytest.approx(fd_mu, rel=1e-6, abs=1e-6)
            assert g_ls == pytest.approx(fd_ls, rel=1e-6, abs=1e-6)


def test_kl_integrand_area_is_the_gap(q_star):
    z = fine_grid()
    for q in [q_star, toy_model.optimiser_path(X)[11].q, Gaussian(0.5, 0.8)]:
        integrand = toy_model.kl_integrand(q, z, X)
        assert np.trapezoid(integrand, z) == pytest.approx(
            toy_model.kl_to_posterior(q, X), abs=1e-7
        )
        # Signed: negative where the posterior is above q, but the positive part wins.
        assert integrand.min() < 0.0 < integrand.max()
    # On the slide's z range the area is already the whole gap.
    inside = np.linspace(*Z_RANGE, 20_001)
    area = np.trapezoid(toy_model.kl_integrand(q_star, inside, X), inside)
    assert area == pytest.approx(LOG_PX - toy_model.elbo(q_star, X), abs=1e-6)


def test_reconstruction_alone_pulls_q_narrow_onto_a_root(q_star):
    path = toy_model.reconstruction_path()
    assert path[0].q == q_star
    end = path[-1].q
    recon = [toy_model.reconstruction(step.q, X) for step in path]
    assert np.all(np.diff(recon) > 0)
    # Onto the nearest z whose decoder mean is x, and narrower than the ELBO's q.
    root = max(np.roots([MODEL.curvature, MODEL.slope, MODEL.offset - X]).real)
    assert abs(end.mu - root) < 0.5 * abs(q_star.mu - root)
    assert end.s < 0.6 * q_star.s
    # Left to run, it keeps going: onto the root, ever narrower.
    far = toy_model.reconstruction_path(max_points=200, tol=1e-4)[-1].q
    assert abs(far.mu - root) < 0.01 and far.s < 0.05
    # Alone it costs KL to the prior, and the ELBO is lower than at the balance.
    assert toy_model.kl_to_prior(end) > toy_model.kl_to_prior(q_star)
    assert path[-1].elbo < toy_model.elbo(q_star, X)


def test_kl_alone_pulls_q_to_the_prior(q_star):
    path = toy_model.prior_path()
    assert path[0].q == q_star
    end = path[-1].q
    assert abs(end.mu) < 1e-3 and abs(end.s - 1.0) < 1e-3
    assert toy_model.kl_to_prior(end) < 1e-6
    assert np.all(np.diff([toy_model.kl_to_prior(step.q) for step in path]) < 0)
    # Alone it gives up explaining x: reconstruction and the ELBO fall below the balance.
    assert toy_model.reconstruction(end, X) < toy_model.reconstruction(q_star, X) - 1.0
    assert path[-1].elbo < toy_model.elbo(q_star, X)


def test_phi_steps_move_q_and_shrink_the_gap_under_a_fixed_log_evidence():
    # A phi-step changes only q: log p(x) is the model's and stays; the gap shrinks.
    path = toy_model.optimiser_path(X)
    gaps = np.array([step.gap for step in path])
    assert np.all(np.diff(gaps) < 0)
    for step in path:
        assert toy_model.elbo_parts(step.q, X).log_evidence == LOG_PX
    assert len({(step.mu, step.s) for step in path}) == len(path)


def test_theta_step_changes_the_model_log_evidence_and_posterior(q_star):
    model = toy_model.theta_step(q_star)
    assert model != MODEL and model.offset != MODEL.offset
    assert (model.sigma, model.curvature, model.slope) == (
        MODEL.sigma,
        MODEL.curvature,
        MODEL.slope,
    )
    before, after = toy_model.elbo_parts(q_star, X), toy_model.elbo_parts(q_star, X, model)
    # The ELBO rises; with learning rate 1 the offset is the best one for this q.
    assert after.elbo > before.elbo + 0.01
    assert abs(toy_model.decoder_offset_grad(q_star, X, model)) < 1e-10
    half = toy_model.theta_step(q_star, learning_rate=0.5)
    assert before.elbo < toy_model.elbo(q_star, X, half) < after.elbo
    # log p(x) and the posterior move with the model; the gap changes with them.
    assert after.log_evidence > before.log_evidence + 0.1
    assert abs(after.kl_posterior - before.kl_posterior) > 0.05
    z = fine_grid(4001)
    shift = np.abs(model.posterior_density(X, z) - MODEL.posterior_density(X, z)).max()
    assert shift > 0.1
    assert np.all(np.abs(model.posterior_modes(X) - MODEL.posterior_modes(X)) > 0.05)
    # KL(q || p(z)) has no theta in it: only the reconstruction term changed.
    assert after.kl_prior == before.kl_prior
    assert after.reconstruction > before.reconstruction


# --- Jensen -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jensen_sample_and_exact(q_star, q_fwd, seed):
    for q in [q_star, q_fwd, Gaussian(0.0, 1.0)]:
        jp = toy_model.jensen_picture(q, X, n=12, seed=seed)
        assert jp.z.shape == jp.x_values.shape == jp.log_x.shape == (12,)
        # Each ratio is the model's joint over q's density at its sample, recomputed here.
        joint = np.exp(-0.5 * ((X - (jp.z**2 + 0.5 * jp.z)) / MODEL.sigma) ** 2 - 0.5 * jp.z**2)
        joint /= 2 * math.pi * MODEL.sigma
        q_density = np.exp(-0.5 * ((jp.z - q.mu) / q.s) ** 2) / (q.s * math.sqrt(2 * math.pi))
        np.testing.assert_allclose(jp.x_values, joint / q_density, rtol=1e-10)
        assert jp.log_mean_x >= jp.mean_log_x
        assert jp.log_mean_x == pytest.approx(math.log(np.mean(jp.x_values)), rel=1e-12)
        # The exact sides, against integrals on a fine grid (independent of the quadratures).
        z = fine_grid()
        dz = z[1] - z[0]
        assert jp.exact_log_mean_x == pytest.approx(
            math.log(np.sum(MODEL.joint_density(X, z)) * dz), abs=1e-9
        )
        inside = q.pdf(z) > 1e-300
        lx = MODEL.log_joint(X, z[inside]) - q.logpdf(z[inside])
        assert jp.exact_mean_log_x == pytest.approx(np.sum(q.pdf(z[inside]) * lx) * dz, abs=1e-6)
        assert jp.exact_log_mean_x >= jp.exact_mean_log_x
        # The Jensen gap is exactly the KL to the posterior.
        assert abs(jp.exact_gap - toy_model.kl_to_posterior(q, X)) < 1e-8


def test_jensen_sample_values_converge(q_fwd):
    jp = toy_model.jensen_picture(q_fwd, X, n=200_000, seed=7)
    assert jp.log_mean_x == pytest.approx(jp.exact_log_mean_x, abs=0.01)
    assert jp.mean_log_x == pytest.approx(jp.exact_mean_log_x, abs=0.05)


@pytest.mark.parametrize("threshold", [-9.0, -4.0, -2.7])
def test_log_ratio_tail_against_a_fine_grid_and_sampling(q_star, q_fwd, threshold):
    for q in [q_star, q_fwd, Gaussian(0.0, 1.0)]:
        tail = toy_model.log_ratio_tail(q, threshold, X)
        # Independent of the root finding: the indicator summed on a fine grid (its edges are
        # off by up to a grid step at each crossing: density x step, ~2e-4 for the narrow q).
        z = fine_grid()
        dz = z[1] - z[0]
        weight = q.pdf(z) * dz
        lx = MODEL.log_joint(X, z) - q.logpdf(z)
        inside = lx < threshold
        assert tail.probability == pytest.approx(weight[inside].sum(), abs=1e-3)
        assert tail.contribution == pytest.approx((weight * lx)[inside].sum(), abs=1e-3)
        # And by sampling: the share of draws below the threshold.
        draws = q.sample(200_000, np.random.default_rng(5))
        share = np.mean(MODEL.log_joint(X, draws) - q.logpdf(draws) < threshold)
        se = math.sqrt(max(tail.probability * (1 - tail.probability), 1e-12) / 200_000)
        assert abs(share - tail.probability) < 5 * se + 1e-6


def test_log_ratio_tail_limits_and_slide_6_claim(q_fwd):
    # Every draw is below a high threshold: the tail is all of E_q[log X], the ELBO.
    everything = toy_model.log_ratio_tail(q_fwd, 50.0, X)
    assert everything.probability == pytest.approx(1.0, abs=1e-12)
    assert everything.contribution == pytest.approx(toy_model.elbo(q_fwd, X), abs=1e-9)
    assert toy_model.log_ratio_tail(q_fwd, -1e5, X).probability < 1e-9
    # Slide 6's sentence: about 1 draw in 9 from the moment-matched Gaussian has log X < -9,
    # and those draws bring most of the exact E[log X]; the 12 samples shown have none.
    tail = toy_model.log_ratio_tail(q_fwd, -9.0, X)
    assert 1 / 10 < tail.probability < 1 / 8
    assert tail.contribution < 0.5 * toy_model.elbo(q_fwd, X)
    assert toy_model.jensen_picture(q_fwd, X, n=12, seed=0).log_x.min() > -9.0


def test_random_functions_are_deterministic(q_star):
    a, b = (
        toy_model.jensen_picture(q_star, X, n=10, seed=3),
        toy_model.jensen_picture(q_star, X, n=10, seed=3),
    )
    assert np.array_equal(a.z, b.z)
    c = toy_model.jensen_picture(q_star, X, n=10, seed=4)
    assert not np.array_equal(a.z, c.z)
    r1, r2 = (
        toy_model.importance_sampling_run(q_star, X, 100, 5),
        toy_model.importance_sampling_run(q_star, X, 100, 5),
    )
    assert np.array_equal(r1.running_mean, r2.running_mean)
    assert toy_model.elbo_monte_carlo(q_star, X, 50, 1) == toy_model.elbo_monte_carlo(
        q_star, X, 50, 1
    )


# --- Monte Carlo ------------------------------------------------------------------------


def test_importance_sampling_converges(q_fwd):
    run = toy_model.importance_sampling_run(q_fwd, X, n=10_000, seed=0)
    n = 10_000
    assert run.z.shape == run.weights.shape == run.running_mean.shape == (n,)
    assert run.running_se.shape == (n,) and np.isnan(run.running_se[0])
    assert np.array_equal(run.counts, np.arange(1, n + 1))
    assert run.true_px == pytest.approx(math.exp(LOG_PX), rel=1e-12)
    assert run.running_mean[-1] == pytest.approx(run.weights.mean(), rel=1e-10)
    assert run.running_se[-1] == pytest.approx(run.weights.std(ddof=1) / math.sqrt(n), rel=1e-8)
    assert abs(run.running_mean[-1] - run.true_px) < 3 * run.running_se[-1]
    # Converging: the error bar at 10^4 is far smaller than at 10^2.
    assert run.running_se[-1] < 0.2 * run.running_se[99]


def test_importance_sampling_with_mode_seeking_proposal_misses_mass(q_star):
    # Why the IS scene uses the wide proposal: the reverse-KL q never visits the left mode.
    run = toy_model.importance_sampling_run(q_star, X, n=10_000, seed=0)
    assert run.running_mean[-1] < 0.8 * run.true_px


def test_elbo_monte_carlo_matches_quadrature(q_star, q_fwd):
    for q in [q_star, q_fwd, POOR_START]:
        est, se = toy_model.elbo_monte_carlo(q, X, n=20_000, seed=11)
        assert abs(est - toy_model.elbo(q, X)) < 3 * se


# --- slide 9: the KL term ---------------------------------------------------------------


@pytest.fixture(scope="module")
def vae_results() -> dict[int, kl_vae.KLVAEResult]:
    return {beta: kl_vae.load_kl_vae(beta) for beta in (0, 1)}


def test_vae_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    params = kl_vae.init_params(hidden=5, seed=0)
    params = {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in params.items()}
    x = kl_vae.make_dataset(n=7, seed=1)
    eps = rng.standard_normal((7, 2))
    for beta in (0.0, 1.0):
        _, grads = kl_vae.loss_and_grads(params, x, eps, beta)
        for name, value in params.items():
            for idx in list(np.ndindex(value.shape))[:4]:
                h = 1e-6
                up = {k: v.copy() for k, v in params.items()}
                down = {k: v.copy() for k, v in params.items()}
                up[name][idx] += h
                down[name][idx] -= h
                fd = (
                    kl_vae.loss_and_grads(up, x, eps, beta)[0]
                    - kl_vae.loss_and_grads(down, x, eps, beta)[0]
                ) / (2 * h)
                assert grads[name][idx] == pytest.approx(fd, rel=1e-5, abs=1e-7), (name, idx)


def test_vae_training_is_deterministic():
    data = kl_vae.make_dataset()
    p1, l1 = kl_vae.train_vae(data, 1.0, steps=100)
    p2, l2 = kl_vae.train_vae(data, 1.0, steps=100)
    assert np.array_equal(l1, l2)
    assert all(np.array_equal(p1[k], p2[k]) for k in p1)
    assert kl_vae.load_kl_vae(1) is kl_vae.load_kl_vae(1)


def test_vae_result_shapes(vae_results):
    n, m, k = kl_vae.N_DATA, kl_vae.N_PRIOR_SAMPLES, kl_vae.N_INTERP
    for beta, r in vae_results.items():
        assert r.beta == beta
        assert r.data.shape == r.post_mean.shape == r.post_std.shape == (n, 2)
        assert r.reconstruction.shape == (n, 2)
        assert r.prior_samples.shape == r.prior_decoded.shape == (m, 2)
        assert r.interp_z.shape == r.interp_decoded.shape == (k, 2)
        assert np.allclose(r.interp_z[[0, -1]], r.post_mean[r.interp_endpoints])
        assert np.all(r.post_std > 0)
        assert np.all(np.isfinite(r.losses))
    # Same data and same prior samples for both betas: only the KL term differs.
    assert np.array_equal(vae_results[0].data, vae_results[1].data)
    assert np.array_equal(vae_results[0].prior_samples, vae_results[1].prior_samples)


def test_kl_term_pulls_codes_to_the_prior(vae_results):
    r0, r1 = vae_results[0], vae_results[1]
    # Aggregate posterior close to N(0, I) only with the KL term.
    assert r1.aggregate_kl < 0.05
    assert r0.aggregate_kl > 10 * r1.aggregate_kl
    assert r0.mean_kl > 3 * r1.mean_kl


def test_without_kl_codes_become_a_lookup_table(vae_results):
    r0, r1 = vae_results[0], vae_results[1]
    assert r0.median_post_std < 0.01
    assert r1.median_post_std > 0.1
    # The price of the KL term, stated honestly: reconstructions get blurrier.
    assert r0.recon_rmse < r1.recon_rmse


def test_kl_term_enables_generation_and_interpolation(vae_results):
    r0, r1 = vae_results[0], vae_results[1]
    # Decoded prior samples land on the data with beta = 1, off it with beta = 0.
    assert r1.prior_to_data < 0.1
    assert r0.prior_to_data > 4 * r1.prior_to_data
    assert r1.chamfer < r0.chamfer
    # A straight latent path between the crescent's ends decodes along the crescent.
    assert r1.interp_to_data < 0.1
    assert r0.interp_to_data > 4 * r1.interp_to_data


def test_latent_usage_adds_up_to_the_runs_kl(vae_results):
    for r in vae_results.values():
        usage = kl_vae.latent_usage(r)
        assert usage.mean_kl.sum() == pytest.approx(r.mean_kl, rel=1e-12)
        assert np.allclose(usage.mean_std, r.post_std.mean(0))
        assert np.allclose(usage.spread_of_means, r.post_mean.std(0))


def test_with_kl_one_latent_direction_carries_the_crescent(vae_results):
    # What slide 9 says about the line the beta = 1 codes lie on: the decoder needs one
    # direction (z2); the KL returns the other (z1) to the prior N(0, 1).
    used = kl_vae.latent_usage(vae_results[1])
    assert used.spread_of_means[0] < 0.05 < 0.9 < used.spread_of_means[1]
    assert abs(used.mean_of_means[0]) < 0.05
    assert abs(used.mean_std[0] - 1.0) < 0.05 and used.mean_std[1] < 0.2
    assert used.mean_kl[0] < 0.01 < 1.0 < used.mean_kl[1]
    # Without the KL term both directions are used, and q is a point in both.
    free = kl_vae.latent_usage(vae_results[0])
    assert np.all(free.spread_of_means > 0.5) and np.all(free.mean_std < 0.01)


# --- hygiene ----------------------------------------------------------------------------


def test_numerics_import_no_manim():
    code = (
        "import sys, scenes.numerics, scenes.numerics.toy_model, scenes.numerics.kl_vae\n"
        "bad = [m for m in ('manim', 'torch', 'matplotlib') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


# --- slides 1, 2 and 4: crossings, grid cost, the rewritten integrand ---------------------


def test_decoder_crosses_the_observed_x_twice_next_to_the_posterior_modes():
    from scenes.numerics.toy_model import decoder_crossings

    crossings = decoder_crossings(X)
    assert len(crossings) == 2 and crossings[0] < 0 < crossings[1]
    assert np.allclose(MODEL.decoder_mean(crossings), X, atol=1e-12)
    # Each mode of p(z|x) lies next to a crossing, pulled towards the prior's centre.
    for crossing, mode in zip(crossings, MODEL.posterior_modes(X), strict=True):
        assert abs(mode - crossing) < 0.1
        assert abs(mode) < abs(crossing)
    # A level below the decoder's minimum is never crossed.
    assert len(decoder_crossings(float(MODEL.decoder_mean(-0.25)) - 0.1)) == 0


def test_grid_evaluations_grow_as_points_to_the_dimension():
    from scenes.numerics.toy_model import GRID_POINTS_PER_DIM, grid_evaluations

    assert GRID_POINTS_PER_DIM == 100
    assert grid_evaluations(1) == 100
    assert grid_evaluations(2) == 10_000
    assert grid_evaluations(50) == 10**100
    assert grid_evaluations(3, points_per_dim=7) == 343
    with pytest.raises(ValueError):
        grid_evaluations(0)


def test_a_hundred_point_grid_gives_p_of_x_in_one_dimension():
    from scenes.numerics.toy_model import grid_evidence

    grid = grid_evidence(X)
    assert grid.evaluations == 100
    assert np.array_equal(grid.joint, MODEL.joint_density(X, grid.z))
    assert grid.running[0] == 0.0 and np.all(np.diff(grid.running) >= 0)
    assert abs(grid.value - math.exp(LOG_PX)) < 1e-12
    # Ten points are too few: the grid only works when it resolves the modes.
    assert abs(grid_evidence(X, n=10).value - math.exp(LOG_PX)) > 1e-3


def test_rewritten_integrand_is_the_joint_with_the_same_area(q_fwd):
    from scenes.numerics.toy_model import rewritten_integrand

    picture = rewritten_integrand(q_fwd, X)
    assert np.allclose(picture.product, picture.joint, rtol=1e-12, atol=1e-300)
    assert np.allclose(picture.q, q_fwd.pdf(picture.z))
    assert abs(picture.product_area - picture.evidence) < 1e-12
    # The moment-matched Gaussian covers both modes: its ratio stays small enough to draw.
    assert picture.ratio.max() < 1.0
    left, right = MODEL.posterior_modes(X)
    assert q_fwd.pdf(left) > 0.05 and q_fwd.pdf(right) > 0.05
