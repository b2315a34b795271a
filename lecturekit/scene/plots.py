"""Plot pieces for lecture scenes: densities, live numbers, legends (manim glue, no numerics).

Every number drawn here comes from the caller (who reads it from its deck's numerics); these
helpers only turn functions and values into mobjects in the theme's colours, and return
objects with named parts (``legend.rows[2].label``, ``value.number``) rather than groups
reached by position:

- :func:`density_axes` -- axes for a density over a variable's range (no y axis line);
- :func:`density_graph` / :func:`area_under` -- a density (function or array) as a curve or a
  shaded area on such axes;
- :func:`tracked_density` -- a curve redrawn every frame from a density-valued callable;
- :class:`LabelledNumber` -- ``label = <live number>``;
- :class:`Legend` -- one row per curve: a line sample in the curve's colour and dash, a label;
- :func:`show_boxed_line` -- a slide's closing line, boxed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    ORIGIN,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedVMobject,
    DecimalNumber,
    FadeIn,
    Line,
    Mobject,
    Polygon,
    Scene,
    VGroup,
    VMobject,
)

from . import fastnumber, style
from .drawn import drawn_state, same_drawing

Density = Callable[[np.ndarray], np.ndarray] | Sequence[float] | np.ndarray

GRID_POINTS = 321


def grid(axes: Axes, n: int = GRID_POINTS) -> np.ndarray:
    """Evenly spaced values over the axes' horizontal range (where densities are drawn)."""
    return np.linspace(axes.x_range[0], axes.x_range[1], n)


def density_axes(
    x_range: tuple[float, float],
    y_max: float,
    x_length: float = 6.0,
    y_length: float = 2.6,
    x_step: float = 1.0,
    numbers: bool = True,
) -> Axes:
    """Axes for densities of one variable over ``x_range`` (ticks every ``x_step``), y from 0
    to ``y_max``.

    The y axis is not drawn (it would cross the picture at 0; densities are compared by shape
    and their values shown as numbers where they matter). With ``numbers`` every second tick
    is numbered.
    """
    theme = style.active_theme()
    axes = style.axes(
        x_range=(x_range[0], x_range[1], x_step),
        y_range=(0, y_max, y_max),
        x_length=x_length,
        y_length=y_length,
        x_axis_config={"include_ticks": True, "tick_size": 0.05, "numbers_to_exclude": []},
        y_axis_config={"include_ticks": False},
    )
    axes.y_axis.set_stroke(opacity=0)
    if numbers:
        axes.x_axis.add_numbers(
            x_values=np.arange(x_range[0], x_range[1] + 1e-9, 2 * x_step),
            font_size=style.MIN_FONT_SIZE,
            num_decimal_places=0,
            color=theme.muted,
        )
    return axes


def axis_label(axes: Axes, tex: str, size: float = style.LABEL_SIZE + 4) -> Mobject:
    """A symbol (e.g. the variable's macro) at the right end of the horizontal axis."""
    return style.math(tex, size=size).next_to(axes.x_axis, RIGHT, buff=0.15)


def _values(axes: Axes, density: Density, x: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    if callable(density):
        xs = grid(axes) if x is None else np.asarray(x, dtype=float)
        return xs, np.asarray(density(xs), dtype=float)
    values = np.asarray(density, dtype=float)
    xs = grid(axes, len(values)) if x is None else np.asarray(x, dtype=float)
    return xs, values


def _points(axes: Axes, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(N, 3) frame points of (x, y), y clipped to the axes' top (one vectorised ``c2p``:
    the same floats as point by point, a tenth of the time)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"{len(x)} x values for {len(y)} y values")
    return np.asarray(axes.c2p(x, np.minimum(y, axes.y_range[1]))).T.reshape(-1, 3)


def density_points(axes: Axes, density: Density, x: np.ndarray | None = None) -> np.ndarray:
    """(N, 3) frame points of a density on ``axes`` (clipped to the axes' top): the corners
    of :func:`density_graph`'s curve."""
    return _points(axes, *_values(axes, density, x))


def density_graph(
    axes: Axes,
    density: Density,
    color: str,
    x: np.ndarray | None = None,
    dashed: bool = False,
    stroke_width: float = 4,
) -> VMobject:
    """A density as a curve on ``axes``.

    ``density`` is a vectorised function or an array of values (on ``x``, or on :func:`grid`
    of its length). Values above the axes' top are clipped to it. ``dashed`` tells this curve
    apart from a solid one without relying on colour.
    """
    curve = VMobject(color=color, stroke_width=stroke_width)
    curve.set_points_as_corners(density_points(axes, density, x))
    if dashed:
        curve = dash(curve)
    curve.plot_curve = True  # the layout check keeps labels off it
    return curve


def dash(curve: VMobject) -> VMobject:
    """``curve`` as the dashed curves of :func:`density_graph` draw it (60 dashes).

    A solid curve that turns into a dashed one (a ``Transform``) should be dashed this way
    first: Manim matches one path to 60 dashes by making 60 copies of the whole path, each
    shrinking into its dash, drawn as a smear of curves (and 48 000 curves per frame)."""
    return DashedVMobject(curve, num_dashes=60, dashed_ratio=0.55)


def area_under(
    axes: Axes,
    density: Density,
    color: str,
    x: np.ndarray | None = None,
    opacity: float = 0.35,
) -> Polygon:
    """The shaded region between a density and the horizontal axis (over its grid)."""
    corners = area_corners(axes, density, x)
    return Polygon(*corners, stroke_width=0, fill_color=color, fill_opacity=opacity)


def area_corners(axes: Axes, density: Density, x: np.ndarray | None = None) -> np.ndarray:
    """The corners of :func:`area_under`'s polygon: the density's points, then the axis
    under its last and its first value."""
    xs, values = _values(axes, density, x)
    base = _points(axes, xs[[-1, 0]], np.zeros(2))
    return np.vstack([_points(axes, xs, values), base])


def reshape_polygon(polygon: VMobject, corners: np.ndarray) -> None:
    """Give ``polygon`` the points ``Polygon(*corners)`` has (closed back to the first
    corner), keeping its style: a live area redrawn without building a new mobject."""
    polygon.set_points_as_corners(np.vstack([corners, corners[:1]]))


def redraw_on_change(
    inputs: Callable[[], object],
    draw: Callable[[], Mobject],
    reshape: Callable[[Mobject], bool] | None = None,
) -> Mobject:
    """Like Manim's ``always_redraw(draw)``, but rebuilt only on frames where ``inputs()``
    (everything ``draw`` reads: numbers, arrays, tuples of them) has changed.

    ``always_redraw`` builds a new mobject every frame and copies it into the shown one
    (``become``), the largest cost of a live picture whose values are still most of the time.
    The frames are the same: a frame whose inputs equal the last drawn ones would be rebuilt
    into the same points and style. If anything else changed the shown mobject since (an
    animation of its style, say), it is rebuilt too, as ``always_redraw`` would.

    A copy (an animation's start and target: ``FadeOut``, ``.animate``) keeps the updater but
    is never rebuilt, as with ``always_redraw``, whose updater rebuilds the original, not the
    copy it runs on: a fade's target must stay faded, and the animation sets the original from
    its copies on every frame.

    ``reshape(m)``, if given, gives the shown mobject the points ``draw()`` would give it, in
    place, and says whether it could (False: the shape is rebuilt). It is used only when the
    inputs changed and nothing else did since the last drawing, so the style is already what
    ``draw()`` would give (a curve or an area whose style does not depend on the inputs).
    """
    mobject = draw()
    last: dict[str, object] = {"key": _input_key(inputs()), "state": drawn_state(mobject)}

    def update(m: Mobject) -> None:
        if m is not mobject:
            return
        key = _input_key(inputs())
        unchanged = same_drawing(drawn_state(m), last["state"])
        if key == last["key"] and unchanged:
            return
        if not (unchanged and reshape is not None and reshape(m)):
            m.become(draw())
        last["key"], last["state"] = key, drawn_state(m)

    mobject.add_updater(update)
    return mobject


def _input_key(value: object) -> object:
    """A comparable form of ``redraw_on_change``'s inputs (arrays by their bytes)."""
    if isinstance(value, np.ndarray):
        return (value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, tuple | list):
        return tuple(_input_key(v) for v in value)
    return value


def tracked_density(
    axes: Axes,
    density: Callable[[], Callable[[np.ndarray], np.ndarray]],
    color: str,
    dashed: bool = False,
    stroke_width: float = 4,
    fill_opacity: float = 0.0,
) -> VMobject:
    """A curve redrawn from ``density()`` (a density function that changes, e.g. a Gaussian
    driven by ValueTrackers) on every frame where its values or the axes' place changed; with
    ``fill_opacity`` > 0 the area under it too."""
    sampled: dict[str, np.ndarray] = {}

    def inputs() -> tuple[np.ndarray, np.ndarray]:
        xs = grid(axes)
        sampled["x"], sampled["y"] = xs, np.asarray(density()(xs), dtype=float)
        # The curve's corners (values and where the axes are) decide the picture.
        return sampled["y"], _points(axes, xs[[0, -1]], np.zeros(2))

    def draw() -> VMobject:
        xs, values = sampled["x"], sampled["y"]
        curve = density_graph(axes, values, color, xs, dashed=dashed, stroke_width=stroke_width)
        if fill_opacity <= 0:
            return curve
        return VGroup(area_under(axes, values, color, xs, opacity=fill_opacity), curve)

    def reshape(shown: Mobject) -> bool:
        if dashed:
            return False  # dashes are cut from the curve: rebuilt
        xs, values = sampled["x"], sampled["y"]
        parts = shown.submobjects
        if fill_opacity <= 0:
            if parts:
                return False
            shown.set_points_as_corners(density_points(axes, values, xs))
            return True
        if len(parts) != 2 or parts[0].submobjects or parts[1].submobjects:
            return False
        reshape_polygon(parts[0], area_corners(axes, values, xs))
        parts[1].set_points_as_corners(density_points(axes, values, xs))
        return True

    inputs()
    return redraw_on_change(inputs, draw, reshape)


def show_value(number: DecimalNumber, value: float) -> None:
    """Set a DecimalNumber to ``value``, re-typesetting its digits only when the text it shows
    changes: ``set_value`` rebuilds every glyph, the largest cost of a live number per frame,
    and most frames of a smooth motion show the same rounded digits. (Reads Manim 0.22's
    ``_get_num_string``, the formatter ``set_value`` itself uses.)"""
    if number._get_num_string(value) != number._get_num_string(number.number):
        fastnumber.set_value(number, value)  # Manim's set_value, with less work per call
    else:
        number.number = value


def live_number(
    value: Callable[[], float],
    color: str | None = None,
    decimals: int = 2,
    size: float = style.LABEL_SIZE + 2,
) -> DecimalNumber:
    """A DecimalNumber that shows ``value()`` on every frame."""
    number = DecimalNumber(
        value(),
        num_decimal_places=decimals,
        font_size=size,
        color=color or style.active_theme().text,
    )
    number.add_updater(lambda m: show_value(m, value()))
    return number


class LabelledNumber(VGroup):
    """``label = <live number>``: the number stays right of the label as its width changes.

    Parts: ``label``, ``equals``, ``number`` (a DecimalNumber showing ``value()``). A plain
    number for ``value`` (one that never changes) gives a number without an updater: a
    mobject with an updater counts as moving in every animation, and Manim then redraws it
    and every mobject added after it on each frame.
    """

    def __init__(
        self,
        label: Mobject,
        value: Callable[[], float] | float,
        color: str | None = None,
        decimals: int = 2,
        size: float = style.LABEL_SIZE + 2,
    ) -> None:
        self.label = label
        self.equals = style.math("=", size=size)
        self.equals.next_to(label, RIGHT, buff=0.15)
        read = value if callable(value) else (lambda: float(value))
        self.number = live_number(read, color, decimals, size)

        def follow(m: Mobject) -> None:
            show_value(m, read())
            m.next_to(self.equals, RIGHT, buff=0.15)

        self.number.clear_updaters()
        if callable(value):
            self.number.add_updater(follow)
        follow(self.number)
        super().__init__(self.label, self.equals, self.number)


class LegendRow(VGroup):
    """One legend row. Parts: ``sample`` (a line in the curve's colour and dash), ``label``."""

    def __init__(
        self, color: str, dashed: bool, label: Mobject, sample_length: float = 0.6
    ) -> None:
        sample = Line(ORIGIN, sample_length * RIGHT, color=color, stroke_width=4)
        if dashed:
            sample = DashedVMobject(sample, num_dashes=3, dashed_ratio=0.6)
        self.sample, self.label = sample, label
        super().__init__(sample, label)
        self.arrange(RIGHT, buff=0.2)


class Legend(VGroup):
    """Rows of (line sample, label), one per curve: ``(color, dashed, label)``.

    The line sample repeats the curve's colour and style, so a viewer who cannot tell the
    colours apart still matches each curve to its label by the dashes and the words. Parts:
    ``rows`` (a list of :class:`LegendRow`), also the group's members in order.
    """

    def __init__(
        self,
        entries: Sequence[tuple[str, bool, Mobject]],
        sample_length: float = 0.6,
        buff: float = 0.22,
    ) -> None:
        self.rows = [
            LegendRow(color, dashed, label, sample_length) for color, dashed, label in entries
        ]
        super().__init__(*self.rows)
        self.arrange(DOWN, aligned_edge=np.array([-1.0, 0.0, 0.0]), buff=buff)


def show_boxed_line(scene: Scene, line: Mobject, buff: float = 0.5) -> Mobject:
    """Fade in a slide's closing line at the bottom of the frame and box it (key idea,
    question, conclusion); returns the box."""
    line.to_edge(DOWN, buff=buff)
    scene.play(FadeIn(line, shift=0.2 * UP))
    box = style.emphasis_box(line)
    scene.play(Create(box))
    return box
