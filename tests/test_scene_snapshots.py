"""Every registered scene's key frames match their reviewed reference PNGs."""

from __future__ import annotations

import pytest

from tests.vae_deck import SCENES

from .snapshots import SNAPSHOT_DIR, check_frame, reference_path

MIN_KEY_FRAMES = 3


@pytest.mark.parametrize("spec", SCENES, ids=lambda s: s.class_name)
def test_snapshot(spec, scene_run, update_snapshots):
    run = scene_run(spec)
    names = [kf.name for kf in run.key_frames]
    assert len(names) == len(set(names)), f"key frame names repeat: {names}"
    assert len(names) >= MIN_KEY_FRAMES + 1, (
        f"{spec.class_name} marks {len(names) - 1} key frames; at least {MIN_KEY_FRAMES} needed"
    )
    failures = [
        msg
        for kf in run.key_frames
        if (
            msg := check_frame(
                kf.pixels, reference_path(spec.class_name, kf.name), update_snapshots
            )
        )
    ]
    folder = SNAPSHOT_DIR / spec.class_name
    stale = sorted(
        p.name
        for p in folder.glob("*.png")
        if not p.name.endswith((".obtained.png", ".diff.png")) and p.stem not in names
    )
    if update_snapshots:
        for name in stale:
            (folder / name).unlink()
    else:
        assert not stale, f"references without a key frame (remove or rename): {stale}"
    assert not failures, "\n".join(failures)
