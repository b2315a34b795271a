"""Title card: "Variational Autoencoders: A Visual Derivation".

The title, the subtitle, and a small picture that hints at the whole video: the toy model's
true posterior p_theta(z|x) with its two modes (exact, from the numerics) and the encoder's
Gaussian q_phi(z|x), the one that maximizes the ELBO, sitting on the larger mode. Each curve
is drawn in its style for the whole video (p_theta solid blue, q_phi solid orange with a light
fill) and named for what it is. Also the video's poster frame.
"""

from __future__ import annotations

import numpy as np
from manim import *

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene
from lecturekit.scene.plots import area_under, density_graph
from scenes import formulas
from scenes.numerics import MODEL, OBSERVED_X, Z_RANGE, fit_reverse_kl

TITLE = "Variational Autoencoders:"
TITLE_SECOND_LINE = "A Visual Derivation"
SUBTITLE = "The ELBO, derived step by step"
CURVE_SAMPLES = 241
Q_FILL = 0.25  # the encoder's Gaussian is shaded as on every slide that draws it


class TitleCard(LectureScene):
    """Opening card: title, subtitle, the two-mode posterior and the encoder's Gaussian."""

    def construct(self) -> None:
        theme = self.theme

        with self.beat(
            "Variational Autoencoders: A Visual Derivation",
            say="Variational autoencoders: a visual derivation.",
            key_frame="title",
        ):
            title = VGroup(
                style.text(TITLE, size=style.TITLE_SIZE + 8, weight="BOLD"),
                style.text(TITLE_SECOND_LINE, size=style.TITLE_SIZE + 8, weight="BOLD"),
            ).arrange(DOWN, buff=0.25)
            title.to_edge(UP, buff=style.SAFE_MARGIN + 0.35)
            self.play(Write(title), run_time=2)
            self.wait(0.8)

        with self.beat(
            "The ELBO, derived step by step.",
            say="We will derive the ELBO, step by step.",
            key_frame="subtitle",
        ):
            subtitle = style.text(SUBTITLE, size=style.HEADING_SIZE, color=theme.muted)
            subtitle.next_to(title, DOWN, buff=0.4)
            self.play(FadeIn(subtitle, shift=0.2 * UP))
            self.wait(1.5)

        with self.beat(
            "A posterior with two modes, and the Gaussian that approximates it.",
            say=(
                "The blue curve is a true posterior with two modes. The orange Gaussian, "
                "fitted by the ELBO, approximates it by sitting on one of them."
            ),
            key_frame="picture",
        ):
            picture = PosteriorPicture()
            picture.next_to(subtitle, DOWN, buff=0.45)
            self.play(Create(picture.axis), FadeIn(picture.z_label), run_time=0.8)
            self.play(Create(picture.true_curve), FadeIn(picture.true_label), run_time=1.5)
            self.play(
                FadeIn(picture.q_fill),
                Create(picture.q_curve),
                FadeIn(picture.q_label),
                run_time=1.5,
            )
            self.wait(2.5)


class PosteriorPicture(VGroup):
    """The toy model's true posterior p_theta(z|x) and the ELBO's Gaussian q_phi(z|x), each
    named beside its curve.

    Parts: ``axis`` (the z axis only: a density axis through z = 0 would split the picture),
    ``z_label``, ``true_curve``, ``true_label``, ``q_fill``, ``q_curve``, ``q_label``.
    """

    def __init__(self, x_length: float = 10.0, y_length: float = 3.6) -> None:
        theme = style.active_theme()
        q = fit_reverse_kl()
        z = np.linspace(*Z_RANGE, CURVE_SAMPLES)
        true_density = MODEL.posterior_density(OBSERVED_X, z)
        top = float(max(true_density.max(), q.pdf(q.mu)))
        axes = style.axes(
            (*Z_RANGE, 1), (0, 1.08 * top, 1), x_length=x_length, y_length=y_length, ticks=False
        )
        self.axes, self.axis = axes, axes.x_axis
        self.true_curve = density_graph(axes, true_density, theme.posterior, x=z)
        # q only where it is visibly above zero, so it does not hide the z axis; its fill goes
        # behind the true posterior, which stays crisp where the two overlap.
        near = z[q.pdf(z) > 1e-3 * top]
        self.q_curve = density_graph(axes, q.pdf, theme.approx, x=near)
        self.q_fill = area_under(axes, q.pdf, theme.approx, x=near, opacity=Q_FILL)
        self.q_fill.set_z_index(-1)
        size = style.LABEL_SIZE + 2
        # Each name sits beside its own peak: p_theta's over the left mode (the one q leaves
        # alone), q's to the right of its peak, clear of both curves.
        left_mode = float(MODEL.posterior_modes(OBSERVED_X)[0])
        self.true_label = _name(formulas.TRUE_POSTERIOR, "true posterior", theme.posterior, size)
        self.true_label.next_to(
            axes.c2p(left_mode, float(MODEL.posterior_density(OBSERVED_X, left_mode))),
            UP,
            buff=0.25,
        )
        self.q_label = _name(formulas.Q_ENCODER, "fitted by the ELBO", theme.approx, size)
        self.q_label.next_to(axes.c2p(q.mu + 2.2 * q.s, float(q.pdf(q.mu))), RIGHT, buff=0.1)
        self.q_label.align_to(axes.c2p(q.mu + 2.2 * q.s, 0), LEFT)
        self.z_label = style.math(r"\z", size=style.LABEL_SIZE + 6)
        self.z_label.next_to(axes.x_axis, RIGHT, buff=0.15)
        super().__init__(
            self.axis,
            self.z_label,
            self.true_curve,
            self.true_label,
            self.q_fill,
            self.q_curve,
            self.q_label,
        )


def _name(symbol: str, words: str, color: str, size: float) -> Mobject:
    """A curve's symbol over what it is (in the curve's colour), left-aligned, in the
    formulas' face."""
    words_tex = style.tex(words, size=size, color=color)
    return VGroup(style.math(symbol, size=size), words_tex).arrange(
        DOWN, aligned_edge=LEFT, buff=0.12
    )
