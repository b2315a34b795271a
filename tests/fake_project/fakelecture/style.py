"""Shared look of the fake lecture: every scene imports it, as real scenes import scenes.style."""

COLOUR = "#58C4DD"
SECONDS = 1.0
