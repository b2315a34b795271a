"""The lecture this repository ships: the deck in ``scenes/``, as the tests parametrise it."""

from pathlib import Path

from lecturekit.deck import load_deck

REPO = Path(__file__).resolve().parent.parent
DECK = load_deck(REPO / "scenes")
SCENES = DECK.scenes
