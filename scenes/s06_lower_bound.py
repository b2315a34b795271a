"""Slide 6: Lower Bounding the Log-Likelihood.

Jensen's inequality for the concave log, log E[X] >= E[log X], drawn on the log curve with the
toy model's ratios X_i = p_theta(x, z_i) / q_phi(z_i|x): the average of the points lies below
the curve. Applied to log E_q[p/q], the log moves inside the expectation and the ratio splits
into log p_theta(x, z) - log q_phi(z|x): the lower bound.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Brace,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    Integer,
    LaggedStart,
    Line,
    TransformMatchingTex,
    VGroup,
    Write,
)

from lecturekit.scene import style
from lecturekit.scene.derivation import BAR, DerivationScene
from scenes import formulas
from scenes.formulas import BOUND, RATIO, expectation_q
from scenes.numerics import fit_forward_kl, jensen_picture

N_POINTS = 12
SEED = 0
X_TOP = 0.45  # the largest ratio with seed 0 is 0.42
LOG_BOTTOM = -9.0  # the smallest log-ratio with seed 0 is -7.9


class LowerBound(DerivationScene):
    """Slide 6: Jensen's inequality and the bound it gives on log p_theta(x)."""

    def construct(self) -> None:
        self.show_title_bar()

        with self.beat("Step 3: apply Jensen's inequality."):
            step = self.step_line(r"\textbf{Step 3:} Apply Jensen's inequality.")
            jensen = style.math(r"\log", r"\E[X]", r"\geq", r"\E[\log X]")
            jensen.next_to(step, DOWN, buff=0.35).set_x(3.4)
            self.play(Write(jensen))
            concave = style.tex(
                r"($\log$ is concave)", size=style.LABEL_SIZE, color=self.theme.muted
            )
            concave.next_to(jensen, DOWN, buff=0.15)
            self.play(FadeIn(concave))
            self.wait(2)

        with self.beat("Each sample X_i = p(x, z_i) / q(z_i|x) gives a point on the log curve."):
            picture = jensen_picture(fit_forward_kl(), n=N_POINTS, seed=SEED)
            axes, curve, points = self._log_plot(picture)
            ratio = style.math(
                r"X_i = \frac{\pt(\x, \z_i)}{\qp(\z_i \given \x)}",
                r",\quad \z_i \sim \qp(\z \given \x)",
                size=style.BODY_SIZE + 2,
            )
            ratio.next_to(concave, DOWN, buff=0.4).set_x(jensen.get_x())
            self.play(FadeIn(ratio))
            self.play(
                LaggedStart(*(FadeIn(p, scale=0.5) for p in points), lag_ratio=0.15), run_time=2
            )
            self.wait(2)

        with self.beat(
            "Their average, E[log X], lies below the curve's value there, log E[X].",
            key_frame="jensen-plot",
        ):
            mean_x = float(np.mean(picture.x_values))
            below = axes.c2p(mean_x, picture.mean_log_x)
            on_curve = axes.c2p(mean_x, picture.log_mean_x)
            spokes = VGroup(
                *(
                    DashedLine(p.get_center(), below, stroke_width=1.5, color=self.theme.muted)
                    for p in points
                )
            )
            average = Dot(below, radius=0.08, color=self.theme.elbo)
            top = Dot(on_curve, radius=0.08, color=self.theme.posterior)
            drop = DashedLine(axes.c2p(mean_x, 0), below, stroke_width=2, color=self.theme.muted)
            mean_label = style.math(r"\E[X]", size=style.LABEL_SIZE)
            mean_label.next_to(axes.c2p(mean_x, 0), UP, buff=0.12)
            self.play(Create(spokes), FadeIn(average), run_time=1.6)
            self.play(Create(drop), FadeIn(mean_label), FadeIn(top))
            gap_line = Line(below, on_curve, color=self.theme.kl, stroke_width=6)
            brace = Brace(gap_line, LEFT, buff=0.1, color=self.theme.kl)
            gap_label = style.text("gap", size=style.LABEL_SIZE, color=self.theme.kl)
            gap_label.next_to(brace, LEFT, buff=0.1)
            top_label = style.math(r"\log \E[X]", size=style.LABEL_SIZE, color=self.theme.posterior)
            top_label.next_to(top, RIGHT, buff=0.15)
            average_label = style.math(r"\E[\log X]", size=style.LABEL_SIZE, color=self.theme.elbo)
            average_label.next_to(average, RIGHT, buff=0.15)
            self.play(FadeIn(top_label, average_label))
            self.play(Create(gap_line), FadeIn(brace, gap_label))
            readout = self._readout(picture).next_to(ratio, DOWN, buff=0.5)
            readout.align_to(ratio, LEFT)
            self.play(FadeIn(readout))
            self.wait(3)

        with self.beat("Applied to our expression, the log moves inside the expectation."):
            self.fade_out(
                axes,
                curve,
                points,
                spokes,
                average,
                top,
                drop,
                mean_label,
                gap_line,
                brace,
                gap_label,
                top_label,
                average_label,
                readout,
                ratio,
                concave,
            )
            self.play(jensen.animate.next_to(step, RIGHT, buff=0.8))
            evidence = style.math(formulas.LOG_EVIDENCE, "=", r"\log", *expectation_q(*RATIO))
            self.place_line(evidence, step, buff=0.45)
            self.play(FadeIn(evidence))
            inside = style.math(r"\geq", *expectation_q(r"\log", *RATIO))
            self.place_line(inside, evidence, buff=0.3, align=evidence[1])
            self.derive(
                evidence,
                inside,
                why=r"Jensen: $\log \E[X] \geq \E[\log X]$",
                key_map={"=": r"\geq"},
            )

        with self.beat("The log of a ratio is a difference of logs.", key_frame="log-inside"):
            split = style.math("=", *expectation_q(*BOUND))
            self.place_line(split, inside, buff=0.3, align=evidence[1])
            self.derive(
                inside,
                split,
                why=r"$\log (a / b) = \log a - \log b$",
                key_map={BAR: "-", r"\geq": "="},
            )

        with self.beat("Therefore log p(x) is at least E_q[log p(x, z) - log q(z|x)]."):
            therefore = style.tex(r"Therefore:")
            bound = style.math(formulas.LOG_EVIDENCE, r"\geq", *expectation_q(*BOUND))
            bound.next_to(split, DOWN, buff=0.75).set_x(0.6)
            therefore.next_to(bound, LEFT, buff=0.4)
            self.play(FadeIn(therefore))
            self.play(TransformMatchingTex(split.copy(), bound, key_map={"=": r"\geq"}), run_time=2)
            self.play(Create(style.emphasis_box(bound)))
            self.wait(2)

        with self.beat("This is where 'lower bound' comes from.", key_frame="lower-bound"):
            origin = style.tex(
                r"\textbf{This is where ``lower bound'' comes from.}",
                size=style.HEADING_SIZE,
                color=self.theme.highlight,
            )
            origin.next_to(bound, DOWN, buff=0.45).set_x(0)
            self.play(Write(origin), run_time=1.6)
            self.wait(3)

    def _log_plot(self, picture) -> tuple[Axes, object, VGroup]:
        """Axes of log X against X, the log curve, and the sample points (X_i, log X_i)."""
        theme = self.theme
        axes = style.axes(
            (0, X_TOP, 0.1), (LOG_BOTTOM, 0, 2), x_length=5.6, y_length=4.2, ticks=False
        )
        axes.to_corner(DOWN + LEFT, buff=0.8).shift(0.2 * UP)
        x_label = style.math("X", size=style.LABEL_SIZE + 4).next_to(axes.x_axis, RIGHT, 0.1)
        x_label.align_to(axes.x_axis, DOWN)
        curve = axes.plot(
            np.log,
            x_range=[np.exp(LOG_BOTTOM), X_TOP, 0.002],
            color=theme.posterior,
            stroke_width=3,
        )
        curve_label = style.math(r"\log X", size=style.LABEL_SIZE + 4, color=theme.posterior)
        curve_label.next_to(axes.c2p(X_TOP, float(np.log(X_TOP))), DOWN + LEFT, buff=0.15)
        points = VGroup(
            *(
                Dot(axes.c2p(x, lx), radius=0.06, color=theme.latent)
                for x, lx in zip(picture.x_values, picture.log_x, strict=True)
            )
        )
        ticks = VGroup(
            *(
                Integer(y, font_size=style.MIN_FONT_SIZE, color=theme.muted).next_to(
                    axes.c2p(0, y), LEFT, buff=0.12
                )
                for y in range(-2, int(LOG_BOTTOM) - 1, -2)
            )
        )
        self.play(Create(axes), FadeIn(x_label, ticks))
        self.play(Create(curve), FadeIn(curve_label))
        return axes, VGroup(curve, curve_label, x_label, ticks), points

    def _readout(self, picture) -> VGroup:
        """The two sides of Jensen's inequality for these samples, as live numbers."""
        theme = self.theme
        rows = VGroup()
        for tex, value, colour in (
            (r"\log \E[X] \approx", picture.log_mean_x, theme.posterior),
            (r"\E[\log X] \approx", picture.mean_log_x, theme.elbo),
        ):
            number = DecimalNumber(
                value, num_decimal_places=2, font_size=style.BODY_SIZE, color=colour
            )
            rows.add(
                VGroup(style.math(tex, size=style.BODY_SIZE), number).arrange(RIGHT, buff=0.15)
            )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        note = style.tex("(sample averages)", size=style.LABEL_SIZE, color=theme.muted)
        return VGroup(rows, note.next_to(rows, DOWN, buff=0.2, aligned_edge=LEFT))
