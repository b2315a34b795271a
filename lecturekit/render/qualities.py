"""Manim's quality presets, by the names the command line accepts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quality:
    """One of Manim's presets: CLI name, Manim flag, config name, resolution and frame rate."""

    name: str
    flag: str
    config_name: str
    width: int
    height: int
    fps: int


QUALITIES: dict[str, Quality] = {
    q.name: q
    for q in (
        Quality("low", "l", "low_quality", 854, 480, 15),
        Quality("medium", "m", "medium_quality", 1280, 720, 30),
        Quality("high", "h", "high_quality", 1920, 1080, 60),
        Quality("production", "p", "production_quality", 2560, 1440, 60),
        Quality("fourk", "k", "fourk_quality", 3840, 2160, 60),
    )
}
