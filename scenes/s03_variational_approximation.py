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

from lecturekit.scene import plots, style
from lecturekit.scene.lecture import LectureScene
from scenes import formulas, pictures
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
        follower = pictures.PathFollower.from_optimiser()

        with self.beat(
            "Solution: learn an encoder network to approximate the true posterior.",
            key_frame="approximation",
        ):
            solution = style.tex(
                r"\textbf{Solution:} Learn an encoder network to approximate "
                r"the true posterior."
            )
            style.at_content_top(solution)
            approx = style.math(formulas.Q_ENCODER, r"\approx", formulas.TRUE_POSTERIOR)
            approx.next_to(solution, DOWN, buff=0.45).align_to(solution, LEFT).shift(0.4 * RIGHT)
            self.play(FadeIn(solution, shift=0.2 * DOWN))
            self.play(Write(approx), run_time=1.5)
            self.wait(2)

        with self.beat(
            "The encoder maps x to the parameters of q: a mean and a width.", key_frame="encoder"
        ):
            encoder = EncoderDiagram(follower)
            encoder.next_to(approx, RIGHT, buff=0.9)
            self.play(FadeIn(VGroup(encoder.x_in, encoder.arrow_in, encoder.body, encoder.title)))
            self.play(FadeIn(VGroup(encoder.arrow_out, encoder.outputs)))
            self.wait(2)

        with self.beat(
            "Start from a poor guess of q: the ELBO is low, the gap is large.",
            key_frame="poor-start",
        ):
            plot, legend, bar = pictures.fit_picture(follower, forward=True)
            plot.reveal(self, VGroup(*legend.rows[:2]))
            self.play(FadeIn(bar))
            self.wait(2)

        with self.beat(
            "Maximising the ELBO moves q onto one mode and shrinks the gap (the KL).",
            key_frame="fitted",
        ):
            self.play(follower.to_end(FIT_SECONDS))
            self.wait(2)

        with self.beat(
            "Moment matching (forward KL) spans both modes, but its gap is far larger.",
            key_frame="forward-kl",
        ):
            forward = fit_forward_kl()
            forward_curve = plots.density_graph(plot.axes, forward.pdf, theme.approx, dashed=True)
            forward_gap = plots.LabelledNumber(
                style.tex(r"its gap $\KL$", size=style.LABEL_SIZE),
                lambda: kl_to_posterior(forward),
                theme.kl,
                size=style.LABEL_SIZE,
            )
            forward_gap.next_to(legend, DOWN, buff=0.2).align_to(legend.rows[2].label, LEFT)
            self.play(Create(forward_curve), FadeIn(legend.rows[2]), run_time=1.5)
            self.play(FadeIn(forward_gap))
            self.wait(3)

        with self.beat(
            "Question: how do we use q to get a tractable learning objective?", key_frame="question"
        ):
            question = style.tex(
                r"\textbf{Question:} How do we use $\qp$ to get a tractable "
                r"learning objective?"
            )
            plots.show_boxed_line(self, question, buff=0.45)
            self.wait(3)


class EncoderDiagram(VGroup):
    """x -> [encoder q_phi] -> (mu, sigma), the outputs live from the follower's q.

    Parts: ``x_in``, ``arrow_in``, ``body``, ``title`` (the encoder and what goes in), then
    ``arrow_out`` and ``outputs`` (mu and sigma as live numbers).
    """

    def __init__(self, follower: pictures.PathFollower) -> None:
        theme = style.active_theme()
        size = style.LABEL_SIZE + 4
        self.x_in = plots.LabelledNumber(
            style.math(r"\x", size=size), lambda: OBSERVED_X, theme.data, decimals=1, size=size
        )
        self.body = Polygon(
            [-0.9, 0.55, 0],
            [0.9, 0.35, 0],
            [0.9, -0.35, 0],
            [-0.9, -0.55, 0],
            color=theme.approx,
            stroke_width=3,
        )
        self.title = style.tex(r"encoder $\qp$", size=style.LABEL_SIZE).move_to(self.body)
        self.body.next_to(self.x_in, RIGHT, buff=0.9)
        self.title.move_to(self.body)
        self.arrow_in = Arrow(
            self.x_in.get_right(), self.body.get_left(), buff=0.12, color=theme.muted
        )
        mu = plots.LabelledNumber(
            style.math(r"\mu", size=size, color=theme.approx),
            lambda: follower.q().mu,
            theme.approx,
            size=size,
        )
        sigma = plots.LabelledNumber(
            style.math(r"\sigma", size=size, color=theme.approx),
            lambda: follower.q().s,
            theme.approx,
            size=size,
        )
        self.outputs = VGroup(mu, sigma).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.outputs.next_to(self.body, RIGHT, buff=0.9)
        self.arrow_out = Arrow(
            self.body.get_right(), self.outputs.get_left(), buff=0.12, color=theme.muted
        )
        super().__init__(
            self.x_in, self.arrow_in, self.body, self.title, self.arrow_out, self.outputs
        )
