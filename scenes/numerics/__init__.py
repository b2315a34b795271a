"""The numbers behind every picture in the video (numpy and scipy only, no manim).

- ``toy_model``: a 1-D latent variable model with a two-mode posterior; exact log p(x),
  ELBO, gap = KL(q || p(z|x)), reverse- and forward-KL Gaussian fits, the optimiser's
  path, Jensen's picture and Monte Carlo estimates (slides 2, 3, 5, 6, 10).
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
    FitStep,
    Gaussian,
    ISRun,
    JensenPicture,
    LogRatioTail,
    MCEstimate,
    ToyModel,
    elbo,
    elbo_monte_carlo,
    fit_forward_kl,
    fit_reverse_kl,
    gap,
    importance_sampling_run,
    jensen_picture,
    kl_to_posterior,
    log_ratio_tail,
    optimiser_path,
    reverse_kl_local_optima,
)

__all__ = [
    "MODEL",
    "OBSERVED_X",
    "POOR_START",
    "Z_RANGE",
    "FitStep",
    "Gaussian",
    "ISRun",
    "JensenPicture",
    "KLVAEResult",
    "LogRatioTail",
    "MCEstimate",
    "ToyModel",
    "elbo",
    "elbo_monte_carlo",
    "fit_forward_kl",
    "fit_reverse_kl",
    "gap",
    "importance_sampling_run",
    "jensen_picture",
    "kl_to_posterior",
    "load_kl_vae",
    "log_ratio_tail",
    "optimiser_path",
    "reverse_kl_local_optima",
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
