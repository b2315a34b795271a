"""Slide 1: Latent Variable Model & Notation.

The joint factorises into decoder times prior; integrating z out gives the marginal; the toy
model's generative story (z from the prior, decoded into x) is drawn from sampled numbers;
the notation table closes the slide.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Brace,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    TransformMatchingTex,
    VGroup,
    VMobject,
    Write,
)

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene
from scenes.numerics import MODEL

N_SAMPLES = 24
SAMPLE_SEED = 1
Z_EXTENT = 3.0  # the prior N(0, 1) has 99.7% of its mass inside +-3


class LatentVariableModel(LectureScene):
    """Slide 1: the model p_theta(x, z) = p_theta(x|z) p(z) and the notation."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat("Goal: model data x as generated from latent variables z."):
            goal = style.tex(
                r"\textbf{Goal:} model data $\x$ as generated from latent variables $\z$"
            )
            style.at_content_top(goal, buff=0.1)
            self.play(FadeIn(goal, shift=0.2 * DOWN))
            self.wait(2.5)

        with self.beat(
            "The joint distribution factorises: decoder times prior.", key_frame="joint"
        ):
            joint = style.math(r"\pt(\x, \z)", "=", r"\pt(\x \given \z)", r"\cdot", r"\p(\z)")
            joint.next_to(goal, DOWN, buff=0.6).to_edge(LEFT, buff=0.9)
            self.play(Write(joint), run_time=2)
            decoder_brace = Brace(joint[2], DOWN, buff=0.08, color=theme.muted)
            decoder_label = style.text("decoder", size=style.LABEL_SIZE, color=theme.posterior)
            decoder_label.next_to(decoder_brace, DOWN, buff=0.08)
            prior_brace = Brace(joint[4], DOWN, buff=0.08, color=theme.muted)
            prior_label = style.text("prior", size=style.LABEL_SIZE, color=theme.posterior)
            prior_label.next_to(prior_brace, DOWN, buff=0.08)
            braces = VGroup(decoder_brace, decoder_label, prior_brace, prior_label)
            self.play(FadeIn(braces, shift=0.1 * UP))
            self.wait(1.5)

        with self.beat(
            "Integrating z out gives the likelihood of the data, p(x).", key_frame="marginal"
        ):
            marginal = style.math(r"\pt(\x)", "=", r"\int", r"\pt(\x, \z)", r"\,d\z")
            marginal.next_to(joint, DOWN, buff=1.3).align_to(joint, LEFT)
            joint_copy = joint.copy()
            self.play(FadeOut(braces))
            self.play(TransformMatchingTex(joint_copy, marginal), run_time=2)
            self.wait(1.5)

        with self.beat(
            "Generative story: draw z from the prior, then decode it into x.",
            key_frame="generative-story",
        ):
            picture = self._generative_story()
            self.wait(2)

        with self.beat("Notation used throughout the lecture.", key_frame="notation"):
            self.play(FadeOut(VGroup(goal, joint, marginal, picture)))
            notation = self._notation_table()
            notation.next_to([0, style.content_top(), 0], DOWN, buff=0.35)
            self.play(FadeIn(VGroup(notation.header, notation.rule)))
            self.play(
                LaggedStart(
                    *(FadeIn(row, shift=0.1 * RIGHT) for row in notation.rows), lag_ratio=0.5
                ),
                run_time=3,
            )
            self.wait(3)

    def _generative_story(self) -> VGroup:
        """Axes of x against z: prior density on the z axis, decoder mean, samples, x values."""
        theme = self.theme
        z_samples, x_samples = MODEL.sample_generative(N_SAMPLES, seed=SAMPLE_SEED)
        z_grid = np.linspace(-Z_EXTENT, Z_EXTENT, 241)
        f_grid = MODEL.decoder_mean(z_grid)
        x_lo = float(min(f_grid.min(), x_samples.min()))
        x_hi = float(max(f_grid.max(), x_samples.max()))
        # The axes start at (-Z_EXTENT, x_lo - pad) so both axis lines run along the edges of
        # the picture instead of crossing in its middle.
        pad = 0.25 * (x_hi - x_lo)
        base = x_lo - pad
        axes = style.axes(
            (0, 2 * Z_EXTENT, 1),
            (0, x_hi - base + 0.05 * pad, 1),
            x_length=5.4,
            y_length=4.3,
            ticks=False,
        )
        axes.to_corner(DOWN + RIGHT, buff=0.8)

        def point(z: float, x: float) -> np.ndarray:
            return axes.c2p(z + Z_EXTENT, x - base)

        z_label = style.math(r"\z", size=style.LABEL_SIZE + 6).next_to(axes.x_axis, RIGHT, 0.15)
        x_label = style.math(r"\x", size=style.LABEL_SIZE + 6).next_to(axes.y_axis, UP, 0.15)

        # The prior density p(z), scaled to stand on the z axis.
        prior = np.exp(MODEL.log_prior(z_grid))
        prior_height = 0.8 * pad
        prior_curve = VMobject(color=theme.posterior, stroke_width=3).set_points_smoothly(
            [
                point(z, base + d / prior.max() * prior_height)
                for z, d in zip(z_grid, prior, strict=True)
            ]
        )
        prior_label = style.math(r"\p(\z)", size=style.LABEL_SIZE)
        prior_label.next_to(point(1.6, base + 0.45 * prior_height), RIGHT, buff=0.15)

        decoder_curve = VMobject(color=theme.posterior, stroke_width=3).set_points_smoothly(
            [point(z, f) for z, f in zip(z_grid, f_grid, strict=True)]
        )
        decoder_label = style.math(r"\text{mean of }\pt(\x \given \z)", size=style.LABEL_SIZE)
        decoder_label.next_to(point(-Z_EXTENT, x_hi), RIGHT, buff=0.5)
        self.play(Create(axes), FadeIn(z_label, x_label))
        self.play(Create(prior_curve), FadeIn(prior_label))
        self.play(Create(decoder_curve), FadeIn(decoder_label))

        # Each z_i is drawn from the prior, then x_i from the decoder around its mean.
        z_dots = VGroup(*(Dot(point(z, base), radius=0.05, color=theme.latent) for z in z_samples))
        self.play(LaggedStart(*(FadeIn(d, scale=0.5) for d in z_dots), lag_ratio=0.08), run_time=2)
        pairs = list(zip(z_samples, x_samples, strict=True))
        joint_dots = VGroup(*(Dot(point(z, x), radius=0.05, color=theme.data) for z, x in pairs))
        rises = VGroup(
            *(
                Line(
                    point(z, base),
                    point(z, x),
                    stroke_width=1.5,
                    color=theme.muted,
                    stroke_opacity=0.6,
                )
                for z, x in pairs
            )
        )
        self.play(
            Create(rises), LaggedStart(*(FadeIn(d) for d in joint_dots), lag_ratio=0.05), run_time=2
        )
        # Project each x_i onto the x axis: the data the model generates.
        x_marks = VGroup(
            *(
                Line(
                    point(-Z_EXTENT, x) + LEFT * 0.12,
                    point(-Z_EXTENT, x) + RIGHT * 0.12,
                    color=theme.data,
                    stroke_width=3,
                )
                for x in x_samples
            )
        )
        movers = joint_dots.copy()
        self.play(*(d.animate.move_to(m) for d, m in zip(movers, x_marks, strict=True)), run_time=2)
        self.play(FadeIn(x_marks), FadeOut(movers))
        return VGroup(
            axes,
            z_label,
            x_label,
            prior_curve,
            prior_label,
            decoder_curve,
            decoder_label,
            z_dots,
            joint_dots,
            rises,
            x_marks,
        )

    def _notation_table(self) -> style.Table:
        symbol_rows = [
            (r"\x", "Observed data"),
            (r"\z", "Latent variable"),
            (r"\p(\z)", r"Prior over latents, e.g., $\mathcal{N}(0, I)$"),
            (r"\pt(\x \given \z)", "Decoder / likelihood"),
            (r"\qp(\z \given \x)", "Encoder / approximate posterior"),
        ]
        rows = [
            [style.math(sym, size=style.MATH_SIZE - 4), style.tex(meaning)]
            for sym, meaning in symbol_rows
        ]
        return style.Table(["Symbol", "Meaning"], rows)
