"""Slide 6: Lower Bounding the Log-Likelihood.

Jensen's inequality for the concave log, log E[X] >= E[log X], drawn on the log curve with the
toy model's ratios X_i = p_theta(x, z_i) / r(z_i), z_i ~ r, where r is slide 5's proposal (the
moment-matched Gaussian, which covers both modes; the encoder's ELBO fit would give nearly
equal X_i bunched in one spot). The average of the points lies below the curve. The sample
values stand beside the exact ones (by quadrature), with the reason they differ: a few draws
far out in r's tails, where log X is very low, weigh in the exact E[log X] and a dozen samples
have none. Applied to log E_q[p/q], the log moves inside the expectation and the ratio splits
into log p_theta(x, z) - log q_phi(z|x): the lower bound.
"""

from __future__ import annotations

import numpy as np
from manim import *

from lecturekit.scene import style
from lecturekit.scene.derivation import BAR, DerivationScene
from scenes import formulas
from scenes.formulas import BOUND, PROPOSAL, PROPOSAL_SYMBOL, RATIO, expectation_q
from scenes.numerics import JensenPicture, fit_forward_kl, jensen_picture, log_ratio_tail

N_POINTS = 12
SEED = 0
X_TOP = 0.45  # the largest ratio with seed 0 is 0.42
LOG_BOTTOM = -9.0  # the smallest log-ratio with seed 0 is -7.9; below this the plot ends
RIGHT_COLUMN_X = 3.55  # centre of the text column beside the plot


class LowerBound(DerivationScene):
    """Slide 6: Jensen's inequality and the bound it gives on log p_theta(x)."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        picture = jensen_picture(fit_forward_kl(), n=N_POINTS, seed=SEED)

        with self.beat(
            "Step 3: apply Jensen's inequality.",
            say="Step three applies Jensen's inequality: since the log is concave, the log of "
            "an expectation is at least the expectation of the log.",
        ):
            step = self.step_line(r"\textbf{Step 3:} Apply Jensen's inequality.")
            jensen = style.math(r"\log", r"\E[X]", r"\geq", r"\E[\log X]")
            jensen.next_to(step, DOWN, buff=0.3).set_x(RIGHT_COLUMN_X)
            concave = style.tex(r"($\log$ is concave)", size=style.LABEL_SIZE, color=theme.muted)
            concave.next_to(jensen, DOWN, buff=0.15)
            plot = LogPlot(picture)
            self.play(Write(jensen), Create(plot.axes), FadeIn(plot.x_label, plot.ticks))
            self.play(Create(plot.curve), FadeIn(plot.curve_label, concave))
            self.wait(1.2)

        with self.beat(
            "Each sample z_i ~ r gives X_i = p(x, z_i) / r(z_i): a point on the log curve.",
            say="Each sample from r gives a ratio X, and a green point on the blue log curve.",
        ):
            ratio = style.math(
                r"X_i = \frac{\pt(\x, \z_i)}{" + PROPOSAL_SYMBOL + r"(\z_i)}",
                r",\quad \z_i \sim " + PROPOSAL,
                size=style.BODY_SIZE + 2,
            )
            ratio.next_to(concave, DOWN, buff=0.35).set_x(RIGHT_COLUMN_X)
            proposal = style.tex(
                r"$" + PROPOSAL + r"$: the moment-matched Gaussian of slide 5",
                size=style.LABEL_SIZE,
                color=theme.muted,
            )
            proposal.next_to(ratio, DOWN, buff=0.15).set_x(RIGHT_COLUMN_X)
            self.play(FadeIn(ratio), FadeIn(proposal))
            self.play(
                LaggedStart(*(FadeIn(p, scale=0.5) for p in plot.samples), lag_ratio=0.15),
                run_time=1.8,
            )
            self.wait(2.0)

        with self.beat(
            "Their average, E[log X], lies below the curve's value there, log E[X].",
            key_frame="jensen-plot",
            say="Their average, the red dot, is the mean of the logs. It lies below the blue "
            "dot on the curve, the log of the mean. Here the violet gap is about one point "
            "eight.",
        ):
            self.play(Create(plot.spokes), FadeIn(plot.average), run_time=1.4)
            self.play(FadeOut(plot.spokes), Create(plot.drop), FadeIn(plot.mean_label))
            self.play(
                FadeIn(plot.top, plot.top_label, plot.average_label),
                Create(plot.gap_line),
                FadeIn(plot.gap_label),
            )
            readout = JensenReadout(picture)
            readout.next_to(proposal, DOWN, buff=0.45).set_x(RIGHT_COLUMN_X)
            self.play(FadeIn(readout.sample_column))
            self.wait(2.2)

        tail = log_ratio_tail(fit_forward_kl(), LOG_BOTTOM)
        with self.beat(
            "Exact values average over all of r: rare far-out draws pull E[log X] down.",
            key_frame="exact",
            say="Over all of r, the exact gap is about seven point one. One draw in nine lands "
            "below this plot, dragging the mean of the logs down, and these twelve have "
            "none.",
        ):
            self.play(FadeIn(readout.exact_column))
            why = VGroup(
                style.tex(
                    r"1 draw in "
                    + str(round(1 / tail.probability))
                    + r" from $"
                    + PROPOSAL_SYMBOL
                    + r"$ has $\log X < "
                    + str(int(LOG_BOTTOM))
                    + r"$",
                    size=style.LABEL_SIZE,
                    color=theme.muted,
                ),
                style.tex(
                    r"(below this plot); these " + str(N_POINTS) + r" have none.",
                    size=style.LABEL_SIZE,
                    color=theme.muted,
                ),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            why.next_to(readout, DOWN, buff=0.3).set_x(RIGHT_COLUMN_X)
            self.play(FadeIn(why))
            self.wait(4.0)

        with self.beat(
            "Applied to our expression, the log moves inside the expectation.",
            say="Now apply Jensen to our expression. The log moves inside the expectation under "
            "q, and the equals sign becomes greater than or equal.",
        ):
            self.fade_out(plot, readout, why, ratio, proposal, concave)
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
                wait=1.5,
            )

        with self.beat(
            "The log of a ratio is a difference of logs.",
            key_frame="log-inside",
            say="The log of the ratio splits into log p theta of x and z, minus log q of z "
            "given x.",
        ):
            split = style.math("=", *expectation_q(*BOUND))
            self.place_line(split, inside, buff=0.3, align=evidence[1])
            self.derive(
                inside,
                split,
                why=r"$\log (a / b) = \log a - \log b$",
                key_map={BAR: "-", r"\geq": "="},
            )

        with self.beat(
            "Therefore log p(x) is at least E_q[log p(x, z) - log q(z|x)].",
            say="Therefore, log p theta of x is at least the expectation in the box.",
        ):
            therefore = style.tex(r"Therefore:")
            bound = style.math(formulas.LOG_EVIDENCE, r"\geq", *expectation_q(*BOUND))
            bound.next_to(split, DOWN, buff=0.75).set_x(0.6)
            therefore.next_to(bound, LEFT, buff=0.4)
            self.play(FadeIn(therefore))
            self.play(TransformMatchingTex(split.copy(), bound, key_map={"=": r"\geq"}), run_time=2)
            self.play(Create(style.emphasis_box(bound)))
            self.wait(2)

        with self.beat(
            "This is where 'lower bound' comes from.",
            key_frame="lower-bound",
            say="This is where the name lower bound comes from: the quantity we maximize never "
            "exceeds the log likelihood.",
        ):
            origin = style.tex(
                r"\textbf{This is where ``lower bound'' comes from.}",
                size=style.HEADING_SIZE,
                color=theme.highlight,
            )
            origin.next_to(bound, DOWN, buff=0.45).set_x(0)
            self.play(Write(origin), run_time=1.6)
            self.wait(3)


class LogPlot(VGroup):
    """log X against X with the sample points (X_i, log X_i) and Jensen's two sides.

    Parts: ``axes``, ``x_label``, ``ticks``, ``curve`` (log X), ``curve_label``, ``samples``
    (the points (X_i, log X_i));
    for the average: ``spokes`` (from each point to it), ``average`` (at (mean X, mean log X)),
    ``drop`` (from the X axis down to it), ``mean_label`` (E[X] on the X axis), ``top`` (the
    curve at mean X), ``gap_line`` between the two, with ``top_label``, ``average_label`` and
    ``gap_label`` each beside its own part and off the curve.
    """

    def __init__(self, picture: JensenPicture) -> None:
        theme = style.active_theme()
        axes = style.axes(
            (0, X_TOP, 0.1), (LOG_BOTTOM, 0, 2), x_length=5.6, y_length=4.4, ticks=False
        )
        axes.to_corner(DOWN + LEFT, buff=0.6).shift(0.55 * RIGHT + 0.05 * UP)
        self.axes = axes
        # X at the end of its axis (the X axis is log X = 0, at the top); "log X" right of the
        # curve's end, below it, where no point or chord comes.
        self.x_label = style.math("X", size=style.LABEL_SIZE + 4)
        self.x_label.next_to(axes.c2p(X_TOP, 0), RIGHT, buff=0.15)
        self.curve = axes.plot(
            np.log,
            x_range=[np.exp(LOG_BOTTOM), X_TOP, 0.002],
            color=theme.posterior,
            stroke_width=3,
        )
        self.curve_label = style.math(r"\log X", size=style.LABEL_SIZE + 4, color=theme.posterior)
        self.curve_label.next_to(axes.c2p(X_TOP, float(np.log(X_TOP))), RIGHT, buff=0.15)
        self.ticks = VGroup(
            *(
                Integer(y, font_size=style.MIN_FONT_SIZE, color=theme.muted).next_to(
                    axes.c2p(0, y), LEFT, buff=0.12
                )
                for y in range(-2, int(LOG_BOTTOM) - 1, -2)
            )
        )
        self.samples = VGroup(
            *(
                Dot(axes.c2p(x, lx), radius=0.06, color=theme.latent)
                for x, lx in zip(picture.x_values, picture.log_x, strict=True)
            )
        )
        mean_x = float(np.mean(picture.x_values))
        below = axes.c2p(mean_x, picture.mean_log_x)
        on_curve = axes.c2p(mean_x, picture.log_mean_x)
        self.spokes = VGroup(
            *(
                DashedLine(p.get_center(), below, stroke_width=1.5, color=theme.muted)
                for p in self.samples
            )
        )
        self.average = Dot(below, radius=0.08, color=theme.elbo)
        self.top = Dot(on_curve, radius=0.08, color=theme.posterior)
        self.drop = DashedLine(axes.c2p(mean_x, 0), below, stroke_width=2, color=theme.muted)
        self.mean_label = style.math(r"\E[X]", size=style.LABEL_SIZE)
        self.mean_label.next_to(axes.c2p(mean_x, 0), UP, buff=0.12)
        self.gap_line = Line(below, on_curve, color=theme.kl, stroke_width=7)
        size = style.LABEL_SIZE
        # log E[X] up and left of its dot: the curve falls away to the lower left there.
        self.top_label = style.math(r"\log \E[X]", size=size, color=theme.posterior)
        self.top_label.next_to(self.top, UP + LEFT, buff=0.08)
        self.average_label = style.math(r"\E[\log X]", size=size, color=theme.elbo)
        self.average_label.next_to(self.average, DOWN, buff=0.15)
        self.gap_label = style.tex("gap", size=size, color=theme.kl)
        self.gap_label.next_to(self.gap_line, RIGHT, buff=0.15)
        super().__init__(
            self.axes,
            self.x_label,
            self.ticks,
            self.curve,
            self.curve_label,
            self.samples,
            self.average,
            self.drop,
            self.mean_label,
            self.top,
            self.gap_line,
            self.top_label,
            self.average_label,
            self.gap_label,
        )


class JensenReadout(VGroup):
    """The two sides of Jensen's inequality and their gap: the 12-sample values beside the exact
    ones (log E_r[X] = log p(x) and E_r[log X] by quadrature).

    Parts: ``names`` (the row names), ``sample_column`` (header and values of the sample
    averages, names included: it is shown first), ``exact_column`` (header and exact values).
    """

    def __init__(self, picture: JensenPicture) -> None:
        theme = style.active_theme()
        size = style.BODY_SIZE
        rows = (
            (r"\log \E[X]", picture.log_mean_x, picture.exact_log_mean_x, theme.posterior),
            (r"\E[\log X]", picture.mean_log_x, picture.exact_mean_log_x, theme.elbo),
            (
                r"\text{gap}",
                picture.log_mean_x - picture.mean_log_x,
                picture.exact_gap,
                theme.kl,
            ),
        )
        names = [style.math(tex, size=size, color=colour) for tex, _, _, colour in rows]
        samples = [_number(s, colour) for _, s, _, colour in rows]
        exacts = [_number(e, colour) for _, _, e, colour in rows]
        sample_header = style.tex(f"{N_POINTS} samples", size=size, color=theme.muted)
        exact_header = style.tex("exact", size=size, color=theme.muted)
        row_gap, name_width = 0.55, max(n.width for n in names)
        # Each column's numbers and header share a right edge, so the decimal points line up.
        sample_right = name_width + 0.6 + sample_header.width
        exact_right = sample_right + 0.6 + max(exact_header.width, *(e.width for e in exacts))
        sample_header.move_to([sample_right - sample_header.width / 2, 0, 0])
        exact_header.move_to([exact_right - exact_header.width / 2, 0, 0])
        for i, (name, sample, exact) in enumerate(zip(names, samples, exacts, strict=True)):
            y = -(i + 1) * row_gap
            name.move_to([name.width / 2, y, 0])
            sample.move_to([sample_right - sample.width / 2, y, 0])
            exact.move_to([exact_right - exact.width / 2, y, 0])
        self.names = VGroup(*names)
        self.sample_column = VGroup(sample_header, *names, *samples)
        self.exact_column = VGroup(exact_header, *exacts)
        super().__init__(self.sample_column, self.exact_column)


def _number(value: float, colour: str) -> DecimalNumber:
    """A readout value to two decimals in its row's colour."""
    return DecimalNumber(value, num_decimal_places=2, font_size=style.BODY_SIZE, color=colour)
