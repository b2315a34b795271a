"""Slide 7: Decomposing the Bound.

Inside the bound, the joint p_theta(x, z) expands into decoder times prior; the log of the
product splits into a sum; linearity of the expectation regroups the terms; the second group is
a KL divergence. The two terms are named (reconstruction, regularization) and the slide's
interpretation table closes the scene.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    LaggedStart,
    ReplacementTransform,
    VGroup,
)

from lecturekit.scene import style
from lecturekit.scene.derivation import DerivationScene
from scenes import formulas
from scenes.formulas import BOUND, expectation_q

Q = formulas.Q_ENCODER
DECODER = formulas.DECODER
PRIOR = formulas.PRIOR
SIZE = style.MATH_SIZE - 4  # five chain lines and their reasons share the slide
RELATION_X = -3.3  # the chain's relation signs line up here, reasons to their left


class DecomposingTheBound(DerivationScene):
    """Slide 7: the bound becomes E_q[log p_theta(x|z)] - KL(q_phi(z|x) || p(z))."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat("Step 4: expand the joint, p(x, z) = p(x|z) p(z)."):
            step = self.step_line(
                r"\textbf{Step 4:} Expand the joint distribution "
                r"$\pt(\x, \z) = \pt(\x \given \z) \cdot \p(\z)$."
            )
            bound = style.math(formulas.LOG_EVIDENCE, r"\geq", *expectation_q(*BOUND), size=SIZE)
            self.place_line(bound, step, buff=0.35)
            bound.shift((RELATION_X - bound[1].get_left()[0]) * RIGHT)
            self.play(FadeIn(bound))
            self.wait(2)

        with self.beat(
            "Inside the log, the joint becomes decoder times prior.", key_frame="joint-expanded"
        ):
            expanded = style.math(
                "=",
                *expectation_q(r"\log", r"\big(", DECODER, r"\,", PRIOR, r"\big)", "-", r"\log", Q),
                size=SIZE,
            )
            self.place_line(expanded, bound, buff=0.25, align=bound[1])
            why_joint = self.derive(
                bound,
                expanded,
                why=r"$\pt(\x, \z) = \pt(\x \given \z)\, \p(\z)$",
                key_map={r"\geq": "="},
                split={formulas.JOINT: (DECODER, PRIOR)},
                why_side=LEFT,
            )

        with self.beat("The log of a product is a sum of logs."):
            summed = style.math(
                "=",
                *expectation_q(r"\log", DECODER, "+", r"\log", PRIOR, "-", r"\log", Q),
                size=SIZE,
            )
            self.place_line(summed, expanded, buff=0.25, align=bound[1])
            why_sum = self.derive(
                expanded, summed, why=r"$\log ab = \log a + \log b$", why_side=LEFT
            )

        with self.beat(
            "Linearity of E: group the terms that compare q with the prior.", key_frame="regrouped"
        ):
            regrouped = style.math(
                "=",
                *expectation_q(r"\log", DECODER),
                "-",
                *expectation_q(r"\log", Q, "-", r"\log", PRIOR),
                size=SIZE,
            )
            self.place_line(regrouped, summed, buff=0.25, align=bound[1])
            why_linear = self.derive(summed, regrouped, why=r"linearity of $\E$", why_side=LEFT)

        with self.beat(
            "The second expectation is the KL divergence from q(z|x) to the prior.", key_frame="kl"
        ):
            elbo = style.math("=", *formulas.ELBO_RHS, size=SIZE)
            self.place_line(elbo, regrouped, buff=0.25, align=bound[1])
            half = 1 + len(expectation_q(r"\log", DECODER))  # "=" and the first expectation
            moving = regrouped.copy()
            self.play(
                ReplacementTransform(moving[0], elbo[0]),
                ReplacementTransform(VGroup(*moving[1:half]), elbo[1]),
                ReplacementTransform(moving[half], elbo[2]),
                ReplacementTransform(VGroup(*moving[half + 1 :]), elbo[3]),
                run_time=2,
            )
            why = self.why(r"$\KL = \E_{\q}[\log \q - \log \p]$", elbo, side=LEFT)
            self.play(FadeIn(why))
            self.wait(2.6)

        with self.beat(
            "The first term is reconstruction, the KL term is regularization.",
            key_frame="named-terms",
        ):
            chain = VGroup(
                step, bound, expanded, summed, regrouped, why_joint, why_sum, why_linear, why
            )
            self.play(FadeOut(chain))
            result = style.math(formulas.LOG_EVIDENCE, r"\geq", *formulas.ELBO_RHS)
            result.next_to([0, style.content_top(), 0], DOWN, buff=0.3)
            self.play(
                ReplacementTransform(elbo[1:], result[2:]),
                ReplacementTransform(elbo[0], result[1]),
                FadeIn(result[0]),
                run_time=1.6,
            )
            reconstruction = self.name_term(result[2], "Reconstruction", theme.data)
            regularization = self.name_term(result[4], "Regularization", theme.kl)
            self.wait(2.6)

        with self.beat(
            "Reconstruction: explain x. Regularization: keep the encoder near the prior.",
            key_frame="interpretation",
        ):
            table = self._interpretation_table()
            table.next_to(VGroup(reconstruction, regularization), DOWN, buff=0.8).set_x(0)
            self.play(FadeIn(VGroup(table.header, table.rule)))
            self.play(
                LaggedStart(*(FadeIn(row, shift=0.1 * UP) for row in table.rows), lag_ratio=0.6),
                run_time=2.6,
            )
            self.wait(4)

    def _interpretation_table(self) -> style.Table:
        rows = [
            [
                style.math(formulas.RECONSTRUCTION, size=SIZE - 4),
                style.tex(r"\textbf{Reconstruction}: How well does the decoder explain $\x$?"),
            ],
            [
                style.math(formulas.KL_TO_PRIOR, size=SIZE - 4),
                style.tex(r"\textbf{Regularization}: Keep encoder close to prior"),
            ],
        ]
        return style.Table(["Term", "Interpretation"], rows, column_gap=0.45)
