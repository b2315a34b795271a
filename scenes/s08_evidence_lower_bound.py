"""Slide 8: Evidence Lower Bound (ELBO).

The two terms slide 7 ended on (reconstruction minus the KL to the prior) get their name: the
left side L(theta, phi; x) is written, and the whole objective is framed. Maximising it does two
things at once, each tied by an arrow, a colour and a label to the term that does it.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    UP,
    Arrow,
    Brace,
    Create,
    FadeIn,
    GrowArrow,
    Mobject,
    TransformMatchingTex,
    VGroup,
    Write,
)

from scenes import formulas, style
from scenes.lecture import LectureScene

FORMULA_Y = 1.2
ITEM_TOP = -1.3
FORMULA_SIZE = style.MATH_SIZE + 4
ITEM_SIZE = style.HEADING_SIZE + 2


class EvidenceLowerBound(LectureScene):
    """Slide 8: L(theta, phi; x) = E_q[log p(x|z)] - KL(q(z|x) || p(z)) and its two effects."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        # The two terms, as slide 7 ended
        self.caption("Slide 7 ended on two terms: reconstruction minus regularization.")
        rhs = style.math("=", *formulas.ELBO_RHS, size=FORMULA_SIZE)
        rhs.move_to([0, FORMULA_Y, 0])
        self.play(FadeIn(rhs))
        recon_brace = self._term_brace(rhs[1], "Reconstruction", theme.posterior)
        kl_brace = self._term_brace(rhs[3], "Regularization", theme.kl)
        self.play(FadeIn(recon_brace, kl_brace, shift=0.1 * UP))
        self.wait(2)
        self.key_frame("two-terms")

        # Write the left side: this is the VAE objective
        self.caption("Together they are the VAE objective, the ELBO.")
        heading = style.tex(r"\textbf{The VAE objective:}", size=style.HEADING_SIZE)
        heading.next_to([0, style.content_top(), 0], DOWN, buff=0.15)
        heading.to_edge(LEFT, buff=style.SAFE_MARGIN + 0.4)
        objective = style.math(formulas.ELBO_LHS, "=", *formulas.ELBO_RHS, size=FORMULA_SIZE)
        objective.move_to([0.2, FORMULA_Y, 0])
        self.play(FadeIn(heading, shift=0.2 * DOWN))
        self.play(
            TransformMatchingTex(rhs, objective),
            recon_brace.animate.match_x(objective[2]),
            kl_brace.animate.match_x(objective[4]),
            run_time=2,
        )
        frame = style.emphasis_box(objective, colour=theme.elbo, buff=0.15)
        self.play(Create(frame))
        self.wait(2)
        self.key_frame("objective")

        # Maximizing the ELBO does two things at once
        self.caption("Maximizing the ELBO does two things at once.")
        goals = style.tex(r"\textbf{Maximizing ELBO}\\\textbf{simultaneously:}",
                          size=ITEM_SIZE)
        goals.to_edge(LEFT, buff=style.SAFE_MARGIN + 0.05).set_y(ITEM_TOP - goals.height / 2)
        self.play(FadeIn(goals, shift=0.2 * UP))
        self.wait(1.5)

        # 1. Improves reconstruction quality: the reconstruction term
        self.caption("1. It improves reconstruction quality: the first term.")
        first = style.tex(r"1. Improves\\reconstruction quality", size=ITEM_SIZE,
                          color=theme.posterior)
        self._tie(first, recon_brace, x=-0.15)
        self.wait(2)
        self.key_frame("reconstruction")

        # 2. Keeps the latent distribution well-structured: the KL term
        self.caption("2. It keeps the latent distribution well-structured: the KL term.")
        second = style.tex(r"2. Keeps the latent\\distribution\\well-structured",
                           size=ITEM_SIZE, color=theme.kl)
        self._tie(second, kl_brace, x=4.6)
        self.wait(3)
        self.key_frame("regularization")

    def _term_brace(self, term: Mobject, label: str, colour: str) -> VGroup:
        """A brace under a term with its name in the term's colour."""
        brace = Brace(term, DOWN, buff=0.3, color=colour)  # clears the frame drawn later
        name = style.text(label, size=style.LABEL_SIZE + 2, colour=colour, weight="BOLD")
        name.next_to(brace, DOWN, buff=0.1)
        return VGroup(brace, name)

    def _tie(self, item: Mobject, term_brace: VGroup, x: float) -> None:
        """Show a numbered effect under its term, with an arrow from the term's label."""
        item.move_to([x, ITEM_TOP - item.height / 2, 0])
        label = term_brace[1]
        arrow = Arrow(label.get_bottom(), item.get_top(), buff=0.1, stroke_width=4,
                      max_tip_length_to_length_ratio=0.3, color=label.get_color())
        self.play(GrowArrow(arrow))
        self.play(Write(item), run_time=1.5)
