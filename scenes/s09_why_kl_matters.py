"""Slide 9: Why the KL Term Matters.

One small VAE (``numerics.load_kl_vae``) trained twice on the same 2-D crescent of data points:
without the KL term (beta = 0) and with it (beta = 1), drawn side by side. Each of the slide's
three reasons gets its own picture from the trained models, with the metric that measures it:

1. Enables generation: samples z ~ p(z), decoded, land on the data only with the KL term.
2. Prevents memorization: without KL every point's q(z|x) shrinks to a tiny, isolated code (a
   lookup table); with KL the posteriors overlap and fill the prior N(0, I).
3. Smooth latent space: a straight latent path between the codes of the crescent's two ends
   decodes along the data only with the KL term.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Circle,
    Create,
    DashedVMobject,
    Dot,
    Ellipse,
    FadeIn,
    FadeOut,
    LaggedStart,
    Mobject,
    Rectangle,
    VGroup,
    VMobject,
    Write,
)

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene
from lecturekit.scene.plots import LabelledNumber
from scenes.numerics import KLVAEResult, load_kl_vae

BETAS = (0, 1)
PANEL_WIDTH, PANEL_HEIGHT = 4.3, 3.7
PANEL_CENTRES = (np.array([-0.05, 0.2, 0.0]), np.array([4.5, 0.2, 0.0]))
COLUMN_LEFT = -6.75  # left edge of the text column beside the pictures
DATA_X_RANGE = (-2.6, 2.6)  # data space shown in a panel (x1); x2 follows from the aspect
DATA_Y_CENTRE = -0.6
LATENT_HALF_RANGE = 2.6  # latent space shown: the prior's 2-sigma circle with a margin
DOT_RADIUS = 0.03
METRIC_SIZE = style.LABEL_SIZE + 2


def data_space(centre: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Map (N, 2) data coordinates into a panel centred at ``centre`` (equal axis scales)."""
    scale = PANEL_WIDTH / (DATA_X_RANGE[1] - DATA_X_RANGE[0])
    mid = np.array([(DATA_X_RANGE[0] + DATA_X_RANGE[1]) / 2, DATA_Y_CENTRE])
    return lambda p: (
        np.column_stack([(np.atleast_2d(p) - mid) * scale, np.zeros(len(np.atleast_2d(p)))])
        + centre
    )


def latent_scale() -> float:
    """Manim units per latent unit in a panel."""
    return PANEL_HEIGHT / (2 * LATENT_HALF_RANGE)


def latent_space(centre: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Map (N, 2) latent coordinates into a panel centred at ``centre`` (origin at its centre)."""
    scale = latent_scale()
    return lambda p: (
        np.column_stack([np.atleast_2d(p) * scale, np.zeros(len(np.atleast_2d(p)))]) + centre
    )


def dots(
    points: np.ndarray, colour: str, radius: float = DOT_RADIUS, opacity: float = 1.0
) -> VGroup:
    """Filled dots at panel points."""
    return VGroup(*(Dot(p, radius=radius, color=colour, fill_opacity=opacity) for p in points))


def rings(points: np.ndarray, colour: str, radius: float = 0.05) -> VGroup:
    """Hollow rings at panel points (told apart from filled dots by shape, not only colour)."""
    return VGroup(
        *(Circle(radius=radius, color=colour, stroke_width=1.5).move_to(p) for p in points)
    )


class WhyKLMatters(LectureScene):
    """Slide 9: three reasons for the KL term, each shown on the toy VAE, beta 0 vs beta 1."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        results = [load_kl_vae(beta) for beta in BETAS]
        data_maps = [data_space(c) for c in PANEL_CENTRES]
        latent_maps = [latent_space(c) for c in PANEL_CENTRES]

        with self.beat(
            "Three reasons to keep q(z|x) close to the prior p(z).", key_frame="three-reasons"
        ):
            heading = style.tex(
                r"\textbf{Three reasons to keep $\q(\z \given \x)$ close to "
                r"$\p(\z)$:}",
                size=style.HEADING_SIZE,
            )
            names = VGroup(
                *(
                    style.tex(rf"\textbf{{{name}}}", size=style.HEADING_SIZE)
                    for name in self.REASONS
                )
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            overview = VGroup(heading, names).arrange(DOWN, buff=0.6)
            overview.move_to([0, 0.4, 0])
            self.play(FadeIn(heading, shift=0.2 * DOWN))
            self.play(
                LaggedStart(*(FadeIn(n, shift=0.2 * RIGHT) for n in names), lag_ratio=0.5),
                run_time=2,
            )
            self.wait(2)

        with self.beat("One small VAE on 2-D data, trained without the KL term and with it."):
            self.play(FadeOut(overview))
            frames, titles = self._panels()
            self.play(Create(frames), FadeIn(titles))
            data_dots = VGroup(
                *(
                    dots(m(r.data), theme.data, opacity=0.8)
                    for m, r in zip(data_maps, results, strict=True)
                )
            )
            self.play(FadeIn(data_dots))
            self.wait(2)

        with self.beat("1. Enables generation: at test time, we sample z from the prior p(z)."):
            column = self._reason_column(
                0,
                r"At test time, we sample\\$\z \sim \p(\z)$. If encoder\\pushes latents away\\"
                r"from prior, decoder\\never sees those regions.",
                r"panels: data space $\x$",
                [
                    (self._legend_dot(), r"data $\x$"),
                    (
                        Circle(radius=0.07, color=theme.posterior, stroke_width=2),
                        r"decoded $\z \sim \p(\z)$",
                    ),
                ],
            )
            self.play(FadeIn(column, shift=0.2 * RIGHT))
            self.wait(3)
        with self.beat(
            "Decoded prior samples land on the data only with the KL term.", key_frame="generation"
        ):
            samples = VGroup(
                *(
                    rings(m(r.prior_decoded), theme.posterior)
                    for m, r in zip(data_maps, results, strict=True)
                )
            )
            self.play(LaggedStart(*(FadeIn(s) for s in samples), lag_ratio=0.4), run_time=2)
            metrics = self._metrics(results, r"distance to data", lambda r: r.prior_to_data, 3)
            self.play(FadeIn(metrics))
            self.wait(3)

        with self.beat("2. Prevents memorization: without KL, each point gets a sharp code."):
            self.play(FadeOut(VGroup(column, samples, metrics, data_dots)))
            column = self._reason_column(
                1,
                r"Without KL, encoder\\could assign each\\datapoint a unique,\\"
                r"sharp latent code\\(lookup table).",
                r"panels: latent space $\z$",
                [
                    (self._dashed_circle(ORIGIN, 0.12), r"prior $\p(\z)$: $1\sigma$, $2\sigma$"),
                    (
                        Ellipse(
                            width=0.4,
                            height=0.16,
                            color=theme.approx,
                            stroke_width=1.5,
                            fill_opacity=0.3,
                        ),
                        r"$\q(\z \given \x_n)$: $1\sigma$",
                    ),
                    (Dot(radius=0.06, color=theme.approx), r"its mean"),
                ],
            )
            self.play(FadeIn(column, shift=0.2 * RIGHT))
            priors = VGroup(*(self._prior_circles(c) for c in PANEL_CENTRES))
            self.play(Create(priors))
            posteriors = VGroup(
                *(self._posteriors(m, r) for m, r in zip(latent_maps, results, strict=True))
            )
            self.play(LaggedStart(*(FadeIn(p) for p in posteriors), lag_ratio=0.4), run_time=2)
            self.bring_to_front(priors)  # the prior's circles stay visible over the posteriors
            self.wait(1.5)
        with self.beat(
            "Without KL: tiny isolated codes. With KL: they overlap and fill the prior.",
            key_frame="memorization",
        ):
            metrics = self._metrics(
                results, r"median std of $\q(\z \given \x)$", lambda r: r.median_post_std, 4
            )
            self.play(FadeIn(metrics))
            self.wait(3.5)

        with self.beat(
            "3. Smooth latent space: nearby z's should produce similar x's.",
            key_frame="latent-path",
        ):
            self.play(
                FadeOut(VGroup(column, metrics, *(p.ellipses for p in posteriors))),
                *(p.means.animate.set_opacity(0.35) for p in posteriors),
            )
            column = self._reason_column(
                2,
                r"KL encourages nearby\\$\z$'s to produce similar\\$\x$'s, enabling\\interpolation.",
                r"panels: latent $\z$, then data $\x$",
                [
                    (self._legend_dot(), r"data $\x$"),
                    (self._path_sample(), r"straight latent path"),
                ],
            )
            self.play(FadeIn(column, shift=0.2 * RIGHT))
            latent_paths = VGroup(
                *(self._path(m(r.interp_z)) for m, r in zip(latent_maps, results, strict=True))
            )
            self.play(*(Create(p) for p in latent_paths), run_time=1.5)
            self.wait(2)

        with self.beat(
            "Decoded, the path follows the data only with the KL term.", key_frame="interpolation"
        ):
            path_row = column.legend_rows[2]
            decoded_legend = style.tex(r"the path, decoded", size=style.LABEL_SIZE)
            decoded_legend.move_to(path_row.label, aligned_edge=LEFT)
            self.play(FadeOut(path_row.label), FadeIn(decoded_legend))
            self.play(FadeOut(VGroup(priors, posteriors)))
            data_dots = VGroup(
                *(
                    dots(m(r.data), theme.data, opacity=0.8)
                    for m, r in zip(data_maps, results, strict=True)
                )
            )
            decoded_paths = VGroup(
                *(self._path(m(r.interp_decoded)) for m, r in zip(data_maps, results, strict=True))
            )
            self.play(FadeIn(data_dots))
            self.play(
                *(p.animate.become(d) for p, d in zip(latent_paths, decoded_paths, strict=True)),
                run_time=2.5,
            )
            metrics = self._metrics(
                results, r"path's distance to data", lambda r: r.interp_to_data, 3
            )
            self.play(FadeIn(metrics))
            self.wait(3)

        with self.beat(
            "Intuition: force all data to live in the same coordinate system.",
            key_frame="intuition",
        ):
            intuition = style.tex(
                r"\textbf{Intuition:} ``Force all data to live in the same "
                r"coordinate system.''",
                size=style.HEADING_SIZE,
            )
            intuition.to_edge(DOWN, buff=style.SAFE_MARGIN + 0.25)
            box = style.emphasis_box(intuition)
            self.play(Write(intuition), run_time=2)
            self.play(Create(box))
            self.wait(3)

    REASONS = ("1. Enables generation", "2. Prevents memorization", "3. Smooth latent space")

    # -- Pieces of the picture ----------------------------------------------------------------
    def _panels(self) -> tuple[VGroup, VGroup]:
        """The two panel frames and their titles (without KL left, with KL right)."""
        theme = self.theme
        frames, titles = VGroup(), VGroup()
        for centre, text in zip(
            PANEL_CENTRES, (r"without KL ($\beta = 0$)", r"with KL ($\beta = 1$)"), strict=True
        ):
            frame = Rectangle(
                width=PANEL_WIDTH, height=PANEL_HEIGHT, color=theme.muted, stroke_width=2
            ).move_to(centre)
            title = style.tex(text, size=style.BODY_SIZE + 2).next_to(frame, UP, buff=0.15)
            frames.add(frame)
            titles.add(title)
        return frames, titles

    def _reason_column(
        self, index: int, explanation: str, space: str, legend: list[tuple[Mobject, str]]
    ) -> ReasonColumn:
        """Left column: the reason's name, its explanation from the slide, a legend whose
        first row names the space the panels show (data or latent)."""
        column = ReasonColumn(self.REASONS[index], explanation, space, legend)
        column.next_to([COLUMN_LEFT, style.content_top(), 0], DOWN + RIGHT, buff=0.1)
        return column

    def _metrics(
        self,
        results: list[KLVAEResult],
        label: str,
        value: Callable[[KLVAEResult], float],
        decimals: int,
    ) -> VGroup:
        """The metric of each run under its panel, as a DecimalNumber from the result."""
        metrics = VGroup()
        for centre, result in zip(PANEL_CENTRES, results, strict=True):
            metric = LabelledNumber(
                style.tex(label, size=METRIC_SIZE),
                lambda r=result: value(r),
                decimals=decimals,
                size=METRIC_SIZE,
            )
            metric.next_to(centre + PANEL_HEIGHT / 2 * DOWN, DOWN, buff=0.2)
            metrics.add(metric)
        return metrics

    def _dashed_circle(self, centre: np.ndarray, radius: float) -> VMobject:
        return DashedVMobject(
            Circle(radius=radius, color=self.theme.posterior, stroke_width=2).move_to(centre),
            num_dashes=24,
        )

    def _prior_circles(self, centre: np.ndarray) -> VGroup:
        """The prior N(0, I): dashed circles at 1 and 2 standard deviations, labelled p(z)."""
        scale = latent_scale()
        circles = VGroup(*(self._dashed_circle(centre, k * scale) for k in (1, 2)))
        label = style.math(r"\p(\z)", size=style.LABEL_SIZE + 2)
        label.move_to(centre + 2 * scale * np.array([0.72, 0.72, 0]) + 0.35 * (UP + RIGHT))
        return VGroup(circles, label)

    def _posteriors(
        self, to_panel: Callable[[np.ndarray], np.ndarray], result: KLVAEResult
    ) -> PosteriorCodes:
        """Each data point's q(z|x_n): a 1-sigma ellipse and its mean."""
        return PosteriorCodes(to_panel(result.post_mean), result.post_std * latent_scale())

    def _path(self, points: np.ndarray) -> VGroup:
        """A path through panel points: a line with a dot at each step, ends larger."""
        line = VMobject(color=self.theme.latent, stroke_width=3).set_points_as_corners(points)
        steps = dots(points, self.theme.latent, radius=0.04)
        ends = dots(points[[0, -1]], self.theme.latent, radius=0.08)
        return VGroup(line, steps, ends)

    def _path_sample(self) -> VGroup:
        return self._path(np.array([[0.0, 0, 0], [0.25, 0.08, 0], [0.5, 0, 0]]))

    def _legend_dot(self) -> Dot:
        """The legend's marker for a data point."""
        return Dot(radius=0.06, color=self.theme.data)


class LegendRow(VGroup):
    """A legend row of the reason column. Parts: ``marker``, ``label``."""

    def __init__(self, marker: Mobject, label: str) -> None:
        self.marker, self.label = marker, style.tex(label, size=style.LABEL_SIZE)
        super().__init__(self.marker, self.label)
        self.arrange(RIGHT, buff=0.2)


class ReasonColumn(VGroup):
    """The text column beside the panels. Parts: ``heading`` (the reason), ``body`` (its
    explanation from the slide), ``legend_rows`` (:class:`LegendRow`; the first names the
    space the panels show)."""

    def __init__(
        self, reason: str, explanation: str, space: str, legend: list[tuple[Mobject, str]]
    ) -> None:
        theme = style.active_theme()
        self.heading = style.tex(rf"\textbf{{{reason}}}", size=style.HEADING_SIZE)
        self.body = style.tex(explanation, size=style.BODY_SIZE, tex_environment="flushleft")
        panel_icon = Rectangle(width=0.32, height=0.26, color=theme.muted, stroke_width=2)
        self.legend_rows = [
            LegendRow(marker, label) for marker, label in [(panel_icon, space), *legend]
        ]
        rows = VGroup(*self.legend_rows).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        super().__init__(self.heading, self.body, rows)
        self.arrange(DOWN, aligned_edge=LEFT, buff=0.4)


class PosteriorCodes(VGroup):
    """Every data point's q(z|x_n) in a latent panel. Parts: ``ellipses`` (1-sigma),
    ``means`` (dots)."""

    def __init__(self, centres: np.ndarray, radii: np.ndarray) -> None:
        colour = style.active_theme().approx
        self.ellipses = VGroup(
            *(
                Ellipse(
                    width=max(2 * r[0], 1e-3),
                    height=max(2 * r[1], 1e-3),
                    color=colour,
                    stroke_width=1,
                    stroke_opacity=0.25,
                    fill_opacity=0.012,
                ).move_to(c)
                for c, r in zip(centres, radii, strict=True)
            )
        )
        self.means = dots(centres, colour, radius=0.025)
        super().__init__(self.ellipses, self.means)
