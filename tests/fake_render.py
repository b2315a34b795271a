"""``python tests/fake_render.py PROJECT_ROOT [render.py options]``: the real CLI, fake scenes.

The registry is replaced by the fake scenes of the project at PROJECT_ROOT (see
``tests/fake_scenes.py``) and their folder counts as the project's source; everything else is
``render.py`` as a lecturer runs it. The tests run it as a subprocess so they can interrupt it
and run two at once.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import build, cli  # noqa: E402
from scenes import registry  # noqa: E402
from tests.fake_scenes import fake_specs  # noqa: E402

if __name__ == "__main__":
    root = Path(sys.argv.pop(1)).resolve()
    registry.SCENES = tuple(fake_specs(root).values())
    cli.build_video = functools.partial(build.build_video, source_roots=(root,))
    cli.main(prog_name="render.py")
