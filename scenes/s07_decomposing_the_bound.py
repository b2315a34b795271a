"""Slide 7: Decomposing the Bound.

Inside the bound, the joint p_theta(x, z) expands into decoder times prior; the log of the
product splits into a sum; linearity of the expectation regroups the terms; the second group is
a KL divergence. The two terms are named (reconstruction, regularization) and the slide's
interpretation table closes the scene. The chain fills the slide's height at full formula size
(so the subscripts of E_q stay legible); the result and the table are centred in the content
area at a size where the table's subscripts read at 480p.
"""

from __future__ import annotations

from manim import *

from lecturekit.scene import style
from lecturekit.scene.derivation import DerivationScene
from scenes import formulas
from scenes.formulas import BOUND, expectation_q

Q = formulas.Q_ENCODER
DECODER = formulas.DECODER
PRIOR = formulas.PRIOR
SIZE = style.MATH_SIZE  # the chain; its widest line (the regrouped one) just fits the frame
RELATION_X = -3.9  # the chain's relation signs line up here, reasons to their left
CHAIN_GAP = 0.42  # between chain lines: five lines and the step fill the content height
TABLE_MATH_SIZE = style.MATH_SIZE + 4  # first-level subscripts (E_q) at font size 30 or more
NAME_SIZE = style.LABEL_SIZE + 4


class DecomposingTheBound(DerivationScene):
    """Slide 7: the bound becomes E_q[log p_theta(x|z)] - KL(q_phi(z|x) || p(z))."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "Step 4: expand the joint, p(x, z) = p(x|z) p(z).",
            say="Step four: expand the joint distribution into the decoder times the prior.",
        ):
            step = self.step_line(
                r"\textbf{Step 4:} Expand the joint distribution "
                r"$\pt(\x, \z) = \pt(\x \given \z) \cdot \p(\z)$."
            )
            bound = style.math(formulas.LOG_EVIDENCE, r"\geq", *expectation_q(*BOUND), size=SIZE)
            self.place_line(bound, step, buff=0.3)
            bound.shift((RELATION_X - bound[1].get_left()[0]) * RIGHT)
            self.play(FadeIn(bound))
            self.wait(2)

        with self.beat(
            "Inside the log, the joint becomes decoder times prior.",
            key_frame="joint-expanded",
            say="Inside the log, p theta of x and z becomes p theta of x given z, times the "
            "prior, p of z.",
        ):
            expanded = style.math(
                "=",
                *expectation_q(r"\log", r"\big(", DECODER, r"\,", PRIOR, r"\big)", "-", r"\log", Q),
                size=SIZE,
            )
            self.place_line(expanded, bound, buff=CHAIN_GAP, align=bound[1])
            why_joint = self.derive(
                bound,
                expanded,
                why=r"$\pt(\x, \z) =$\\ $\pt(\x \given \z)\, \p(\z)$",
                key_map={r"\geq": "="},
                split={formulas.JOINT: (DECODER, PRIOR)},
                why_side=LEFT,
            )

        with self.beat(
            "The log of a product is a sum of logs.",
            say="The log of a product is a sum of logs, so we now have three log terms.",
        ):
            summed = style.math(
                "=",
                *expectation_q(r"\log", DECODER, "+", r"\log", PRIOR, "-", r"\log", Q),
                size=SIZE,
            )
            self.place_line(summed, expanded, buff=CHAIN_GAP, align=bound[1])
            why_sum = self.derive(
                expanded, summed, why=r"$\log ab =$\\ $\log a + \log b$", why_side=LEFT
            )

        with self.beat(
            "Linearity of E: group the terms that compare q with the prior.",
            key_frame="regrouped",
            say="By linearity of the expectation, we keep the decoder term apart, and group the "
            "two terms that compare q with the prior.",
        ):
            regrouped = style.math(
                "=",
                *expectation_q(r"\log", DECODER),
                "-",
                *expectation_q(r"\log", Q, "-", r"\log", PRIOR),
                size=SIZE,
            )
            self.place_line(regrouped, summed, buff=CHAIN_GAP, align=bound[1])
            why_linear = self.derive(summed, regrouped, why=r"linearity of $\E$", why_side=LEFT)

        with self.beat(
            "The second expectation is the KL divergence from q(z|x) to the prior.",
            key_frame="kl",
            say="That second expectation is, by definition, the KL divergence from q of z given "
            "x to the prior.",
        ):
            elbo = style.math("=", *formulas.ELBO_RHS, size=SIZE)
            self.place_line(elbo, regrouped, buff=CHAIN_GAP, align=bound[1])
            half = 1 + len(expectation_q(r"\log", DECODER))  # "=" and the first expectation
            moving = regrouped.copy()
            self.play(
                ReplacementTransform(moving[0], elbo[0]),
                ReplacementTransform(VGroup(*moving[1:half]), elbo[1]),
                ReplacementTransform(moving[half], elbo[2]),
                ReplacementTransform(VGroup(*moving[half + 1 :]), elbo[3]),
                run_time=2,
            )
            why = self.why(r"definition\\ of $\KL$", elbo, side=LEFT)
            self.play(FadeIn(why))
            self.wait(2.6)

        with self.beat(
            "The first term is reconstruction, the KL term is regularization.",
            key_frame="named-terms",
            say="So log p theta of x is at least a difference: reconstruction in yellow, minus "
            "the violet KL term, regularization.",
        ):
            chain = VGroup(
                step, bound, expanded, summed, regrouped, why_joint, why_sum, why_linear, why
            )
            self.play(FadeOut(chain))
            # The result, its named terms and the table below, centred in the content area.
            result = style.math(
                formulas.LOG_EVIDENCE, r"\geq", *formulas.ELBO_RHS, size=style.MATH_SIZE + 4
            )
            names = VGroup(
                self._name(result[2], "Reconstruction", theme.data),
                self._name(result[4], "Regularization", theme.kl),
            )
            table = self._interpretation_table()
            table.next_to(names, DOWN, buff=0.75).set_x(0)
            layout = VGroup(result, names, table)
            _, _, bottom, _ = style.safe_box()
            layout.shift(((style.content_top() + bottom) / 2 - layout.get_y()) * UP)
            self.play(
                ReplacementTransform(elbo[1:], result[2:]),
                ReplacementTransform(elbo[0], result[1]),
                FadeIn(result[0]),
                run_time=1.6,
            )
            self.play(LaggedStart(*(FadeIn(n, shift=0.15 * DOWN) for n in names), lag_ratio=0.5))
            self.wait(3)

        with self.beat(
            "Reconstruction: explain x. Regularization: keep the encoder near the prior.",
            key_frame="interpretation",
            say="Reconstruction asks how well the decoder explains x from codes drawn from q. "
            "Regularization keeps the encoder close to the prior.",
        ):
            self.play(FadeIn(VGroup(table.header, table.rule)))
            self.play(
                LaggedStart(*(FadeIn(row, shift=0.1 * UP) for row in table.rows), lag_ratio=0.6),
                run_time=2.6,
            )
            self.wait(4)

    def _name(self, term: Mobject, name: str, color: str) -> VGroup:
        """A brace under a term and its name, in the formulas' face (like the kit's TermName,
        whose label is still in the sans face)."""
        brace = Brace(term, DOWN, buff=0.1, color=self.theme.muted)
        label = style.tex(name, size=NAME_SIZE, color=color).next_to(brace, DOWN, buff=0.1)
        return VGroup(brace, label)

    def _interpretation_table(self) -> style.Table:
        rows = [
            [
                style.math(formulas.RECONSTRUCTION, size=TABLE_MATH_SIZE),
                style.tex(r"\textbf{Reconstruction}: How well does the decoder explain $\x$?"),
            ],
            [
                style.math(formulas.KL_TO_PRIOR, size=TABLE_MATH_SIZE),
                style.tex(r"\textbf{Regularization}: Keep encoder close to prior"),
            ],
        ]
        return style.Table(["Term", "Interpretation"], rows, column_gap=0.45, row_gap=0.45)
