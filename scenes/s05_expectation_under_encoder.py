"""Slide 5: Expectation Under the Encoder.

The integral against q_phi(z|x) is an expectation under q_phi(z|x): the q under the integral
travels into the subscript of E. Why it matters: the expectation can be estimated by sampling.
The same identity holds for any density r that covers p_theta(x, z), so the picture samples
r = the moment-matched Gaussian (dashed, named for what it is), which covers both posterior
modes: the ratios p_theta(x, z_i) / r(z_i) have a running mean that converges to the true
p_theta(x). Sampling the encoder's own Gaussian (the ELBO fit of slide 3, on one mode) instead
is shown honestly: its draws never reach the left mode, so its running mean stays too low.
"""

from __future__ import annotations

import numpy as np
from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.derivation import DerivationScene, piece
from scenes import formulas, pictures
from scenes.formulas import PROPOSAL, PROPOSAL_SYMBOL, RATIO, expectation_q
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    ISRun,
    fit_forward_kl,
    fit_reverse_kl,
    importance_sampling_run,
)

Q = formulas.Q_ENCODER
N_SAMPLES = 1000  # the running estimate runs from k = 1 to this many samples
KEY_SAMPLE = 2  # samples 0..KEY_SAMPLE are read out; with seed 0 the key one's ratio is largest
N_DOTS = 40  # samples drawn as dots on the z axis
SEED = 0
DENSITY_TOP = 0.35  # the moment-matched Gaussian peaks at 0.32
AXIS_Y = -2.75  # both panels' horizontal axes sit at this height
PANEL_HEIGHT = 2.0  # the density panel
PLOT_HEIGHT = 1.7  # the estimate panel (its legend has three rows)
LEGEND_SAMPLE = 0.5  # length of a legend's line sample
LEGEND_GAP = 0.08
ESTIMATE_TOP = 0.25  # p(x) = 0.117; early running means above this are clipped to it
DASH = (0.12, 0.08)  # a dashed run: drawn and blank lengths, laid from k = 1 (fixed as it grows)


class ExpectationUnderEncoder(DerivationScene):
    """Slide 5: the integral becomes E_q[p/q], estimated by sampling."""

    def construct(self) -> None:
        self.show_title_bar()

        with self.beat(
            "Step 2: recognize this as an expectation under q(z|x).",
            say="Step two: we recognize this integral as an expectation under q of z given x.",
        ):
            step = self.step_line(
                r"\textbf{Step 2:} Recognize this as an expectation under "
                r"$\qp(\z \given \x)$."
            )
            integral = style.math(
                formulas.LOG_EVIDENCE, "=", r"\log", r"\int", Q, r"\cdot", *RATIO, r"\, d\z"
            )
            # The two lines sit in the middle of the frame, not under the step line with the
            # lower half empty.
            self.place_line(integral, step, buff=1.1)
            self.play(Write(integral), run_time=2)
            self.wait(1.6)

        with self.beat(
            "Integrating against q(z|x) is taking an expectation under q(z|x).",
            key_frame="expectation",
            say="Integrating against a density is, by definition, taking an expectation under "
            "it. So the orange q moves into the subscript of the expectation.",
        ):
            # q is marked by an underline in its colour, which then travels with it into the
            # subscript of E (a box around a subscript would cover the E and the bracket).
            mark = _underline(piece(integral, Q))
            self.play(Create(mark))
            expectation = style.math("=", r"\log", *expectation_q(*RATIO))
            self.place_line(expectation, integral, buff=1.0, align=integral[1])
            moving = integral.copy()
            target_mark = _underline(piece(expectation, Q))
            self.play(
                TransformMatchingTex(moving, expectation),
                ReplacementTransform(mark.copy(), target_mark),
                run_time=2.6,
            )
            why = self.why(r"$\int \q(\z)\, f(\z)\, d\z = \E_{\q}[f(\z)]$", expectation)
            self.play(FadeIn(why, shift=0.2 * LEFT))
            self.wait(2.6)

        with self.beat(
            "Why this matters: we can now estimate this by sampling from q(z|x).",
            say="Why this matters: an expectation can be estimated by sampling. We draw z from "
            "q and average the ratio.",
        ):
            self.play(FadeOut(VGroup(step, integral, mark, target_mark, why)))
            headline = style.math(formulas.LOG_EVIDENCE, "=", r"\log", *expectation_q(*RATIO))
            headline.next_to([0, style.content_top(), 0], DOWN, buff=0.15)
            self.play(TransformMatchingTex(expectation, headline))
            matters = style.tex(
                r"\textbf{Why this matters:} We can now estimate this by sampling "
                r"from $\qp(\z \given \x)$."
            )
            matters.next_to(headline, DOWN, buff=0.2)
            self.play(FadeIn(matters, shift=0.1 * DOWN))
            self.wait(2)

        proposal = fit_forward_kl()
        run = importance_sampling_run(proposal, n=N_SAMPLES, seed=SEED)
        density = DensityPanel(proposal)
        density.shift(
            (style.safe_box()[0] + 0.35 - density.axes.get_left()[0]) * RIGHT
            + (AXIS_Y - density.axes.c2p(0, 0)[1]) * UP
        )
        encoder_run = importance_sampling_run(fit_reverse_kl(), n=N_SAMPLES, seed=SEED)
        estimate = EstimatePanel(run, encoder_run)
        estimate.shift(
            (style.safe_box()[1] - 0.45 - estimate.axes.get_right()[0]) * RIGHT
            + (AXIS_Y - estimate.axes.c2p(0, 0)[1]) * UP
        )
        # The two legends side by side, tops level (the estimate's has a row more).
        density.legend.align_to(estimate.legend, UP)
        samples = SampleReadout(density, proposal, run)
        with self.beat(
            "Draw z_i from r, a Gaussian covering both modes; compute p(x, z_i) / r(z_i).",
            key_frame="ratios",
            say="The same holds for any density r that covers both blue modes, like this dashed "
            "orange Gaussian. Each draw gives a ratio: the blue height over the dashed one, "
            "here about zero point four two.",
        ):
            # Why sampling r is allowed: the rewriting of slide 4 works with any density that
            # is positive wherever p(x, z) is, and r covers both modes.
            any_r = style.tex(
                r"The same holds for any $"
                + PROPOSAL_SYMBOL
                + r"$ that covers $"
                + formulas.JOINT
                + r"$: \ $\pt(\x) = \E_{"
                + PROPOSAL_SYMBOL
                + r"}\big[\,"
                + formulas.JOINT
                + r" / "
                + PROPOSAL
                + r"\,\big]$",
                size=style.LABEL_SIZE,
            )
            any_r.next_to(matters, DOWN, buff=0.22)
            self.play(FadeIn(any_r), FadeIn(density), run_time=1.4)
            for i in range(KEY_SAMPLE + 1):
                if i:
                    self.play(samples.clear(i - 1), run_time=0.3)
                self.play(*samples.show(i), run_time=0.8 if i == 0 else 0.6)
                self.wait(0.5 if i < KEY_SAMPLE else 2.0)

        with self.beat(
            "Their running mean converges to the true p(x).",
            key_frame="converged",
            say="As the samples pile up, we keep averaging the ratios. The dashed running mean "
            "settles on the blue line, the true p of x, about zero point one one seven.",
        ):
            self.play(samples.clear(KEY_SAMPLE), *samples.more(N_DOTS), run_time=1.2)
            self.play(
                FadeIn(estimate.frame, estimate.truth_line, estimate.truth_row),
                FadeIn(estimate.proposal_row),
                run_time=1.2,
            )
            estimate.start_run(self)
            self.play(estimate.grow(), run_time=5, rate_func=linear)
            estimate.stop_run()
            self.wait(2.0)

        with self.beat(
            "The ELBO fit q covers one mode: its draws miss the left one, its mean stays low.",
            key_frame="encoder",
            say="The encoder's own q, fit to one mode, never draws from the left one. Its solid "
            "curve stays low, near zero point zero eight.",
        ):
            self.play(FadeIn(estimate.encoder_row))
            self.play(Create(estimate.encoder_curve), run_time=1.6)
            self.wait(3.2)


def _underline(term: Mobject) -> Line:
    """A line under a term in the encoder's colour, clear of its glyphs."""
    theme = style.active_theme()
    below = term.get_bottom()[1] - 0.1
    return Line(
        [term.get_left()[0], below, 0], [term.get_right()[0], below, 0], color=theme.approx
    ).set_stroke(width=4)


def _dashes(points: np.ndarray, on: float, off: float) -> list[np.ndarray]:
    """A polyline cut into dashes of length ``on`` with gaps ``off``, laid along its length from
    its first point: a curve that grows keeps the dashes it had (a DashedVMobject spreads its
    dashes over the whole length, so they would slide as the curve grows)."""
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    dashes = []
    for start in np.arange(0.0, along[-1], on + off):
        end = min(start + on, along[-1])
        inner = points[(along > start) & (along < end)]
        ends = [
            np.array([np.interp(t, along, points[:, j]) for j in range(3)]) for t in (start, end)
        ]
        dashes.append(np.array([ends[0], *inner, ends[1]]))
    return dashes


def _sample_counts() -> np.ndarray:
    """The sample counts k at which running means are drawn (evenly spaced in log k)."""
    return np.unique(np.round(np.logspace(0, np.log10(N_SAMPLES), 240)).astype(int))


class DensityPanel(VGroup):
    """Axes over z with the proposal r(z) (dashed: the moment-matched Gaussian, not q_phi) and
    the joint p(x, z) as a function of z, and a legend naming both.

    Parts: ``axes``, ``z_label``, ``r_curve``, ``joint_curve``, ``legend``.
    """

    def __init__(self, r) -> None:
        theme = style.active_theme()
        self.axes = pictures.density_axes(DENSITY_TOP, x_length=5.6, y_length=PANEL_HEIGHT)
        self.r_curve = plots.density_graph(
            self.axes, r.pdf, theme.approx, dashed=True, stroke_width=3
        )
        self.joint_curve = plots.density_graph(
            self.axes, lambda z: MODEL.joint_density(OBSERVED_X, z), theme.posterior, stroke_width=3
        )
        size = style.LABEL_SIZE
        self.legend = plots.Legend(
            [
                (
                    theme.approx,
                    True,
                    style.tex(r"$" + PROPOSAL + r"$: moment-matched Gaussian", size=size),
                ),
                (theme.posterior, False, style.math(formulas.JOINT, size=size)),
            ],
            sample_length=LEGEND_SAMPLE,
            buff=LEGEND_GAP,
        )
        self.legend.next_to(self.axes.c2p(0, DENSITY_TOP), UP, buff=0.2).align_to(self.axes, LEFT)
        self.z_label = pictures.z_label(self.axes)
        super().__init__(self.axes, self.z_label, self.r_curve, self.joint_curve, self.legend)


class SampleReadout:
    """Samples z_i from r dropped on the z axis one by one: a dot, the dashed height r(z_i),
    the solid height p(x, z_i), and the ratio of the two heights read out, with their values,
    right of the panel (that half of the frame is empty until the running mean comes)."""

    def __init__(self, panel: DensityPanel, r, run: ISRun) -> None:
        self.axes, self.r, self.run = panel.axes, r, run
        self.theme = style.active_theme()
        self.readout: VGroup | None = None
        self.lines: dict[int, VGroup] = {}

    def _readout(self, i: int) -> VGroup:
        """p(x, z_i) / r(z_i) = (height) / (height) = ratio, each height in its curve's colour."""
        theme, z, size = self.theme, float(self.run.z[i]), style.BODY_SIZE
        formula = style.math(
            r"\frac{\pt(\x, \z_i)}{" + PROPOSAL_SYMBOL + r"(\z_i)} =", size=size + 2
        )
        top = DecimalNumber(
            float(MODEL.joint_density(OBSERVED_X, z)),
            num_decimal_places=3,
            font_size=size,
            color=theme.posterior,
        )
        bottom = DecimalNumber(
            float(self.r.pdf(z)), num_decimal_places=3, font_size=size, color=theme.approx
        )
        half = (max(top.width, bottom.width) + 0.1) / 2
        bar = Line(half * LEFT, half * RIGHT, stroke_width=2, color=theme.text)
        fraction = VGroup(top, bar, bottom).arrange(DOWN, buff=0.1)
        value = DecimalNumber(
            float(self.run.weights[i]), num_decimal_places=3, font_size=size, color=theme.text
        )
        readout = VGroup(formula, fraction, style.math("=", size=size + 2), value)
        readout.arrange(RIGHT, buff=0.15)
        return readout.next_to(self.axes.c2p(self.axes.x_range[1], DENSITY_TOP / 2), RIGHT, 0.9)

    def show(self, i: int) -> list:
        """Animations that drop sample ``i`` (the readout appears with the first)."""
        theme, axes, z = self.theme, self.axes, float(self.run.z[i])
        dot = Dot(axes.c2p(z, 0), radius=0.06, color=theme.latent)
        to_r = DashedLine(
            axes.c2p(z, 0), axes.c2p(z, float(self.r.pdf(z))), color=theme.approx, stroke_width=3
        )
        to_p = Line(
            axes.c2p(z, 0),
            axes.c2p(z, float(MODEL.joint_density(OBSERVED_X, z))),
            color=theme.posterior,
            stroke_width=6,
        )
        self.lines[i] = VGroup(to_r, to_p)
        readout = self._readout(i)
        shown = [FadeIn(dot, scale=0.5), Create(to_r), Create(to_p)]
        if self.readout is None:
            shown.append(FadeIn(readout))
        else:
            shown.append(ReplacementTransform(self.readout, readout))
        self.readout = readout
        return shown

    def clear(self, i: int) -> FadeOut:
        """Remove sample ``i``'s two heights (its dot stays)."""
        return FadeOut(self.lines.pop(i))

    def more(self, n_dots: int) -> list:
        """Drop the samples after the ones read out, up to ``n_dots``, and fade the readout."""
        theme, axes = self.theme, self.axes
        more = VGroup(
            *(
                Dot(axes.c2p(float(z), 0), radius=0.05, color=theme.latent)
                for z in self.run.z[KEY_SAMPLE + 1 : n_dots]
            )
        )
        return [
            LaggedStart(*(FadeIn(d, scale=0.5) for d in more), lag_ratio=0.1),
            FadeOut(self.readout),
        ]


class EstimatePanel(VGroup):
    """The running means of the ratios against log k beside the true p(x), with a legend.

    Parts: ``axes``, ``ticks``, ``k_label`` (together the ``frame``), ``truth_line`` (the true
    p(x), solid in the model's colour), ``encoder_curve`` (the running mean with the encoder's
    Gaussian as proposal, solid like q_phi, drawn by the scene last) and the legend rows, each
    a line sample in its line's style: ``truth_row``, ``proposal_row`` (with the live mean,
    ``mean``) and ``encoder_row``. The proposal's own curve is live: :meth:`start_run`,
    :meth:`grow`, :meth:`stop_run`.
    """

    def __init__(self, run: ISRun, encoder_run: ISRun) -> None:
        theme = style.active_theme()
        self.run = run
        top = np.log10(N_SAMPLES)
        axes = style.axes((0, top, 1), (0, ESTIMATE_TOP, 0.05), x_length=5.0, y_length=PLOT_HEIGHT)
        self.axes = axes
        self.ticks = VGroup(
            *(
                Integer(10**e, font_size=style.MIN_FONT_SIZE, color=theme.muted).next_to(
                    axes.c2p(e, 0), DOWN, buff=0.12
                )
                for e in range(int(top) + 1)
            ),
            *(
                DecimalNumber(
                    y, num_decimal_places=1, font_size=style.MIN_FONT_SIZE, color=theme.muted
                ).next_to(axes.c2p(0, y), LEFT, buff=0.12)
                for y in (0.0, 0.1, 0.2)
            ),
        )
        self.k_label = style.tex(r"samples $k$", size=style.MIN_FONT_SIZE, color=theme.muted)
        self.k_label.next_to(axes.x_axis, DOWN, buff=0.5)
        self.frame = VGroup(axes, self.ticks, self.k_label)
        self.truth_line = Line(
            axes.c2p(0, run.true_px), axes.c2p(top, run.true_px), color=theme.posterior
        ).set_stroke(width=3)
        self.truth_line.plot_curve = True  # the layout check keeps labels off it
        self.encoder_curve = self.run_curve(encoder_run, N_SAMPLES, dashed=False)

        size = style.LABEL_SIZE
        self.count = ValueTracker(0.0)  # log10 of the sample count shown
        self.mean = DecimalNumber(
            run.running_mean[0], num_decimal_places=3, font_size=size, color=theme.approx
        )
        truth_text = style.tex(
            r"true $\pt(\x) = " + f"{run.true_px:.3f}" + r"$", size=size, color=theme.posterior
        )
        proposal_text = VGroup(
            style.tex(r"$\z_i \sim " + PROPOSAL + r"$ (both modes):", size=size), self.mean
        ).arrange(RIGHT, buff=0.12)
        encoder_final = DecimalNumber(
            encoder_run.running_mean[-1], num_decimal_places=3, font_size=size, color=theme.approx
        )
        encoder_text = VGroup(
            style.tex(r"$\z_i \sim \qp(\z \given \x)$ (one mode):", size=size),
            encoder_final,
        ).arrange(RIGHT, buff=0.12)
        self.truth_row = plots.LegendRow(theme.posterior, False, truth_text, LEGEND_SAMPLE)
        self.proposal_row = plots.LegendRow(theme.approx, True, proposal_text, LEGEND_SAMPLE)
        self.encoder_row = plots.LegendRow(theme.approx, False, encoder_text, LEGEND_SAMPLE)
        self.legend = VGroup(self.truth_row, self.proposal_row, self.encoder_row)
        self.legend.arrange(DOWN, aligned_edge=LEFT, buff=LEGEND_GAP)
        self.legend.next_to(axes, UP, buff=0.2).align_to(axes, LEFT).shift(0.8 * LEFT)
        self._live: VMobject | None = None
        super().__init__(self.frame, self.truth_line, self.legend, self.encoder_curve)

    def _k(self) -> int:
        return int(round(10 ** self.count.get_value()))

    def _point(self, k: int, y: float) -> np.ndarray:
        """(log10 k, y) on the axes, y clipped to them."""
        return self.axes.c2p(np.log10(k), float(np.clip(y, 0, ESTIMATE_TOP)))

    def run_curve(self, run: ISRun, up_to: int, dashed: bool) -> VMobject:
        """A run's running mean from k = 1 to ``up_to``, solid or dashed (dashes fixed in k, so
        they stay put while the curve grows)."""
        theme = style.active_theme()
        ks = _sample_counts()
        ks = ks[ks <= up_to]
        points = [self._point(k, run.running_mean[k - 1]) for k in ks]
        if len(points) < 2:
            points = [points[0], points[0]]
        pieces = _dashes(np.array(points), *DASH) if dashed else [np.array(points)]
        curve = VGroup(
            *(VMobject(color=theme.approx, stroke_width=4).set_points_as_corners(p) for p in pieces)
        )
        curve.plot_curve = True  # the layout check keeps labels off it
        return curve

    def start_run(self, scene) -> None:
        """Add the proposal's running mean, redrawn as the count grows, and its live number."""
        # Rebuilt only when the count shown changes (and the axes stay put).
        self._live = plots.redraw_on_change(
            lambda: (self._k(), np.array(self.axes.c2p([0, 1], [0, 1]))),
            lambda: self.run_curve(self.run, self._k(), dashed=True),
        )
        self.mean.add_updater(lambda d: plots.show_value(d, self.run.running_mean[self._k() - 1]))
        scene.add(self._live)

    def grow(self):
        """The count from 1 to N_SAMPLES, as an animation (pass run_time and rate_func)."""
        return self.count.animate.set_value(np.log10(N_SAMPLES))

    def stop_run(self) -> None:
        """Freeze the curve and the number at the last count."""
        self.mean.clear_updaters()
        if self._live is not None:
            self._live.clear_updaters()
