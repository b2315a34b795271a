"""The kit's ``Mobject.update`` calls the same updaters, in the same order, as Manim's."""

from __future__ import annotations

import functools

from manim import Dot, VGroup

from lecturekit.scene import fastupdate


def _picture(log: list) -> VGroup:
    inner = VGroup(Dot(), Dot())
    outer = VGroup(inner, Dot())
    outer.add_updater(lambda m: log.append(("outer", None)))
    inner.add_updater(lambda m, dt: log.append(("inner", dt)))
    inner[1].add_updater(functools.partial(lambda tag, m: log.append((tag, None)), "dot"))
    outer[1].add_updater(lambda m, dt=0: log.append(("last", dt)))
    frozen = Dot()
    frozen.add_updater(lambda m: log.append(("frozen", None)))
    frozen.suspend_updating()
    outer.add(frozen)
    return outer


def _calls(recursive: bool) -> list:
    log: list = []
    picture = _picture(log)
    picture.update(0.25, recursive=recursive)
    picture.update(0.5, recursive=recursive)
    return log


def test_same_calls_as_manim():
    fastupdate.uninstall()
    try:
        expected = [_calls(True), _calls(False)]
    finally:
        fastupdate.install()
    assert [_calls(True), _calls(False)] == expected
    assert ("inner", 0.5) in expected[0] and ("frozen", None) not in expected[0]


def test_the_answer_is_remembered_per_function():
    def moving(m, dt):
        return None

    assert fastupdate.takes_dt(moving) is True
    assert fastupdate._TAKES_DT[id(moving)] == (moving, True)
    assert fastupdate.takes_dt(lambda m: None) is False
