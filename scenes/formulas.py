"""Formulas that appear on more than one slide, as MathTex pieces (see ``style.math``).

Pieces are split where a derivation step changes the formula, so ``TransformMatchingTex``
carries the pieces that stay. The symbol macros (``\\x``, ``\\pt``, ``\\qp``, ...) are defined
in ``style.tex_template``.
"""

from __future__ import annotations

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
