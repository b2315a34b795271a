"""Slide 1: Latent Variable Model & Notation.

The joint factorizes into decoder times prior; integrating z out gives the marginal; the toy
model's generative story (z from the prior, decoded into x) is drawn from sampled numbers.
Observing x = 2.0 links the picture to slide 2: the level x = 2.0 crosses the decoder mean at
two z, so the posterior p(z|x) has two modes. The notation table joins the picture (it does
not replace it).
"""

from __future__ import annotations

import numpy as np
from manim import *

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene
from lecturekit.scene.plots import LabelledNumber
from scenes.numerics import MODEL, OBSERVED_X
from scenes.numerics.toy_model import decoder_crossings

N_SAMPLES = 24
SAMPLE_SEED = 1
Z_EXTENT = 3.0  # the prior N(0, 1) has 99.7% of its mass inside +-3
PICTURE_ORIGIN = np.array([0.95, -2.45, 0.0])  # where the picture's two axes meet


class GenerativePicture(VGroup):
    """The toy model's generative story: x against z, with the prior standing on the z axis.

    Parts: ``axes`` (z runs from -Z_EXTENT to Z_EXTENT, x from below the data to the decoder
    mean's maximum), ``z_label``, ``x_label``, ``prior_curve``/``prior_label`` (p(z), scaled
    to stand on the z axis), ``decoder_curve``/``decoder_label`` (the mean of p(x|z)),
    ``z_dots`` (samples z_i ~ p(z)), ``rises`` and ``joint_dots`` (the pairs (z_i, x_i)),
    ``x_marks`` (each x_i on the x axis), ``observed_line``/``observed_label`` (the level
    x = OBSERVED_X), ``crossing_dots`` (where it meets the decoder mean), ``drops`` and
    ``crossing_marks``/``crossing_values`` (those z on the z axis, with their values),
    ``modes_label``. Built laid out; the scene reveals the parts.
    """

    def __init__(self) -> None:
        theme = style.active_theme()
        z_samples, x_samples = MODEL.sample_generative(N_SAMPLES, seed=SAMPLE_SEED)
        z_grid = np.linspace(-Z_EXTENT, Z_EXTENT, 241)
        f_grid = MODEL.decoder_mean(z_grid)
        x_lo = float(min(f_grid.min(), x_samples.min()))
        x_hi = float(max(f_grid.max(), x_samples.max()))
        # The axes start at (-Z_EXTENT, x_lo - pad) so both axis lines run along the edges of
        # the picture instead of crossing in its middle.
        pad = 0.25 * (x_hi - x_lo)
        self.base = x_lo - pad
        self.axes = style.axes(
            (0, 2 * Z_EXTENT, 1),
            (0, x_hi - self.base + 0.05 * pad, 1),
            x_length=5.2,
            y_length=4.3,
            ticks=False,
        )
        self.axes.shift(PICTURE_ORIGIN - self.axes.c2p(0, 0))
        point = self.point
        self.z_label = style.math(r"\z", size=style.LABEL_SIZE + 6)
        self.z_label.next_to(self.axes.x_axis, RIGHT, 0.15)
        self.x_label = style.math(r"\x", size=style.LABEL_SIZE + 6)
        self.x_label.next_to(self.axes.y_axis, UP, 0.15)

        # The prior density p(z), scaled to stand on the z axis.
        prior = np.exp(MODEL.log_prior(z_grid))
        prior_height = 0.8 * pad
        self.prior_curve = VMobject(color=theme.prior, stroke_width=3).set_points_smoothly(
            [
                point(z, self.base + d / prior.max() * prior_height)
                for z, d in zip(z_grid, prior, strict=True)
            ]
        )
        self.prior_curve.plot_curve = True
        self.prior_label = style.tex(r"prior $\p(\z)$", size=style.LABEL_SIZE, color=theme.prior)
        self.prior_label.next_to(point(1.55, self.base + 0.5 * prior_height), RIGHT, buff=0.2)

        self.decoder_curve = VMobject(color=theme.posterior, stroke_width=3)
        self.decoder_curve.set_points_smoothly(
            [point(z, f) for z, f in zip(z_grid, f_grid, strict=True)]
        )
        self.decoder_curve.plot_curve = True
        self.decoder_label = style.tex(
            r"mean of $\pt(\x \given \z)$", size=style.LABEL_SIZE, color=theme.posterior
        )
        self.decoder_label.next_to(point(-Z_EXTENT, x_hi), RIGHT, buff=0.45)

        # Each z_i is drawn from the prior, then x_i from the decoder around its mean.
        self.z_dots = VGroup(
            *(Dot(point(z, self.base), radius=0.05, color=theme.latent) for z in z_samples)
        )
        pairs = list(zip(z_samples, x_samples, strict=True))
        self.joint_dots = VGroup(
            *(Dot(point(z, x), radius=0.05, color=theme.data) for z, x in pairs)
        )
        self.rises = VGroup(
            *(
                Line(
                    point(z, self.base),
                    point(z, x),
                    stroke_width=1.5,
                    color=theme.muted,
                    stroke_opacity=0.6,
                )
                for z, x in pairs
            )
        )
        self.x_marks = VGroup(
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

        # The observed x as a level across the decoder mean; each crossing is a z that
        # explains it best, and the posterior p(z|x) peaks next to each (slide 2).
        self.observed_line = DashedLine(
            point(-Z_EXTENT, OBSERVED_X),
            point(Z_EXTENT, OBSERVED_X),
            color=theme.data,
            stroke_width=3,
            dash_length=0.12,
        )
        self.observed_label = LabelledNumber(
            style.math(r"\x", size=style.LABEL_SIZE),
            OBSERVED_X,
            theme.data,
            decimals=1,
            size=style.LABEL_SIZE,
        )
        self.observed_label.next_to(point(Z_EXTENT, OBSERVED_X), UP + LEFT, buff=0.12)
        self.crossings = decoder_crossings(OBSERVED_X)
        self.crossing_dots = VGroup(
            *(Dot(point(c, OBSERVED_X), radius=0.09, color=theme.latent) for c in self.crossings)
        )
        self.drops = VGroup(
            *(
                DashedLine(
                    point(c, OBSERVED_X),
                    point(c, self.base),
                    color=theme.latent,
                    stroke_width=2.5,
                    dash_length=0.08,
                )
                for c in self.crossings
            )
        )
        self.crossing_marks = VGroup(
            *(
                Triangle(color=theme.latent, fill_opacity=1, stroke_width=0)
                .scale(0.1)
                .move_to(point(c, self.base), UP)
                for c in self.crossings
            )
        )
        self.crossing_values = VGroup(
            *(
                style.math(f"{c:.2f}", size=style.LABEL_SIZE, color=theme.latent).next_to(
                    mark, DOWN, buff=0.08
                )
                for c, mark in zip(self.crossings, self.crossing_marks, strict=True)
            )
        )
        self.modes_label = style.tex(
            r"$\pt(\z \given \x)$ peaks near these two $\z$", size=style.LABEL_SIZE
        )
        self.modes_label.next_to(self.crossing_values, DOWN, buff=0.15)
        self.modes_label.set_x(self.axes.get_center()[0])
        super().__init__(
            self.axes,
            self.z_label,
            self.x_label,
            self.prior_curve,
            self.prior_label,
            self.decoder_curve,
            self.decoder_label,
            self.z_dots,
            self.rises,
            self.joint_dots,
            self.x_marks,
            self.observed_line,
            self.observed_label,
            self.crossing_dots,
            self.drops,
            self.crossing_marks,
            self.crossing_values,
            self.modes_label,
        )

    def point(self, z: float, x: float) -> np.ndarray:
        """The scene point of (z, x) in the picture's coordinates."""
        return self.axes.c2p(z + Z_EXTENT, x - self.base)


class LatentVariableModel(LectureScene):
    """Slide 1: the model p_theta(x, z) = p_theta(x|z) p(z) and the notation."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        # The notation table grows beside the picture: each symbol joins it as it is met.
        goal = style.tex(r"\textbf{Goal:} model data $\x$ as generated from latent variables $\z$")
        style.at_content_top(goal, buff=0.1)
        joint = style.math(r"\pt(\x, \z)", "=", r"\pt(\x \given \z)", r"\cdot", r"\p(\z)")
        joint.next_to(goal, DOWN, buff=0.45).to_edge(LEFT, buff=0.9)
        marginal = style.math(r"\pt(\x)", "=", r"\int", r"\pt(\x, \z)", r"\,d\z")
        marginal.next_to(joint, DOWN, buff=0.3).align_to(joint, LEFT)
        notation = self._notation_table()
        notation.next_to(marginal, DOWN, buff=0.4).align_to(joint, LEFT)
        data_row, latent_row, prior_row, decoder_row, encoder_row = notation.rows
        picture = GenerativePicture()

        with self.beat(
            "Goal: model data x as generated from latent variables z.",
            say="Our goal: model observed data x as generated from hidden, latent variables z.",
        ):
            self.play(FadeIn(goal, shift=0.2 * DOWN))
            self.play(FadeIn(VGroup(notation.header, notation.rule)))
            self.play(LaggedStart(*(FadeIn(r, shift=0.1 * RIGHT) for r in (data_row, latent_row))))
            self.wait(1)

        with self.beat(
            "The joint distribution factorizes: decoder times prior.",
            say=(
                "The joint factorizes: the decoder, p theta of x given z, times the prior, "
                "p of z. The blue curve is the decoder's mean; the lilac bump is the prior."
            ),
            key_frame="joint",
        ):
            self.play(
                Write(joint),
                Create(picture.axes),
                FadeIn(picture.z_label, picture.x_label),
                run_time=2,
            )
            # Each factor's name, its row of the notation, and the curve it is in the picture.
            decoder = self._name(joint[2], "decoder", theme.posterior)
            self.play(FadeIn(decoder, shift=0.1 * UP), FadeIn(decoder_row, shift=0.1 * RIGHT))
            self.play(Create(picture.decoder_curve), FadeIn(picture.decoder_label))
            prior = self._name(joint[4], "prior", theme.prior)
            self.play(FadeIn(prior, shift=0.1 * UP), FadeIn(prior_row, shift=0.1 * RIGHT))
            self.play(Create(picture.prior_curve), FadeIn(picture.prior_label))
            self.wait(1)

        with self.beat(
            "Integrating z out gives the likelihood of the data, p(x).",
            say="Integrating z out of the joint gives p theta of x, the likelihood of the data.",
            key_frame="marginal",
        ):
            self.play(FadeOut(VGroup(decoder, prior)))
            self.play(TransformMatchingTex(joint.copy(), marginal), run_time=2)
            self.wait(1.5)

        with self.beat(
            "Generative story: draw z from the prior, then decode it into x.",
            say=(
                "The generative story: draw each z from the prior, the green dots. Decode "
                "it into an x near the blue curve. The yellow marks on the x axis are the "
                "generated data."
            ),
            key_frame="generative-story",
        ):
            self._tell_the_story(picture)
            self.wait(1.5)

        with self.beat(
            "Observe x = 2.0: two values of z explain it, so p(z|x) will have two modes.",
            say=(
                "Observe x equals two point zero, the dashed line. It meets the blue curve "
                "at two values of z, so p theta of z given x will peak near both."
            ),
            key_frame="two-modes",
        ):
            self.play(Create(picture.observed_line), FadeIn(picture.observed_label), run_time=1.2)
            self.play(FadeIn(picture.crossing_dots, scale=0.5))
            self.play(
                Create(picture.drops),
                FadeIn(picture.crossing_marks, shift=0.1 * DOWN),
                FadeIn(picture.crossing_values),
                run_time=1.2,
            )
            self.play(FadeIn(picture.modes_label, shift=0.1 * UP))
            self.wait(2)

        with self.beat(
            "Last symbol: the encoder q(z|x), which will approximate p(z|x).",
            say=(
                "The last symbol is the encoder, q phi of z given x, which will approximate "
                "that posterior."
            ),
            key_frame="notation",
        ):
            self.play(FadeIn(encoder_row, shift=0.1 * RIGHT))
            self.wait(3.5)

    def _name(self, term: Mobject, name: str, color: str) -> VGroup:
        """A brace under a term of the joint and its name, in the term's colour."""
        brace = Brace(term, DOWN, buff=0.08, color=self.theme.muted)
        label = style.tex(name, size=style.LABEL_SIZE, color=color).next_to(brace, DOWN, 0.08)
        return VGroup(brace, label)

    def _tell_the_story(self, picture: GenerativePicture) -> None:
        """z_i from the prior; x_i around the decoder's mean; each x_i onto the x axis (the
        data the model generates)."""
        self.play(
            LaggedStart(*(FadeIn(d, scale=0.5) for d in picture.z_dots), lag_ratio=0.08),
            run_time=2,
        )
        self.play(
            Create(picture.rises),
            LaggedStart(*(FadeIn(d) for d in picture.joint_dots), lag_ratio=0.05),
            run_time=2,
        )
        movers = picture.joint_dots.copy()
        self.play(
            *(d.animate.move_to(m) for d, m in zip(movers, picture.x_marks, strict=True)),
            run_time=2,
        )
        self.play(FadeIn(picture.x_marks), FadeOut(movers))

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
        return style.Table(["Symbol", "Meaning"], rows, row_gap=0.22)
