"""Slide 10: What Does ELBO Really Optimize?

The gap identity log p(x) - L = KL(q(z|x) || p(z|x)), seen three ways on the toy model, all
computed for the q and the model on screen:

- the KL's integrand q log(q / p(z|x)) shaded under the fit picture: its area is the gap
  (``numerics.kl_integrand``), and the bar beside it puts log p(x), the ELBO and the gap on
  one scale (``pictures.ElboGapBar``);
- log p(x) = L + KL(q || p(z|x)) beside L = reconstruction - KL(q || p(z)), with the values
  of every term under it, adding up (``numerics.elbo_parts``);
- what each kind of step does: a phi-step moves q (log p(x) stays, the gap shrinks; the last
  steps of ``numerics.optimiser_path``), and at the best Gaussian the gap stays above zero:
  one Gaussian cannot cover both modes; a theta-step changes the model (the decoder's offset,
  ``numerics.theta_step``): log p(x) and the posterior move, the ELBO rises.

Then the script's readings of the identity and its two-fold conclusion, beside the bar.
"""

from __future__ import annotations

from collections.abc import Callable

from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.layering import lower_if_clear
from lecturekit.scene.lecture import LectureScene
from scenes import formulas, pictures
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    Z_RANGE,
    FitStep,
    elbo,
    fit_reverse_kl,
    gap,
    kl_to_posterior,
    kl_to_prior,
    optimiser_path,
    reconstruction,
    theta_step,
)

PHI_START = 11  # the phi-steps start at this iterate of the optimiser's path (gap 1.33)
DECIMALS = 3  # enough for the values under each identity to add up exactly
ROW_SIZE = 32
PLOT_LEFT = -6.45  # where z = Z_RANGE[0] lies on both plots
PLOT_WIDTH = 6.2
DENSITY_TOP = 1.0  # the fit picture's top (its y_max), under the values of the identities
DENSITY_AXIS_Y = -0.65
DENSITY_MAX = 1.9  # q's peak at the fit is 1.78
INTEGRAND_TOP = -1.4  # the integrand's top (its y_max), under the z numbers of the fit picture
INTEGRAND_AXIS_Y = -3.0
INTEGRAND_RANGE = (-0.15, 2.0)  # the integrand at the phi-step's start peaks at 1.96
BAR_CENTRE = (3.82, -0.65)
STEP_SECONDS = 4.0


class WhatELBOOptimizes(LectureScene):
    """Slide 10: the gap between log p(x) and the ELBO is KL(q(z|x) || p(z|x))."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        # The phi-steps end on the exact optimum (the path's last iterate is within 5e-4 of it),
        # the q whose terms slide 8 showed and from which the theta-step is taken.
        best = fit_reverse_kl()
        path = optimiser_path()[PHI_START:] + [FitStep(best.mu, best.s, elbo(best), gap(best))]
        follower = pictures.PathFollower(path)
        model_step = pictures.ModelStep(MODEL, theta_step(best))
        q, model = follower.q, model_step.model
        values = GapValues(q, model)

        with self.beat(
            "The gap between the true likelihood and the ELBO is a KL divergence.",
            key_frame="gap-identity",
            say="The gap between log p theta of x and the ELBO is a KL divergence.",
        ):
            heading = style.tex(r"\textbf{The gap between true likelihood and ELBO:}")
            style.at_content_top(heading, buff=0.1)
            identity = style.math(*formulas.GAP_IDENTITY)
            identity.next_to(heading, DOWN, buff=0.25).align_to(heading, LEFT).shift(0.4 * RIGHT)
            self.play(FadeIn(heading, shift=0.2 * DOWN))
            self.play(Write(identity), run_time=1.5)
            self.wait(1)

        with self.beat(
            "Its integrand q log(q/p) is shaded below: the shaded area is the gap.",
            key_frame="integrand",
            say=(
                "The violet curve is the integrand of that KL: its shaded area is the gap, as on "
                "the bar at the right."
            ),
        ):
            fit = pictures.FitPlot(
                q,
                y_max=DENSITY_MAX,
                model=model,
                x_length=PLOT_WIDTH,
                y_length=DENSITY_TOP - DENSITY_AXIS_Y,
            )
            fit.shift([PLOT_LEFT, DENSITY_AXIS_Y, 0] - fit.axes.c2p(Z_RANGE[0], 0))
            low, high = INTEGRAND_RANGE
            integrand = pictures.KLIntegrandPlot(
                q,
                model,
                y_min=low,
                y_max=high,
                x_length=PLOT_WIDTH,
                y_length=(INTEGRAND_TOP - INTEGRAND_AXIS_Y) * (high - low) / high,
            )
            integrand.shift([PLOT_LEFT, INTEGRAND_AXIS_Y, 0] - integrand.axes.c2p(Z_RANGE[0], 0))
            names = CurveNames(fit, integrand, values)
            bar = pictures.gap_bar(values.elbo, values.log_evidence)
            bar.shift([*BAR_CENTRE, 0] - bar.frame.get_center()).refresh()
            self.play(Create(fit.axes), FadeIn(fit.z_label), Create(integrand.axes))
            self.play(
                Create(fit.posterior_curve),
                FadeIn(fit.q_curve, names.posterior, names.q),
            )
            self.play(
                FadeIn(integrand.area, integrand.negative_area),
                Create(integrand.curve),
                FadeIn(names.integrand, names.area),
            )
            self.play(FadeIn(bar))
            self.wait(1.5)

        with self.beat(
            "So log p(x) = ELBO + KL, while the ELBO = reconstruction - KL to the prior.",
            key_frame="two-identities",
            say=(
                "So log p of x is the ELBO plus this KL, and the ELBO is reconstruction minus the"
                " KL to the prior. The numbers under each line add up."
            ),
        ):
            evidence_row = style.math(
                formulas.LOG_EVIDENCE,
                "=",
                r"\elbo",
                "+",
                formulas.KL_TO_POSTERIOR,
                size=ROW_SIZE,
            )
            elbo_row = style.math(r"\elbo", "=", *formulas.ELBO_RHS, size=ROW_SIZE)
            rows = VGroup(evidence_row, elbo_row).arrange(RIGHT, buff=0.6, aligned_edge=DOWN)
            rows.move_to([0, identity.get_y(), 0])
            numbers = VGroup(
                ValuesRow(
                    evidence_row,
                    [values.log_evidence, "=", values.elbo, "+", values.gap],
                    [theme.text, theme.elbo, theme.kl],
                ),
                ValuesRow(
                    elbo_row,
                    [values.elbo, "=", values.reconstruction, "-", values.kl_prior],
                    [theme.elbo, theme.data, theme.kl],
                ),
            )
            script_identity = identity.copy()
            self.play(TransformMatchingTex(identity, evidence_row), run_time=1.5)
            self.play(FadeIn(elbo_row, shift=0.1 * LEFT))
            self.play(FadeIn(numbers))
            self.wait(2)

        with self.beat(
            "A φ-step moves q: log p(x) stays put, the ELBO rises, the gap shrinks.",
            key_frame="phi-step",
            say=(
                "A phi step moves the orange q: log p of x stays put, the ELBO rises to about "
                "minus two point six, and the violet gap shrinks."
            ),
        ):
            phi_tag = step_tag(fit, r"$\phic$-step:", r"$\qp$ moves")
            self.play(FadeIn(phi_tag, shift=0.1 * DOWN), run_time=0.8)
            # The formulas and the tag hold still, clear of the curves and the bar, but were
            # added after them: under them in the drawing order they are drawn once per step.
            lower_if_clear(self, evidence_row, elbo_row, phi_tag)
            self.play(follower.to_end(STEP_SECONDS))
            self.wait(1.5)

        with self.beat(
            "At the best q the gap stays above zero: one Gaussian can't cover both modes.",
            key_frame="one-gaussian",
            say=(
                "Even at the best q, a gap of about zero point four five remains: one Gaussian "
                "cannot cover both modes."
            ),
        ):
            left_mode = float(MODEL.posterior_modes(OBSERVED_X)[0])
            peak = float(MODEL.posterior_density(OBSERVED_X, left_mode))
            missed = pictures.MissedMode(
                fit.axes.c2p(left_mode, peak),
                style.tex(r"missed by $\qp$", size=style.LABEL_SIZE),
                rise=0.6,
            )
            gap_box = style.emphasis_box(bar.gap_label, color=theme.kl, buff=0.1)
            self.play(
                FadeOut(phi_tag),
                GrowArrow(missed.arrow),
                FadeIn(missed.label),
                Create(gap_box),
            )
            self.wait(3)

        with self.beat(
            "A θ-step changes the model: log p(x) and the posterior move; the ELBO rises.",
            key_frame="theta-step",
            say=(
                "A theta step changes the model instead: the decoder's mean moves up by zero "
                "point two five. Log p of x and the blue posterior move, and the ELBO rises "
                "again. Here log p of x rises more, so the gap grows, for the next phi step to "
                "close."
            ),
        ):
            offset = model_step.end.offset - model_step.start.offset
            theta_tag = step_tag(fit, r"$\thetac$-step:", rf"decoder mean ${offset:+.2f}$")
            self.play(FadeOut(gap_box, missed), FadeIn(theta_tag, shift=0.1 * DOWN), run_time=0.8)
            lower_if_clear(self, theta_tag)
            self.play(model_step.run(STEP_SECONDS))
            self.wait(2)

        with self.beat(
            "The gap is the KL between the approximate and the true posterior.",
            key_frame="interpretation",
            say="So the gap is the KL between the approximate and the true posterior.",
        ):
            self.play(
                FadeOut(
                    VGroup(
                        fit,
                        integrand,
                        names,
                        theta_tag,
                        elbo_row,
                        numbers,
                    )
                ),
                TransformMatchingTex(evidence_row, script_identity),
                bar.animate.shift((style.safe_box()[1] - 0.05 - bar.get_right()[0]) * RIGHT),
            )
            interpretation = text_block(
                r"\textbf{Interpretation:}",
                r"$\bullet$ The gap is the KL between approximate",
                r"and true posterior",
                r"$\bullet$ Gap $\geq 0$ always (KL is non-negative)",
                r"$\bullet$ When $\qp = \pt$, gap is zero",
            )
            interpretation.next_to(script_identity, DOWN, buff=0.4).align_to(heading, LEFT)
            bullet = style.tex(r"$\bullet$ ", size=style.LABEL_SIZE)
            interpretation[2].shift((bullet.width + 0.12) * RIGHT)
            self.play(FadeIn(interpretation[:3], shift=0.1 * UP))
            self.wait(1.5)

        with self.beat(
            "KL is never negative, so the ELBO never rises above log p(x).",
            say="A KL is never negative, so the ELBO never rises above log p of x.",
        ):
            self.play(FadeIn(interpretation[3], shift=0.1 * UP))
            self.wait(2.2)

        with self.beat(
            "The gap is zero only when q equals the true posterior.",
            say="The gap is zero only when q equals the true posterior.",
        ):
            self.play(FadeIn(interpretation[4], shift=0.1 * UP))
            self.wait(2)

        with self.beat(
            "So maximizing the ELBO learns the model and does approximate inference.",
            key_frame="conclusion",
            say=(
                "So maximizing the ELBO does two things: it learns the generative model, p theta,"
                " and performs approximate Bayesian inference."
            ),
        ):
            conclusion = text_block(
                r"\textbf{Maximizing ELBO simultaneously:}",
                r"1. Learns the generative model $\pt$",
                r"2. Performs approximate Bayesian inference",
            )
            conclusion.next_to(interpretation, DOWN, buff=0.4).align_to(heading, LEFT)
            self.play(FadeIn(conclusion[0], shift=0.1 * UP))
            self.play(FadeIn(conclusion[1], shift=0.1 * UP))
            self.play(FadeIn(conclusion[2], shift=0.1 * UP))
            self.play(Create(style.emphasis_box(conclusion)))
            self.wait(3)


def text_block(head: str, *rows: str) -> VGroup:
    """A bold heading and indented rows of text-mode LaTeX, aligned left."""
    lines = VGroup(style.tex(head), *(style.tex(r, size=style.LABEL_SIZE) for r in rows))
    lines.arrange(DOWN, aligned_edge=LEFT, buff=0.16)
    for row in lines[1:]:
        row.shift(0.4 * RIGHT)
    return lines


def step_tag(fit: pictures.FitPlot, *rows: str) -> Mobject:
    """What the step on screen changes, at the top left of the fit picture (no curve there)."""
    tag = VGroup(*(style.tex(r, size=style.LABEL_SIZE) for r in rows))
    tag.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
    return tag.move_to(fit.axes.c2p(Z_RANGE[0], fit.axes.y_range[1]), aligned_edge=UP + LEFT)


class GapValues:
    """Every number of slide 10 for the q and the model on screen (``numerics``), as
    callables the live labels read.

    Each value is computed once per (q, model): a dozen labels and live parts read them on
    every frame, and log p(x) and the gap are adaptive quadratures (the same floats either
    way: the functions are pure and q and the model are frozen dataclasses).
    """

    def __init__(self, q: Callable, model: Callable) -> None:
        self.q, self.model = q, model
        self._last: dict[str, tuple[object, float]] = {}

    def _value(self, name: str, key: object, compute: Callable[[], float]) -> float:
        last = self._last.get(name)
        if last is None or last[0] != key:
            last = self._last[name] = (key, compute())
        return last[1]

    def log_evidence(self) -> float:
        """log p(x) under the model on screen."""
        model = self.model()
        return self._value("log_evidence", model, lambda: model.log_evidence(OBSERVED_X))

    def elbo(self) -> float:
        """The ELBO of the q on screen."""
        q, model = self.q(), self.model()
        return self._value("elbo", (q, model), lambda: elbo(q, OBSERVED_X, model))

    def gap(self) -> float:
        """KL(q || p(z|x)), by quadrature of its integrand (not log p(x) - ELBO)."""
        q, model = self.q(), self.model()
        return self._value("gap", (q, model), lambda: kl_to_posterior(q, OBSERVED_X, model))

    def reconstruction(self) -> float:
        """E_q[log p(x|z)]."""
        q, model = self.q(), self.model()
        return self._value(
            "reconstruction", (q, model), lambda: reconstruction(q, OBSERVED_X, model)
        )

    def kl_prior(self) -> float:
        """KL(q || p(z))."""
        q = self.q()
        return self._value("kl_prior", q, lambda: kl_to_prior(q))


class ValuesRow(VGroup):
    """A formula's equation again in numbers, under it: live values (each in its term's
    colour) between the formula's relation signs, re-centred under the formula as the values'
    widths change.

    ``items`` alternates values and signs: ``[value, "=", value, "+", value]``. Parts:
    ``numbers`` (one per value, in order) and ``signs``.
    """

    def __init__(
        self, formula: Mobject, items: list[Callable[[], float] | str], colors: list[str]
    ) -> None:
        size = style.LABEL_SIZE
        values = [item for item in items if callable(item)]
        self.numbers = [
            plots.live_number(value, color, DECIMALS, size)
            for value, color in zip(values, colors, strict=True)
        ]
        self.signs = [style.math(item, size=size) for item in items if isinstance(item, str)]
        numbers, signs = iter(self.numbers), iter(self.signs)
        ordered = [next(numbers) if callable(item) else next(signs) for item in items]
        super().__init__(*ordered)
        y = formula.get_bottom()[1] - 0.4
        x = formula.get_x()

        def refresh(row: Mobject) -> None:
            if row is not self:
                # An animation's copy (a fade's start and end): the numbers updated are this
                # row's, and arranging the copy at the row's place would pin it there.
                return
            for number in self.numbers:
                number.update()
            row.arrange(RIGHT, buff=0.2).move_to([x, y, 0])

        self.add_updater(refresh)
        refresh(self)


class CurveNames(VGroup):
    """The names on slide 10's plots, each beside what it names, in empty parts of the plots.

    Parts: ``posterior`` (left of the posterior's left mode), ``q`` (right of q), ``integrand``
    (the KL's integrand, over the empty left of its plot) and ``area`` (its area, live).
    """

    def __init__(
        self, fit: pictures.FitPlot, integrand: pictures.KLIntegrandPlot, values: GapValues
    ) -> None:
        theme = style.active_theme()
        size = style.LABEL_SIZE
        self.posterior = style.math(formulas.TRUE_POSTERIOR, size=size)
        self.posterior.move_to(fit.axes.c2p(-3.0, 0.3))
        self.q = style.math(formulas.Q_ENCODER, size=size)
        self.q.move_to(fit.axes.c2p(3.0, 0.7))
        self.integrand = style.math(
            r"\qp \log \frac{\qp}{" + formulas.TRUE_POSTERIOR + "}", size=size
        )
        self.integrand.move_to(
            integrand.axes.c2p(Z_RANGE[0], integrand.axes.y_range[1]), aligned_edge=UP + LEFT
        )
        self.area = plots.LabelledNumber(
            style.tex("area", size=size, color=theme.kl),
            values.gap,
            theme.kl,
            decimals=DECIMALS,
            size=size,
        )
        self.area.next_to(self.integrand, DOWN, buff=0.2).align_to(self.integrand, LEFT)
        super().__init__(self.posterior, self.q, self.integrand, self.area)
