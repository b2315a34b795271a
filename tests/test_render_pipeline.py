"""The scene cache, parallel rendering and stream-copy stitching, tested on real renders.

The test deck ``tests/decks/pipeline`` (scenes of a second or two, see ``tests/fake_decks.py``)
renders at low quality into a temporary media folder; most of the cost is Manim's start-up.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import av
import pytest

from lecturekit.build import build_video
from lecturekit.deck import Deck, load_deck
from lecturekit.render.cache import SceneCache, settings_fingerprint
from lecturekit.render.renderer import longest_first, manim_flags, render_scenes
from lecturekit.render.target import Target
from lecturekit.video.stitch import stitch
from lecturekit.video.validate import VideoError, check_stitched, probe_video
from tests.fake_decks import copy_deck, edit

pytestmark = pytest.mark.render

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return copy_deck("pipeline", tmp_path)


def build(deck: Deck, media: Path, names: list[str], quality: str = "low", jobs: int = 2, **kwargs):
    target = Target(deck, quality, media_dir=media)
    return build_video(
        [deck.by_name(n) for n in names], target, jobs=jobs, on_event=lambda _line: None, **kwargs
    )


def rendered(result) -> list[str]:
    return sorted(r.spec.class_name for r in result.rendered)


def frame_digests(path: Path) -> list[str]:
    """One SHA-256 per decoded frame: equal lists mean pixel-identical videos."""
    with av.open(str(path)) as container:
        return [
            hashlib.sha256(frame.to_ndarray(format="rgb24").tobytes()).hexdigest()
            for frame in container.decode(video=0)
        ]


def test_cache_renders_only_what_changed(deck: Deck, tmp_path: Path) -> None:
    media = tmp_path / "media"
    names = ["Alpha", "Beta"]
    first = build(deck, media, names)
    assert rendered(first) == names
    assert first.video.exists() and not first.failed

    again = build(deck, media, names)
    assert rendered(again) == [] and again.up_to_date

    # A touch that changes no byte is no change: the cache keys on content.
    os.utime(deck.folder / "s_alpha.py")
    assert rendered(build(deck, media, names)) == []

    edit(deck.folder / "s_alpha.py")
    one = build(deck, media, names)
    assert rendered(one) == ["Alpha"]
    assert not one.up_to_date  # the final video was stitched again, from the new Alpha

    edit(deck.folder / "fakestyle.py")  # imported by every scene
    assert rendered(build(deck, media, names)) == names

    # Another quality is another video: rendered anew, the low-quality cache is kept.
    medium = build(deck, media, names, quality="medium")
    assert rendered(medium) == names
    assert probe_video(medium.video).height == 720
    assert rendered(build(deck, media, names)) == []

    assert rendered(build(deck, media, names, force=True)) == names


def test_parallel_output_is_identical_to_serial(deck: Deck, tmp_path: Path) -> None:
    names = ["Alpha", "Beta"]
    serial = build(deck, tmp_path / "serial", names, jobs=1)
    parallel = build(deck, tmp_path / "parallel", names, jobs=2)
    assert [r.spec.key for r in serial.results] == [r.spec.key for r in parallel.results]
    assert [r.facts.frames for r in serial.results] == [r.facts.frames for r in parallel.results]
    assert [c.end for c in serial.chapters] == [c.end for c in parallel.chapters]
    assert frame_digests(serial.video) == frame_digests(parallel.video)


def test_stitch_is_a_stream_copy_of_the_scenes(deck: Deck, tmp_path: Path) -> None:
    result = build(deck, tmp_path / "media", ["Alpha", "Beta"])
    scenes = [r.facts for r in result.results]
    stitched = probe_video(result.video)
    assert stitched.frames == sum(s.frames for s in scenes)
    # check_stitched compares each scene's packets byte for byte: a re-encode would fail it.
    check_stitched(result.video, scenes, "low")
    with av.open(str(result.video)) as container:
        titles = [c["metadata"]["title"] for c in container.chapters()]
    assert titles == ["Alpha", "Beta"]
    # The moov atom comes first (faststart): a browser plays while downloading.
    data = result.video.read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat")


def test_stitched_check_rejects_a_damaged_video(deck: Deck, tmp_path: Path) -> None:
    result = build(deck, tmp_path / "media", ["Alpha", "Beta"])
    scenes = [r.facts for r in result.results]
    data = bytearray(result.video.read_bytes())
    damaged = tmp_path / "damaged.mp4"
    mdat = data.find(b"mdat")
    data[mdat + 64 : mdat + 80] = bytes(16)  # zero a few coded bytes of the first frame
    damaged.write_bytes(bytes(data))
    with pytest.raises(VideoError, match="differ|decode"):
        check_stitched(damaged, scenes, "low")
    with pytest.raises(VideoError, match="frames"):
        check_stitched(result.video, scenes[:1], "low")  # a scene too many in the file
    with pytest.raises(VideoError, match="480"):
        check_stitched(result.video, scenes, "medium")


def test_render_times_drive_longest_first_scheduling(deck: Deck, tmp_path: Path) -> None:
    target = Target(deck, "low", media_dir=tmp_path / "media")
    a, b, boom, slow = (deck.by_name(n) for n in ("Alpha", "Beta", "Boom", "Slow"))
    render_scenes([a, b], target, jobs=2, on_event=lambda _line: None)
    times = SceneCache(target).render_times()
    assert set(times["low"]) == {a.key, b.key}
    assert all(t > 0 for t in times["low"].values())

    measured = {"low": {a.key: 2.0, b.key: 9.0, slow.key: 5.0}}
    # Never timed first, then longest first; ties keep the deck's order.
    assert longest_first([a, b, boom, slow], measured, "low", "dark") == [boom, b, slow, a]
    # Among scenes never timed, the longer source file first, else the deck's order.
    (deck.folder / "s_slow.py").write_text((deck.folder / "s_slow.py").read_text() + "#" * 2000)
    assert longest_first([b, slow], {}, "low", "dark") == [slow, b]
    # A time at another quality is scaled by the pixel rate (medium: 720p30 = 4.5x 480p15).
    order = longest_first([a, b], {"medium": {a.key: 40.0}, "low": {b.key: 9.0}}, "low", "dark")
    assert order == [b, a]


def test_final_path_names_slug_quality_and_theme(tmp_path: Path) -> None:
    vae = load_deck(REPO / "scenes")
    assert Target(vae, "low", media_dir=tmp_path).video.name == "vae-derivation-low.mp4"
    assert Target(vae, "high", "light", tmp_path).video.name == "vae-derivation-high-light.mp4"
    assert Target(vae, "high").video == REPO / "media" / "vae-derivation-high.mp4"
    part = Target(vae, "low", media_dir=tmp_path, part="scenes-05")
    assert part.video.name == "vae-derivation-low-scenes-05.mp4"
    assert part.handout.name == "vae-derivation-handout-scenes-05.pdf"


def test_recorded_inputs_of_a_real_scene_are_its_import_closure(tmp_path: Path) -> None:
    # The worker's recorder, around importing slide 1 and reading one project file: the
    # inputs are the deck and kit modules it imports (style, lecture, numerics) and the file
    # it read; not installed packages, not the media folder, not byte code.
    script = (
        "import sys\n"
        "from lecturekit.render.worker import DependencyRecorder\n"
        f"recorder = DependencyRecorder([{str(REPO)!r}], [{str(REPO / 'media')!r}])\n"
        "sys.addaudithook(recorder.audit)\n"
        "import scenes.s01_latent_variable_model\n"
        f"open({str(REPO / 'pyproject.toml')!r}).read()\n"
        "print('\\n'.join(recorder.files()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    files = {Path(f).relative_to(REPO).as_posix() for f in out}
    assert {
        "scenes/s01_latent_variable_model.py",
        "lecturekit/scene/style.py",
        "lecturekit/scene/lecture.py",
        "lecturekit/deck.py",
        "lecturekit/theme.py",
        "scenes/numerics/__init__.py",
        "scenes/numerics/toy_model.py",
        "pyproject.toml",
    } <= files
    assert not any(f.startswith((".venv", "media")) or "__pycache__" in f for f in files)
    assert "lecturekit/render/worker.py" not in files  # the worker is machinery, not input


def test_render_cli_and_deck_reading_start_without_loading_manim() -> None:
    # Loading Manim costs ~0.5 s; a re-run with nothing changed took 0.7 s with it and 0.2 s
    # without. Only the scene workers need Manim; the CLI, reading a deck, its cache lookups
    # and the remembered preflight checks must not import it.
    script = (
        "import sys\n"
        "import lecturekit.cli, lecturekit.build, lecturekit.outputs.files\n"
        "import lecturekit.render.preflight\n"
        "from lecturekit.deck import load_deck\n"
        "deck = load_deck('scenes'); deck.theme('light'); deck.scenes[3].label\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'manim'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def _tiny_video(path: Path, frames: int, shade: int, size: tuple[int, int] = (64, 64)) -> None:
    """A few flat H.264 frames at 15 fps, written with PyAV (no Manim: milliseconds)."""
    import numpy as np

    width, height = size
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for k in range(frames):
            image = np.full((height, width, 3), (shade + 7 * k) % 256, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())


def test_stitch_handles_quotes_and_spaces_in_paths(tmp_path: Path) -> None:
    folder = tmp_path / "Dr O'Brien's lectures"
    folder.mkdir()
    parts = [folder / "one 'a'.mp4", folder / "two.mp4"]
    _tiny_video(parts[0], 10, 40)
    _tiny_video(parts[1], 12, 160)
    out = folder / "joined.mp4"
    stitch(parts, out)
    assert probe_video(out).frames == 22
    assert frame_digests(out) == frame_digests(parts[0]) + frame_digests(parts[1])


def test_input_saved_during_the_render_is_not_trusted(deck: Deck, tmp_path: Path) -> None:
    # Editor saves a change to the deck's fakestyle.py halfway through its own render, as a
    # lecturer might: its video shows the style as it was, so the cache must not vouch for
    # it under the content now on disk.
    target = Target(deck, "low", media_dir=tmp_path / "media")
    assert rendered(build(deck, target.media, ["Editor"])) == ["Editor"]
    settings = settings_fingerprint(target, manim_flags("low"))
    lookup = SceneCache(target).lookup(deck.by_name("Editor"), settings)
    assert not lookup.hit and "fakestyle.py changed" in lookup.reason


def test_stitched_check_accepts_parameter_sets_repeated_at_each_splice(tmp_path: Path) -> None:
    # Files whose SPS/PPS live only in the MP4 header get them repeated in-band in front of
    # each segment by the concat demuxer: the pictures are untouched and the check must pass
    # (it compared whole packets at first and rejected every such stitch).
    parts = []
    for k, frames in enumerate([12, 20, 9, 16, 25, 11, 14, 18, 10, 22, 13, 17, 15]):
        parts.append(tmp_path / f"{k:02d}.mp4")
        _tiny_video(parts[-1], frames, 19 * k, size=(854, 480))
    out = tmp_path / "joined.mp4"
    stitch(parts, out)
    with av.open(str(out)) as container:
        first = next(p for p in container.demux(video=0) if p.size)
    with av.open(str(parts[0])) as container:
        original = next(p for p in container.demux(video=0) if p.size)
    assert first.size > original.size  # the parameter sets were added in-band
    check_stitched(out, [probe_video(p) for p in parts], "low")
