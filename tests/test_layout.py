"""After every animation of every scene, text stays in the safe area and never overlaps."""

from __future__ import annotations

import pytest

from tests.vae_deck import SCENES


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_layout(spec, scene_run):
    problems = scene_run(spec).problems
    assert not problems, f"{len(problems)} layout problems:\n" + "\n".join(problems[:20])
