"""The kit's remembered rotation matrices are Manim's, byte for byte, and handed out as copies."""

from __future__ import annotations

import manim.mobject.mobject as mobject_module
import manim.utils.space_ops as space_ops
import numpy as np
from manim import OUT, PI, RIGHT, UP, Brace, Line, Square

from lecturekit.scene import fastrotation


def test_same_matrices_as_manims():
    rng = np.random.default_rng(3)
    cases = [(PI / 2, OUT), (PI, RIGHT), (-PI / 2, OUT), (0.3, [1, 2, 3]), (2, np.array([0, 1, 0]))]
    cases += [(float(a), rng.normal(size=3)) for a in rng.uniform(-7, 7, 20)]
    fastrotation._seen.clear()
    for angle, axis in cases:
        for homogeneous in (False, True):
            expected = fastrotation._original(angle, axis, homogeneous)
            first = fastrotation.rotation_matrix(angle, axis, homogeneous)
            again = fastrotation.rotation_matrix(angle, axis, homogeneous)
            assert first.tobytes() == expected.tobytes() == again.tobytes()
            assert first is not again  # a copy each time: a caller may change it
    assert len(fastrotation._seen) == 2 * len(cases)


def test_rotations_and_braces_unchanged():
    fastrotation.uninstall()
    square, brace = Square().rotate(0.7, UP).flip(RIGHT), Brace(Line(OUT, [0, 2, 0]), RIGHT)
    fastrotation.install()
    assert (
        space_ops.rotation_matrix is mobject_module.rotation_matrix is fastrotation.rotation_matrix
    )
    for _ in range(2):  # computed, then remembered
        again = Square().rotate(0.7, UP).flip(RIGHT)
        assert again.points.tobytes() == square.points.tobytes()
        braced = Brace(Line(OUT, [0, 2, 0]), RIGHT)
        assert braced.points.tobytes() == brace.points.tobytes()
        assert braced.sheen_direction.tobytes() == brace.sheen_direction.tobytes()
