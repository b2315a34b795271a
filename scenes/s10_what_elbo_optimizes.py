"""Slide 10: What Does ELBO Really Optimize?

The gap identity log p(x) - L = KL(q(z|x) || p(z|x)) drawn as a picture: log p(x) a fixed
level, the ELBO a bar below it, the gap braced as the KL. The slide-3 fit runs again beside it
(q along ``numerics.optimiser_path``), so the ELBO rises and the gap shrinks from computed
numbers; a Gaussian cannot take the two-mode shape, so the gap stops above zero. Then the
three readings of the identity and the two-fold conclusion.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    VGroup,
    Write,
)

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene
from scenes import formulas, pictures

FIT_SECONDS = 8.0
BAR_DROP = 0.95  # how far the bar moves down to make room for the bullet points


class WhatELBOOptimizes(LectureScene):
    """Slide 10: the gap between log p(x) and the ELBO is KL(q(z|x) || p(z|x))."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        follower = pictures.PathFollower.from_optimiser()

        with self.beat(
            "The gap between the true likelihood and the ELBO is a KL divergence.",
            key_frame="gap-identity",
        ):
            heading = style.tex(r"\textbf{The gap between true likelihood and ELBO:}")
            style.at_content_top(heading)
            identity = style.math(*formulas.GAP_IDENTITY)
            identity.next_to(heading, DOWN, buff=0.35).align_to(heading, LEFT).shift(0.4 * RIGHT)
            self.play(FadeIn(heading, shift=0.2 * DOWN))
            self.play(Write(identity), run_time=2)
            self.wait(2)

        with self.beat(
            "log p(x) is a fixed level, the ELBO a bar below it; the gap is the KL.",
            key_frame="gap-picture",
        ):
            plot, legend, bar = pictures.fit_picture(follower)
            kl_box = style.emphasis_box(identity[4], color=theme.kl, buff=0.06)
            self.play(FadeIn(bar), Create(kl_box))
            plot.reveal(self, legend)
            self.wait(2.5)

        with self.beat(
            "Fit q again: as the ELBO rises, the gap (the KL to the posterior) shrinks.",
            key_frame="gap-shrinks",
        ):
            self.play(follower.to_end(FIT_SECONDS))
            self.wait(2)

        with self.beat("The gap is the KL between the approximate and the true posterior."):
            self.play(FadeOut(VGroup(plot, legend)), bar.animate.shift(BAR_DROP * DOWN))
            interpretation = self._lines(
                r"\textbf{Interpretation:}",
                r"$\bullet$ The gap is the KL between approximate and true posterior",
                r"$\bullet$ Gap $\geq 0$ always (KL is non-negative)",
                r"$\bullet$ When $\qp = \pt$, gap is zero",
            )
            interpretation.next_to(identity, DOWN, buff=0.45).align_to(heading, LEFT)
            self.play(FadeIn(interpretation[:2], shift=0.1 * UP))
            self.wait(2.5)

        with self.beat("KL is never negative, so the ELBO never rises above log p(x)."):
            self.play(FadeIn(interpretation[2], shift=0.1 * UP))
            self.wait(2.5)

        with self.beat(
            "Gap is zero only when q equals the true posterior; one Gaussian can't.",
            key_frame="interpretation",
        ):
            self.play(FadeIn(interpretation[3], shift=0.1 * UP))
            self.play(Create(style.emphasis_box(bar.kl_label, color=theme.kl, buff=0.08)))
            self.wait(3)

        with self.beat(
            "So maximising the ELBO learns the model and does approximate inference.",
            key_frame="conclusion",
        ):
            conclusion = self._lines(
                r"\textbf{Maximizing ELBO simultaneously:}",
                r"1. Learns the generative model $\pt$",
                r"2. Performs approximate Bayesian inference",
            )
            conclusion.next_to(interpretation, DOWN, buff=0.45).align_to(heading, LEFT)
            self.play(FadeIn(conclusion[0], shift=0.1 * UP))
            self.play(FadeIn(conclusion[1], shift=0.1 * UP))
            self.play(FadeIn(conclusion[2], shift=0.1 * UP))
            self.play(Create(style.emphasis_box(conclusion)))
            self.wait(3.5)

    @staticmethod
    def _lines(head: str, *rows: str) -> VGroup:
        """A bold heading and indented rows of text-mode LaTeX, aligned left."""
        lines = VGroup(style.tex(head), *(style.tex(r, size=style.LABEL_SIZE + 2) for r in rows))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        for row in lines[1:]:
            row.shift(0.4 * RIGHT)
        return lines
