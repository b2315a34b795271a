"""A 1-D latent variable model whose posterior is visibly not Gaussian.

The model behind slides 2, 3, 5, 6 and 10::

    p(z)   = N(z; 0, 1)
    p(x|z) = N(x; f(z), sigma^2),   f(z) = curvature * z**2 + slope * z + offset

For the observed value ``OBSERVED_X`` the decoder mean f(z) = x has two roots, so the
true posterior p(z|x) has two modes; the prior makes them unequal (about 2/3 of the
mass on the right). A Gaussian q(z|x) fitted by reverse KL (maximising the ELBO)
sits on the larger mode; the forward-KL (moment-matched) Gaussian sits between them.

Everything here is exact up to quadrature error (~1e-12): log p(x) and KL by adaptive
quadrature, the ELBO by Gauss-Hermite quadrature under q. Monte Carlo appears only
where the video shows sampling, always seeded with ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, optimize
from scipy.special import logsumexp, ndtr

__all__ = [
    "ToyModel",
    "Gaussian",
    "FitStep",
    "JensenPicture",
    "ISRun",
    "LogRatioTail",
    "MCEstimate",
    "MODEL",
    "OBSERVED_X",
    "POOR_START",
    "Z_RANGE",
    "elbo",
    "elbo_grad",
    "kl_to_posterior",
    "gap",
    "fit_reverse_kl",
    "fit_forward_kl",
    "reverse_kl_local_optima",
    "optimiser_path",
    "jensen_picture",
    "log_ratio_tail",
    "importance_sampling_run",
    "elbo_monte_carlo",
    "ElboParts",
    "reconstruction",
    "reconstruction_grad",
    "kl_to_prior",
    "kl_to_prior_grad",
    "elbo_parts",
    "kl_integrand",
    "reconstruction_path",
    "prior_path",
    "decoder_offset_grad",
    "theta_step",
]

_LOG_2PI = math.log(2.0 * math.pi)
# Gauss-Hermite nodes for E_q[.]: exact for polynomials of degree < 2*120, and the
# integrands here are polynomials in z (degree 4), so the ELBO is exact to rounding.
_GH_T, _GH_W = np.polynomial.hermite.hermgauss(120)
_GH_W = _GH_W / math.sqrt(math.pi)

Z_RANGE: tuple[float, float] = (-4.0, 4.0)
"""The z interval every plot of this model uses; all posterior mass lies inside it."""

FloatArray = NDArray[np.float64]


def _values(z: ArrayLike) -> FloatArray | float:
    """``z`` as the densities compute with it: a Python float as it is, anything else as a
    float array.

    The quadratures call their integrands one float at a time, a few hundred times per value;
    the same IEEE operations on a float take a tenth of the time they take on a 0-d array, and
    give the same result (squares are written ``u * u``, which NumPy's ``u**2`` also
    computes), so log p(x) and KL(q || p(z|x)) are the same floats either way.
    """
    return z if type(z) is float else np.asarray(z, dtype=float)


@dataclass(frozen=True)
class ToyModel:
    """p(z) = N(0, 1), p(x|z) = N(x; f(z), sigma^2) with a quadratic decoder mean f.

    Attributes:
        sigma: observation noise standard deviation.
        curvature, slope, offset: f(z) = curvature * z**2 + slope * z + offset.
    """

    sigma: float
    curvature: float = 1.0
    slope: float = 0.5
    offset: float = 0.0

    def decoder_mean(self, z: ArrayLike) -> FloatArray:
        """f(z), the mean of p(x|z)."""
        z = _values(z)
        return self.curvature * (z * z) + self.slope * z + self.offset

    def decoder_mean_grad(self, z: ArrayLike) -> FloatArray:
        """f'(z)."""
        z = np.asarray(z, dtype=float)
        return 2.0 * self.curvature * z + self.slope

    def log_prior(self, z: ArrayLike) -> FloatArray:
        """log p(z) = log N(z; 0, 1)."""
        z = _values(z)
        return -0.5 * (z * z + _LOG_2PI)

    def log_likelihood(self, x: float, z: ArrayLike) -> FloatArray:
        """log p(x|z) = log N(x; f(z), sigma^2)."""
        r = (x - self.decoder_mean(z)) / self.sigma
        return -0.5 * (r * r + _LOG_2PI) - math.log(self.sigma)

    def log_joint(self, x: float, z: ArrayLike) -> FloatArray:
        """log p(x, z) = log p(x|z) + log p(z)."""
        return self.log_likelihood(x, z) + self.log_prior(z)

    def log_joint_grad(self, x: float, z: ArrayLike) -> FloatArray:
        """d/dz log p(x, z), used by the gradient of the ELBO."""
        z = np.asarray(z, dtype=float)
        return -z + (x - self.decoder_mean(z)) * self.decoder_mean_grad(z) / self.sigma**2

    def joint_density(self, x: float, z: ArrayLike) -> FloatArray:
        """p(x, z) as a function of z (the unnormalised posterior)."""
        return np.exp(self.log_joint(x, z))

    def sample_generative(self, n: int, seed: int) -> tuple[FloatArray, FloatArray]:
        """The generative story, n times: z ~ p(z), then x ~ p(x|z). Returns (z, x)."""
        rng = np.random.default_rng(seed)
        z = rng.standard_normal(n)
        x = self.decoder_mean(z) + self.sigma * rng.standard_normal(n)
        return z, x

    def log_evidence(self, x: float) -> float:
        """log p(x) = log of the integral of p(x, z) over z, by adaptive quadrature.

        Accurate to ~1e-12 (checked in the tests against a fine trapezoid grid and
        against brute-force Monte Carlo over the prior).
        """
        return _log_evidence(self, float(x))

    def evidence(self, x: float) -> float:
        """p(x)."""
        return math.exp(self.log_evidence(x))

    def log_posterior(self, x: float, z: ArrayLike) -> FloatArray:
        """log p(z|x) = log p(x, z) - log p(x), exactly normalised."""
        return self.log_joint(x, z) - self.log_evidence(x)

    def posterior_density(self, x: float, z: ArrayLike) -> FloatArray:
        """p(z|x) on any array of z, exactly normalised."""
        return np.exp(self.log_posterior(x, z))

    def posterior_modes(self, x: float) -> FloatArray:
        """Local maxima of p(z|x), ascending in z (two of them for OBSERVED_X)."""
        # Stationary points solve a cubic: log_joint_grad(z) = 0.
        a, b, c, s2 = self.curvature, self.slope, self.offset - x, self.sigma**2
        # -z*s2 - (a z^2 + b z + c)(2 a z + b) = 0, expanded by powers of z.
        coeffs = [-2 * a * a, -3 * a * b, -(b * b + 2 * a * c) - s2, -b * c]
        roots = np.roots(coeffs)
        real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
        lj = lambda t: float(self.log_joint(x, t))  # noqa: E731
        h = 1e-5
        return np.array([r for r in real if lj(r) > lj(r - h) and lj(r) > lj(r + h)])

    def posterior_moments(self, x: float) -> tuple[float, float]:
        """Mean and standard deviation of p(z|x), by quadrature."""
        mean = self._posterior_expect(x, lambda z: z)
        var = self._posterior_expect(x, lambda z: (z - mean) ** 2)
        return mean, math.sqrt(var)

    def _posterior_expect(self, x: float, g: Callable[[float], float]) -> float:
        lpx = self.log_evidence(x)
        return _quad_over_z(
            lambda z: g(z) * math.exp(float(self.log_joint(x, z)) - lpx),
            self.posterior_modes(x),
            limit=200,
            epsrel=1e-13,
        )


# Posterior mass beyond |z| > 12 is below exp(-72) relative to the modes.
_Z_CUT = 12.0


def _quad_over_z(
    f: Callable[[float], float], modes: Iterable[float], limit: int, epsrel: float
) -> float:
    """The integral of ``f`` over z in [-_Z_CUT, _Z_CUT], split at the posterior's modes (where
    a posterior-weighted integrand peaks, so the quadrature does not step over a narrow mode)."""
    val, _ = integrate.quad(
        f, -_Z_CUT, _Z_CUT, points=tuple(modes), limit=limit, epsabs=1e-14, epsrel=epsrel
    )
    return val


@functools.lru_cache(maxsize=64)
def _log_evidence(model: ToyModel, x: float) -> float:
    # Integrate exp(log_joint - peak) so the integrand is O(1) and the log is exact.
    grid = np.linspace(-_Z_CUT, _Z_CUT, 4801)
    lj = model.log_joint(x, grid)
    peak = float(lj.max())
    val, _ = integrate.quad(
        lambda z: math.exp(float(model.log_joint(x, z)) - peak),
        -_Z_CUT,
        _Z_CUT,
        points=tuple(grid[lj > peak - 40][[0, -1]]) + tuple(model.posterior_modes(x)),
        limit=400,
        epsabs=0.0,
        epsrel=1e-13,
    )
    return peak + math.log(val)


MODEL = ToyModel(sigma=0.6, curvature=1.0, slope=0.5, offset=0.0)
"""The model the video uses: f(z) = z^2 + z/2, sigma = 0.6."""

OBSERVED_X: float = 2.0
"""The observed data point: f(z) = 2 at z = -1.69 and z = 1.19, so p(z|x) has two modes."""


@dataclass(frozen=True)
class Gaussian:
    """A 1-D Gaussian q(z|x) = N(mu, s^2) (s is the standard deviation, s > 0)."""

    mu: float
    s: float

    def __post_init__(self) -> None:
        if not self.s > 0:
            raise ValueError(f"standard deviation must be positive, got {self.s}")

    def logpdf(self, z: ArrayLike) -> FloatArray:
        """log q(z)."""
        u = (_values(z) - self.mu) / self.s
        return -0.5 * (u * u + _LOG_2PI) - math.log(self.s)

    def pdf(self, z: ArrayLike) -> FloatArray:
        """q(z)."""
        return np.exp(self.logpdf(z))

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        """n independent draws z ~ q, from the given generator."""
        return self.mu + self.s * rng.standard_normal(n)

    def entropy(self) -> float:
        """H[q] = 0.5 log(2 pi e s^2)."""
        return 0.5 * (_LOG_2PI + 1.0) + math.log(self.s)

    def expect(self, g: Callable[[FloatArray], FloatArray]) -> float:
        """E_q[g(z)] by Gauss-Hermite quadrature (g vectorised over numpy arrays)."""
        return float(np.dot(_GH_W, g(self.mu + math.sqrt(2.0) * self.s * _GH_T)))


POOR_START = Gaussian(mu=2.5, s=1.0)
"""Default start of ``optimiser_path``: too wide and to the right of both modes."""


def elbo(q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL) -> float:
    """ELBO(q) = E_q[log p(x, z)] + H[q], by Gauss-Hermite quadrature (not sampling)."""
    return q.expect(lambda z: model.log_joint(x, z)) + q.entropy()


def elbo_grad(q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL) -> tuple[float, float]:
    """Gradient of the ELBO in (mu, log s), by the reparameterisation z = mu + s * eps.

    d/dmu = E_q[g'(z)] and d/dlog s = s E[g'(mu + s eps) eps] + 1, with g = log p(x, .).
    """
    eps = math.sqrt(2.0) * _GH_T
    gp = model.log_joint_grad(x, q.mu + q.s * eps)
    return float(np.dot(_GH_W, gp)), float(q.s * np.dot(_GH_W, gp * eps) + 1.0)


def kl_to_posterior(q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL) -> float:
    """KL(q || p(z|x)) = integral of q log(q / p(z|x)), by adaptive quadrature.

    Computed directly from the normalised posterior, not from the ELBO, so the gap
    identity log p(x) - ELBO = KL is a real check between two independent integrals.
    """
    lpx = model.log_evidence(x)
    half = 15.0 * q.s  # q's mass beyond 15 s is below 1e-50

    def integrand(z: float) -> float:
        lq = float(q.logpdf(z))
        return math.exp(lq) * (lq - (float(model.log_joint(x, z)) - lpx))

    val, _ = integrate.quad(
        integrand,
        q.mu - half,
        q.mu + half,
        points=(q.mu,),
        limit=400,
        epsabs=1e-14,
        epsrel=1e-13,
    )
    return val


def gap(q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL) -> float:
    """log p(x) - ELBO(q) (equal to kl_to_posterior(q) by the gap identity)."""
    return model.log_evidence(x) - elbo(q, x, model)


def _neg_elbo(theta: FloatArray, x: float, model: ToyModel) -> tuple[float, FloatArray]:
    q = Gaussian(float(theta[0]), math.exp(float(theta[1])))
    g_mu, g_ls = elbo_grad(q, x, model)
    return -elbo(q, x, model), -np.array([g_mu, g_ls])


@functools.lru_cache(maxsize=16)
def fit_reverse_kl(x: float = OBSERVED_X, model: ToyModel = MODEL) -> Gaussian:
    """The Gaussian maximising the ELBO (= minimising KL(q || p(z|x))), global optimum.

    The objective has a local optimum on each posterior mode, so BFGS runs from several
    starts in (mu, log s) (see ``reverse_kl_local_optima``) and the best result is kept.
    """
    return max(reverse_kl_local_optima(x, model), key=lambda q: elbo(q, x, model))


@functools.lru_cache(maxsize=16)
def fit_forward_kl(x: float = OBSERVED_X, model: ToyModel = MODEL) -> Gaussian:
    """The Gaussian minimising KL(p(z|x) || q): moment matching (posterior mean and std)."""
    mean, std = model.posterior_moments(x)
    return Gaussian(mean, std)


@dataclass(frozen=True)
class FitStep:
    """One accepted iterate of the ELBO ascent: q = N(mu, s^2), its ELBO and its gap."""

    mu: float
    s: float
    elbo: float
    gap: float

    @property
    def q(self) -> Gaussian:
        """This step's Gaussian."""
        return Gaussian(self.mu, self.s)


def optimiser_path(
    x: float = OBSERVED_X,
    start: Gaussian = POOR_START,
    model: ToyModel = MODEL,
    learning_rate: float = 0.5,
    max_step: float = 0.15,
    max_points: int = 80,
    tol: float = 1e-6,
) -> list[FitStep]:
    """Accepted iterates of a damped natural-gradient ascent on the ELBO, from ``start``.

    Each step is ``learning_rate`` times the natural gradient in (mu, log s) (the plain
    gradient scaled by the inverse Fisher information diag(s^2, 1/2), which makes steps
    comparable at every width), shortened to length at most ``max_step`` because far
    from the optimum the raw gradient is huge and would jump across the picture (or to
    the other mode) in one step. A step is accepted only if it raises the ELBO, otherwise
    it is halved and retried; so the ELBO never decreases along the path and every point
    is a real (mu, s) with its own exact ELBO and gap. The path stops when a step gains
    less than ``tol`` or at ``max_points`` points (the start included).

    With the defaults: 26 points from POOR_START, ending within ~5e-4 of
    ``fit_reverse_kl()`` in mu and s and within 1e-6 of its ELBO.
    """
    qs = _natural_ascent(
        lambda q: elbo(q, x, model),
        lambda q: elbo_grad(q, x, model),
        start,
        learning_rate,
        max_step,
        max_points,
        tol,
    )
    return _fit_steps(qs, x, model)


def _fit_steps(qs: list[Gaussian], x: float, model: ToyModel) -> list[FitStep]:
    lpx = model.log_evidence(x)
    steps = []
    for q in qs:
        value = elbo(q, x, model)
        steps.append(FitStep(q.mu, q.s, value, lpx - value))
    return steps


def _natural_ascent(
    value: Callable[[Gaussian], float],
    grad: Callable[[Gaussian], tuple[float, float]],
    start: Gaussian,
    learning_rate: float,
    max_step: float,
    max_points: int,
    tol: float,
) -> list[Gaussian]:
    """Accepted iterates of the damped natural-gradient ascent of ``optimiser_path`` on any
    objective of q (``value``, with its gradient ``grad`` in (mu, log s))."""
    theta = np.array([start.mu, math.log(start.s)])
    cur = value(start)
    path = [start]
    while len(path) < max_points:
        s = math.exp(float(theta[1]))
        g_mu, g_ls = grad(Gaussian(float(theta[0]), s))
        step = learning_rate * np.array([s * s * g_mu, 0.5 * g_ls])
        norm = float(np.hypot(*step))
        if norm > max_step:
            step *= max_step / norm
        for _ in range(60):
            cand = theta + step
            qc = Gaussian(float(cand[0]), math.exp(float(cand[1])))
            val = value(qc)
            if val > cur:
                break
            step *= 0.5
        else:
            break  # no ascent step at machine precision: we are at the optimum
        gain = val - cur
        theta, cur = cand, val
        path.append(qc)
        if gain < tol:
            break
    return path


def reverse_kl_local_optima(x: float = OBSERVED_X, model: ToyModel = MODEL) -> list[Gaussian]:
    """Every local maximum of the ELBO over (mu, s), ascending in mu.

    For OBSERVED_X there are two, one on each posterior mode; the right one is global.
    """
    found: list[Gaussian] = []
    for mu0 in np.linspace(-3.0, 3.0, 13):
        res = optimize.minimize(
            _neg_elbo,
            np.array([mu0, math.log(0.5)]),
            args=(x, model),
            jac=True,
            method="BFGS",
            options={"gtol": 1e-11, "maxiter": 500},
        )
        q = Gaussian(float(res.x[0]), math.exp(float(res.x[1])))
        if all(abs(q.mu - o.mu) > 1e-4 or abs(q.s - o.s) > 1e-4 for o in found):
            found.append(q)
    return sorted(found, key=lambda q: q.mu)


@dataclass(frozen=True)
class JensenPicture:
    """Jensen's inequality log E[X] >= E[log X] for X = p(x, z) / q(z|x), z ~ q.

    Attributes:
        z: samples from q, shape (n,).
        x_values: X_i = p(x, z_i) / q(z_i|x), shape (n,).
        log_x: log X_i, shape (n,) (points on the log curve: (X_i, log X_i)).
        log_mean_x: log of the sample mean of X (estimates log p(x)).
        mean_log_x: sample mean of log X (estimates the ELBO).
        exact_log_mean_x: log E_q[X] = log p(x), by quadrature.
        exact_mean_log_x: E_q[log X] = ELBO(q), by quadrature.
    """

    z: FloatArray
    x_values: FloatArray
    log_x: FloatArray
    log_mean_x: float
    mean_log_x: float
    exact_log_mean_x: float
    exact_mean_log_x: float

    @property
    def exact_gap(self) -> float:
        """log E[X] - E[log X] exactly, which equals KL(q || p(z|x))."""
        return self.exact_log_mean_x - self.exact_mean_log_x


def _sampled_log_weights(
    q: Gaussian, x: float, n: int, seed: int, model: ToyModel
) -> tuple[FloatArray, FloatArray]:
    """n seeded samples z_i ~ q and their log importance weights log p(x, z_i) - log q(z_i)
    (Jensen's picture, importance sampling and the Monte Carlo ELBO all start here)."""
    z = q.sample(n, np.random.default_rng(seed))
    return z, model.log_joint(x, z) - q.logpdf(z)


def jensen_picture(
    q: Gaussian, x: float = OBSERVED_X, n: int = 12, seed: int = 0, model: ToyModel = MODEL
) -> JensenPicture:
    """Sample n points z_i ~ q and the quantities of Jensen's inequality for them."""
    z, log_x = _sampled_log_weights(q, x, n, seed, model)
    return JensenPicture(
        z=z,
        x_values=np.exp(log_x),
        log_x=log_x,
        log_mean_x=float(logsumexp(log_x) - math.log(n)),
        mean_log_x=float(np.mean(log_x)),
        exact_log_mean_x=model.log_evidence(x),
        exact_mean_log_x=elbo(q, x, model),
    )


@dataclass(frozen=True)
class ISRun:
    """Importance sampling of p(x) = E_q[p(x, z) / q(z|x)] as the sample count grows.

    Attributes:
        z: samples z_k ~ q, shape (n,).
        weights: X_k = p(x, z_k) / q(z_k|x), shape (n,).
        running_mean: mean of X_1..X_k for k = 1..n, the estimate of p(x), shape (n,).
        running_se: standard error of that mean (sample std with ddof=1 over sqrt(k)),
            shape (n,); entry 0 (k = 1) is nan because one sample has no spread.
        true_px: p(x) by quadrature.
    """

    z: FloatArray
    weights: FloatArray
    running_mean: FloatArray
    running_se: FloatArray
    true_px: float

    @property
    def counts(self) -> FloatArray:
        """k = 1..n, the sample count of each running entry."""
        return np.arange(1, len(self.weights) + 1, dtype=float)


def importance_sampling_run(
    q: Gaussian, x: float = OBSERVED_X, n: int = 10_000, seed: int = 0, model: ToyModel = MODEL
) -> ISRun:
    """Seeded importance-sampling estimates of p(x) with proposal q, for k = 1..n samples.

    Use a proposal that covers both posterior modes (e.g. ``fit_forward_kl()``): with the
    mode-seeking reverse-KL fit the weights have a huge, rarely-sampled tail and the
    estimate stays far too low for any n the video can show.
    """
    z, log_w = _sampled_log_weights(q, x, n, seed, model)
    w = np.exp(log_w)
    k = np.arange(1, n + 1, dtype=float)
    csum, csum2 = np.cumsum(w), np.cumsum(w * w)
    mean = csum / k
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(k > 1, (csum2 - k * mean**2) / (k - 1), np.nan)
        se = np.sqrt(np.maximum(var, 0.0) / k)
    se[0] = np.nan
    return ISRun(z=z, weights=w, running_mean=mean, running_se=se, true_px=model.evidence(x))


class MCEstimate(NamedTuple):
    """A Monte Carlo estimate and its standard error (unpacks as a pair)."""

    estimate: float
    std_error: float


def elbo_monte_carlo(
    q: Gaussian, x: float = OBSERVED_X, n: int = 1000, seed: int = 0, model: ToyModel = MODEL
) -> MCEstimate:
    """ELBO estimated by sampling: mean over z_i ~ q of log p(x, z_i) - log q(z_i)."""
    _, terms = _sampled_log_weights(q, x, n, seed, model)
    return MCEstimate(float(terms.mean()), float(terms.std(ddof=1) / math.sqrt(n)))


# ---------------------------------------------------------------------------------------------
# The ELBO's two decompositions (slides 8 and 10), the pull of each term alone (slide 8) and a
# step in the model's parameter theta (slide 10).


def reconstruction(q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL) -> float:
    """E_q[log p(x|z)], the ELBO's reconstruction term, by Gauss-Hermite quadrature."""
    return q.expect(lambda z: model.log_likelihood(x, z))


def reconstruction_grad(
    q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL
) -> tuple[float, float]:
    """Gradient of E_q[log p(x|z)] in (mu, log s), by the reparameterisation z = mu + s eps."""
    eps = math.sqrt(2.0) * _GH_T
    z = q.mu + q.s * eps
    gp = (x - model.decoder_mean(z)) * model.decoder_mean_grad(z) / model.sigma**2
    return float(np.dot(_GH_W, gp)), float(q.s * np.dot(_GH_W, gp * eps))


def kl_to_prior(q: Gaussian) -> float:
    """KL(q || p(z)) with p(z) = N(0, 1), in closed form: (mu^2 + s^2 - 1) / 2 - log s."""
    return 0.5 * (q.mu**2 + q.s**2 - 1.0) - math.log(q.s)


def kl_to_prior_grad(q: Gaussian) -> tuple[float, float]:
    """Gradient of KL(q || p(z)) in (mu, log s): (mu, s^2 - 1)."""
    return q.mu, q.s**2 - 1.0


class ElboParts(NamedTuple):
    """Both decompositions of the ELBO for one q and one model, each term computed on its own.

    ``log_evidence = elbo + kl_posterior`` (slide 10) and ``elbo = reconstruction -
    kl_prior`` (slides 7 and 8), where ``elbo`` is E_q[log p(x, z)] + H[q] (Gauss-Hermite),
    ``kl_posterior`` is KL(q || p(z|x)) by adaptive quadrature of its integrand,
    ``reconstruction`` is E_q[log p(x|z)] and ``kl_prior`` is KL(q || p(z)) in closed form.
    """

    log_evidence: float
    elbo: float
    kl_posterior: float
    reconstruction: float
    kl_prior: float


def elbo_parts(q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL) -> ElboParts:
    """log p(x), the ELBO, KL(q || p(z|x)), E_q[log p(x|z)] and KL(q || p(z)) for q."""
    return ElboParts(
        log_evidence=model.log_evidence(x),
        elbo=elbo(q, x, model),
        kl_posterior=kl_to_posterior(q, x, model),
        reconstruction=reconstruction(q, x, model),
        kl_prior=kl_to_prior(q),
    )


def kl_integrand(
    q: Gaussian, z: ArrayLike, x: float = OBSERVED_X, model: ToyModel = MODEL
) -> FloatArray:
    """q(z) log(q(z) / p(z|x)) on any array of z: its (signed) area is KL(q || p(z|x)), the gap.

    Negative where the posterior is above q, positive where q is above it; the positive part
    always outweighs the negative one (Gibbs' inequality).
    """
    log_q = q.logpdf(z)
    return np.exp(log_q) * (log_q - model.log_posterior(x, z))


# The pulls of slide 8 use optimiser_path's ascent. Reconstruction alone has no optimum (it
# narrows q without end), so its pull is shown until a step gains less than 0.05 nats: far
# enough to see where it goes, while q's peak still fits the plot.
_PULL_TOL = 0.05


def reconstruction_path(
    start: Gaussian | None = None,
    x: float = OBSERVED_X,
    model: ToyModel = MODEL,
    max_points: int = 40,
    tol: float = _PULL_TOL,
) -> list[FitStep]:
    """Where the reconstruction term alone pulls q: the ascent of ``optimiser_path`` on
    E_q[log p(x|z)] only, from ``start`` (default: the ELBO's optimum ``fit_reverse_kl()``).

    q slides onto the nearest z whose decoder mean f(z) equals x and narrows (the term
    rewards putting all of q's mass where the decoder explains x; its supremum is at width 0).
    Each step keeps its ELBO and gap, so the picture can show what the ELBO thinks of it.
    """
    q0 = start or fit_reverse_kl(x, model)
    qs = _natural_ascent(
        lambda q: reconstruction(q, x, model),
        lambda q: reconstruction_grad(q, x, model),
        q0,
        0.5,
        0.15,
        max_points,
        tol,
    )
    return _fit_steps(qs, x, model)


def prior_path(
    start: Gaussian | None = None,
    x: float = OBSERVED_X,
    model: ToyModel = MODEL,
    max_points: int = 40,
    tol: float = 1e-6,
) -> list[FitStep]:
    """Where the KL term alone pulls q: the same ascent on -KL(q || p(z)) only, from
    ``start`` (default ``fit_reverse_kl()``); it ends on the prior N(0, 1) itself."""
    q0 = start or fit_reverse_kl(x, model)

    def grad(q: Gaussian) -> tuple[float, float]:
        g_mu, g_ls = kl_to_prior_grad(q)
        return -g_mu, -g_ls

    qs = _natural_ascent(lambda q: -kl_to_prior(q), grad, q0, 0.5, 0.15, max_points, tol)
    return _fit_steps(qs, x, model)


def decoder_offset_grad(q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL) -> float:
    """d ELBO / d offset (the decoder's offset b in f(z) = a z^2 + c z + b): E_q[x - f(z)] /
    sigma^2. Only the reconstruction term depends on b."""
    return q.expect(lambda z: x - model.decoder_mean(z)) / model.sigma**2


def theta_step(
    q: Gaussian, x: float = OBSERVED_X, model: ToyModel = MODEL, learning_rate: float = 1.0
) -> ToyModel:
    """One step in the model's parameter theta with q held fixed: here theta is the decoder's
    offset b, moved along the natural gradient of the ELBO (the gradient times sigma^2, the
    inverse Fisher information of the Gaussian mean).

    The ELBO is quadratic in b, so ``learning_rate=1`` lands on the best b for this q: the
    ELBO rises; log p(x) and the posterior p(z|x) change with the model, so the gap changes
    too; KL(q || p(z)) does not depend on theta and stays.
    """
    step = learning_rate * model.sigma**2 * decoder_offset_grad(q, x, model)
    return ToyModel(
        sigma=model.sigma,
        curvature=model.curvature,
        slope=model.slope,
        offset=model.offset + step,
    )


class LogRatioTail(NamedTuple):
    """The part of E_q[log X], X = p(x, z) / q(z|x), from draws whose log X is below a threshold.

    Attributes:
        probability: P_q(log X < threshold), the share of draws from q that land there.
        contribution: E_q[log X; log X < threshold], what those draws add to E_q[log X]
            (the rest, E_q[log X] - contribution, comes from the other draws).
    """

    probability: float
    contribution: float


def log_ratio_tail(
    q: Gaussian, threshold: float, x: float = OBSERVED_X, model: ToyModel = MODEL
) -> LogRatioTail:
    """How much of E_q[log X] (the ELBO of q) comes from draws with log X < ``threshold``.

    Why slide 6's 12-sample E[log X] sits far above the exact one: for a wide q, a few draws
    land far beyond both modes, where p(x, z) is tiny and log X very negative; they weigh in
    the exact mean but a dozen samples rarely contain one. By quadrature: the z where
    log X = threshold are bracketed on a grid and refined (brentq), q's mass between them
    comes from its CDF and the contribution from adaptive quadrature on each interval.
    """
    half = 15.0 * q.s  # q's mass beyond 15 s is below 1e-50

    def below(z: ArrayLike) -> FloatArray:
        return model.log_joint(x, z) - q.logpdf(z) - threshold

    lo, hi = q.mu - half, q.mu + half
    grid = np.linspace(lo, hi, 20_001)
    sign = np.sign(below(grid))
    crossings = np.nonzero(sign[:-1] != sign[1:])[0]
    roots = [
        optimize.brentq(lambda t: float(below(t)), grid[i], grid[i + 1], xtol=1e-14)
        for i in crossings
    ]
    edges = [lo, *roots, hi]
    probability = contribution = 0.0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if float(below(0.5 * (a + b))) >= 0:
            continue
        probability += float(ndtr((b - q.mu) / q.s) - ndtr((a - q.mu) / q.s))
        val, _ = integrate.quad(
            lambda t: float(q.pdf(t)) * (float(below(t)) + threshold),
            a,
            b,
            limit=200,
            epsabs=1e-13,
            epsrel=1e-12,
        )
        contribution += val
    return LogRatioTail(probability, contribution)


# Slides 1, 2 and 4: where x is explained, what a grid costs, and the rewritten integrand.

GRID_POINTS_PER_DIM = 100
"""Points per axis of the grid slide 2 integrates on (in 1-D it gives p(x) to rounding)."""


def decoder_crossings(x: float = OBSERVED_X, model: ToyModel = MODEL) -> FloatArray:
    """Every z whose decoder mean is x (f(z) = x), ascending.

    These are the z that explain x best (p(x|z) is largest there); the prior pulls each mode
    of p(z|x) slightly towards 0 from them. Two for ``OBSERVED_X``: -1.69 and 1.19.
    """
    roots = np.roots([model.curvature, model.slope, model.offset - x])
    return np.sort(roots[np.abs(roots.imag) < 1e-12].real)


def grid_evaluations(dims: int, points_per_dim: int = GRID_POINTS_PER_DIM) -> int:
    """Evaluations of p(x, z) that a grid with ``points_per_dim`` points per axis needs over a
    ``dims``-dimensional z: ``points_per_dim ** dims``, an exact integer."""
    if dims < 1 or points_per_dim < 1:
        raise ValueError(f"need dims >= 1 and points_per_dim >= 1, got {dims}, {points_per_dim}")
    return points_per_dim**dims


@dataclass(frozen=True)
class GridIntegral:
    """p(x) as the trapezoid rule over an evenly spaced grid of z in ``Z_RANGE``.

    Attributes:
        z: the grid, shape (n,).
        joint: p(x, z) at each grid point (one evaluation each), shape (n,).
        running: the integral from Z_RANGE[0] up to each grid point, shape (n,).
    """

    z: FloatArray
    joint: FloatArray
    running: FloatArray

    @property
    def evaluations(self) -> int:
        """How many times p(x, z) was evaluated."""
        return len(self.z)

    @property
    def value(self) -> float:
        """The whole integral: the grid's estimate of p(x)."""
        return float(self.running[-1])


def grid_evidence(
    x: float = OBSERVED_X, n: int = GRID_POINTS_PER_DIM, model: ToyModel = MODEL
) -> GridIntegral:
    """p(x) by the trapezoid rule on ``n`` evenly spaced z over ``Z_RANGE`` (slide 2)."""
    z = np.linspace(Z_RANGE[0], Z_RANGE[1], n)
    joint = model.joint_density(x, z)
    steps = 0.5 * (joint[1:] + joint[:-1]) * np.diff(z)
    return GridIntegral(z, joint, np.concatenate([[0.0], np.cumsum(steps)]))


@dataclass(frozen=True)
class RewrittenIntegrand:
    """The integrand of log p(x) rewritten with a density q: q(z) times p(x, z) / q(z).

    Attributes:
        z: the grid, shape (n,).
        q: q(z), shape (n,).
        ratio: p(x, z) / q(z), shape (n,).
        product: q(z) * ratio, computed as that product, shape (n,).
        joint: p(x, z) computed directly, shape (n,).
        product_area: the integral of the product over z, by adaptive quadrature.
        evidence: p(x), by ``ToyModel.evidence`` (an independent integral).
    """

    z: FloatArray
    q: FloatArray
    ratio: FloatArray
    product: FloatArray
    joint: FloatArray
    product_area: float
    evidence: float


def rewritten_integrand(
    q: Gaussian, x: float = OBSERVED_X, n: int = 801, model: ToyModel = MODEL
) -> RewrittenIntegrand:
    """q, the ratio p(x, z) / q(z) and their product on ``n`` z over ``Z_RANGE`` (slide 4).

    Use a q that covers both posterior modes (``fit_forward_kl()``): the ratio of the
    narrow ELBO fit is ~5e29 on the left mode (and ~4e50 inside Z_RANGE): no plot shows it.
    """
    z = np.linspace(Z_RANGE[0], Z_RANGE[1], n)

    def ratio_of(t: ArrayLike) -> FloatArray:
        return np.exp(model.log_joint(x, t) - q.logpdf(t))

    qz, ratio = q.pdf(z), ratio_of(z)
    area = _quad_over_z(
        lambda t: float(q.pdf(t) * ratio_of(t)), model.posterior_modes(x), limit=400, epsrel=1e-12
    )
    return RewrittenIntegrand(
        z=z,
        q=qz,
        ratio=ratio,
        product=qz * ratio,
        joint=model.joint_density(x, z),
        product_area=area,
        evidence=model.evidence(x),
    )


__all__ += [
    "GRID_POINTS_PER_DIM",
    "GridIntegral",
    "RewrittenIntegrand",
    "decoder_crossings",
    "grid_evaluations",
    "grid_evidence",
    "rewritten_integrand",
]
