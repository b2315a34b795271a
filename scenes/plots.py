"""Plot helpers shared by the toy-model slides (2, 3, 5, 6, 10): manim glue, no numerics.

Every number drawn here comes from the caller (who reads it from :mod:`scenes.numerics`);
these helpers only turn densities and values into mobjects in the theme's roles:

- :func:`density_axes` -- axes over ``numerics.Z_RANGE`` for densities of z;
- :func:`density_graph` / :func:`area_under` -- a density (function or array) as a curve or a
  shaded area;
- :func:`tracked_gaussian` -- a Gaussian q curve that follows a Gaussian-valued callable
  (``always_redraw``); :func:`gaussian_from_trackers` and :class:`PathFollower` make such
  callables from ValueTrackers;
- :func:`live_number` / :func:`labelled_number` -- DecimalNumbers that follow a value;
- :func:`elbo_gap_bar` -- log p(x) as a fixed level, the ELBO as a bar below it, the gap
  between them braced as the KL, all live.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Animation,
    Axes,
    Brace,
    Create,
    DashedVMobject,
    DecimalNumber,
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

from scenes import formulas, style
from scenes.numerics import MODEL, OBSERVED_X, Z_RANGE, FitStep, Gaussian, elbo, optimiser_path

Density = Callable[[np.ndarray], np.ndarray] | Sequence[float] | np.ndarray

GRID_POINTS = 321


def z_grid(n: int = GRID_POINTS) -> np.ndarray:
    """Evenly spaced z values over ``Z_RANGE`` (the grid every density curve is drawn on)."""
    return np.linspace(Z_RANGE[0], Z_RANGE[1], n)


def density_axes(
    y_max: float,
    x_length: float = 6.0,
    y_length: float = 2.6,
    z_step: float = 1.0,
    z_numbers: bool = True,
) -> Axes:
    """Axes for densities of z: z over ``Z_RANGE`` (ticks every ``z_step``), y from 0 to y_max.

    The y axis is not drawn (it would cross the picture at z = 0; densities are compared by
    shape and their values shown as numbers where they matter). With ``z_numbers`` every
    second z tick is numbered.
    """
    theme = style.active_theme()
    axes = Axes(
        x_range=[Z_RANGE[0], Z_RANGE[1], z_step],
        y_range=[0, y_max, y_max],
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config={"color": theme.muted, "stroke_width": 2},
        x_axis_config={"include_ticks": True, "tick_size": 0.05, "numbers_to_exclude": []},
        y_axis_config={"include_ticks": False},
    )
    axes.y_axis.set_stroke(opacity=0)
    if z_numbers:
        axes.x_axis.add_numbers(
            x_values=np.arange(Z_RANGE[0], Z_RANGE[1] + 1e-9, 2 * z_step),
            font_size=style.MIN_FONT_SIZE,
            num_decimal_places=0,
            color=theme.muted,
        )
    return axes


def z_label(axes: Axes, size: float = style.LABEL_SIZE + 4) -> Mobject:
    """The symbol z at the right end of the z axis."""
    return style.math(r"\z", size=size).next_to(axes.x_axis, RIGHT, buff=0.15)


def _values(density: Density, z: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    if callable(density):
        grid = z_grid() if z is None else np.asarray(z, dtype=float)
        return grid, np.asarray(density(grid), dtype=float)
    values = np.asarray(density, dtype=float)
    grid = z_grid(len(values)) if z is None else np.asarray(z, dtype=float)
    return grid, values


def _points(axes: Axes, z: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    y_top = axes.y_range[1]
    return [axes.c2p(zi, min(yi, y_top)) for zi, yi in zip(z, y, strict=True)]


def density_graph(
    axes: Axes,
    density: Density,
    colour: str,
    z: np.ndarray | None = None,
    dashed: bool = False,
    stroke_width: float = 4,
) -> VMobject:
    """A density over z as a curve on ``axes``.

    ``density`` is a vectorised function of z or an array of values (on ``z``, or on
    :func:`z_grid` of its length). Values above the axes' top are clipped to it. ``dashed``
    tells this curve apart from a solid one without relying on colour.
    """
    grid, values = _values(density, z)
    curve = VMobject(color=colour, stroke_width=stroke_width)
    curve.set_points_as_corners(_points(axes, grid, values))
    if dashed:
        return DashedVMobject(curve, num_dashes=60, dashed_ratio=0.55)
    return curve


def area_under(
    axes: Axes,
    density: Density,
    colour: str,
    z: np.ndarray | None = None,
    opacity: float = 0.35,
) -> Polygon:
    """The shaded region between a density and the z axis (over its grid)."""
    grid, values = _values(density, z)
    top = _points(axes, grid, values)
    base = [axes.c2p(grid[-1], 0), axes.c2p(grid[0], 0)]
    return Polygon(*top, *base, stroke_width=0, fill_color=colour, fill_opacity=opacity)


def gaussian_from_trackers(mu: ValueTracker, s: ValueTracker) -> Callable[[], Gaussian]:
    """A callable giving the Gaussian N(mu, s^2) of two trackers' current values."""
    return lambda: Gaussian(mu.get_value(), s.get_value())


def tracked_gaussian(
    axes: Axes,
    q: Callable[[], Gaussian],
    colour: str | None = None,
    dashed: bool = False,
    stroke_width: float = 4,
    fill_opacity: float = 0.0,
) -> VMobject:
    """A Gaussian curve (in the ``approx`` colour by default) redrawn from ``q()`` every frame.

    With ``fill_opacity`` > 0 the area under it is shaded too.
    """
    colour = colour or style.active_theme().approx

    def draw() -> VMobject:
        pdf = q().pdf
        curve = density_graph(axes, pdf, colour, dashed=dashed, stroke_width=stroke_width)
        if fill_opacity <= 0:
            return curve
        return VGroup(area_under(axes, pdf, colour, opacity=fill_opacity), curve)

    return always_redraw(draw)


class PathFollower:
    """A ValueTracker over the optimiser's path (``numerics.optimiser_path``).

    ``position`` runs from 0 (the start) to ``len(path) - 1`` (the optimum); between two
    iterates the Gaussian is interpolated in (mu, log s), the coordinates the optimiser steps
    in. Use :meth:`q` for pictures and :meth:`elbo` / :meth:`gap` for numbers: the caller
    passes ``numerics.elbo`` (and log p(x)) so every value is computed for the q on screen.
    """

    def __init__(
        self,
        path: Sequence[FitStep],
        elbo_of: Callable[[Gaussian], float],
        log_evidence: float,
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


def live_number(
    value: Callable[[], float],
    colour: str | None = None,
    decimals: int = 2,
    size: float = style.LABEL_SIZE + 2,
) -> DecimalNumber:
    """A DecimalNumber that shows ``value()`` on every frame."""
    number = DecimalNumber(
        value(),
        num_decimal_places=decimals,
        font_size=size,
        color=colour or style.active_theme().text,
    )
    number.add_updater(lambda m: m.set_value(value()))
    return number


def labelled_number(
    label: Mobject,
    value: Callable[[], float],
    colour: str | None = None,
    decimals: int = 2,
    size: float = style.LABEL_SIZE + 2,
) -> VGroup:
    """``label = <live number>``: the number stays right of the label as its width changes."""
    equals = style.math("=", size=size)
    equals.next_to(label, RIGHT, buff=0.15)
    number = live_number(value, colour, decimals, size)

    def follow(m: Mobject) -> None:
        m.set_value(value())
        m.next_to(equals, RIGHT, buff=0.15)

    number.clear_updaters()
    number.add_updater(follow)
    follow(number)
    return VGroup(label, equals, number)


def elbo_gap_bar(
    elbo: Callable[[], float],
    log_evidence: float,
    floor: float,
    height: float = 3.6,
    width: float = 0.9,
    size: float = style.LABEL_SIZE + 2,
) -> VGroup:
    """log p(x) as a fixed level, the ELBO as a bar below it, the gap braced as the KL.

    The bar's scale is linear from ``floor`` (bottom) to ``log_evidence`` (top line); an ELBO
    below ``floor`` leaves the bar empty (its number still shows the true value). Live parts:
    the ELBO bar, the gap, the brace and the KL number (the gap, log p(x) - ELBO). Layout:
    ``log p(x) = ...`` left of the top line, ``L = ...`` under the bar, ``KL = ...`` right of
    the brace, so the three labels never meet however small the gap gets.

    Returns ``VGroup(frame, top_line, elbo_fill, gap_fill, brace, top_label, elbo_label,
    kl_label)``; move it as a whole (the live parts follow the frame).
    """
    theme = style.active_theme()
    frame = Rectangle(width=width, height=height, color=theme.muted, stroke_width=2)
    top_line = Line(frame.get_corner(UP + LEFT) + 0.15 * LEFT,
                    frame.get_corner(UP + RIGHT) + 0.15 * RIGHT,
                    color=theme.text, stroke_width=4)

    def level(value: float) -> float:
        """Height of a value above the frame's bottom edge (clamped to the frame)."""
        frac = (value - floor) / (log_evidence - floor)
        return height * min(max(frac, 0.0), 1.0)

    def fill(colour: str, lo: Callable[[], float], hi: Callable[[], float],
             opacity: float) -> VMobject:
        def draw() -> VMobject:
            bottom = frame.get_bottom()[1]
            y0, y1 = bottom + lo(), bottom + max(hi(), lo() + 1e-3)
            x0, x1 = frame.get_left()[0], frame.get_right()[0]
            return Polygon([x0, y0, 0], [x1, y0, 0], [x1, y1, 0], [x0, y1, 0],
                           stroke_width=0, fill_color=colour, fill_opacity=opacity)
        return always_redraw(draw)

    elbo_fill = fill(theme.elbo, lambda: 0.0, lambda: level(elbo()), 0.85)
    gap_fill = fill(theme.kl, lambda: level(elbo()), lambda: height, 0.35)

    def draw_brace() -> Brace:
        bottom = frame.get_bottom()[1]
        x = frame.get_right()[0]
        y0 = bottom + level(elbo())
        y1 = bottom + height
        span = Line([x, y0, 0], [x, max(y1, y0 + 0.05), 0])
        return Brace(span, RIGHT, buff=0.08, color=theme.kl)

    brace = always_redraw(draw_brace)

    top_label = labelled_number(style.math(r"\log \pt(\x)", size=size),
                                lambda: log_evidence, theme.text, size=size)
    top_label.next_to(top_line, LEFT, buff=0.15)
    elbo_label = labelled_number(style.math(r"\elbo", size=size), elbo, theme.elbo, size=size)
    elbo_label.next_to(frame, DOWN, buff=0.2)
    kl_label = labelled_number(style.math(r"\KL", size=size),
                               lambda: log_evidence - elbo(), theme.kl, size=size)

    def place_kl(m: Mobject) -> None:
        m.next_to(brace, RIGHT, buff=0.1)
        m.set_y(min(max(m.get_y(), frame.get_bottom()[1]), frame.get_top()[1]))

    kl_label.add_updater(place_kl)
    place_kl(kl_label)
    return VGroup(frame, top_line, elbo_fill, gap_fill, brace, top_label, elbo_label, kl_label)


def legend(entries: Sequence[tuple[str, bool, Mobject]], sample_length: float = 0.6,
           buff: float = 0.22) -> VGroup:
    """Rows of (line sample, label), one per curve: ``(colour, dashed, label)``.

    The line sample repeats the curve's colour and style, so a viewer who cannot tell the
    colours apart still matches each curve to its label by the dashes and the words.
    """
    rows = VGroup()
    for colour, dashed, label in entries:
        sample = Line(ORIGIN, sample_length * RIGHT, color=colour, stroke_width=4)
        if dashed:
            sample = DashedVMobject(sample, num_dashes=3, dashed_ratio=0.6)
        rows.add(VGroup(sample, label).arrange(RIGHT, buff=0.2))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=buff)


def fit_legend(forward: bool = False) -> VGroup:
    """Legend of the fit picture: true posterior, the ELBO's q, optionally the forward-KL q."""
    theme = style.active_theme()
    size = style.LABEL_SIZE
    entries = [
        (theme.posterior, False, style.tex(r"$" + formulas.TRUE_POSTERIOR + r"$ true posterior",
                                           size=size)),
        (theme.approx, False, style.tex(r"$" + formulas.Q_ENCODER + r"$ fitted by the ELBO",
                                        size=size)),
    ]
    if forward:
        entries.append((theme.approx, True, style.tex("moment matching (forward KL)",
                                                       size=size)))
    return legend(entries)


def posterior_fit_plot(
    follower: PathFollower,
    posterior: Density,
    y_max: float,
    x_length: float = 6.8,
    y_length: float = 2.6,
) -> VGroup:
    """The fit picture of slides 3 and 10: the true posterior and the q on the optimiser path.

    Returns ``VGroup(axes, z_label, posterior_curve, q_curve)``; the q curve (shaded, in the
    ``approx`` colour) follows ``follower.position``.
    """
    theme = style.active_theme()
    axes = density_axes(y_max, x_length=x_length, y_length=y_length)
    posterior_curve = density_graph(axes, posterior, theme.posterior)
    q_curve = tracked_gaussian(axes, follower.q, theme.approx, fill_opacity=0.25)
    return VGroup(axes, z_label(axes), posterior_curve, q_curve)


def show_boxed_line(scene: Scene, line: Mobject, buff: float = 0.5) -> Mobject:
    """Fade in a slide's closing line at the bottom of the frame and box it (key idea,
    question, conclusion); returns the box."""
    line.to_edge(DOWN, buff=buff)
    scene.play(FadeIn(line, shift=0.2 * UP))
    box = style.emphasis_box(line)
    scene.play(Create(box))
    return box


# Where slides 3 and 10 put the fit picture: the plot on the left, the bar on the right.
FIT_PLOT_ORIGIN = np.array([-6.4, -2.45, 0.0])  # where z = Z_RANGE[0] meets the z axis
FIT_LEGEND_TOP = 0.95
FIT_BAR_TOP = np.array([4.1, 0.6, 0.0])  # centre of the bar's log p(x) line
FIT_BAR_FLOOR_BELOW = 10.0  # the bar's scale runs from log p(x) - 10 to log p(x)


def fit_picture(follower: PathFollower, forward: bool = False) -> tuple[VGroup, VGroup, VGroup]:
    """The posterior fit of slides 3 and 10, laid out: ``(plot, legend, bar)``.

    ``plot`` is :func:`posterior_fit_plot` (true posterior, q on the path), ``legend`` is
    :func:`fit_legend` above its left end, ``bar`` is :func:`elbo_gap_bar` on the right, all
    driven by ``follower``.
    """
    posterior = MODEL.posterior_density(OBSERVED_X, z_grid())
    plot = posterior_fit_plot(follower, posterior, y_max=2.0, x_length=7.3, y_length=2.8)
    plot.shift(FIT_PLOT_ORIGIN - plot[0].c2p(Z_RANGE[0], 0))
    key = fit_legend(forward=forward)
    key.align_to(plot[0], LEFT).align_to(FIT_LEGEND_TOP * UP, UP)
    bar = elbo_gap_bar(follower.elbo, follower.log_evidence,
                       follower.log_evidence - FIT_BAR_FLOOR_BELOW, height=2.9)
    bar.shift(FIT_BAR_TOP - bar[1].get_center())
    return plot, key, bar


def reveal_fit_plot(scene: Scene, plot: VGroup, key: Mobject) -> None:
    """Draw a :func:`posterior_fit_plot` (axes, then the curves) with its legend rows."""
    scene.play(Create(plot[0]), FadeIn(plot[1]))
    scene.play(Create(plot[2]), FadeIn(plot[3]), FadeIn(key))
