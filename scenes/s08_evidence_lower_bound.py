"""Slide 8: Evidence Lower Bound (ELBO).

Slide 7 ended on the bound log p(x) >= reconstruction - KL to the prior, its two terms named.
Here the bound's right side gets its own name: L(theta, phi; x) is written in place of
"log p(x) >=", and the objective is framed. Maximising it does two things at once, each tied by
an arrow, a colour and a label to the term that does it.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    UP,
    Animation,
    AnimationGroup,
    Arrow,
    Brace,
    Create,
    FadeIn,
    GrowArrow,
    Mobject,
    Transform,
    TransformMatchingTex,
    Write,
)

from lecturekit.scene import style
from lecturekit.scene.derivation import DerivationScene, TermName
from scenes import formulas

FORMULA_Y = 1.2
ITEM_TOP = -1.3
FORMULA_SIZE = style.MATH_SIZE + 4
ITEM_SIZE = style.HEADING_SIZE + 2


class EvidenceLowerBound(DerivationScene):
    """Slide 8: L(theta, phi; x) = E_q[log p(x|z)] - KL(q(z|x) || p(z)) and its two effects."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "Slide 7 ended on two terms: reconstruction minus regularization.",
            key_frame="two-terms",
        ):
            bound = style.math(formulas.LOG_EVIDENCE, r"\geq", *formulas.ELBO_RHS)
            bound.next_to([0, style.content_top(), 0], DOWN, buff=0.3)
            self.play(FadeIn(bound))
            recon_brace = self.name_term(bound[2], "Reconstruction", theme.data)
            kl_brace = self.name_term(bound[4], "Regularization", theme.kl)
            self.wait(2)

        with self.beat("Together they are the VAE objective, the ELBO.", key_frame="objective"):
            heading = style.tex(r"\textbf{The VAE objective:}", size=style.HEADING_SIZE)
            heading.next_to([0, style.content_top(), 0], DOWN, buff=0.15)
            heading.to_edge(LEFT, buff=style.SAFE_MARGIN + 0.4)
            objective = style.math(formulas.ELBO_LHS, "=", *formulas.ELBO_RHS, size=FORMULA_SIZE)
            objective.move_to([0.2, FORMULA_Y, 0])
            self.play(
                TransformMatchingTex(bound, objective),
                *(
                    self._follow(brace, term)
                    for brace, term in ((recon_brace, objective[2]), (kl_brace, objective[4]))
                ),
                run_time=2,
            )
            self.play(FadeIn(heading, shift=0.2 * DOWN))
            frame = style.emphasis_box(objective, color=theme.elbo, buff=0.15)
            self.play(Create(frame))
            self.wait(2)

        with self.beat("Maximizing the ELBO does two things at once."):
            goals = style.tex(r"\textbf{Maximizing ELBO}\\\textbf{simultaneously:}", size=ITEM_SIZE)
            goals.to_edge(LEFT, buff=style.SAFE_MARGIN + 0.05).set_y(ITEM_TOP - goals.height / 2)
            self.play(FadeIn(goals, shift=0.2 * UP))
            self.wait(1.5)

        with self.beat(
            "1. It improves reconstruction quality: the first term.", key_frame="reconstruction"
        ):
            first = style.tex(
                r"1. Improves\\reconstruction quality", size=ITEM_SIZE, color=theme.data
            )
            self._tie(first, recon_brace, x=-0.15)
            self.wait(2)

        with self.beat(
            "2. It keeps the latent distribution well-structured: the KL term.",
            key_frame="regularization",
        ):
            second = style.tex(
                r"2. Keeps the latent\\distribution\\well-structured",
                size=ITEM_SIZE,
                color=theme.kl,
            )
            self._tie(second, kl_brace, x=4.6)
            self.wait(3)

    def _follow(self, named: TermName, term: Mobject) -> Animation:
        """Move a term's brace and name (from ``name_term``) under the term's new place.

        The brace is rebuilt to the term's new width, and sits low enough to clear the frame
        drawn around the objective.
        """
        brace, label = named.brace, named.label
        new_brace = Brace(term, DOWN, buff=0.3, color=brace.get_color())
        new_label = label.copy().next_to(new_brace, DOWN, buff=0.08)
        return AnimationGroup(Transform(brace, new_brace), Transform(label, new_label))

    def _tie(self, item: Mobject, named: TermName, x: float) -> None:
        """Show a numbered effect under its term, with an arrow from the term's label."""
        item.move_to([x, ITEM_TOP - item.height / 2, 0])
        label = named.label
        arrow = Arrow(
            label.get_bottom(),
            item.get_top(),
            buff=0.1,
            stroke_width=4,
            max_tip_length_to_length_ratio=0.3,
            color=label.get_color(),
        )
        self.play(GrowArrow(arrow))
        self.play(Write(item), run_time=1.5)
