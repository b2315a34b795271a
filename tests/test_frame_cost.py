"""The per-frame cost tool's arithmetic: each scene against the floors rendered beside it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"


@pytest.fixture(scope="module")
def frame_cost():
    spec = importlib.util.spec_from_file_location("frame_cost", TOOLS / "frame_cost.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["frame_cost"] = module
    spec.loader.exec_module(module)
    return module


class FakeSession:
    """Stands in for renders: a machine that slows down by 1 ms per frame with every render;
    the floor costs 10 ms per frame at the start, each scene a fixed multiple of the floor."""

    multiples = {"Light": 1.2, "Heavy": 2.4}

    def __init__(self, tree, log, media=None) -> None:
        self.floor = Path("floor_scene.py")
        self.order: list[str] = []
        FakeSession.last = self

    def run(self, path, class_name, quality, profile=None):
        from frame_cost import Measure

        self.order.append(class_name)
        slowdown = len(self.order) - 1
        base = 10.0 + slowdown
        ms = base * self.multiples.get(class_name, 1.0)
        return Measure(wall=ms * 100 / 1000, frames=100, main_cpu=0, writer_cpu=0, process_cpu=0)


def test_each_scene_is_divided_by_the_floors_beside_it(frame_cost, monkeypatch) -> None:
    monkeypatch.setattr(frame_cost, "Session", FakeSession)
    specs = [SimpleNamespace(path=Path(f"{n}.py"), class_name=n) for n in ("Light", "Heavy")]
    (table,) = frame_cost.measure(specs, ["low"], Path("."), profile=0, runs=1, log=lambda _: None)
    floor = frame_cost.FLOOR_CLASS
    assert FakeSession.last.order == [floor, "Light", floor, "Heavy", floor]
    # Light ran at a floor of 11 ms between floors of 10 and 12; Heavy at 13, between 12 and 14.
    assert table.beside == {"Light": [11.0], "Heavy": [13.0]}
    assert table.ratios() == pytest.approx({"Light": 1.2, "Heavy": 2.4})
    # One floor for the whole run (the median, 12 ms) would have put Light at 1.1x.
    assert table.scene_ms("Light") / table.floor_ms() == pytest.approx(1.1)
    # The lecture: 1.2 * 11 + 2.4 * 13 ms per frame over 11 + 13 ms at the floor.
    assert table.lecture_ratio() == pytest.approx((1.2 * 11 + 2.4 * 13) / 24)
    text = table.markdown()
    assert "| Heavy | 100 | 3.1 | 31.2 | 13.0 | 2.40 |" in text
    assert "| **whole lecture** | 200 | 4.4 | 22.2 | 12.0 | **1.85** |" in text


def test_several_rounds_show_each_rounds_ratio(frame_cost, monkeypatch) -> None:
    monkeypatch.setattr(frame_cost, "Session", FakeSession)
    specs = [SimpleNamespace(path=Path(f"{n}.py"), class_name=n) for n in ("Light", "Heavy")]
    (table,) = frame_cost.measure(specs, ["low"], Path("."), profile=0, runs=2, log=lambda _: None)
    floor = frame_cost.FLOOR_CLASS
    assert FakeSession.last.order == [floor, "Light", floor, "Heavy", floor] * 2
    # The second round starts 5 renders later: floors 15-19 ms per frame.
    assert table.beside == {"Light": [11.0, 16.0], "Heavy": [13.0, 18.0]}
    assert table.round_ratios("Heavy") == pytest.approx([2.4, 2.4])
    text = table.markdown()
    assert "median of the rounds' ratios" in text
    assert "| 2.40 (2.40, 2.40) |" in text
