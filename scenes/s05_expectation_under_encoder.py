"""Slide 5: Expectation Under the Encoder.

The integral against q_phi(z|x) is an expectation under q_phi(z|x): the q under the integral
travels into the subscript of E. Why it matters: the expectation can be estimated by sampling.
Samples z_i from the forward-KL Gaussian fit of the toy model give ratios
p_theta(x, z_i) / q_phi(z_i|x) whose running mean converges to the true p_theta(x).
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    DashedVMobject,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    Integer,
    LaggedStart,
    Line,
    Polygon,
    ReplacementTransform,
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

from lecturekit.scene import plots, style
from lecturekit.scene.derivation import DerivationScene, piece
from scenes import formulas, pictures
from scenes.formulas import RATIO, expectation_q
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    Z_RANGE,
    fit_forward_kl,
    fit_reverse_kl,
    importance_sampling_run,
)

Q = formulas.Q_ENCODER
N_SAMPLES = 1000  # the running estimate runs from k = 1 to this many samples
N_SHOWN = 5  # samples whose ratio is read out one by one
KEY_SAMPLE = 2  # the key frame shows this sample (with seed 0 its ratio is the largest)
N_DOTS = 40  # samples drawn as dots on the z axis
SEED = 0
DENSITY_TOP = 0.35  # the forward-KL q peaks at 0.32
AXIS_Y = -2.6  # both panels' horizontal axes sit at this height
ESTIMATE_TOP = 0.25  # p(x) = 0.117; the +-2 SE band is clipped to [0, ESTIMATE_TOP]


class ExpectationUnderEncoder(DerivationScene):
    """Slide 5: the integral becomes E_q[p/q], estimated by sampling from q."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat("Step 2: recognise this as an expectation under q(z|x)."):
            step = self.step_line(
                r"\textbf{Step 2:} Recognize this as an expectation under "
                r"$\qp(\z \given \x)$."
            )
            integral = style.math(
                formulas.LOG_EVIDENCE, "=", r"\log", r"\int", Q, r"\cdot", *RATIO, r"\, d\z"
            )
            self.place_line(integral, step, buff=0.7)
            self.play(Write(integral), run_time=2)
            self.wait(1.6)

        with self.beat(
            "Integrating against q(z|x) is taking an expectation under q(z|x).",
            key_frame="expectation",
        ):
            weight = piece(integral, Q)
            box = style.emphasis_box(weight, color=theme.approx, buff=0.05)
            self.play(Create(box))
            expectation = style.math("=", r"\log", *expectation_q(*RATIO))
            self.place_line(expectation, integral, buff=0.7, align=integral[1])
            moving = integral.copy()
            target_box = style.emphasis_box(piece(expectation, Q), color=theme.approx, buff=0.03)
            self.play(
                TransformMatchingTex(moving, expectation),
                ReplacementTransform(box.copy(), target_box),
                run_time=2.6,
            )
            why = self.why(r"$\int \q(\z)\, f(\z)\, d\z = \E_{\q}[f(\z)]$", expectation)
            self.play(FadeIn(why, shift=0.2 * LEFT))
            self.wait(2.6)

        with self.beat("Why this matters: we can now estimate this by sampling from q(z|x)."):
            self.play(FadeOut(VGroup(step, integral, box, target_box, why)))
            headline = style.math(formulas.LOG_EVIDENCE, "=", r"\log", *expectation_q(*RATIO))
            headline.next_to([0, style.content_top(), 0], DOWN, buff=0.15)
            self.play(TransformMatchingTex(expectation, headline))
            expectation = headline
            matters = style.tex(
                r"\textbf{Why this matters:} We can now estimate this by sampling "
                r"from $\qp(\z \given \x)$."
            )
            matters.next_to(expectation, DOWN, buff=0.3)
            self.play(FadeIn(matters, shift=0.1 * DOWN))
            self.wait(2)

        q = fit_forward_kl()
        run = importance_sampling_run(q, n=N_SAMPLES, seed=SEED)
        density = DensityPanel(q)
        left_edge = style.safe_box()[0] + 0.3
        density.shift(
            (left_edge - density.axes.get_left()[0]) * RIGHT
            + (AXIS_Y - density.axes.c2p(0, 0)[1]) * UP
        )
        samples = SampleReadout(density.axes, q, run)
        with self.beat(
            "Draw z_i from q and compute the ratio p(x, z_i) / q(z_i|x) for each.",
            key_frame="ratios",
        ):
            self.play(FadeIn(density), run_time=1.6)
            for i in range(KEY_SAMPLE + 1):  # with seed 0 the key sample's ratio is the largest
                if i:
                    self.play(samples.clear(i - 1), run_time=0.4)
                self.play(*samples.show(i), run_time=1.0 if i == 0 else 0.8)
                self.wait(0.8)

        with self.beat("Each ratio is one draw; more draws, a better estimate."):
            self.play(samples.clear(KEY_SAMPLE), run_time=0.4)
            for i in range(KEY_SAMPLE + 1, N_SHOWN):
                self.play(*samples.show(i), run_time=0.8)
                self.wait(0.8)
                self.play(samples.clear(i), run_time=0.4)
            self.play(*samples.more(N_DOTS), run_time=2)
            samples.freeze()
            self.wait(1)

        with self.beat("Their running mean converges to the true p(x).", key_frame="converged"):
            estimate_axes = self._running_estimate(run)
            self.wait(3)

        with self.beat(
            "Aside: a reverse-KL fit as proposal misses the left mode: too low.",
            key_frame="reverse-kl-aside",
        ):
            self._reverse_kl_aside(estimate_axes, density.axes)
            self.wait(3)

    def _running_estimate(self, run) -> Axes:
        """Running mean of the ratios against log k, with a +-2 SE band and the true p(x)."""
        theme = self.theme
        top = np.log10(N_SAMPLES)
        axes = style.axes((0, top, 1), (0, ESTIMATE_TOP, 0.05), x_length=5.2, y_length=2.3)
        axes.to_edge(RIGHT, buff=0.6)
        axes.shift((AXIS_Y - axes.c2p(0, 0)[1]) * UP)
        tick_labels = VGroup(
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
        k_label = style.text("samples k", size=style.MIN_FONT_SIZE, color=theme.muted)
        k_label.next_to(axes.x_axis, DOWN, buff=0.45)
        true_line = DashedLine(
            axes.c2p(0, run.true_px),
            axes.c2p(top, run.true_px),
            color=theme.posterior,
            stroke_width=3,
        )
        true_value = DecimalNumber(
            run.true_px, num_decimal_places=3, font_size=style.LABEL_SIZE, color=theme.posterior
        )
        true_text = style.math(r"\text{true } \pt(\x) =", size=style.LABEL_SIZE)
        true_label = VGroup(true_text, true_value).arrange(RIGHT, buff=0.12)
        true_label.next_to(axes, UP, buff=0.2).align_to(axes, LEFT).shift(0.3 * RIGHT)
        self.play(Create(axes), FadeIn(tick_labels, k_label), run_time=1.6)
        self.play(Create(true_line), FadeIn(true_label))
        self.wait(1)

        # One tracker (log10 of the sample count) drives the curve, the band and the numbers.
        log_k = ValueTracker(0.0)
        steps = _sample_counts()

        def count() -> int:
            return int(round(10 ** log_k.get_value()))

        def shown() -> np.ndarray:
            return steps[steps <= count()]

        def band() -> VMobject:
            ks = shown()[1:]  # the standard error needs two samples
            if len(ks) < 2:
                return VMobject()
            mean, se = run.running_mean[ks - 1], run.running_se[ks - 1]
            upper = [_point(axes, k, m + 2 * e) for k, m, e in zip(ks, mean, se, strict=True)]
            lower = [_point(axes, k, m - 2 * e) for k, m, e in zip(ks, mean, se, strict=True)]
            return Polygon(
                *upper, *reversed(lower), stroke_width=0, fill_color=theme.approx, fill_opacity=0.25
            )

        def mean_curve() -> VMobject:
            ks = shown()
            curve = VMobject(color=theme.approx, stroke_width=3)
            points = [_point(axes, k, run.running_mean[k - 1]) for k in ks]
            if len(points) < 2:
                points = [points[0], points[0]]
            return curve.set_points_as_corners(points)

        live_band = always_redraw(band)
        live_mean = always_redraw(mean_curve)
        estimate = DecimalNumber(
            run.running_mean[0],
            num_decimal_places=3,
            font_size=style.LABEL_SIZE,
            color=theme.approx,
        )
        estimate.add_updater(lambda d: d.set_value(run.running_mean[count() - 1]))
        samples = Integer(1, font_size=style.LABEL_SIZE, color=theme.text)
        samples.add_updater(lambda d: d.set_value(count()))
        spread = DecimalNumber(
            0, num_decimal_places=3, font_size=style.LABEL_SIZE, color=theme.approx
        )
        spread.add_updater(lambda d: d.set_value(2 * np.nan_to_num(run.running_se[count() - 1])))
        k_text = style.math(r"k =", size=style.LABEL_SIZE)
        mean_text = style.tex(r"running mean:", size=style.LABEL_SIZE)
        pm_text = style.math(r"\pm", size=style.LABEL_SIZE)
        readout = VGroup(VGroup(k_text, samples), VGroup(mean_text, estimate, pm_text, spread))
        for row in readout:
            row.arrange(RIGHT, buff=0.12)
        readout.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        readout.next_to(true_label, UP, buff=0.15).align_to(true_label, LEFT)
        samples.add_updater(lambda d: d.next_to(k_text, RIGHT, buff=0.12))
        estimate.add_updater(lambda d: d.next_to(mean_text, RIGHT, buff=0.12))
        spread.add_updater(lambda d: d.next_to(pm_text, RIGHT, buff=0.12))
        band_key = style.tex(
            r"(band: $\pm 2$ standard errors)", size=style.MIN_FONT_SIZE, color=theme.muted
        )
        band_key.next_to(k_text, RIGHT, buff=1.6)
        self.add(live_band, live_mean)
        self.play(FadeIn(readout, band_key))
        self.play(log_k.animate.set_value(top), run_time=8, rate_func=linear)
        for mob in (samples, estimate, spread):
            mob.clear_updaters()
        return axes

    def _reverse_kl_aside(self, axes: Axes, density_axes: Axes) -> None:
        """The running mean with the reverse-KL fit as proposal, dashed, and its final value."""
        theme = self.theme
        run = importance_sampling_run(fit_reverse_kl(), n=N_SAMPLES, seed=SEED)
        path = VMobject(color=theme.muted, stroke_width=4).set_points_as_corners(
            [_point(axes, k, run.running_mean[k - 1]) for k in _sample_counts()]
        )
        curve = DashedVMobject(path, num_dashes=90)
        final = DecimalNumber(
            run.running_mean[-1],
            num_decimal_places=3,
            font_size=style.LABEL_SIZE,
            color=theme.muted,
        )
        note = VGroup(
            style.tex(r"Aside: proposal fitted by reverse KL (dashed grey)", size=style.LABEL_SIZE),
            VGroup(
                style.tex(
                    r"sits on one mode, misses the left one; estimate", size=style.LABEL_SIZE
                ),
                final,
            ).arrange(RIGHT, buff=0.12),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.next_to(density_axes, UP, buff=0.2).align_to(density_axes, LEFT)
        self.play(FadeIn(note))
        self.play(Create(curve), run_time=3)


def _sample_counts() -> np.ndarray:
    """The sample counts k at which running means are drawn (evenly spaced in log k)."""
    return np.unique(np.round(np.logspace(0, np.log10(N_SAMPLES), 240)).astype(int))


def _point(axes: Axes, k: int, y: float) -> np.ndarray:
    """(log10 k, y) on the estimate axes, y clipped to the axes."""
    return axes.c2p(np.log10(k), float(np.clip(y, 0, ESTIMATE_TOP)))


class DensityPanel(VGroup):
    """Axes over z with q(z|x) (dashed) and the joint p(x, z) as a function of z.

    Parts: ``axes``, ``z_label``, ``q_curve``, ``joint_curve``, ``legend``.
    """

    def __init__(self, q) -> None:
        theme = style.active_theme()
        self.axes = pictures.density_axes(DENSITY_TOP, x_length=5.6, y_length=2.3)
        self.q_curve = plots.density_graph(
            self.axes, q.pdf, theme.approx, dashed=True, stroke_width=3
        )
        self.joint_curve = plots.density_graph(
            self.axes, lambda z: MODEL.joint_density(OBSERVED_X, z), theme.posterior, stroke_width=3
        )
        size = style.LABEL_SIZE
        self.legend = plots.Legend(
            [
                (theme.approx, True, style.math(formulas.Q_ENCODER, size=size)),
                (theme.posterior, False, style.math(formulas.JOINT, size=size)),
            ],
            sample_length=0.5,
            buff=0.12,
        )
        self.legend.next_to(self.axes.c2p(Z_RANGE[1], DENSITY_TOP), DOWN + LEFT, buff=0.0)
        self.z_label = pictures.z_label(self.axes)
        super().__init__(self.axes, self.z_label, self.q_curve, self.joint_curve, self.legend)


class SampleReadout:
    """Samples z_i from q dropped on the z axis one by one: a dot, dashed q(z_i), solid
    p(x, z_i), and the ratio p(x, z_i) / q(z_i|x) read out above the panel."""

    def __init__(self, axes: Axes, q, run) -> None:
        self.axes, self.q, self.run = axes, q, run
        self.theme = style.active_theme()
        self.index = ValueTracker(0)
        formula = style.math(
            r"\frac{\pt(\x, \z_i)}{\qp(\z_i \given \x)} =", size=style.BODY_SIZE + 2
        )
        self.value = DecimalNumber(
            run.weights[0], num_decimal_places=3, font_size=style.BODY_SIZE, color=self.theme.text
        )
        self.value.add_updater(lambda d: d.set_value(run.weights[int(self.index.get_value())]))
        self.readout = VGroup(formula, self.value).arrange(RIGHT, buff=0.15)
        self.readout.next_to(axes, UP, buff=0.2).align_to(axes, LEFT)
        self.value.next_to(formula, RIGHT, buff=0.15)
        self.lines: dict[int, VGroup] = {}

    def show(self, i: int) -> list:
        """Animations that drop sample ``i`` (the readout appears with the first)."""
        theme, axes, z = self.theme, self.axes, float(self.run.z[i])
        dot = Dot(axes.c2p(z, 0), radius=0.06, color=theme.latent)
        to_q = DashedLine(
            axes.c2p(z, 0), axes.c2p(z, float(self.q.pdf(z))), color=theme.approx, stroke_width=3
        )
        to_p = Line(
            axes.c2p(z, 0),
            axes.c2p(z, float(MODEL.joint_density(OBSERVED_X, z))),
            color=theme.posterior,
            stroke_width=5,
        )
        self.lines[i] = VGroup(to_q, to_p)
        self.index.set_value(i)
        shown = [FadeIn(dot, scale=0.5), Create(to_q), Create(to_p)]
        return [*shown, FadeIn(self.readout)] if i == 0 else shown

    def clear(self, i: int) -> FadeOut:
        """Remove sample ``i``'s two heights (its dot stays)."""
        return FadeOut(self.lines.pop(i))

    def more(self, n_dots: int) -> list:
        """Drop the samples after the ones read out, up to ``n_dots``, and fade the readout."""
        theme, axes = self.theme, self.axes
        more = VGroup(
            *(
                Dot(axes.c2p(float(z), 0), radius=0.05, color=theme.latent)
                for z in self.run.z[N_SHOWN:n_dots]
            )
        )
        return [
            LaggedStart(*(FadeIn(d, scale=0.5) for d in more), lag_ratio=0.1),
            FadeOut(self.readout),
        ]

    def freeze(self) -> None:
        """Stop the readout's updater (it is gone from the picture)."""
        self.value.clear_updaters()
