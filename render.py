#!/usr/bin/env python3
"""Render the lecture video: `python render.py --quality high` (see `--help`).

The lecture is the deck in `scenes/` (its `deck.toml`); `--deck DIR` renders another deck.
"""

import sys
from pathlib import Path

DEFAULT_DECK = Path(__file__).resolve().parent / "scenes"

try:
    from lecturekit.cli import main
except ImportError as error:  # run outside the project's environment
    sys.exit(
        f"render.py needs the project's Python environment ({error.name or error} is missing).\n"
        "Set it up with `make setup` (or `make video`), then run `.venv/bin/python render.py`."
    )

if __name__ == "__main__":
    main(default_map={"deck": str(DEFAULT_DECK)})
