"""Slide 2: Why Direct Likelihood is Hard.

log p(x) = log of an integral over every z; that integral is the bottleneck. The toy model's
integrand p(x, z) is drawn over z and its area found on a grid of 100 points (the number is
the running integral, ending at p(x); the counter counts the evaluations of p(x, z)). Dividing
by that area is seen on one shared scale: p(x, z) stretches by 1/p(x) into the true posterior
p(z|x), two-moded, area 1. A grid needs 100^d evaluations in d dimensions (a table, computed),
so the posterior is unknown; the slide closes on the key idea: approximate instead.
"""

from __future__ import annotations

import math

import numpy as np
from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.lecture import LectureScene
from scenes import formulas, pictures
from scenes.numerics import MODEL, OBSERVED_X, Z_RANGE
from scenes.numerics.toy_model import GRID_POINTS_PER_DIM, grid_evaluations, grid_evidence

# log p(x) = log ∫ p(x, z) dz with "log" and "∫" apart, so a box fits round the integral alone.
LOG_OF_INTEGRAL = (formulas.LOG_EVIDENCE, "=", r"\log", r"\;\int", formulas.JOINT, r"\, d\z")
PLOT_BASE_Y = -1.05  # height of both plots' z axes
PLOT_CENTRES_X = (-3.45, 3.55)  # the integrand (own scale) and the shared scale
PLOT_SIZE = (5.2, 1.85)
CURVE_POINTS = 801  # the curves' grid (the integral itself uses GRID_POINTS_PER_DIM points)
DIMENSIONS = (1, 2, 10, 50)  # the table's rows: our plot, an image patch... a small VAE
EVALUATIONS_PER_SECOND = 1e9  # a generous machine: a billion evaluations of p(x, z) a second
SECONDS_PER_YEAR = 365.25 * 24 * 3600
TABLE_MATH_SIZE = style.BODY_SIZE + 4  # numbers beside the table's text, a touch larger
UNKNOWN_Y = -2.35  # the conclusion's line, under both pictures and above the key idea


class WhyLikelihoodIsHard(LectureScene):
    """Slide 2: the integral behind p_theta(x), its integrand and the true posterior."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "The problem: computing p(x) requires an intractable integral.",
            say=(
                "The problem: computing p theta of x requires an intractable integral, over all z."
            ),
            key_frame="log-marginal",
        ):
            problem = style.tex(
                r"\textbf{The problem:} Computing $\pt(\x)$ requires an "
                r"intractable integral."
            )
            style.at_content_top(problem)
            self.play(FadeIn(problem, shift=0.2 * DOWN))
            self.wait(1.5)
            equation = style.math(*LOG_OF_INTEGRAL)
            equation.next_to(problem, DOWN, buff=0.3).align_to(problem, LEFT).shift(0.4 * RIGHT)
            self.play(Write(equation), run_time=2)
            self.wait(1)

        with self.beat(
            "This integral, over every possible z, is the bottleneck.",
            say="This integral, over every possible z, is the bottleneck.",
            key_frame="bottleneck",
        ):
            box = style.emphasis_box(VGroup(*equation[3:]), color=theme.warning)
            warning = style.tex(r"\textbf{This integral is the bottleneck.}", color=theme.warning)
            warning.next_to(box, RIGHT, buff=0.45)
            self.play(Create(box), FadeIn(warning, shift=0.2 * LEFT))
            self.wait(2.5)

        z = pictures.z_grid(CURVE_POINTS)
        joint = MODEL.joint_density(OBSERVED_X, z)
        grid = grid_evidence(OBSERVED_X)
        with self.beat(
            "For our toy model: the integrand p(x, z) over z, for the observed x = 2.0.",
            say="In our toy model, the blue curve is the integrand, p theta of x and z.",
        ):
            # Drawn centred while it is the only picture; it moves left for the shared scale.
            left_axes = self._plot_axes(1.15 * joint.max(), 0.0)
            left_scale = self._value_scale(left_axes, [0.1])
            joint_curve = plots.density_graph(left_axes, joint, theme.posterior, x=z)
            joint_label = style.math(formulas.JOINT, size=style.LABEL_SIZE + 4)
            joint_label.next_to(left_axes.c2p(1.5, joint.max()), RIGHT, buff=0.2)
            observed = plots.LabelledNumber(
                style.math(r"\x", size=style.LABEL_SIZE + 4),
                OBSERVED_X,
                theme.data,
                decimals=1,
                size=style.LABEL_SIZE + 4,
            )
            observed.next_to(left_axes.c2p(Z_RANGE[0], joint.max()), RIGHT, buff=0.25)
            left_z = pictures.z_label(left_axes)
            self.play(Create(left_axes), FadeIn(left_scale, left_z, observed))
            self.play(Create(joint_curve), FadeIn(joint_label), run_time=1.5)
            self.wait(1.5)

        with self.beat(
            "Its area is the number we need, p(x): a grid of 100 points finds it.",
            say=(
                "Its area is the number we need. A grid of one hundred points sums it up: "
                "the area comes to about zero point one one seven, and that is p theta of "
                "x."
            ),
            key_frame="integrand-area",
        ):
            sweep = ValueTracker(grid.z[0])

            def swept() -> np.ndarray:
                return z <= max(sweep.get_value(), z[1])

            def evaluated() -> int:
                return int(np.searchsorted(grid.z, sweep.get_value() + 1e-9, side="right"))

            def left_place() -> np.ndarray:
                return np.array(left_axes.c2p([0, 1], [0, 1]))

            # Each rebuilt only on frames where what it shows changed (redraw_on_change).
            area = plots.redraw_on_change(
                lambda: (int(np.count_nonzero(swept())), left_place()),
                lambda: plots.area_under(left_axes, joint[swept()], theme.posterior, x=z[swept()]),
            )
            # One bead per evaluation of p(x, z): the grid the integral is summed on.
            beads = plots.redraw_on_change(
                lambda: (evaluated(), left_place()),
                lambda: VGroup(
                    *(
                        Dot(left_axes.c2p(zi, pi), radius=0.03, color=theme.text)
                        for zi, pi in zip(
                            grid.z[: evaluated()], grid.joint[: evaluated()], strict=True
                        )
                    )
                ),
            )
            area_value = plots.LabelledNumber(
                style.math(r"\int", formulas.JOINT, r"\, d\z", size=style.LABEL_SIZE + 4),
                lambda: float(np.interp(sweep.get_value(), grid.z, grid.running)),
                theme.posterior,
                decimals=3,
                size=style.LABEL_SIZE + 4,
            )
            area_value.next_to(left_axes, DOWN, buff=0.3).align_to(left_axes, LEFT)
            counter = plots.LabelledNumber(
                style.tex(r"evaluations of $" + formulas.JOINT + "$", size=style.LABEL_SIZE),
                lambda: float(evaluated()),
                theme.text,
                decimals=0,
                size=style.LABEL_SIZE,
            )
            counter.next_to(area_value, DOWN, buff=0.25).align_to(area_value, LEFT)
            self.add(area, beads)
            self.play(FadeIn(area_value), FadeIn(counter))
            self.play(sweep.animate.set_value(grid.z[-1]), run_time=4, rate_func=linear)
            evidence_label = style.math(r"= \pt(\x)", size=style.LABEL_SIZE + 4)
            evidence_label.next_to(area_value, RIGHT, buff=0.2)
            self.play(FadeIn(evidence_label, shift=0.1 * LEFT))
            self.wait(1.5)

        with self.beat(
            "Divide by that area: on one scale, p(x, z) stretches by 1/p(x) into p(z|x).",
            say=(
                "On the right, on a shared scale, we divide by that area. The curve "
                "stretches by about eight point five six, until its area is one. That is "
                "the posterior, p theta of z given x, with two modes."
            ),
            key_frame="true-posterior",
        ):
            left_panel = VGroup(
                left_axes,
                left_scale,
                left_z,
                joint_curve,
                joint_label,
                observed,
                area,
                beads,
                area_value,
                counter,
                evidence_label,
            )
            area.clear_updaters()
            beads.clear_updaters()
            self.play(left_panel.animate.shift(PLOT_CENTRES_X[0] * RIGHT))
            posterior = MODEL.posterior_density(OBSERVED_X, z)
            right_axes = self._plot_axes(1.12 * posterior.max(), PLOT_CENTRES_X[1])
            right_scale = self._value_scale(right_axes, [0.5, 1.0])
            self.play(Create(right_axes), FadeIn(right_scale, pictures.z_label(right_axes)))
            # The same curve on the posterior's scale first: small, because p(x) < 1.
            factor = ValueTracker(1.0)
            on_shared = plots.density_graph(right_axes, joint, theme.posterior, x=z)
            self.play(ReplacementTransform(joint_curve.copy(), on_shared), run_time=1.5)
            stretched = plots.redraw_on_change(
                lambda: (factor.get_value(), np.array(right_axes.c2p([0, 1], [0, 1]))),
                lambda: VGroup(
                    plots.area_under(right_axes, joint * factor.get_value(), theme.posterior, x=z),
                    plots.density_graph(
                        right_axes, joint * factor.get_value(), theme.posterior, x=z
                    ),
                ),
            )
            factor_value = plots.LabelledNumber(
                style.tex("stretch", size=style.LABEL_SIZE + 4),
                factor.get_value,
                theme.text,
                decimals=2,
                size=style.LABEL_SIZE + 4,
            )
            factor_value.next_to(right_axes, DOWN, buff=0.3).align_to(right_axes, LEFT)
            new_area = plots.LabelledNumber(
                style.tex("area", size=style.LABEL_SIZE + 4),
                lambda: grid.value * factor.get_value(),
                theme.posterior,
                decimals=3,
                size=style.LABEL_SIZE + 4,
            )
            new_area.next_to(factor_value, DOWN, buff=0.25).align_to(factor_value, LEFT)
            self.remove(on_shared)
            self.add(stretched)
            self.play(FadeIn(factor_value), FadeIn(new_area))
            self.play(factor.animate.set_value(1.0 / grid.value), run_time=2.5)
            by_evidence = style.math(r"= 1 / \pt(\x)", size=style.LABEL_SIZE + 4)
            by_evidence.next_to(factor_value, RIGHT, buff=0.2)
            # The stretched joint is the posterior, drawn from its own formula.
            posterior_curve = plots.density_graph(right_axes, posterior, theme.posterior, x=z)
            posterior_label = style.math(formulas.TRUE_POSTERIOR, size=style.LABEL_SIZE + 4)
            posterior_label.next_to(right_axes.c2p(1.5, posterior.max()), RIGHT, buff=0.2)
            self.remove(stretched)
            self.add(plots.area_under(right_axes, posterior, theme.posterior, x=z))
            self.add(posterior_curve)
            self.play(FadeIn(by_evidence, shift=0.1 * LEFT), FadeIn(posterior_label))
            mode_arrows = VGroup(
                *(self._mode_arrow(right_axes, m) for m in MODEL.posterior_modes(OBSERVED_X))
            )
            self.play(FadeIn(mode_arrows))
            self.wait(1.5)

        with self.beat(
            "In d dimensions the grid needs 100^d evaluations: hopeless beyond a few.",
            say=(
                "In d dimensions, a grid needs one hundred to the power d evaluations. At a "
                "billion a second, ten dimensions take over three thousand years."
            ),
            key_frame="grid-cost",
        ):
            cost = self._grid_cost_table()
            cost.move_to([PLOT_CENTRES_X[0], -0.55, 0])
            self.play(FadeOut(left_panel), FadeIn(VGroup(cost.header, cost.rule)))
            self.play(
                LaggedStart(*(FadeIn(row, shift=0.1 * RIGHT) for row in cost.rows), lag_ratio=0.6),
                run_time=2.5,
            )
            self.wait(2)

        with self.beat(
            "So the true posterior p(z|x) is complex, and unknown without p(x).",
            say="So the true posterior is complex, and unknown without p theta of x.",
        ):
            unknown = style.tex(
                r"The true posterior $" + formulas.TRUE_POSTERIOR + r"$ is complex and unknown.",
                size=style.LABEL_SIZE + 2,
            )
            unknown.move_to([0, UNKNOWN_Y, 0])
            self.play(
                FadeOut(VGroup(factor_value, new_area, by_evidence)),
                FadeIn(unknown, shift=0.1 * UP),
            )
            self.wait(2.5)

        with self.beat(
            "Key idea: instead of solving exactly, introduce a tractable approximation.",
            say="Key idea: instead of solving exactly, introduce a tractable approximation.",
            key_frame="key-idea",
        ):
            key_idea = style.tex(
                r"\textbf{Key idea:} Instead of solving exactly, "
                r"introduce a tractable approximation."
            )
            plots.show_boxed_line(self, key_idea)
            self.wait(3)

    def _plot_axes(self, y_max: float, centre_x: float) -> Axes:
        """Density axes over z, their z axis at ``PLOT_BASE_Y``, centred at ``centre_x``."""
        axes = pictures.density_axes(y_max, x_length=PLOT_SIZE[0], y_length=PLOT_SIZE[1])
        axes.shift([centre_x, PLOT_BASE_Y, 0] - axes.c2p(0, 0))
        return axes

    def _value_scale(self, axes: Axes, values: list[float]) -> VGroup:
        """A vertical axis at the left end of ``axes`` with ticks at ``values``, numbered: the
        plot's scale, so two plots can be compared by their numbers."""
        theme = self.theme
        left = Z_RANGE[0]
        line = Line(axes.c2p(left, 0), axes.c2p(left, axes.y_range[1]), color=theme.muted)
        line.set_stroke(width=2)
        ticks = VGroup()
        for v in values:
            tick = Line(
                axes.c2p(left, v) + 0.06 * LEFT, axes.c2p(left, v) + 0.06 * RIGHT, color=theme.muted
            )
            number = DecimalNumber(
                v, num_decimal_places=1, font_size=style.MIN_FONT_SIZE, color=theme.muted
            ).next_to(tick, LEFT, buff=0.08)
            ticks.add(tick, number)
        return VGroup(line, ticks)

    def _mode_arrow(self, axes: Axes, mode: float) -> Arrow:
        """A short arrow pointing down onto the posterior's peak at ``mode``."""
        peak = axes.c2p(mode, float(MODEL.posterior_density(OBSERVED_X, mode)))
        return Arrow(
            peak + 0.6 * UP,
            peak,
            buff=0.08,
            color=self.theme.muted,
            stroke_width=3,
            max_tip_length_to_length_ratio=0.35,
        )

    def _grid_cost_table(self) -> style.Table:
        """Rows d = 1, 2, 10, 50: evaluations of a 100-point-per-axis grid, and their time."""
        rows = []
        for d in DIMENSIONS:
            n = grid_evaluations(d)
            rows.append(
                [
                    style.math(str(d), size=TABLE_MATH_SIZE),
                    style.math(_count_tex(n), size=TABLE_MATH_SIZE),
                    style.tex(_duration_tex(n / EVALUATIONS_PER_SECOND)),
                ]
            )
        header = [r"$d$", rf"evaluations ${GRID_POINTS_PER_DIM}^d$", r"at $10^9$ per s"]
        return style.Table(header, rows, column_gap=0.5, row_gap=0.2)


def _count_tex(n: int) -> str:
    """An exact count as TeX: digits (grouped) up to a million, a power of ten beyond."""
    if n < 10**6:
        return f"{n:,}".replace(",", "{,}")
    return _scientific_tex(float(n)) if str(n).strip("0") != "1" else f"10^{{{len(str(n)) - 1}}}"


def _scientific_tex(value: float) -> str:
    """``m \\times 10^{e}`` with one significant digit after the point dropped if zero."""
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    return rf"{mantissa:.1f} \times 10^{{{exponent}}}".replace(".0 ", " ")


def _duration_tex(seconds: float) -> str:
    """A running time in the unit a viewer grasps: microseconds, seconds or years."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:g}" + r"\,$\mu$s"
    if seconds < 3600:
        return f"{seconds:.3g} s"
    years = seconds / SECONDS_PER_YEAR
    if years < 1e6:
        return f"{years:,.0f} years"
    return "$" + _scientific_tex(years) + "$ years"
