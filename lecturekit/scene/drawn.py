"""What decides how a mobject is drawn, read and compared one way for the kit's checks.

Two checks ask whether a mobject still draws what it drew: ``plots.redraw_on_change`` (did
anything but its inputs change the shown picture since it was drawn? exactly) and ``holding``
(did a held mobject's updaters change it? within a rounding tolerance, since re-placing a
label at the same spot can move it by rounding). Both read the same things: every family
member's points, its colour arrays, its stroke widths and its z-index.
"""

from __future__ import annotations

import numpy as np
from manim import Mobject

# Besides its points, what decides how a family member is drawn.
COLOUR_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")
STYLE_VALUES = ("stroke_width", "background_stroke_width", "z_index")

DrawnState = list[tuple[int, list[np.ndarray], tuple]]


def drawn_state(mobject: Mobject) -> DrawnState:
    """Each family member (by identity) with copies of its points and colours, and its
    stroke widths and z-index."""
    state = []
    for m in mobject.get_family():
        arrays = [np.array(m.points, dtype=float)]
        arrays += [np.array(getattr(m, n), dtype=float) for n in COLOUR_ARRAYS if hasattr(m, n)]
        values = tuple(getattr(m, name, None) for name in STYLE_VALUES)
        state.append((id(m), arrays, values))
    return state


def same_drawing(before: DrawnState, after: DrawnState, tolerance: float = 0.0) -> bool:
    """Whether two :func:`drawn_state` readings draw the same: the same members and values,
    arrays of the same shapes within ``tolerance`` (0: equal, a NaN equal to a NaN)."""
    if len(before) != len(after):
        return False
    for (id_a, arrays_a, values_a), (id_b, arrays_b, values_b) in zip(before, after, strict=True):
        if id_a != id_b or values_a != values_b or len(arrays_a) != len(arrays_b):
            return False
        for a, b in zip(arrays_a, arrays_b, strict=True):
            if a.shape != b.shape:
                return False
            if a.tobytes() == b.tobytes():
                continue  # the usual case, at a fraction of np.allclose's cost
            if not np.allclose(a, b, rtol=0, atol=tolerance, equal_nan=True):
                return False
    return True
