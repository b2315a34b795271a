"""Slide 8: Evidence Lower Bound (ELBO).

Slide 7 ended on the bound log p(x) >= reconstruction - KL to the prior, its two terms named.
Here the bound's right side gets its own name, L(theta, phi; x), and the objective is framed.
Then what each term does to q, on the toy model for x = 2: the reconstruction term alone pulls
q narrow onto a z whose decoder mean explains x (``numerics.reconstruction_path``), the KL term
alone pulls it back to the prior N(0, 1) (``numerics.prior_path``), and the ELBO, their
difference, holds it in between at the fit of slides 3 and 10. The terms' values, computed for
the q on screen, sit under their names and add up to the ELBO's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.lecture import LectureScene
from scenes import formulas, pictures
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    Z_RANGE,
    Gaussian,
    elbo,
    kl_to_prior,
    prior_path,
    reconstruction,
    reconstruction_path,
)

FORMULA_Y = 1.95
PLOT_ORIGIN = (-6.45, -3.05)  # where z = Z_RANGE[0] meets the plot's z axis
PLOT_Y_MAX = 3.2  # q's peak at the end of the reconstruction pull is 3.06
PANEL_LEFT = 1.25  # the numbered effects, right of the plot
DECIMALS = 3  # enough for the three values on screen to add up exactly
PULL_SECONDS = 4.0
BACK_SECONDS = 1.2


class EvidenceLowerBound(LectureScene):
    """Slide 8: L(theta, phi; x) = E_q[log p(x|z)] - KL(q(z|x) || p(z)) and what each term
    does to q."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        pulls = TermPulls()
        q = pulls.follower.q

        with self.beat(
            "Slide 7 ended on two terms: reconstruction minus regularization.",
            key_frame="two-terms",
            say="Slide seven ended on two terms: reconstruction, minus regularization.",
        ):
            bound = style.math(formulas.LOG_EVIDENCE, r"\geq", *formulas.ELBO_RHS)
            bound.move_to([0, FORMULA_Y, 0])
            self.play(FadeIn(bound))
            recon_name = TermLabel(bound[2], "Reconstruction", theme.data)
            kl_name = TermLabel(bound[4], "Regularization", theme.kl)
            self.play(FadeIn(recon_name), FadeIn(kl_name))
            self.wait(2)

        with self.beat(
            "Together they are the VAE objective, the ELBO; below, the toy model for x = 2.",
            key_frame="objective",
            say="Together they are the VAE objective, the ELBO, framed in red. Below is our toy "
            "model for x equals two, with q in orange.",
        ):
            heading = style.tex(r"\textbf{The VAE objective:}", size=style.HEADING_SIZE)
            style.at_content_top(heading, buff=0.1)
            heading.to_edge(LEFT, buff=style.SAFE_MARGIN + 0.2)
            objective = style.math(formulas.ELBO_LHS, "=", *formulas.ELBO_RHS)
            objective.move_to([0, FORMULA_Y, 0])
            self.play(
                TransformMatchingTex(bound, objective),
                recon_name.follow(objective[2]),
                kl_name.follow(objective[4]),
                run_time=2,
            )
            frame = style.emphasis_box(objective, color=theme.elbo, buff=0.15)
            self.play(FadeIn(heading, shift=0.2 * DOWN), Create(frame))
            plot = pulls.plot
            self.play(Create(plot.axes), FadeIn(plot.z_label, pulls.legend))
            self.play(Create(plot.prior_curve), Create(plot.likelihood_curve), FadeIn(plot.q_curve))
            # The prior on top: when the KL term pulls q onto it, both stay visible.
            self.bring_to_front(plot.prior_curve)
            self.wait(1.5)

        with self.beat(
            "For the q shown, the two terms' values make up the ELBO's value.",
            key_frame="toy-model",
            say="For this q, reconstruction is about minus one and the KL about one point six: "
            "an ELBO of about minus two point six.",
        ):
            recon_value = TermValue(recon_name, lambda: reconstruction(q()), theme.data)
            kl_value = TermValue(kl_name, lambda: kl_to_prior(q()), theme.kl)
            elbo_value = plots.LabelledNumber(
                style.math(r"\elbo", size=style.LABEL_SIZE),
                lambda: elbo(q()),
                theme.elbo,
                decimals=DECIMALS,
                size=style.LABEL_SIZE,
            )
            elbo_value.next_to(frame, DOWN, buff=0.2).align_to(objective, LEFT)
            goals = style.tex(r"\textbf{Maximizing ELBO simultaneously:}", size=style.LABEL_SIZE)
            goals.move_to([PANEL_LEFT, plot.axes.get_top()[1], 0], aligned_edge=UP + LEFT)
            self.play(FadeIn(recon_value, kl_value, elbo_value))
            self.play(FadeIn(goals, shift=0.1 * UP))
            self.wait(2)

        with self.beat(
            "1. Reconstruction alone pulls q narrow onto a z that explains x.",
            key_frame="reconstruction",
            say="Maximizing the ELBO does two things at once. First, it improves "
            "reconstruction: that term alone pulls q narrow, onto a z that explains x.",
        ):
            first = style.tex(
                r"1. Improves reconstruction quality", size=style.LABEL_SIZE, color=theme.data
            )
            first.next_to(goals, DOWN, buff=0.3, aligned_edge=LEFT).shift(0.3 * RIGHT)
            self.play(FadeIn(first, shift=0.1 * UP))
            self.play(pulls.follower.to_position(pulls.reconstruction_end, PULL_SECONDS))
            self.wait(2)

        with self.beat(
            "2. The KL term alone pulls q back to the prior p(z) = N(0, 1).",
            key_frame="regularization",
            say="Second, it keeps the latent distribution well structured: the KL term alone "
            "pulls q back onto the lilac prior. The KL drops to zero, but reconstruction "
            "collapses.",
        ):
            second = VGroup(
                style.tex(r"2. Keeps the latent distribution", size=style.LABEL_SIZE),
                style.tex(r"well-structured", size=style.LABEL_SIZE),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            second.set_color(theme.kl)
            second[1].shift(0.38 * RIGHT)
            second.next_to(first, DOWN, buff=0.3, aligned_edge=LEFT)
            self.play(
                pulls.follower.to_position(pulls.balance, BACK_SECONDS),
                FadeIn(second, shift=0.1 * UP),
            )
            self.play(pulls.follower.to_position(pulls.prior_end, PULL_SECONDS))
            self.wait(2)

        with self.beat(
            "Together they hold q in between, where the ELBO is highest.",
            key_frame="balance",
            say="Together the two terms hold q in between, where the ELBO is highest, at about "
            "minus two point six.",
        ):
            self.play(pulls.follower.to_position(pulls.end, 2.0))
            total = elbo_sum(pulls.follower.q())
            total.next_to(second, DOWN, buff=0.45).align_to(goals, LEFT)
            self.play(
                Write(total),
                Create(style.emphasis_box(elbo_value, color=theme.elbo, buff=0.1)),
            )
            self.wait(3)


def elbo_sum(q: Gaussian) -> Mobject:
    """L = reconstruction - KL = ELBO for q, each number in its term's colour (the values of
    the live numbers above, so the sum can be checked on screen)."""
    theme = style.active_theme()
    recon, kl, total = reconstruction(q), kl_to_prior(q), elbo(q)
    line = style.math(
        r"\elbo =",
        f"{recon:.{DECIMALS}f}",
        "-",
        f"{kl:.{DECIMALS}f}",
        "=",
        f"{total:.{DECIMALS}f}",
        size=style.MATH_SIZE - 4,
    )
    for index, color in ((1, theme.data), (3, theme.kl), (5, theme.elbo)):
        line[index].set_color(color)
    return line


class TermLabel(VGroup):
    """A brace under a term and the term's name, in the formulas' face. Parts: ``brace``,
    ``label``."""

    def __init__(self, term: Mobject, name: str, color: str) -> None:
        theme = style.active_theme()
        self.brace = Brace(term, DOWN, buff=0.1, color=theme.muted)
        self.label = style.tex(name, size=style.LABEL_SIZE + 2, color=color)
        self.label.next_to(self.brace, DOWN, buff=0.1)
        super().__init__(self.brace, self.label)

    def follow(self, term: Mobject) -> Animation:
        """Move the brace (rebuilt to the term's new width) and the name under the term's new
        place, low enough to clear the frame drawn around the objective."""
        brace = Brace(term, DOWN, buff=0.3, color=self.brace.get_color())
        label = self.label.copy().next_to(brace, DOWN, buff=0.1)
        return AnimationGroup(Transform(self.brace, brace), Transform(self.label, label))


class TermValue(VGroup):
    """``= <live value>`` under a term's name: what the term is worth for the q on screen.

    Parts: ``equals``, ``number``.
    """

    def __init__(self, named: TermLabel, value: Callable[[], float], color: str) -> None:
        size = style.LABEL_SIZE
        self.equals = style.math("=", size=size)
        self.number = plots.live_number(value, color, DECIMALS, size)
        super().__init__(self.equals, self.number)
        self.arrange(RIGHT, buff=0.15)
        self.next_to(named.label, DOWN, buff=0.15)
        centre = self.get_center()

        def follow(m: Mobject) -> None:
            plots.show_value(m, value())
            m.next_to(self.equals, RIGHT, buff=0.15)

        self.number.clear_updaters()
        self.number.add_updater(follow)
        self.move_to(centre)


class TermPullPlot(VGroup):
    """z on the toy model: the prior p(z), the likelihood p(x|z) of the observed x as a
    function of z (high where the decoder's mean explains x) and the encoder's q.

    Parts: ``axes``, ``z_label``, ``prior_curve`` (prior colour), ``likelihood_curve`` (data
    colour), ``q_curve`` (q's style, redrawn from ``q()``).
    """

    def __init__(
        self, q: Callable[[], Gaussian], x_length: float = 6.9, y_length: float = 2.9
    ) -> None:
        theme = style.active_theme()
        z = pictures.z_grid()
        self.axes = pictures.density_axes(PLOT_Y_MAX, x_length=x_length, y_length=y_length)
        self.z_label = pictures.z_label(self.axes)
        self.prior_curve = plots.density_graph(
            self.axes, lambda t: np.exp(MODEL.log_prior(t)), theme.prior, z
        )
        self.likelihood_curve = plots.density_graph(
            self.axes, lambda t: np.exp(MODEL.log_likelihood(OBSERVED_X, t)), theme.data, z
        )
        self.q_curve = pictures.tracked_gaussian(self.axes, q, theme.approx, fill_opacity=0.25)
        super().__init__(
            self.axes, self.z_label, self.prior_curve, self.likelihood_curve, self.q_curve
        )


class TermPulls:
    """The q of slide 8 on one path: from the fit out along the reconstruction pull and back,
    then out along the KL pull and back (``follower.q`` at every moment), with the plot and its
    legend laid out at the lower left.

    Positions on the path: ``reconstruction_end``, ``balance`` (back at the fit), ``prior_end``
    and ``end`` (at the fit again).
    """

    def __init__(self) -> None:
        recon = reconstruction_path()
        prior = prior_path()
        path = recon + recon[-2::-1] + prior[1:] + prior[-2::-1]
        self.follower = pictures.PathFollower(path)
        self.reconstruction_end = float(len(recon) - 1)
        self.balance = 2 * self.reconstruction_end
        self.prior_end = self.balance + len(prior) - 1
        self.end = self.follower.end
        self.plot = TermPullPlot(self.follower.q)
        self.plot.shift([*PLOT_ORIGIN, 0] - self.plot.axes.c2p(Z_RANGE[0], 0))
        theme = style.active_theme()
        size = style.LABEL_SIZE
        self.legend = plots.Legend(
            [
                (theme.prior, False, style.tex(r"$" + formulas.PRIOR + r"$ prior", size=size)),
                (
                    theme.data,
                    False,
                    style.tex(r"$\pt(\x \given \z)$ likelihood of $\x = 2$", size=size),
                ),
                (theme.approx, False, style.tex(r"$" + formulas.Q_ENCODER + r"$", size=size)),
            ]
        )
        self.legend.align_to(self.plot.axes, LEFT).align_to(self.plot.axes, UP)
