"""Shared look of the fake deck: every scene imports it, as real scenes import their deck's modules."""

COLOUR = "#58C4DD"
SECONDS = 1.0
