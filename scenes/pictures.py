"""The VAE lecture's own pictures, built from the kit's plot pieces and the toy model.

- :func:`density_axes`, :func:`z_grid`, :func:`z_label` -- densities of z over ``Z_RANGE``;
- :class:`PathFollower` -- a ValueTracker along the optimiser's path of Gaussians;
- :func:`tracked_gaussian` -- a Gaussian curve that follows a Gaussian-valued callable;
- :class:`ElboGapBar` -- log p(x) as a fixed level, the ELBO as a bar below it, the gap braced
  as the KL, all live;
- :class:`FitPlot` and :func:`fit_picture` -- the posterior-fit picture of slides 3 and 10.

Every number comes from :mod:`scenes.numerics`; nothing is typed in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Axes,
    Brace,
    Create,
    FadeIn,
    Line,
    Mobject,
    Polygon,
    Rectangle,
    Scene,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    smooth,
)

from lecturekit.scene import plots, style
from lecturekit.scene.plots import Density, LabelledNumber, Legend
from scenes import formulas
from scenes.numerics import MODEL, OBSERVED_X, Z_RANGE, FitStep, Gaussian, elbo, optimiser_path


def z_grid(n: int = plots.GRID_POINTS) -> np.ndarray:
    """Evenly spaced z values over ``Z_RANGE`` (the grid every density curve is drawn on)."""
    return np.linspace(Z_RANGE[0], Z_RANGE[1], n)


def density_axes(
    y_max: float,
    x_length: float = 6.0,
    y_length: float = 2.6,
    z_step: float = 1.0,
    z_numbers: bool = True,
) -> Axes:
    """Axes for densities of z over ``Z_RANGE`` (:func:`lecturekit.scene.plots.density_axes`)."""
    return plots.density_axes(Z_RANGE, y_max, x_length, y_length, z_step, z_numbers)


def z_label(axes: Axes, size: float = style.LABEL_SIZE + 4) -> Mobject:
    """The symbol z at the right end of the z axis."""
    return plots.axis_label(axes, r"\z", size)


def tracked_gaussian(
    axes: Axes,
    q: Callable[[], Gaussian],
    color: str | None = None,
    dashed: bool = False,
    stroke_width: float = 4,
    fill_opacity: float = 0.0,
) -> VMobject:
    """A Gaussian curve (in the ``approx`` colour by default) redrawn from ``q()`` every frame;
    with ``fill_opacity`` > 0 the area under it is shaded too."""
    return plots.tracked_density(
        axes,
        lambda: q().pdf,
        color or style.active_theme().approx,
        dashed,
        stroke_width,
        fill_opacity,
    )


class PathFollower:
    """A ValueTracker over the optimiser's path (``numerics.optimiser_path``).

    ``position`` runs from 0 (the start) to ``len(path) - 1`` (the optimum); between two
    iterates the Gaussian is interpolated in (mu, log s), the coordinates the optimiser steps
    in. Use :meth:`q` for pictures and :meth:`elbo` / :meth:`gap` for numbers: the caller
    passes ``numerics.elbo`` (and log p(x)) so every value is computed for the q on screen.
    """

    def __init__(
        self, path: Sequence[FitStep], elbo_of: Callable[[Gaussian], float], log_evidence: float
    ) -> None:
        self.path = list(path)
        self.position = ValueTracker(0.0)
        self._elbo = elbo_of
        self.log_evidence = log_evidence

    @classmethod
    def from_optimiser(cls) -> PathFollower:
        """The toy model's ELBO ascent from ``POOR_START`` (``numerics.optimiser_path``) for
        ``OBSERVED_X``, with ``numerics.elbo`` and the exact log p(x) (slides 3 and 10)."""
        return cls(optimiser_path(), elbo, MODEL.log_evidence(OBSERVED_X))

    @property
    def end(self) -> float:
        """The position of the last iterate."""
        return float(len(self.path) - 1)

    def to_end(self, run_time: float = 8.0) -> Animation:
        """The fit as an animation: the position runs smoothly from here to the optimum."""
        return self.position.animate(run_time=run_time, rate_func=smooth).set_value(self.end)

    def q(self) -> Gaussian:
        """The Gaussian at the current position."""
        t = min(max(self.position.get_value(), 0.0), self.end)
        i = min(int(math.floor(t)), len(self.path) - 2) if len(self.path) > 1 else 0
        a = self.path[i]
        if len(self.path) == 1:
            return a.q
        b = self.path[i + 1]
        w = t - i
        mu = (1 - w) * a.mu + w * b.mu
        log_s = (1 - w) * math.log(a.s) + w * math.log(b.s)
        return Gaussian(mu, math.exp(log_s))

    def elbo(self) -> float:
        """ELBO of the current Gaussian."""
        return self._elbo(self.q())

    def gap(self) -> float:
        """log p(x) - ELBO of the current Gaussian (= KL(q || p(z|x)))."""
        return self.log_evidence - self.elbo()


class ElboGapBar(VGroup):
    """log p(x) as a fixed level, the ELBO as a bar below it, the gap braced as the KL.

    The bar's scale is linear from ``floor`` (bottom) to ``log_evidence`` (top line); an ELBO
    below ``floor`` leaves the bar empty (its number still shows the true value). Live parts:
    ``elbo_fill``, ``gap_fill``, ``brace`` and the KL number (the gap, log p(x) - ELBO).
    Layout: ``top_label`` (log p(x) = ...) left of the ``top_line``, ``elbo_label`` (L = ...)
    under the ``frame``, ``kl_label`` (KL = ...) right of the brace. Move it as a whole (the
    live parts follow the frame).
    """

    def __init__(
        self,
        elbo: Callable[[], float],
        log_evidence: float,
        floor: float,
        height: float = 3.6,
        width: float = 0.9,
        size: float = style.LABEL_SIZE + 2,
    ) -> None:
        theme = style.active_theme()
        frame = Rectangle(width=width, height=height, color=theme.muted, stroke_width=2)
        top_line = Line(
            frame.get_corner(UP + LEFT) + 0.15 * LEFT,
            frame.get_corner(UP + RIGHT) + 0.15 * RIGHT,
            color=theme.text,
            stroke_width=4,
        )

        def level(value: float) -> float:
            """Height of a value above the frame's bottom edge (clamped to the frame)."""
            frac = (value - floor) / (log_evidence - floor)
            return height * min(max(frac, 0.0), 1.0)

        def fill(
            color: str, lo: Callable[[], float], hi: Callable[[], float], opacity: float
        ) -> VMobject:
            def draw() -> VMobject:
                bottom = frame.get_bottom()[1]
                y0, y1 = bottom + lo(), bottom + max(hi(), lo() + 1e-3)
                x0, x1 = frame.get_left()[0], frame.get_right()[0]
                return Polygon(
                    [x0, y0, 0],
                    [x1, y0, 0],
                    [x1, y1, 0],
                    [x0, y1, 0],
                    stroke_width=0,
                    fill_color=color,
                    fill_opacity=opacity,
                )

            return always_redraw(draw)

        def draw_brace() -> Brace:
            bottom = frame.get_bottom()[1]
            x = frame.get_right()[0]
            y0 = bottom + level(elbo())
            y1 = bottom + height
            span = Line([x, y0, 0], [x, max(y1, y0 + 0.05), 0])
            return Brace(span, RIGHT, buff=0.08, color=theme.kl)

        self.frame, self.top_line = frame, top_line
        self.elbo_fill = fill(theme.elbo, lambda: 0.0, lambda: level(elbo()), 0.85)
        self.gap_fill = fill(theme.kl, lambda: level(elbo()), lambda: height, 0.35)
        self.brace = always_redraw(draw_brace)
        self.top_label = LabelledNumber(
            style.math(r"\log \pt(\x)", size=size), lambda: log_evidence, theme.text, size=size
        )
        self.top_label.next_to(top_line, LEFT, buff=0.15)
        self.elbo_label = LabelledNumber(
            style.math(r"\elbo", size=size), elbo, theme.elbo, size=size
        )
        self.elbo_label.next_to(frame, DOWN, buff=0.2)
        self.kl_label = LabelledNumber(
            style.math(r"\KL", size=size), lambda: log_evidence - elbo(), theme.kl, size=size
        )

        def place_kl(m: Mobject) -> None:
            m.next_to(self.brace, RIGHT, buff=0.1)
            m.set_y(min(max(m.get_y(), frame.get_bottom()[1]), frame.get_top()[1]))

        self.kl_label.add_updater(place_kl)
        place_kl(self.kl_label)
        super().__init__(
            self.frame,
            self.top_line,
            self.elbo_fill,
            self.gap_fill,
            self.brace,
            self.top_label,
            self.elbo_label,
            self.kl_label,
        )


def fit_legend(forward: bool = False) -> Legend:
    """Legend of the fit picture: true posterior, the ELBO's q, optionally the forward-KL q."""
    theme = style.active_theme()
    size = style.LABEL_SIZE
    entries = [
        (
            theme.posterior,
            False,
            style.tex(r"$" + formulas.TRUE_POSTERIOR + r"$ true posterior", size=size),
        ),
        (
            theme.approx,
            False,
            style.tex(r"$" + formulas.Q_ENCODER + r"$ fitted by the ELBO", size=size),
        ),
    ]
    if forward:
        entries.append((theme.approx, True, style.tex("moment matching (forward KL)", size=size)))
    return Legend(entries)


class FitPlot(VGroup):
    """The fit picture of slides 3 and 10: the true posterior and the q on the optimiser path.

    Parts: ``axes``, ``z_label``, ``posterior_curve`` and ``q_curve`` (shaded, in the
    ``approx`` colour, following ``follower.position``).
    """

    def __init__(
        self,
        follower: PathFollower,
        posterior: Density,
        y_max: float,
        x_length: float = 6.8,
        y_length: float = 2.6,
    ) -> None:
        theme = style.active_theme()
        self.axes = density_axes(y_max, x_length=x_length, y_length=y_length)
        self.posterior_curve = plots.density_graph(self.axes, posterior, theme.posterior)
        self.q_curve = tracked_gaussian(self.axes, follower.q, theme.approx, fill_opacity=0.25)
        self.z_label = z_label(self.axes)
        super().__init__(self.axes, self.z_label, self.posterior_curve, self.q_curve)

    def reveal(self, scene: Scene, legend: Mobject) -> None:
        """Draw the axes, then the curves with the legend rows ``legend``."""
        scene.play(Create(self.axes), FadeIn(self.z_label))
        scene.play(Create(self.posterior_curve), FadeIn(self.q_curve), FadeIn(legend))


# Where slides 3 and 10 put the fit picture: the plot on the left, the bar on the right.
FIT_PLOT_ORIGIN = np.array([-6.4, -2.45, 0.0])  # where z = Z_RANGE[0] meets the z axis
FIT_LEGEND_TOP = 0.95
FIT_BAR_TOP = np.array([4.1, 0.6, 0.0])  # centre of the bar's log p(x) line
FIT_BAR_FLOOR_BELOW = 10.0  # the bar's scale runs from log p(x) - 10 to log p(x)


def fit_picture(
    follower: PathFollower, forward: bool = False
) -> tuple[FitPlot, Legend, ElboGapBar]:
    """The posterior fit of slides 3 and 10, laid out: ``(plot, legend, bar)``, all driven by
    ``follower``: the :class:`FitPlot` on the left, its :func:`fit_legend` above its left end,
    the :class:`ElboGapBar` on the right."""
    posterior = MODEL.posterior_density(OBSERVED_X, z_grid())
    plot = FitPlot(follower, posterior, y_max=2.0, x_length=7.3, y_length=2.8)
    plot.shift(FIT_PLOT_ORIGIN - plot.axes.c2p(Z_RANGE[0], 0))
    key = fit_legend(forward=forward)
    key.align_to(plot.axes, LEFT).align_to(FIT_LEGEND_TOP * UP, UP)
    bar = ElboGapBar(
        follower.elbo,
        follower.log_evidence,
        follower.log_evidence - FIT_BAR_FLOOR_BELOW,
        height=2.9,
    )
    bar.shift(FIT_BAR_TOP - bar.top_line.get_center())
    return plot, key, bar
