"""Title card: "Variational Autoencoders: A Visual Derivation".

The title, the subtitle, and a small picture that hints at the whole video: the toy model's
true posterior p_theta(z|x) with its two modes (exact, from the numerics) and the Gaussian
q_phi(z|x) that maximises the ELBO, sitting on the larger mode. Also the video's poster frame.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, UP, Create, FadeIn, VGroup, Write

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene
from lecturekit.scene.plots import density_graph
from scenes.numerics import MODEL, OBSERVED_X, Z_RANGE, fit_reverse_kl

TITLE = "Variational Autoencoders:"
TITLE_SECOND_LINE = "A Visual Derivation"
SUBTITLE = "The ELBO, derived step by step"
CURVE_SAMPLES = 241


class TitleCard(LectureScene):
    """Opening card: title, subtitle, the two-mode posterior and its Gaussian fit."""

    def construct(self) -> None:
        theme = self.theme

        with self.beat("Variational Autoencoders: A Visual Derivation", key_frame="title"):
            title = VGroup(
                style.text(TITLE, size=style.TITLE_SIZE + 8, weight="BOLD"),
                style.text(TITLE_SECOND_LINE, size=style.TITLE_SIZE + 8, weight="BOLD"),
            ).arrange(DOWN, buff=0.25)
            title.to_edge(UP, buff=style.SAFE_MARGIN + 0.35)
            self.play(Write(title), run_time=2)
            self.wait(0.8)

        with self.beat("The ELBO, derived step by step.", key_frame="subtitle"):
            subtitle = style.text(SUBTITLE, size=style.HEADING_SIZE, color=theme.muted)
            subtitle.next_to(title, DOWN, buff=0.4)
            self.play(FadeIn(subtitle, shift=0.2 * UP))
            self.wait(1.5)

        with self.beat(
            "A posterior with two modes, and the Gaussian that approximates it.",
            key_frame="picture",
        ):
            picture = self._posterior_picture()
            picture.next_to(subtitle, DOWN, buff=0.7)
            axis, true_curve, true_label, fit_curve, fit_label = picture
            self.play(Create(axis), run_time=0.8)
            self.play(Create(true_curve), FadeIn(true_label), run_time=1.5)
            self.play(Create(fit_curve), FadeIn(fit_label), run_time=1.5)
            self.wait(2.5)

    def _posterior_picture(self) -> VGroup:
        """Axes over z with p_theta(z|x) (solid) and the reverse-KL Gaussian q (dashed)."""
        theme = self.theme
        fit = fit_reverse_kl()
        z = np.linspace(*Z_RANGE, CURVE_SAMPLES)
        true_density = MODEL.posterior_density(OBSERVED_X, z)
        fit_density = fit.pdf(z)
        top = float(max(true_density.max(), fit_density.max()))
        axes = style.axes(
            (*Z_RANGE, 1), (0, 1.08 * top, 1), x_length=9.0, y_length=3.4, ticks=False
        )
        true_curve = density_graph(axes, true_density, theme.posterior, x=z)
        # q only where it is visibly above zero, so its dashes do not hide the z axis.
        near = fit_density > 1e-3 * top
        fit_curve = density_graph(axes, fit_density[near], theme.approx, x=z[near], dashed=True)
        left_mode = float(MODEL.posterior_modes(OBSERVED_X)[0])
        true_label = style.math(r"\pt(\z \given \x)", size=style.LABEL_SIZE + 4)
        true_label.next_to(
            axes.c2p(left_mode, float(MODEL.posterior_density(OBSERVED_X, left_mode))), UP, buff=0.2
        )
        fit_label = style.math(r"\qp(\z \given \x)", size=style.LABEL_SIZE + 4)
        fit_label.next_to(
            axes.c2p(fit.mu + 1.5 * fit.s, 0.75 * float(fit.pdf(fit.mu))),
            np.array([1.0, 0.3, 0.0]),
            buff=0.15,
        )
        z_label = style.math(r"\z", size=style.LABEL_SIZE + 6)
        z_label.next_to(axes.x_axis, np.array([1.0, 0.0, 0.0]), buff=0.15)
        # Only the z axis is drawn: a density axis through z = 0 would split the picture.
        axis = VGroup(axes.x_axis, z_label)
        return VGroup(axis, true_curve, true_label, fit_curve, fit_label)
