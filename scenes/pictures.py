"""The VAE lecture's own pictures, built from the kit's plot pieces and the toy model.

- :func:`density_axes`, :func:`z_grid`, :func:`z_label` -- densities of z over ``Z_RANGE``;
- :class:`PathFollower` -- a ValueTracker along a path of Gaussians (the optimiser's, or a
  term's pull); :class:`ModelStep` -- a ValueTracker through a theta-step of the model;
- :func:`tracked_gaussian` -- a Gaussian curve that follows a Gaussian-valued callable;
- :class:`ElboGapBar` -- log p(x) and the ELBO as levels on one scale, each labelled where it
  is, the gap between them named, values below the scale marked off it, all live;
- :class:`FitPlot` and :func:`fit_picture` -- the posterior-fit picture of slides 3 and 10;
- :class:`KLIntegrandPlot` -- q log(q / p(z|x)) shaded: its area is the gap (slide 10).

Every number comes from :mod:`scenes.numerics`; nothing is typed in.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.plots import LabelledNumber, Legend
from scenes import formulas
from scenes.numerics import (
    MODEL,
    OBSERVED_X,
    Z_RANGE,
    FitStep,
    Gaussian,
    ToyModel,
    kl_integrand,
    optimiser_path,
)


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
    """A ValueTracker over a path of Gaussians (e.g. ``numerics.optimiser_path``).

    ``position`` runs from 0 (the first Gaussian) to ``len(path) - 1`` (the last); between two
    iterates the Gaussian is interpolated in (mu, log s), the coordinates the optimiser steps
    in. Pictures read :meth:`q`; every number shown for it is computed from it by
    :mod:`scenes.numerics`.
    """

    def __init__(self, path: Sequence[FitStep]) -> None:
        if not path:
            raise ValueError("a path needs at least one Gaussian")
        self.path = list(path)
        self.position = ValueTracker(0.0)

    @classmethod
    def from_optimiser(cls) -> PathFollower:
        """The toy model's ELBO ascent from ``POOR_START`` for ``OBSERVED_X``
        (``numerics.optimiser_path``, slides 3 and 10)."""
        return cls(optimiser_path())

    @property
    def end(self) -> float:
        """The position of the last iterate."""
        return float(len(self.path) - 1)

    def to_position(self, position: float, run_time: float = 2.0) -> Animation:
        """An animation of q along the path, smoothly from here to ``position``."""
        return self.position.animate(run_time=run_time, rate_func=smooth).set_value(position)

    def to_end(self, run_time: float = 8.0) -> Animation:
        """The fit as an animation: the position runs smoothly from here to the last iterate."""
        return self.to_position(self.end, run_time)

    def q(self) -> Gaussian:
        """The Gaussian at the current position."""
        if len(self.path) == 1:
            return self.path[0].q
        t = min(max(self.position.get_value(), 0.0), self.end)
        i = min(int(math.floor(t)), len(self.path) - 2)
        a, b = self.path[i], self.path[i + 1]
        w = t - i
        mu = (1 - w) * a.mu + w * b.mu
        log_s = (1 - w) * math.log(a.s) + w * math.log(b.s)
        return Gaussian(mu, math.exp(log_s))


class ModelStep:
    """A ValueTracker from one toy model to another that differs in the decoder offset only
    (``numerics.theta_step``): :meth:`model` is the model on screen, its offset interpolated
    linearly (``progress`` 0 = ``start``, 1 = ``end``)."""

    def __init__(self, start: ToyModel, end: ToyModel) -> None:
        if dataclasses.replace(end, offset=start.offset) != start:
            raise ValueError("a theta-step here moves the decoder offset only")
        self.start, self.end = start, end
        self.progress = ValueTracker(0.0)

    def model(self) -> ToyModel:
        """The model at the current progress."""
        t = min(max(self.progress.get_value(), 0.0), 1.0)
        if t == 0.0:
            return self.start
        if t == 1.0:
            return self.end
        offset = (1 - t) * self.start.offset + t * self.end.offset
        return dataclasses.replace(self.start, offset=offset)

    def run(self, run_time: float = 3.0) -> Animation:
        """The step as an animation: the model changes smoothly from start to end."""
        return self.progress.animate(run_time=run_time, rate_func=smooth).set_value(1.0)


# -- The ELBO and the gap on one scale (slide 10) ----------------------------------------------

BRACE_MIN_HEIGHT = 0.35  # a shorter brace degenerates into a ">" glyph: a leader line instead
LEVEL_LINE_OVERHANG = 0.15  # how far a level's line reaches out of the bar, towards its label
LABEL_GAP = 0.12  # between a level line's end and its label
BREAK_DEPTH = 0.18  # the height of the break mark drawn across the bar's bottom
OFF_ARROW_LENGTH = 0.45  # the arrow from an off-scale bar down to the value's label


class FrameEdges(NamedTuple):
    """Where a bar's frame is: its edges and its centre's x."""

    left: float
    right: float
    bottom: float
    x: float


class ElboGapBar(VGroup):
    """log p(x) and the ELBO as two levels on one vertical scale; the gap between them is the KL.

    The scale is linear from ``floor`` (the frame's bottom edge) to ``ceiling`` (its top edge,
    by default log p(x)); :meth:`y_of` gives the height of a value. Each level is labelled
    where it is, and every part follows the live values ``elbo()`` and ``log_evidence()``:

    - ``frame`` (the scale), ``floor_tick`` and ``floor_label`` (the floor's value, at it);
    - ``top_line`` at log p(x), ``top_label`` (log p(x) = ...) left of it, at its height;
    - ``elbo_line`` at the ELBO, ``elbo_label`` (L = ...) left of it, at its height. When the
      gap is too thin for both labels, the ELBO's label steps down below log p(x)'s and
      ``elbo_leader`` joins it to its line. Below the floor the ELBO is off the scale: a
      ``break_mark`` crosses the bar's bottom, the label is pinned under the bar and
      ``off_arrow`` points down to it;
    - ``elbo_fill`` (floor to ELBO) and ``gap_fill`` (ELBO to log p(x));
    - the gap: ``gap_brace`` beside it when it is tall enough, else ``gap_leader`` (a leader
      line from the gap's middle), and ``gap_label`` (gap = log p(x) - ELBO) at its end.

    Move it as a whole (every live part is placed from the frame on each frame).
    """

    def __init__(
        self,
        elbo: Callable[[], float],
        log_evidence: Callable[[], float],
        floor: float,
        ceiling: float | None = None,
        height: float = 3.0,
        width: float = 0.7,
        size: float = style.LABEL_SIZE,
        decimals: int = 2,
    ) -> None:
        theme = style.active_theme()
        self.floor = floor
        self.ceiling = log_evidence() if ceiling is None else ceiling
        if not self.ceiling > floor:
            raise ValueError(f"the scale needs ceiling > floor, got {self.ceiling} <= {floor}")
        self.scale_height = height
        self.elbo, self.log_evidence = elbo, log_evidence
        self.frame = Rectangle(width=width, height=height, color=theme.muted, stroke_width=2)
        self._edges_cache: tuple[bytes, FrameEdges] | None = None

        # Every live part is rebuilt only on frames where what it is drawn from changed
        # (plots.redraw_on_change): the values, the bar's place and its labels' places.
        # What they are drawn from is read once per update of the bar (``_drawn_from_once``).
        self._drawn_cache: list[tuple] = []

        def live(draw: Callable[[], VMobject]) -> VMobject:
            return plots.redraw_on_change(self._drawn_from_once, draw)

        self.elbo_fill = live(
            lambda: (
                self._band(self.bottom, self.y_of(self.elbo()), theme.elbo, 0.85)
                if self.elbo_on_scale()
                else VMobject()
            )
        )
        self.gap_fill = live(
            lambda: self._band(
                max(self.bottom, self.y_of(self.elbo())),
                self.y_of(self.log_evidence()),
                theme.kl,
                0.35,
            )
        )
        self.top_line = live(
            lambda: self._level_line(self.y_of(self.log_evidence()), theme.text, both=True)
        )
        self.elbo_line = live(
            lambda: (
                self._level_line(self.y_of(self.elbo()), theme.elbo, both=False)
                if self.elbo_on_scale()
                else VMobject()
            )
        )
        self.floor_tick = Line(ORIGIN, LEVEL_LINE_OVERHANG * LEFT, color=theme.muted)
        self.floor_tick.next_to(self.frame.get_corner(DOWN + LEFT), LEFT, buff=0)
        self.floor_label = DecimalNumber(
            floor,
            num_decimal_places=0 if float(floor).is_integer() else 2,
            font_size=size,
            color=theme.muted,
        )
        self.floor_label.next_to(self.floor_tick, LEFT, buff=LABEL_GAP)

        self.top_label = LabelledNumber(
            style.math(formulas.LOG_EVIDENCE, size=size),
            log_evidence,
            theme.text,
            decimals=decimals,
            size=size,
        )
        self.elbo_label = LabelledNumber(
            style.math(r"\elbo", size=size), elbo, theme.elbo, decimals=decimals, size=size
        )
        self.gap_label = LabelledNumber(
            style.tex("gap", size=size, color=theme.kl),
            lambda: self.log_evidence() - self.elbo(),
            theme.kl,
            decimals=decimals,
            size=size,
        )
        self.elbo_leader = live(self._draw_elbo_leader)
        self.break_mark = live(self._draw_break)
        self.off_arrow = live(self._draw_off_arrow)
        self.gap_brace = live(self._draw_gap_brace)
        self.gap_leader = live(self._draw_gap_leader)

        self.top_label.add_updater(lambda m: self._place_top_label())
        self.elbo_label.add_updater(lambda m: self._place_elbo_label())
        self.gap_label.add_updater(lambda m: self._place_gap_label())
        self.floor_label.add_updater(lambda m: self._show_floor_label())
        super().__init__(
            self.elbo_fill,
            self.gap_fill,
            self.frame,
            self.break_mark,
            self.floor_tick,
            self.floor_label,
            self.top_line,
            self.elbo_line,
            self.elbo_leader,
            self.off_arrow,
            self.gap_brace,
            self.gap_leader,
            self.top_label,
            self.elbo_label,
            self.gap_label,
        )
        # Manim runs a group's own updaters before its parts': a new update of the bar reads
        # the values and the labels' boxes afresh.
        self.add_updater(lambda m: self._drawn_cache.clear())
        self.refresh()

    def _drawn_from_once(self) -> tuple:
        """:meth:`_drawn_from`, computed once per update of the bar for its nine live parts
        (the labels they end at are placed after them, so it is the same for all nine)."""
        if not hasattr(self, "gap_label"):  # still building: nothing to share yet
            return self._drawn_from()
        if not self._drawn_cache:
            self._drawn_cache.append(self._drawn_from())
        return self._drawn_cache[0]

    def _drawn_from(self) -> tuple:
        """Everything the live parts read: the values, the frame's points and the labels'
        boxes (the leaders end at the labels)."""
        # Each label's box as its points' minimum and maximum (one pass over its glyphs: the
        # same box as its corners, computed here by nine live parts on every frame).
        boxes = (
            [
                bound(m.get_points_defining_boundary(), axis=0)
                for m in (self.elbo_label, self.gap_label)
                for bound in (np.min, np.max)
            ]
            if hasattr(self, "gap_label")
            else []
        )
        return (self.elbo(), self.log_evidence(), np.array(self.frame.points), *boxes)

    # -- The scale -----------------------------------------------------------------------------
    def _edges(self) -> FrameEdges:
        """The frame's left, right and bottom edges and its centre's x, as Manim's
        ``get_left`` and the like give them, computed again only when the frame has moved
        (every live part reads them, several times per frame)."""
        points = self.frame.points
        key = points.tobytes()
        if self._edges_cache is None or self._edges_cache[0] != key:
            boundary = self.frame.get_points_defining_boundary()
            low, high = boundary.min(axis=0), boundary.max(axis=0)
            edges = FrameEdges(
                float(low[0]), float(high[0]), float(low[1]), float((low[0] + high[0]) / 2)
            )
            self._edges_cache = (key, edges)
        return self._edges_cache[1]

    @property
    def bottom(self) -> float:
        """The frame's bottom edge (the floor's height)."""
        return self._edges().bottom

    def y_of(self, value: float) -> float:
        """The height of ``value`` on the bar's scale (below the frame for values < floor)."""
        frac = (value - self.floor) / (self.ceiling - self.floor)
        return self.bottom + self.scale_height * frac

    def elbo_on_scale(self) -> bool:
        """Whether the ELBO lies on the scale (at or above the floor)."""
        return self.elbo() >= self.floor

    def refresh(self) -> ElboGapBar:
        """Place every live part for the current values (Manim does this on every frame)."""
        self._drawn_cache.clear()
        for part in self.submobjects:
            part.update()
        self._place_top_label()
        self._place_elbo_label()
        self._place_gap_label()
        self._show_floor_label()
        return self

    # -- Drawing ----------------------------------------------------------------------------------
    def _band(self, y0: float, y1: float, color: str, opacity: float) -> VMobject:
        x0, x1 = self._edges().left, self._edges().right
        y1 = max(y1, y0 + 1e-3)
        return Polygon(
            [x0, y0, 0],
            [x1, y0, 0],
            [x1, y1, 0],
            [x0, y1, 0],
            stroke_width=0,
            fill_color=color,
            fill_opacity=opacity,
        )

    def _level_line(self, y: float, color: str, both: bool) -> Line:
        """A level across the bar, reaching out on the left (towards its label), and on the
        right too for ``both``."""
        left = self._edges().left - LEVEL_LINE_OVERHANG
        right = self._edges().right + (LEVEL_LINE_OVERHANG if both else 0.0)
        return Line([left, y, 0], [right, y, 0], color=color, stroke_width=4)

    def _label_right(self) -> float:
        """Where the level labels end on the left of the bar."""
        return self._edges().left - LEVEL_LINE_OVERHANG - LABEL_GAP

    def _place_top_label(self) -> None:
        self.top_label.move_to(
            [self._label_right() - self.top_label.width / 2, self.y_of(self.log_evidence()), 0]
        )

    def elbo_label_y(self) -> float:
        """Where the ELBO's label sits: at the ELBO's height unless that would put it on
        log p(x)'s label (then just below it); pinned under the bar when off the scale."""
        label = self.elbo_label
        if not self.elbo_on_scale():
            return self.bottom - OFF_ARROW_LENGTH - 0.05 - label.height / 2
        clearance = (self.top_label.height + label.height) / 2 + 0.08
        return min(self.y_of(self.elbo()), self.y_of(self.log_evidence()) - clearance)

    def _place_elbo_label(self) -> None:
        label = self.elbo_label
        if self.elbo_on_scale():
            x = self._label_right() - label.width / 2
        else:
            x = self._edges().x
        label.move_to([x, self.elbo_label_y(), 0])

    def _draw_elbo_leader(self) -> VMobject:
        if not self.elbo_on_scale():
            return VMobject()
        y_level, y_label = self.y_of(self.elbo()), self.elbo_label_y()
        if y_level - y_label < 0.02:
            return VMobject()
        start = [self.elbo_label.get_right()[0] + 0.05, y_label, 0]
        end = [self._edges().left - LEVEL_LINE_OVERHANG, y_level, 0]
        return Line(start, end, color=style.active_theme().elbo, stroke_width=2)

    def _draw_break(self) -> VMobject:
        """A zigzag across the bar's bottom: the scale continues below the floor."""
        if self.elbo_on_scale():
            return VMobject()
        x0, x1 = self._edges().left - 0.08, self._edges().right + 0.08
        y = self.bottom + BREAK_DEPTH / 2
        n = 6
        points = [
            [x0 + (x1 - x0) * k / n, y + (BREAK_DEPTH / 2) * (1 if k % 2 else -1), 0]
            for k in range(n + 1)
        ]
        zigzag = VMobject(color=style.active_theme().text, stroke_width=3)
        zigzag.set_points_as_corners(points)
        return zigzag

    def _draw_off_arrow(self) -> VMobject:
        if self.elbo_on_scale():
            return VMobject()
        x = self._edges().x
        return Arrow(
            [x, self.bottom - 0.02, 0],
            [x, self.bottom - OFF_ARROW_LENGTH, 0],
            buff=0,
            stroke_width=4,
            max_tip_length_to_length_ratio=0.4,
            color=style.active_theme().elbo,
        )

    def _gap_span(self) -> tuple[float, float]:
        """The gap's extent on the bar (down to the bottom edge when the ELBO is off it)."""
        top = self.y_of(self.log_evidence())
        return max(self.bottom, self.y_of(self.elbo())), top

    def gap_is_thin(self) -> bool:
        """Whether the gap is too short for a brace (a leader line names it instead)."""
        y0, y1 = self._gap_span()
        return y1 - y0 < BRACE_MIN_HEIGHT

    def _draw_gap_brace(self) -> VMobject:
        if self.gap_is_thin():
            return VMobject()
        y0, y1 = self._gap_span()
        x = self._edges().right
        return Brace(Line([x, y0, 0], [x, y1, 0]), RIGHT, buff=0.08, color=style.active_theme().kl)

    def _draw_gap_leader(self) -> VMobject:
        if not self.gap_is_thin():
            return VMobject()
        y0, y1 = self._gap_span()
        x = self._edges().right
        y = (y0 + y1) / 2
        end = [self.gap_label.get_left()[0] - 0.08, self.gap_label.get_y(), 0]
        color = style.active_theme().kl
        return VGroup(
            Dot([x - 0.1, y, 0], radius=0.045, color=color),
            Line([x - 0.1, y, 0], end, color=color, stroke_width=2),
        )

    def _place_gap_label(self) -> None:
        y0, y1 = self._gap_span()
        label = self.gap_label
        if self.gap_is_thin():
            # Out to the right and down, clear of log p(x)'s line: the leader shows the gap.
            x = self._edges().right + 0.55 + label.width / 2
            label.move_to([x, (y0 + y1) / 2 - 0.45, 0])
            return
        x = self._edges().right + 0.5 + label.width / 2
        label.move_to([x, (y0 + y1) / 2, 0])

    def _show_floor_label(self) -> None:
        # The ELBO's own label wins where the two would touch (a label is never on a label).
        label, elbo_label = self.floor_label, self.elbo_label
        touching = (
            abs(label.get_y() - elbo_label.get_y()) < (label.height + elbo_label.height) / 2 + 0.04
            and elbo_label.get_left()[0] < label.get_right()[0]
        )
        label.set_opacity(0.0 if touching else 1.0)


# Slide 10's scale: it holds log p(x) before and after its theta-step and the ELBO from the
# phi-step's start to the fit, with room between the two levels' labels (tests check both).
GAP_BAR_FLOOR = -4.0
GAP_BAR_CEILING = -1.5
GAP_BAR_HEIGHT = 3.2
GAP_BAR_DECIMALS = 3  # as the values under slide 10's identities: log p(x) = L + gap adds up


def gap_bar(elbo: Callable[[], float], log_evidence: Callable[[], float]) -> ElboGapBar:
    """The :class:`ElboGapBar` of slide 10 (its scale from ``GAP_BAR_FLOOR`` to
    ``GAP_BAR_CEILING``, values to ``GAP_BAR_DECIMALS``)."""
    return ElboGapBar(
        elbo,
        log_evidence,
        GAP_BAR_FLOOR,
        GAP_BAR_CEILING,
        height=GAP_BAR_HEIGHT,
        decimals=GAP_BAR_DECIMALS,
    )


# -- The posterior fit (slides 3 and 10) -------------------------------------------------------


def fit_legend(q_name: str = "encoder's Gaussian") -> Legend:
    """Legend of the fit picture: the true posterior and the encoder's q (named ``q_name``)."""
    theme = style.active_theme()
    size = style.LABEL_SIZE
    return Legend(
        [
            (
                theme.posterior,
                False,
                style.tex(r"$" + formulas.TRUE_POSTERIOR + r"$ true posterior", size=size),
            ),
            (
                theme.approx,
                False,
                style.tex(r"$" + formulas.Q_ENCODER + r"$ " + q_name, size=size),
            ),
        ]
    )


class FitPlot(VGroup):
    """The true posterior p(z|x) of a (possibly changing) toy model and the encoder's q.

    Parts: ``axes``, ``z_label``, ``posterior_curve`` (redrawn from ``model()``) and
    ``q_curve`` (the ``approx`` colour with a light fill, redrawn from ``q()``).
    """

    def __init__(
        self,
        q: Callable[[], Gaussian],
        y_max: float,
        model: Callable[[], ToyModel] = lambda: MODEL,
        x_length: float = 6.8,
        y_length: float = 2.6,
        z_numbers: bool = True,
    ) -> None:
        theme = style.active_theme()
        self.axes = density_axes(y_max, x_length=x_length, y_length=y_length, z_numbers=z_numbers)
        self.posterior_curve = plots.tracked_density(
            self.axes,
            lambda: functools.partial(model().posterior_density, OBSERVED_X),
            theme.posterior,
        )
        self.q_curve = tracked_gaussian(self.axes, q, theme.approx, fill_opacity=0.25)
        self.z_label = z_label(self.axes)
        super().__init__(self.axes, self.z_label, self.posterior_curve, self.q_curve)

    def reveal(self, scene: Scene, *with_curves: Mobject) -> None:
        """Draw the axes, then the curves (and ``with_curves``, e.g. the legend)."""
        scene.play(Create(self.axes), FadeIn(self.z_label))
        scene.play(Create(self.posterior_curve), FadeIn(self.q_curve, *with_curves))


class KLIntegrandPlot(VGroup):
    """The integrand of KL(q || p(z|x)), q(z) log(q(z) / p(z|x)), over z: its shaded (signed)
    area is the gap log p(x) - ELBO (``numerics.kl_integrand``).

    Parts: ``axes`` (z over ``Z_RANGE``, the integrand from ``y_min`` < 0 to ``y_max``),
    ``area`` (above the axis, KL colour), ``negative_area`` (below it, where p(z|x) > q: it
    counts against the area) and ``curve``; all redrawn from ``q()`` and ``model()``.
    """

    def __init__(
        self,
        q: Callable[[], Gaussian],
        model: Callable[[], ToyModel],
        y_min: float,
        y_max: float,
        x_length: float = 6.8,
        y_length: float = 1.6,
    ) -> None:
        theme = style.active_theme()
        self.axes = style.axes(
            x_range=(Z_RANGE[0], Z_RANGE[1], 1.0),
            y_range=(y_min, y_max, y_max - y_min),
            x_length=x_length,
            y_length=y_length,
            x_axis_config={"include_ticks": True, "tick_size": 0.05},
            y_axis_config={"include_ticks": False},
        )
        self.axes.y_axis.set_stroke(opacity=0)
        self.integrand = lambda z: kl_integrand(q(), z, OBSERVED_X, model())
        grid = z_grid()
        # The integrand on the grid for the last (q, model): its three parts read it each frame.
        sampled: dict[str, tuple] = {}

        def on_grid() -> np.ndarray:
            key = (q(), model())
            if sampled.get("key") != key:
                sampled["key"], sampled["values"] = key, self.integrand(grid)
            return sampled["values"]

        def part(sign: float, opacity: float) -> Callable[[], VMobject]:
            def draw() -> VMobject:
                values = on_grid()
                return plots.area_under(
                    self.axes, np.maximum(sign * values, 0.0) * sign, theme.kl, grid, opacity
                )

            return draw

        def drawn_from() -> tuple:
            # The integrand's inputs and where the axes are.
            return q(), model(), np.array(self.axes.c2p([0, 1], [0, 1]))

        def reshape_part(sign: float) -> Callable[[VMobject], bool]:
            def reshape(shown: VMobject) -> bool:
                values = np.maximum(sign * on_grid(), 0.0) * sign
                plots.reshape_polygon(shown, plots.area_corners(self.axes, values, grid))
                return True

            return reshape

        def reshape_curve(shown: VMobject) -> bool:
            shown.set_points_as_corners(plots.density_points(self.axes, on_grid(), grid))
            return True

        self.area = plots.redraw_on_change(drawn_from, part(1.0, 0.45), reshape_part(1.0))
        self.negative_area = plots.redraw_on_change(
            drawn_from, part(-1.0, 0.25), reshape_part(-1.0)
        )
        self.curve = plots.redraw_on_change(
            drawn_from,
            lambda: plots.density_graph(self.axes, on_grid(), theme.kl, grid),
            reshape_curve,
        )
        super().__init__(self.axes, self.negative_area, self.area, self.curve)

    def signed_area(self) -> float:
        """The drawn area above the axis minus the area below it, in the plot's units (for
        the tests: it must equal KL(q || p(z|x)))."""
        (x0, y0), (x1, y1) = self.axes.c2p(0, 0)[:2], self.axes.c2p(1, 1)[:2]
        unit = (x1 - x0) * (y1 - y0)
        return (_polygon_area(self.area) - _polygon_area(self.negative_area)) / unit


def _polygon_area(polygon: VMobject) -> float:
    """The area enclosed by a polygon's corners (shoelace formula)."""
    corners = np.asarray(polygon.get_vertices())[:, :2]
    x, y = corners[:, 0], corners[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


class MissedMode(VGroup):
    """A label above a point (the posterior mode that one Gaussian q cannot also cover), with
    an arrow down to it. Parts: ``label``, ``arrow``."""

    def __init__(self, point: np.ndarray, label: Mobject, rise: float = 1.05) -> None:
        self.label = label.move_to(point + rise * UP)
        self.arrow = Arrow(
            self.label.get_bottom(),
            point + 0.08 * UP,
            buff=0.08,
            stroke_width=4,
            max_tip_length_to_length_ratio=0.35,
            color=style.active_theme().muted,
        )
        super().__init__(self.label, self.arrow)


# Where slide 3 puts the fit picture: the plot on the left, its legend above its left end.
FIT_PLOT_ORIGIN = np.array([-6.4, -2.45, 0.0])  # where z = Z_RANGE[0] meets the z axis
FIT_LEGEND_TOP = 0.95


def fit_picture(
    follower: PathFollower, q_name: str = "encoder's Gaussian"
) -> tuple[FitPlot, Legend]:
    """The posterior fit of slide 3, laid out: ``(plot, legend)``, driven by ``follower``: the
    :class:`FitPlot` at the lower left and its :func:`fit_legend` above its left end."""
    plot = FitPlot(follower.q, y_max=2.0, x_length=7.3, y_length=2.8)
    plot.shift(FIT_PLOT_ORIGIN - plot.axes.c2p(Z_RANGE[0], 0))
    key = fit_legend(q_name)
    key.align_to(plot.axes, LEFT).align_to(FIT_LEGEND_TOP * UP, UP)
    return plot, key
