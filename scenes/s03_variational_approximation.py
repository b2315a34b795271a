"""Slide 3: Variational Approximation.

q_phi(z|x) ≈ p_theta(z|x): an encoder maps x to the mean and width of a Gaussian q. The fit is
shown as motion, in words a viewer has at this point (the ELBO and the KL come on slides 6 and
7): tuning mu and sigma (``numerics.optimiser_path``) moves q from a poor start closer to the
toy model's true posterior, where one Gaussian settles on one of its two modes. Then the
contrast that leads to the slide's question: we could draw p(z|x) only because z is 1-D; in a
VAE it needs p(x), the intractable integral of slide 2.
"""

from __future__ import annotations

from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.derivation import frac, piece
from lecturekit.scene.lecture import LectureScene
from scenes import formulas, pictures
from scenes.numerics import MODEL, OBSERVED_X

FIT_SECONDS = 7.0
PANEL_LEFT = 1.35  # the right-hand panel of words beside the plot
PANEL_TOP = 0.95


class VariationalApproximation(LectureScene):
    """Slide 3: an encoder's Gaussian q_phi(z|x) fitted to the true posterior p_theta(z|x)."""

    def construct(self) -> None:
        self.show_title_bar()
        follower = pictures.PathFollower.from_optimiser()

        with self.beat(
            "Solution: learn an encoder network to approximate the true posterior.",
            say=(
                "The solution: learn an encoder network, q phi of z given x, to approximate "
                "the true posterior."
            ),
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
            self.wait(1.5)

        with self.beat(
            "The encoder maps x to the parameters of q: a mean and a width.",
            say="The encoder maps x to a Gaussian's mean, mu, and width, sigma.",
            key_frame="encoder",
        ):
            encoder = EncoderDiagram(follower)
            encoder.next_to(approx, RIGHT, buff=0.9)
            self.play(FadeIn(VGroup(encoder.x_in, encoder.arrow_in, encoder.body, encoder.title)))
            self.play(FadeIn(VGroup(encoder.arrow_out, encoder.outputs)))
            self.wait(1.5)

        with self.beat(
            "Start from a poor guess: q lies away from the true posterior.",
            say="Start from a poor guess: the orange Gaussian lies away from the blue posterior.",
            key_frame="poor-start",
        ):
            plot, legend = pictures.fit_picture(follower)
            plot.reveal(self, legend)
            self.wait(1.5)

        with self.beat(
            "Tuning the mean and width moves q closer to the true posterior.",
            say=(
                "Tuning mu and sigma moves q closer to the true posterior. The mean slides "
                "from two point five to about one point one, and sigma shrinks to about "
                "zero point two two."
            ),
            key_frame="fitted",
        ):
            tuning = lines(
                r"Tuning $\mu$ and $\sigma$ moves $\qp$", "closer to the true posterior."
            )
            tuning.align_to([PANEL_LEFT, PANEL_TOP, 0], UP + LEFT)
            self.play(FadeIn(tuning, shift=0.1 * DOWN), run_time=0.8)
            self.play(follower.to_end(FIT_SECONDS))
            self.wait(1.5)

        with self.beat(
            "q settles on one mode: one Gaussian cannot cover both.",
            say="It settles on one mode, missing the left one: one Gaussian cannot cover both.",
            key_frame="one-mode",
        ):
            missed = self._missed_mode(plot)
            self.play(GrowArrow(missed.arrow), FadeIn(missed.label))
            self.wait(2)

        with self.beat(
            "We could draw p(z|x) since z is 1-D; in a VAE, p(x) is intractable.",
            say=(
                "We could draw the posterior only because z is one-dimensional. Bayes' rule "
                "needs p theta of x, and in a VAE that is intractable."
            ),
            key_frame="contrast",
        ):
            contrast = PosteriorNeedsEvidence()
            contrast.next_to(tuning, DOWN, buff=0.4, aligned_edge=LEFT)
            self.play(FadeIn(contrast.lead), Write(contrast.formula), run_time=1.5)
            self.play(Create(contrast.box), FadeIn(contrast.note, shift=0.1 * UP))
            self.wait(2)

        with self.beat(
            "Question: how do we use q to get a tractable learning objective?",
            say="So the question is: how do we use q to get a tractable learning objective?",
            key_frame="question",
        ):
            question = style.tex(
                r"\textbf{Question:} How do we use $\qp$ to get a tractable "
                r"learning objective?"
            )
            plots.show_boxed_line(self, question, buff=0.4)
            self.wait(2.5)

    def _missed_mode(self, plot: pictures.FitPlot) -> pictures.MissedMode:
        """An arrow down onto the posterior mode that q does not cover, and its label."""
        left_mode = float(MODEL.posterior_modes(OBSERVED_X)[0])
        peak = float(MODEL.posterior_density(OBSERVED_X, left_mode))
        return pictures.MissedMode(
            plot.axes.c2p(left_mode, peak),
            lines(r"one Gaussian, one mode:", r"this one is missed by $\qp$"),
        )


class PosteriorNeedsEvidence(VGroup):
    """Why the fit above cannot be done in a VAE: p(z|x) = p(x, z) / p(x) needs p(x).

    Parts: ``lead`` (we could draw it here), ``formula`` (Bayes' rule), ``box`` (around its
    p(x), in the warning colour) and ``note`` (why p(x) is out of reach), stacked left-aligned.
    """

    def __init__(self) -> None:
        theme = style.active_theme()
        size = style.LABEL_SIZE
        self.lead = style.tex(r"We could draw $\pt(\z \given \x)$: here $\z$ is 1-D.", size=size)
        self.formula = style.math(
            formulas.TRUE_POSTERIOR, "=", *frac(formulas.JOINT, r"\pt(\x)"), size=style.MATH_SIZE
        )
        self.formula.next_to(self.lead, DOWN, buff=0.25, aligned_edge=LEFT).shift(0.3 * RIGHT)
        evidence = piece(self.formula, r"\pt(\x)")
        self.box = style.emphasis_box(evidence, color=theme.warning, buff=0.1)
        self.note = lines(r"In a VAE, $\pt(\x)$ is intractable (slide 2).", color=theme.warning)
        self.note.next_to(self.formula, DOWN, buff=0.2).align_to(self.lead, LEFT)
        super().__init__(self.lead, self.formula, self.box, self.note)


def lines(*rows: str, color: str | None = None) -> VGroup:
    """Rows of text-mode LaTeX at label size, stacked and aligned left."""
    kwargs = {"color": color} if color else {}
    group = VGroup(*(style.tex(r, size=style.LABEL_SIZE, **kwargs) for r in rows))
    return group.arrange(DOWN, aligned_edge=LEFT, buff=0.12)


class EncoderDiagram(VGroup):
    """x -> [encoder q_phi] -> (mu, sigma), the outputs live from the follower's q.

    Parts: ``x_in``, ``arrow_in``, ``body``, ``title`` (the encoder and what goes in), then
    ``arrow_out`` and ``outputs`` (mu and sigma as live numbers).
    """

    def __init__(self, follower: pictures.PathFollower) -> None:
        theme = style.active_theme()
        size = style.LABEL_SIZE + 4
        self.x_in = plots.LabelledNumber(
            style.math(r"\x", size=size), OBSERVED_X, theme.data, decimals=1, size=size
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
