"""Formulas that appear on more than one slide, as MathTex pieces (see ``style.math``).

Pieces are split where a derivation step changes the formula, so ``TransformMatchingTex``
carries the pieces that stay. The symbol macros (``\\x``, ``\\pt``, ``\\qp``, ...) are defined
in ``deck.toml`` and baked into the TeX template with their colours.
"""

from __future__ import annotations

from lecturekit.scene.derivation import frac

LOG_EVIDENCE = r"\log \pt(\x)"
JOINT = r"\pt(\x, \z)"
Q_ENCODER = r"\qp(\z \given \x)"
TRUE_POSTERIOR = r"\pt(\z \given \x)"
PRIOR = r"\p(\z)"
DECODER = r"\pt(\x \given \z)"
EXPECTATION_Q = r"\E_{\qp(\z \given \x)}"

# log p(x) = log ∫ p(x, z) dz   (slides 1, 2, 4)
LOG_MARGINAL = (LOG_EVIDENCE, "=", r"\log \int", JOINT, r"\, d\z")

# E_q[log p(x|z)] - KL(q(z|x) || p(z))   (slides 7, 8, 10, summary)
RECONSTRUCTION = EXPECTATION_Q + r"\big[\log " + DECODER + r"\big]"
KL_TO_PRIOR = r"\KL\big(" + Q_ENCODER + r" \,\|\, " + PRIOR + r"\big)"
ELBO_RHS = (RECONSTRUCTION, "-", KL_TO_PRIOR)
ELBO_LHS = r"\elbo(\thetac, \phic; \x)"

# log p(x) - L = KL(q(z|x) || p(z|x))   (slide 10)
KL_TO_POSTERIOR = r"\KL\big(" + Q_ENCODER + r" \,\|\, " + TRUE_POSTERIOR + r"\big)"
GAP_IDENTITY = (LOG_EVIDENCE, "-", r"\elbo", "=", KL_TO_POSTERIOR)


def expectation_q(*inner: str) -> tuple[str, ...]:
    """E_{q_phi(z|x)}[ inner ] as pieces; the subscript q is its own piece, so it can travel."""
    return (r"\E_{", Q_ENCODER, "}", r"\Big[", *inner, r"\Big]")


# p_theta(x, z) / q_phi(z|x), the importance ratio of slides 4 to 6.
RATIO = frac(JOINT, Q_ENCODER)
# log p_theta(x, z) - log q_phi(z|x), inside the bound of slides 6 and 7.
BOUND = (r"\log", JOINT, "-", r"\log", Q_ENCODER)

# The proposal r(z) of slides 5 and 6: the moment-matched (forward-KL) Gaussian, which covers
# both posterior modes. It is not the encoder's q_phi(z|x) (the ELBO fit), so it has its own
# letter; drawn dashed in the encoder's colour (a Gaussian of the same family).
PROPOSAL_SYMBOL = r"{\color{sym-q}r}"
PROPOSAL = PROPOSAL_SYMBOL + r"(\z)"
# p_theta(x, z) / r(z), the importance ratio when sampling from r.
PROPOSAL_RATIO = frac(JOINT, PROPOSAL)
