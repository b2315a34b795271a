"""Slide 3: Variational Approximation.

q_phi(z|x) ≈ p_theta(z|x): an encoder maps x to the mean and width of a Gaussian q. The fit is
shown live: q walks the optimiser's path (``numerics.optimiser_path``) from a poor start onto
the true posterior of the toy model while its ELBO and gap (the KL) update beside it; the
moment-matched (forward-KL) Gaussian is drawn dashed in contrast. The slide's question closes.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Arrow,
    Create,
    FadeIn,
    Polygon,
    VGroup,
    Write,
)

from scenes import formulas, plots, style
from scenes.lecture import LectureScene
from scenes.numerics import (
    OBSERVED_X,
    fit_forward_kl,
    kl_to_posterior,
)

FIT_SECONDS = 8.0


class VariationalApproximation(LectureScene):
    """Slide 3: an encoder's Gaussian q_phi(z|x) fitted to the true posterior p_theta(z|x)."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        follower = plots.PathFollower.from_optimiser()

        # Solution: learn an encoder network to approximate the true posterior
        self.caption("Solution: learn an encoder network to approximate the true posterior.")
        solution = style.tex(r"\textbf{Solution:} Learn an encoder network to approximate "
                             r"the true posterior.")
        style.at_content_top(solution)
        approx = style.math(formulas.Q_ENCODER, r"\approx", formulas.TRUE_POSTERIOR)
        approx.next_to(solution, DOWN, buff=0.45).align_to(solution, LEFT).shift(0.4 * RIGHT)
        self.play(FadeIn(solution, shift=0.2 * DOWN))
        self.play(Write(approx), run_time=1.5)
        self.wait(2)
        self.key_frame("approximation")

        # The encoder maps x to the parameters (mean and width) of q
        self.caption("The encoder maps x to the parameters of q: a mean and a width.")
        encoder = self._encoder(follower)
        encoder.next_to(approx, RIGHT, buff=0.9)
        self.play(FadeIn(encoder[:4]))
        self.play(FadeIn(encoder[4:]))
        self.wait(2)
        self.key_frame("encoder")

        # Start from a poor guess: q far from the true posterior
        self.caption("Start from a poor guess of q: the ELBO is low, the gap is large.")
        plot, legend, bar = plots.fit_picture(follower, forward=True)
        plots.reveal_fit_plot(self, plot, legend[:2])
        self.play(FadeIn(bar))
        self.wait(2)
        self.key_frame("poor-start")

        # Fit: maximising the ELBO walks q onto the posterior, the gap shrinks
        self.caption("Maximising the ELBO moves q onto one mode and shrinks the gap (the KL).")
        self.play(follower.to_end(FIT_SECONDS))
        self.wait(2)
        self.key_frame("fitted")

        # Contrast: the moment-matched (forward KL) Gaussian, dashed
        self.caption("Moment matching (forward KL) spans both modes, but its gap is far larger.")
        forward = fit_forward_kl()
        forward_curve = plots.density_graph(plot[0], forward.pdf, theme.approx, dashed=True)
        forward_gap = plots.labelled_number(
            style.tex(r"its gap $\KL$", size=style.LABEL_SIZE),
            lambda: kl_to_posterior(forward), theme.kl, size=style.LABEL_SIZE)
        forward_gap.next_to(legend, DOWN, buff=0.2).align_to(legend[2][1], LEFT)
        self.play(Create(forward_curve), FadeIn(legend[2]), run_time=1.5)
        self.play(FadeIn(forward_gap))
        self.wait(3)
        self.key_frame("forward-kl")

        # Question: how do we use q to get a tractable learning objective?
        self.caption("Question: how do we use q to get a tractable learning objective?")
        question = style.tex(r"\textbf{Question:} How do we use $\qp$ to get a tractable "
                             r"learning objective?")
        plots.show_boxed_line(self, question, buff=0.45)
        self.wait(3)
        self.key_frame("question")

    def _encoder(self, follower: plots.PathFollower) -> VGroup:
        """x -> [encoder phi] -> (mu, sigma), the outputs live from the follower's q."""
        theme = self.theme
        size = style.LABEL_SIZE + 4
        x_in = plots.labelled_number(style.math(r"\x", size=size), lambda: OBSERVED_X,
                                     theme.data, decimals=1, size=size)
        body = Polygon([-0.9, 0.55, 0], [0.9, 0.35, 0], [0.9, -0.35, 0], [-0.9, -0.55, 0],
                       color=theme.approx, stroke_width=3)
        name = style.tex(r"encoder $\qp$", size=style.LABEL_SIZE).move_to(body)
        body.next_to(x_in, RIGHT, buff=0.9)
        name.move_to(body)
        arrow_in = Arrow(x_in.get_right(), body.get_left(), buff=0.12, color=theme.muted)
        mu = plots.labelled_number(style.math(r"\mu", size=size, color=theme.approx),
                                   lambda: follower.q().mu, theme.approx, size=size)
        sigma = plots.labelled_number(style.math(r"\sigma", size=size, color=theme.approx),
                                      lambda: follower.q().s, theme.approx, size=size)
        outputs = VGroup(mu, sigma).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        outputs.next_to(body, RIGHT, buff=0.9)
        arrow_out = Arrow(body.get_right(), outputs.get_left(), buff=0.12, color=theme.muted)
        return VGroup(x_in, arrow_in, body, name, arrow_out, outputs)
