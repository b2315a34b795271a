"""Summary: The VAE Story.

The five steps of the lecture (goal, obstacle, solution, derivation, result) built up as a flow,
one step at a time, each with a small picture drawn from the same numbers as its slide (the toy
model for x = 2.0), ending in ELBO = Reconstruction - KL and the balance that objective strikes:

1. Goal: the model's density of x, p_theta(x), with the observed x = 2.0 on it (raise it).
2. Obstacle: p_theta(x, z) over z, its area the integral (slide 2).
3. Solution: the encoder's Gaussian q fitted to the two-mode posterior (slide 3).
4. Derivation: Jensen's picture, log E[X] above E[log X] (slide 6).
5. Result: the ELBO of that q as its two terms, reconstruction and -KL, adding up (slide 8).
"""

from __future__ import annotations

import math

import numpy as np
from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.lecture import LectureScene
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    Z_RANGE,
    Gaussian,
    elbo,
    fit_forward_kl,
    fit_reverse_kl,
    jensen_picture,
)

# The flow: a named box, an arrow, the step's words, its picture at the right.
BOX_LEFT, BOX_WIDTH, BOX_HEIGHT = -6.75, 2.35, 0.62
CONTENT_LEFT = -3.65
FIRST_ROW_Y = 2.32
ROW_STEP = 1.0
STEP_SIZE = style.BODY_SIZE
CONTENT_SIZE = style.BODY_SIZE + 2
BALANCE_SIZE = style.BODY_SIZE + 2
PICTURE_LEFT, PICTURE_RIGHT = 3.3, 6.75
PICTURE_WIDTH, PICTURE_HEIGHT = PICTURE_RIGHT - PICTURE_LEFT, 0.8
# log X is steep near 0: a narrower picture keeps the gap readable; a lower one keeps its
# lowest sample clear of the box around the result below it.
JENSEN_WIDTH, JENSEN_HEIGHT = 2.3, 0.72
X_RANGE = (-1.0, 7.0)  # p_theta(x) over x: all but a thin right tail of its mass
JENSEN_SAMPLES, JENSEN_SEED = 12, 0  # slide 6's Jensen picture
DECIMALS = 3  # the three values of the result add up on screen at this precision


class Summary(LectureScene):
    """The five-step story of the VAE, each step beside a picture from the lecture's numbers,
    ending in the objective and the balance it strikes."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "1. The goal: maximize the log-likelihood of the data, log p(x).",
            key_frame="goal",
            say="To sum up: the goal is to maximize log p theta of x, the likelihood of the data.",
        ):
            self._step(
                0,
                "Goal",
                style.math(r"\text{Maximize } \log \pt(\x)", size=CONTENT_SIZE),
                EvidencePicture(),
            )
            self.wait(1.5)

        with self.beat(
            "2. The obstacle: p(x) is an intractable integral over z.",
            key_frame="obstacle",
            say=(
                "The obstacle: p of x is an integral over z, the shaded area, and it is "
                "intractable."
            ),
        ):
            self._step(
                1,
                "Obstacle",
                style.math(r"\text{Intractable integral over } \z", size=CONTENT_SIZE),
                IntegralPicture(),
            )
            self.wait(1.5)

        with self.beat(
            "3. The solution: introduce an approximate posterior q(z|x).",
            key_frame="solution",
            say="The solution: an approximate posterior, q of z given x, the orange Gaussian.",
        ):
            self._step(
                2,
                "Solution",
                style.math(
                    r"\text{Introduce approximate posterior } \q(\z \given \x)",
                    size=CONTENT_SIZE,
                ),
                PosteriorFitPicture(),
            )
            self.wait(1.5)

        with self.beat(
            "4. The derivation: one inequality (Jensen's), one decomposition.",
            key_frame="derivation",
            say="The derivation took one inequality, Jensen's, and one decomposition.",
        ):
            self._step(
                3,
                "Derivation",
                style.math(
                    r"\text{One inequality (Jensen's), one decomposition}", size=CONTENT_SIZE
                ),
                JensenPicture(),
            )
            self.wait(1.5)

        with self.beat(
            "5. The result: ELBO equals reconstruction minus KL.",
            key_frame="result",
            say=(
                "The result: the ELBO equals reconstruction minus KL. For our toy model, about "
                "minus one and minus one point six add up to minus two point six."
            ),
        ):
            result = style.math(
                r"\text{ELBO}", "=", r"\text{Reconstruction}", "-", r"\KL", size=CONTENT_SIZE + 4
            )
            result[0].set_color(theme.elbo)
            result[2].set_color(theme.data)
            picture = ElboTermsPicture()
            row = self._step(4, "Result", result, picture)
            self.play(Create(style.emphasis_box(row, color=theme.elbo)))
            self.wait(2)

        with self.beat(
            "The ELBO is a principled objective that balances two things:",
            say="The ELBO is a principled objective that balances two things.",
        ):
            balance = style.tex(
                r"\textbf{The ELBO is a principled objective that balances:}",
                size=BALANCE_SIZE,
            )
            reasons = VGroup(
                style.tex(
                    r"$\bullet$ Explaining the data (reconstruction)",
                    size=BALANCE_SIZE,
                    color=theme.data,
                ),
                style.tex(
                    r"$\bullet$ Maintaining a usable latent space (regularization)",
                    size=BALANCE_SIZE,
                    color=theme.kl,
                ),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            statement = VGroup(balance, reasons).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            statement.next_to(
                [BOX_LEFT, self._row_y(4) - BOX_HEIGHT / 2 - 0.3, 0], DOWN + RIGHT, buff=0
            )
            self.play(FadeIn(balance, shift=0.2 * DOWN))
            self.wait(2.5)
        with self.beat(
            "Explaining the data, and keeping a usable latent space.",
            key_frame="balance",
            say=(
                "Explaining the data, through reconstruction, and a usable latent space, through "
                "regularization."
            ),
        ):
            for reason in reasons:
                self.play(FadeIn(reason, shift=0.2 * RIGHT))
                self.wait(1.2)
            self.wait(2)

    def _row_y(self, index: int) -> float:
        return FIRST_ROW_Y - index * ROW_STEP

    def _step(self, index: int, name: str, content: Mobject, picture: Mobject) -> VGroup:
        """One step of the flow: a named box, an arrow, the step's words and its picture at the
        right of the row; linked to the step above. Returns the row."""
        theme = self.theme
        y = self._row_y(index)
        box = RoundedRectangle(
            width=BOX_WIDTH,
            height=BOX_HEIGHT,
            corner_radius=0.12,
            color=theme.muted,
            stroke_width=2,
        )
        box.move_to([BOX_LEFT + BOX_WIDTH / 2, y, 0])
        label = style.tex(rf"\textbf{{{index + 1}. {name}}}", size=STEP_SIZE)
        label.move_to(box).align_to(box, LEFT).shift(0.2 * RIGHT)
        arrow = Arrow(
            box.get_right(),
            [CONTENT_LEFT, y, 0],
            buff=0.12,
            stroke_width=4,
            max_tip_length_to_length_ratio=0.25,
            color=theme.muted,
        )
        content.next_to(arrow, RIGHT, buff=0.15)
        picture.move_to([(PICTURE_LEFT + PICTURE_RIGHT) / 2, y, 0])
        animations = [Create(box), FadeIn(label)]
        if index > 0:
            link = Arrow(
                box.get_top() + (ROW_STEP - BOX_HEIGHT) * UP,
                box.get_top(),
                buff=0.02,
                stroke_width=3,
                max_tip_length_to_length_ratio=0.4,
                color=theme.muted,
            )
            animations.append(GrowArrow(link))
        self.play(*animations)
        self.play(GrowArrow(arrow))
        self.play(Write(content), run_time=1.5)
        self.play(FadeIn(picture), run_time=1.0)
        return VGroup(box, label, arrow, content, picture)


# -- The pictures: small, one per step, from the toy model's numbers ---------------------------
def _picture_axes(x_range: tuple[float, float], y_max: float) -> Axes:
    """Axes of a step's picture: a baseline over ``x_range``, no numbers (the picture is a
    reminder of a slide, its values are on that slide)."""
    return plots.density_axes(
        x_range,
        y_max,
        x_length=PICTURE_WIDTH,
        y_length=PICTURE_HEIGHT,
        x_step=x_range[1] - x_range[0],
        numbers=False,
    )


class EvidencePicture(VGroup):
    """Step 1: the model's density p_theta(x) over x and the observed x on it, with an arrow
    up: maximizing log p_theta(x) raises that point. Parts: ``axes``, ``curve``, ``stem``,
    ``point``, ``arrow``."""

    def __init__(self) -> None:
        theme = style.active_theme()
        xs = np.linspace(*X_RANGE, 161)
        density = np.array([MODEL.evidence(float(x)) for x in xs])
        self.axes = _picture_axes(X_RANGE, float(density.max()) * 1.05)
        self.curve = plots.density_graph(self.axes, density, theme.posterior, x=xs, stroke_width=3)
        at_x = MODEL.evidence(OBSERVED_X)
        self.stem = Line(
            self.axes.c2p(OBSERVED_X, 0), self.axes.c2p(OBSERVED_X, at_x), stroke_width=3
        ).set_color(theme.data)
        self.point = Dot(self.axes.c2p(OBSERVED_X, at_x), radius=0.07, color=theme.data)
        self.arrow = Arrow(
            self.point.get_center(),
            self.point.get_center() + 0.55 * UP,
            buff=0.08,
            stroke_width=4,
            max_tip_length_to_length_ratio=0.35,
            color=theme.text,
        )
        super().__init__(self.axes, self.curve, self.stem, self.point, self.arrow)


class IntegralPicture(VGroup):
    """Step 2: p_theta(x, z) over z for the observed x, its area shaded: the integral that
    gives p_theta(x) (slide 2). Parts: ``axes``, ``area``, ``curve``."""

    def __init__(self) -> None:
        theme = style.active_theme()
        zs = np.linspace(*Z_RANGE, 321)
        joint = MODEL.joint_density(OBSERVED_X, zs)
        self.axes = _picture_axes(Z_RANGE, float(joint.max()) * 1.05)
        self.area = plots.area_under(self.axes, joint, theme.posterior, x=zs, opacity=0.45)
        self.curve = plots.density_graph(self.axes, joint, theme.posterior, x=zs, stroke_width=3)
        super().__init__(self.axes, self.area, self.curve)


class PosteriorFitPicture(VGroup):
    """Step 3: the two-mode posterior p_theta(z|x) and the encoder's Gaussian q fitted by the
    ELBO (slide 3). Parts: ``axes``, ``posterior``, ``q_area``, ``q_curve``."""

    def __init__(self) -> None:
        theme = style.active_theme()
        zs = np.linspace(*Z_RANGE, 321)
        posterior = MODEL.posterior_density(OBSERVED_X, zs)
        q = fit_reverse_kl().pdf(zs)
        self.axes = _picture_axes(Z_RANGE, float(max(posterior.max(), q.max())) * 1.05)
        self.posterior = plots.density_graph(
            self.axes, posterior, theme.posterior, x=zs, stroke_width=3
        )
        self.q_area = plots.area_under(self.axes, q, theme.approx, x=zs, opacity=0.3)
        self.q_curve = plots.density_graph(self.axes, q, theme.approx, x=zs, stroke_width=3)
        super().__init__(self.axes, self.posterior, self.q_area, self.q_curve)


class JensenPicture(VGroup):
    """Step 4: slide 6's Jensen picture in small: log X over X, the samples X_i on it, log E[X]
    on the curve above E[log X], the gap between them. Parts: ``axes``, ``curve``,
    ``samples``, ``on_curve``, ``average``, ``gap``."""

    def __init__(self) -> None:
        theme = style.active_theme()
        picture = jensen_picture(fit_forward_kl(), n=JENSEN_SAMPLES, seed=JENSEN_SEED)
        x_top = float(picture.x_values.max()) * 1.1
        log_bottom = float(picture.log_x.min()) - 0.3
        log_top = math.log(x_top)
        self.axes = Axes(
            x_range=[0, x_top, x_top],
            y_range=[log_bottom, log_top, log_top - log_bottom],
            x_length=JENSEN_WIDTH,
            y_length=JENSEN_HEIGHT,
            tips=False,
            axis_config={"stroke_opacity": 0, "include_ticks": False},
        )
        self.curve = self.axes.plot(
            np.log, x_range=[math.exp(log_bottom), x_top], color=theme.posterior, stroke_width=3
        )
        self.samples = VGroup(
            *(
                Dot(self.axes.c2p(x, lx), radius=0.045, color=theme.latent)
                for x, lx in zip(picture.x_values, picture.log_x, strict=True)
            )
        )
        mean_x = float(picture.x_values.mean())
        self.on_curve = Dot(self.axes.c2p(mean_x, picture.log_mean_x), radius=0.07)
        self.on_curve.set_color(theme.posterior)
        self.average = Dot(self.axes.c2p(mean_x, picture.mean_log_x), radius=0.07)
        self.average.set_color(theme.elbo)
        self.gap = Line(self.average.get_center(), self.on_curve.get_center(), stroke_width=5)
        self.gap.set_color(theme.kl)
        super().__init__(self.axes, self.curve, self.samples, self.gap, self.on_curve, self.average)


class ElboTermsPicture(VGroup):
    """Step 5: the ELBO of the fitted q as its two terms, on a line of values (nats) running
    left from 0: the reconstruction E_q[log p_theta(x|z)], then -KL(q || p(z)), ending at the
    ELBO. Each value is written at its segment, so the sum can be checked (slide 8's values).
    Parts: ``reconstruction_bar``, ``kl_bar``, ``zero_tick``, ``elbo_tick``,
    ``reconstruction_value``, ``kl_value``, ``elbo_value``."""

    BAR_HEIGHT = 0.16

    def __init__(self) -> None:
        theme = style.active_theme()
        q = fit_reverse_kl()
        recon, kl, total = _reconstruction(q), _kl_to_prior(q), elbo(q)
        scale = PICTURE_WIDTH / abs(total)  # frame units per nat; 0 at the right end

        def bar(start: float, end: float, colour: str) -> Rectangle:
            rect = Rectangle(
                width=abs(end - start) * scale,
                height=self.BAR_HEIGHT,
                stroke_width=0,
                fill_color=colour,
                fill_opacity=0.9,
            )
            return rect.move_to([(start + end) / 2 * scale, 0, 0])

        self.reconstruction_bar = bar(0.0, recon, theme.data)
        self.kl_bar = bar(recon, total, theme.kl)

        def tick(value: float, colour: str) -> Line:
            x = value * scale
            line = Line([x, -0.2, 0], [x, 0.2, 0], stroke_width=3)
            return line.set_color(colour)

        self.zero_tick = tick(0.0, theme.muted)
        self.elbo_tick = tick(total, theme.elbo)
        size = style.LABEL_SIZE
        self.reconstruction_value = style.math(f"{recon:.{DECIMALS}f}", size=size)
        self.reconstruction_value.set_color(theme.data)
        self.reconstruction_value.next_to(self.reconstruction_bar, UP, buff=0.08)
        self.kl_value = style.math(f"-{kl:.{DECIMALS}f}", size=size).set_color(theme.kl)
        self.kl_value.next_to(self.kl_bar, UP, buff=0.08)
        self.elbo_value = style.math(rf"\elbo = {total:.{DECIMALS}f}", size=size)
        self.elbo_value.next_to(self.elbo_tick, DOWN, buff=0.06).align_to(self.elbo_tick, LEFT)
        super().__init__(
            self.reconstruction_bar,
            self.kl_bar,
            self.zero_tick,
            self.elbo_tick,
            self.reconstruction_value,
            self.kl_value,
            self.elbo_value,
        )


def _reconstruction(q: Gaussian) -> float:
    """E_q[log p_theta(x|z)] for the observed x, by Gauss-Hermite quadrature."""
    return q.expect(lambda z: MODEL.log_likelihood(OBSERVED_X, z))


def _kl_to_prior(q: Gaussian) -> float:
    """KL(q || p(z)) with p(z) = N(0, 1), in closed form."""
    return 0.5 * (q.mu**2 + q.s**2 - 1.0) - math.log(q.s)
