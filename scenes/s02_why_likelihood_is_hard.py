"""Slide 2: Why Direct Likelihood is Hard.

log p(x) = log of an integral over every z; that integral is the bottleneck. The toy model's
integrand p(x, z) is drawn over z and its area swept out (the number is the running integral,
ending at p(x)); dividing by that area gives the true posterior p(z|x), two-moded. The slide
closes on the key idea: approximate instead of solving exactly.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)
from scipy.integrate import cumulative_trapezoid

from lecturekit.scene import plots, style
from lecturekit.scene.lecture import LectureScene
from scenes import formulas, pictures
from scenes.numerics import MODEL, OBSERVED_X

PLOT_Y = -0.45  # centre height of the two plots
SWEEP_POINTS = 801  # grid of the running integral (trapezoid error ~1e-9 of p(x))


class WhyLikelihoodIsHard(LectureScene):
    """Slide 2: the integral behind p_theta(x), its integrand and the true posterior."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "The problem: computing p(x) requires an intractable integral.",
            key_frame="log-marginal",
        ):
            problem = style.tex(
                r"\textbf{The problem:} Computing $\pt(\x)$ requires an "
                r"intractable integral."
            )
            style.at_content_top(problem)
            self.play(FadeIn(problem, shift=0.2 * DOWN))
            self.wait(1.5)
            equation = style.math(*formulas.LOG_MARGINAL)
            equation.next_to(problem, DOWN, buff=0.3).align_to(problem, LEFT).shift(0.4 * RIGHT)
            self.play(Write(equation), run_time=2)
            self.wait(1.5)

        with self.beat(
            "This integral, over every possible z, is the bottleneck.", key_frame="bottleneck"
        ):
            integral = VGroup(equation[2][3:], equation[3], equation[4])  # skip the "log"
            box = style.emphasis_box(integral, color=theme.warning, buff=0.06)
            warning = style.tex(r"\textbf{This integral is the bottleneck.}", color=theme.warning)
            warning.next_to(box, RIGHT, buff=0.5)
            self.play(Create(box), FadeIn(warning, shift=0.2 * LEFT))
            self.wait(2.5)

        with self.beat("For our toy model: the integrand p(x, z) over z, for the observed x."):
            z = pictures.z_grid(SWEEP_POINTS)
            joint = MODEL.joint_density(OBSERVED_X, z)
            left_axes = pictures.density_axes(1.15 * joint.max(), x_length=5.6, y_length=1.8)
            left_axes.move_to([-3.45, PLOT_Y, 0])
            joint_curve = plots.density_graph(left_axes, joint, theme.posterior, x=z)
            joint_label = style.math(formulas.JOINT, size=style.LABEL_SIZE + 4)
            joint_label.next_to(left_axes.c2p(1.3, joint.max()), RIGHT, buff=0.25)
            observed = plots.LabelledNumber(
                style.math(r"\x", size=style.LABEL_SIZE + 4),
                lambda: OBSERVED_X,
                theme.data,
                decimals=1,
                size=style.LABEL_SIZE + 4,
            )
            observed.next_to(left_axes.c2p(-4, joint.max()), UP + RIGHT, buff=0.1)
            self.play(Create(left_axes), FadeIn(pictures.z_label(left_axes), observed))
            self.play(Create(joint_curve), FadeIn(joint_label), run_time=1.5)
            self.wait(2)

        with self.beat(
            "Its area, swept over every z, is the number we need: p(x).", key_frame="integrand-area"
        ):
            running = cumulative_trapezoid(joint, z, initial=0.0)
            sweep = ValueTracker(z[1])

            def swept() -> np.ndarray:
                return z <= max(sweep.get_value(), z[1])

            area = always_redraw(
                lambda: plots.area_under(left_axes, joint[swept()], theme.posterior, x=z[swept()])
            )
            area_value = plots.LabelledNumber(
                style.math(r"\int", formulas.JOINT, r"\, d\z", size=style.LABEL_SIZE + 4),
                lambda: float(np.interp(sweep.get_value(), z, running)),
                theme.posterior,
                decimals=3,
                size=style.LABEL_SIZE + 4,
            )
            area_value.next_to(left_axes, DOWN, buff=0.35).align_to(left_axes, LEFT)
            self.add(area)
            self.play(FadeIn(area_value))
            self.play(sweep.animate.set_value(z[-1]), run_time=4, rate_func=linear)
            evidence_label = style.math(r"= \pt(\x)", size=style.LABEL_SIZE + 4)
            evidence_label.next_to(area_value, RIGHT, buff=0.2)
            self.play(FadeIn(evidence_label, shift=0.1 * LEFT))
            note = style.tex(
                r"1-D $\z$: a grid works. High-dimensional $\z$: it cannot.",
                size=style.LABEL_SIZE,
                color=theme.muted,
            )
            note.next_to(area_value, DOWN, buff=0.2).align_to(area_value, LEFT)
            self.play(FadeIn(note))
            self.wait(2.5)

        with self.beat(
            "Divide by that area: the true posterior p(z|x) has two modes.",
            key_frame="true-posterior",
        ):
            posterior = MODEL.posterior_density(OBSERVED_X, z)
            right_axes = pictures.density_axes(1.15 * posterior.max(), x_length=5.6, y_length=1.8)
            right_axes.move_to([3.45, PLOT_Y, 0])
            posterior_curve = plots.density_graph(right_axes, posterior, theme.posterior, x=z)
            posterior_label = style.math(
                formulas.TRUE_POSTERIOR,
                "=",
                r"\frac{" + formulas.JOINT + r"}{\pt(\x)}",
                size=style.LABEL_SIZE + 4,
            )
            posterior_label.next_to(right_axes.c2p(-4, posterior.max()), UP + RIGHT, buff=0.1)
            self.play(Create(right_axes), FadeIn(pictures.z_label(right_axes)))
            self.play(
                ReplacementTransform(joint_curve.copy(), posterior_curve),
                FadeIn(posterior_label),
                run_time=2,
            )
            modes = MODEL.posterior_modes(OBSERVED_X)
            mode_arrows = VGroup(
                *(
                    Arrow(
                        right_axes.c2p(m, float(MODEL.posterior_density(OBSERVED_X, m))),
                        right_axes.c2p(m, float(MODEL.posterior_density(OBSERVED_X, m))) + 0.6 * UP,
                        buff=0.08,
                        color=theme.muted,
                        stroke_width=3,
                        max_tip_length_to_length_ratio=0.35,
                    ).rotate(np.pi)
                    for m in modes
                )
            )
            self.play(FadeIn(mode_arrows))
            self.wait(2)

        with self.beat("The true posterior p(z|x) is complex, and unknown without p(x)."):
            unknown = style.tex(
                r"The true posterior $" + formulas.TRUE_POSTERIOR + r"$ is complex and unknown.",
                size=style.LABEL_SIZE + 2,
            )
            unknown.next_to(right_axes, DOWN, buff=0.35).align_to(right_axes, RIGHT)
            self.play(FadeIn(unknown, shift=0.1 * UP))
            self.wait(3)

        with self.beat(
            "Key idea: instead of solving exactly, introduce a tractable approximation.",
            key_frame="key-idea",
        ):
            key_idea = style.tex(
                r"\textbf{Key idea:} Instead of solving exactly, "
                r"introduce a tractable approximation."
            )
            plots.show_boxed_line(self, key_idea)
            self.wait(3)
