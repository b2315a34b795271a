"""Slide 9, "Why the KL term matters": one small VAE trained with and without the KL term.

Data: ``N_DATA`` points on a noisy crescent (an arc of a circle) in 2-D, seeded.
Model: 2-D latent z with prior N(0, I); Gaussian encoder q(z|x) = N(mu(x), diag s(x)^2)
from a one-hidden-layer tanh MLP; Gaussian decoder p(x|z) = N(g(z), SIGMA_X^2 I) with a
one-hidden-layer tanh MLP g. The loss per data point is the negative ELBO with the KL
weighted by beta::

    |x - g(z)|^2 / (2 SIGMA_X^2) + beta * KL(q(z|x) || N(0, I)),  z = mu + s * eps

(up to a constant), averaged over the data, one reparameterised sample per point per
step. Gradients are written by hand (checked against finite differences in the tests);
optimiser: full-batch Adam. Everything is seeded, so training is deterministic.

beta = 0 is a plain autoencoder with noise: codes sit wherever is convenient and shrink
to points (a lookup table), so samples from the prior decode off the data. beta = 1 is
the VAE: codes fill the prior, so prior samples decode onto the crescent and a straight
latent path between the two ends of the crescent decodes along it.

Training takes about 1.3 s per beta on one core, so nothing is cached on disk:
``load_kl_vae(beta)`` trains on first use and memoises the result for the process.
``python -m scenes.numerics.kl_vae`` trains both and prints the metrics the video states.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "KLVAEResult",
    "VAEParams",
    "N_DATA",
    "SIGMA_X",
    "BETAS",
    "make_dataset",
    "init_params",
    "encode",
    "decode",
    "loss_and_grads",
    "train_vae",
    "run_kl_vae",
    "load_kl_vae",
]

FloatArray = NDArray[np.float64]

N_DATA = 200
"""Number of data points on the crescent."""
SIGMA_X = 0.1
"""Fixed decoder noise std: about the data's own scatter off the arc."""
HIDDEN = 32
"""Hidden units in each of the encoder and decoder MLPs."""
STEPS = 8000
"""Full-batch Adam steps per training run."""
LEARNING_RATE = 0.01
N_PRIOR_SAMPLES = 300
N_INTERP = 25
BETAS: tuple[int, ...] = (0, 1)
DATA_SEED, INIT_SEED, TRAIN_SEED, PRIOR_SEED = 0, 1, 2, 3


def make_dataset(n: int = N_DATA, seed: int = DATA_SEED) -> FloatArray:
    """n points on a crescent: angle uniform in [0, pi] on a circle of radius 1.5,
    shifted down so the data are roughly centred, plus isotropic noise of std 0.08."""
    rng = np.random.default_rng(seed)
    theta = np.sort(rng.uniform(0.0, math.pi, n))
    arc = np.stack([1.5 * np.cos(theta), 1.5 * np.sin(theta) - 0.75], axis=1)
    return arc + 0.08 * rng.standard_normal((n, 2))


VAEParams = dict[str, FloatArray]
"""Network weights by name: encoder W1 b1 Wm bm Ws bs, decoder V1 c1 V2 c2."""


def init_params(hidden: int = HIDDEN, seed: int = INIT_SEED) -> VAEParams:
    """Seeded initial weights (scaled normal, zero biases; log-std bias starts at -1)."""
    rng = np.random.default_rng(seed)

    def w(fan_in: int, fan_out: int) -> FloatArray:
        return rng.standard_normal((fan_in, fan_out)) / math.sqrt(fan_in)

    return {
        "W1": w(2, hidden),
        "b1": np.zeros(hidden),
        "Wm": w(hidden, 2),
        "bm": np.zeros(2),
        "Ws": 0.1 * w(hidden, 2),
        "bs": np.full(2, -1.0),
        "V1": w(2, hidden),
        "c1": np.zeros(hidden),
        "V2": w(hidden, 2),
        "c2": np.zeros(2),
    }


def encode(params: VAEParams, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Posterior mean and std of q(z|x) for each row of x: two (N, 2) arrays."""
    h = np.tanh(x @ params["W1"] + params["b1"])
    return h @ params["Wm"] + params["bm"], np.exp(h @ params["Ws"] + params["bs"])


def decode(params: VAEParams, z: FloatArray) -> FloatArray:
    """Decoder mean g(z) for each row of z: an (M, 2) array."""
    return np.tanh(z @ params["V1"] + params["c1"]) @ params["V2"] + params["c2"]


def loss_and_grads(
    params: VAEParams, x: FloatArray, eps: FloatArray, beta: float, sigma_x: float = SIGMA_X
) -> tuple[float, VAEParams]:
    """Mean negative beta-ELBO over the batch (constants dropped) and its exact gradient.

    ``eps`` (same shape as the latent codes) is the reparameterisation noise, so the
    loss is a deterministic function of params given eps.
    """
    n = x.shape[0]
    # Forward pass.
    h = np.tanh(x @ params["W1"] + params["b1"])
    mu = h @ params["Wm"] + params["bm"]
    log_s = h @ params["Ws"] + params["bs"]
    s = np.exp(log_s)
    z = mu + s * eps
    g = np.tanh(z @ params["V1"] + params["c1"])
    xhat = g @ params["V2"] + params["c2"]
    resid = xhat - x
    recon = 0.5 * np.sum(resid**2) / sigma_x**2
    kl = np.sum(0.5 * (mu**2 + s**2 - 1.0) - log_s)
    loss = (recon + beta * kl) / n

    # Backward pass, layer by layer.
    d_xhat = resid / (sigma_x**2 * n)
    d_g = d_xhat @ params["V2"].T
    d_gpre = d_g * (1.0 - g**2)
    d_z = d_gpre @ params["V1"].T
    d_mu = d_z + beta * mu / n
    d_log_s = d_z * eps * s + beta * (s**2 - 1.0) / n
    d_h = d_mu @ params["Wm"].T + d_log_s @ params["Ws"].T
    d_hpre = d_h * (1.0 - h**2)
    grads = {
        "V2": g.T @ d_xhat,
        "c2": d_xhat.sum(0),
        "V1": z.T @ d_gpre,
        "c1": d_gpre.sum(0),
        "Wm": h.T @ d_mu,
        "bm": d_mu.sum(0),
        "Ws": h.T @ d_log_s,
        "bs": d_log_s.sum(0),
        "W1": x.T @ d_hpre,
        "b1": d_hpre.sum(0),
    }
    return float(loss), grads


def train_vae(
    data: FloatArray,
    beta: float,
    steps: int = STEPS,
    learning_rate: float = LEARNING_RATE,
    init_seed: int = INIT_SEED,
    train_seed: int = TRAIN_SEED,
) -> tuple[VAEParams, FloatArray]:
    """Full-batch Adam on the negative beta-ELBO; returns (params, loss per step).

    The same init and noise seeds are used for every beta, so the two runs differ only
    by the KL term.
    """
    params = init_params(seed=init_seed)
    rng = np.random.default_rng(train_seed)
    m = {k: np.zeros_like(w) for k, w in params.items()}
    v = {k: np.zeros_like(w) for k, w in params.items()}
    b1, b2, adam_eps = 0.9, 0.999, 1e-8
    losses = np.empty(steps)
    for t in range(1, steps + 1):
        eps = rng.standard_normal((data.shape[0], 2))
        losses[t - 1], grads = loss_and_grads(params, data, eps, beta)
        for k in params:
            m[k] = b1 * m[k] + (1 - b1) * grads[k]
            v[k] = b2 * v[k] + (1 - b2) * grads[k] ** 2
            m_hat = m[k] / (1 - b1**t)
            v_hat = v[k] / (1 - b2**t)
            params[k] = params[k] - learning_rate * m_hat / (np.sqrt(v_hat) + adam_eps)
    return params, losses


def _nearest_distance(points: FloatArray, reference: FloatArray) -> FloatArray:
    """Distance from each row of points to its nearest row of reference."""
    d2 = ((points[:, None, :] - reference[None, :, :]) ** 2).sum(-1)
    return np.sqrt(d2.min(axis=1))


@dataclass(frozen=True)
class KLVAEResult:
    """Everything slide 9 draws for one value of beta (arrays are float64).

    Arrays:
        data: (N, 2) training points.
        post_mean, post_std: (N, 2) mean and std of q(z|x_n) per data point.
        reconstruction: (N, 2) decoder mean at each posterior mean.
        prior_samples: (M, 2) z ~ N(0, I) (same seed for every beta).
        prior_decoded: (M, 2) decoder mean at each prior sample.
        interp_z: (K, 2) straight latent path between the codes (posterior means) of the
            two ends of the crescent, data[interp_endpoints].
        interp_decoded: (K, 2) decoder mean along that path.
        interp_endpoints: (2,) int indices into data of the path's two ends.
        losses: (steps,) training loss per step.

    Scalar metrics (the ones the video states):
        beta: KL weight used in training.
        aggregate_kl: KL(N(m, C) || N(0, I)) where m, C are the mean and covariance of
            the aggregate posterior (1/N) sum_n q(z|x_n): how far the codes as a whole
            sit from the prior.
        mean_kl: mean over data of KL(q(z|x_n) || N(0, I)), the regulariser itself.
        median_post_std: median over data and latent dims of the posterior std.
        prior_to_data: mean distance from each decoded prior sample to its nearest data
            point: do samples from the prior land on the data?
        data_to_prior: mean distance from each data point to its nearest decoded prior
            sample: does generation cover the data?
        interp_to_data: mean distance from each decoded interpolation point to its
            nearest data point: does the latent path stay on the data?
        recon_rmse: root mean squared reconstruction error (per coordinate).
    """

    beta: float
    data: FloatArray
    post_mean: FloatArray
    post_std: FloatArray
    reconstruction: FloatArray
    prior_samples: FloatArray
    prior_decoded: FloatArray
    interp_z: FloatArray
    interp_decoded: FloatArray
    interp_endpoints: NDArray[np.int64]
    losses: FloatArray
    aggregate_kl: float
    mean_kl: float
    median_post_std: float
    prior_to_data: float
    data_to_prior: float
    interp_to_data: float
    recon_rmse: float

    @property
    def chamfer(self) -> float:
        """Symmetric Chamfer distance between decoded prior samples and data."""
        return self.prior_to_data + self.data_to_prior


def run_kl_vae(beta: float, steps: int = STEPS) -> KLVAEResult:
    """Train the VAE with KL weight beta on the seeded crescent and compute every array
    and metric of ``KLVAEResult`` (deterministic; a few seconds)."""
    data = make_dataset()
    params, losses = train_vae(data, beta, steps=steps)
    post_mean, post_std = encode(params, data)
    prior_samples = np.random.default_rng(PRIOR_SEED).standard_normal((N_PRIOR_SAMPLES, 2))
    prior_decoded = decode(params, prior_samples)
    # The two ends of the crescent: leftmost and rightmost data points.
    ends = np.array([int(np.argmin(data[:, 0])), int(np.argmax(data[:, 0]))])
    t = np.linspace(0.0, 1.0, N_INTERP)[:, None]
    interp_z = (1 - t) * post_mean[ends[0]] + t * post_mean[ends[1]]
    interp_decoded = decode(params, interp_z)

    agg_mean = post_mean.mean(0)
    agg_cov = np.cov(post_mean, rowvar=False, bias=True) + np.diag((post_std**2).mean(0))
    aggregate_kl = 0.5 * (
        np.trace(agg_cov) + agg_mean @ agg_mean - 2.0 - np.log(np.linalg.det(agg_cov))
    )
    mean_kl = np.mean(np.sum(0.5 * (post_mean**2 + post_std**2 - 1.0) - np.log(post_std), 1))
    reconstruction = decode(params, post_mean)
    return KLVAEResult(
        beta=float(beta),
        data=data,
        post_mean=post_mean,
        post_std=post_std,
        reconstruction=reconstruction,
        prior_samples=prior_samples,
        prior_decoded=prior_decoded,
        interp_z=interp_z,
        interp_decoded=interp_decoded,
        interp_endpoints=ends,
        losses=losses,
        aggregate_kl=float(aggregate_kl),
        mean_kl=float(mean_kl),
        median_post_std=float(np.median(post_std)),
        prior_to_data=float(_nearest_distance(prior_decoded, data).mean()),
        data_to_prior=float(_nearest_distance(data, prior_decoded).mean()),
        interp_to_data=float(_nearest_distance(interp_decoded, data).mean()),
        recon_rmse=float(np.sqrt(np.mean((reconstruction - data) ** 2))),
    )


@functools.lru_cache(maxsize=4)
def load_kl_vae(beta: int) -> KLVAEResult:
    """The trained result for beta (0 or 1), memoised per process.

    The arrays are shared between callers: treat them as read-only.
    """
    return run_kl_vae(beta)


def _summary(r: KLVAEResult) -> str:
    return (
        f"beta={r.beta:g}: aggregate_kl={r.aggregate_kl:.3f} mean_kl={r.mean_kl:.3f} "
        f"median_post_std={r.median_post_std:.4f} prior_to_data={r.prior_to_data:.3f} "
        f"data_to_prior={r.data_to_prior:.3f} interp_to_data={r.interp_to_data:.3f} "
        f"recon_rmse={r.recon_rmse:.3f} final_loss={r.losses[-1]:.3f}"
    )


def main() -> None:
    """Train for every beta in BETAS and print the stated metrics."""
    for beta in BETAS:
        print(_summary(load_kl_vae(beta)))


if __name__ == "__main__":
    main()
