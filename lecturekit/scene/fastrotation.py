"""``rotation_matrix`` remembered: the same matrix for the same angle and axis, computed once.

Manim 0.22 builds a rotation matrix for every ``rotate`` (and ``flip``) from scratch with
SciPy's ``Rotation.from_rotvec``, and then once more per family member to turn its sheen
direction: about 120 us each, most of it SciPy's argument handling. A brace is built with
five rotations (turned to face its direction and back), and a live brace is built on every
frame; the angles are the same each time (a quarter turn, a half turn).

:func:`rotation_matrix` keeps the matrices of the angles and axes it has seen (up to 1024,
then starts afresh) and hands out a copy: the same function of the same floats, so the same
matrix (``tests/test_fastrotation.py``). An angle or axis it cannot key exactly (an array of
angles, say) goes to Manim's function.
"""

from __future__ import annotations

import manim.mobject.mobject as mobject_module
import manim.utils.paths as paths_module
import manim.utils.space_ops as space_ops
import numpy as np

_original = space_ops.rotation_matrix
_MODULES = (space_ops, mobject_module, paths_module)  # where Manim calls it by this name
_LIMIT = 1024
_seen: dict[tuple, np.ndarray] = {}


def rotation_matrix(angle: float, axis, homogeneous: bool = False) -> np.ndarray:
    """``manim.utils.space_ops.rotation_matrix``: rotation by ``angle`` about ``axis``."""
    try:
        if np.ndim(angle) != 0 or np.shape(axis) != (3,):
            return _original(angle, axis, homogeneous)
        key = (
            np.float64(angle).tobytes(),
            np.asarray(axis, dtype=np.float64).tobytes(),
            bool(homogeneous),
        )
    except (TypeError, ValueError):
        return _original(angle, axis, homogeneous)
    matrix = _seen.get(key)
    if matrix is None:
        if len(_seen) >= _LIMIT:
            _seen.clear()
        matrix = _seen[key] = _original(angle, axis, homogeneous)
    return matrix.copy()


def install() -> None:
    """Use :func:`rotation_matrix` wherever Manim's Cairo code calls it (idempotent)."""
    for module in _MODULES:
        module.rotation_matrix = rotation_matrix


def uninstall() -> None:
    """Back to Manim's function."""
    for module in _MODULES:
        module.rotation_matrix = _original
    _seen.clear()
