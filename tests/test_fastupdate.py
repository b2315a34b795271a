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


def test_order_when_updaters_change_parts_and_classes_override_update():
    def calls() -> list:
        log: list = []
        leaf, later = Dot(), Dot()
        group = VGroup(Dot(), VGroup(leaf))
        # An updater that adds a part: the new part is updated in the same pass, as Manim's
        # loop reads the list after the updaters.
        group.add_updater(lambda m: log.append("group") or (len(m) < 3 and m.add(later)))
        leaf.add_updater(lambda m: log.append("leaf"))
        later.add_updater(lambda m, dt: log.append(("later", dt)))

        class Own(VGroup):
            def update(self, dt=0, recursive=True):
                log.append("own")
                return self

        own = Own(Dot())
        own[0].add_updater(lambda m: log.append("never"))  # Own's update does not recurse
        group[0].add(own)
        group.update(0.1)
        group.update(0.2)
        return log

    fastupdate.uninstall()
    try:
        expected = calls()
    finally:
        fastupdate.install()
    assert calls() == expected
    assert expected[:4] == ["group", "own", "leaf", ("later", 0.1)]
