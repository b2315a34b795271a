"""The numbers behind every picture in the video (numpy and scipy only, no manim).

- ``toy_model``: a 1-D latent variable model with a two-mode posterior; exact log p(x),
  ELBO, gap = KL(q || p(z|x)), reverse- and forward-KL Gaussian fits, the optimiser's
  path, Jensen's picture and Monte Carlo estimates (slides 2, 3, 5, 6, 10); the ELBO's two
  decompositions, each term's pull on q and a step in theta (slides 8 and 10).
- ``kl_vae``: a small 2-D VAE trained with beta = 0 and beta = 1 (slide 9), trained once and
  shipped in ``assets/`` (``python -m scenes.numerics.kl_vae --retrain`` regenerates it).

Scenes read numbers from here and never type them.
"""

from typing import TYPE_CHECKING

from .toy_model import (
    MODEL,
    OBSERVED_X,
    POOR_START,
    Z_RANGE,
    ElboParts,
    FitStep,
    Gaussian,
    ISRun,
    JensenPicture,
    LogRatioTail,
    MCEstimate,
    ToyModel,
    decoder_offset_grad,
    elbo,
    elbo_monte_carlo,
    elbo_parts,
    fit_forward_kl,
    fit_reverse_kl,
    gap,
    importance_sampling_run,
    jensen_picture,
    kl_integrand,
    kl_to_posterior,
    kl_to_prior,
    kl_to_prior_grad,
    log_ratio_tail,
    optimiser_path,
    prior_path,
    reconstruction,
    reconstruction_grad,
    reconstruction_path,
    reverse_kl_local_optima,
    theta_step,
)

__all__ = [
    "MODEL",
    "OBSERVED_X",
    "POOR_START",
    "Z_RANGE",
    "ElboParts",
    "FitStep",
    "Gaussian",
    "ISRun",
    "JensenPicture",
    "KLVAEResult",
    "LogRatioTail",
    "MCEstimate",
    "ToyModel",
    "decoder_offset_grad",
    "elbo",
    "elbo_monte_carlo",
    "elbo_parts",
    "fit_forward_kl",
    "fit_reverse_kl",
    "gap",
    "importance_sampling_run",
    "jensen_picture",
    "kl_integrand",
    "kl_to_posterior",
    "kl_to_prior",
    "kl_to_prior_grad",
    "load_kl_vae",
    "log_ratio_tail",
    "optimiser_path",
    "prior_path",
    "reconstruction",
    "reconstruction_grad",
    "reconstruction_path",
    "reverse_kl_local_optima",
    "theta_step",
]

if TYPE_CHECKING:
    from .kl_vae import KLVAEResult, load_kl_vae


def __getattr__(name: str):
    # kl_vae is imported on first use, not with the package: ``python -m
    # scenes.numerics.kl_vae`` would otherwise find it imported twice (runpy's warning).
    if name in ("KLVAEResult", "load_kl_vae"):
        from . import kl_vae

        return getattr(kl_vae, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
