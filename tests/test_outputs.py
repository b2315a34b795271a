"""What a lecturer gets beside the video: captions, chapters, web-safe encoding, poster,
storyboard and per-scene files.

Most tests read the outputs of one real build of the three-scene test deck
(``tests/lecture_build.py``); the caption-merging rules are also tested on made-up cues.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from lecturekit.outputs import frames as frames_module
from lecturekit.outputs.files import LectureOutputs, write_frames_only, write_lecture_outputs
from lecturekit.outputs.frames import Frame, caption_at, capture_scene, section_frames
from lecturekit.outputs.storyboard import COLUMNS, GAP, MARGIN, THUMB_WIDTH, frame_label
from lecturekit.render.target import Target
from lecturekit.theme import PALETTES
from lecturekit.video.captions import Cue, merge_cues, read_srt, read_vtt, to_srt, to_vtt
from lecturekit.video.chapters import read_chapters_vtt
from lecturekit.video.sections import last_frame, scene_steps
from lecturekit.video.stitch import video_duration
from tests.lecture_build import QUALITY, THEME, LectureBuild, lecture_build

pytestmark = pytest.mark.render

FPS = 15  # low quality
ONE_FRAME = 1 / FPS


@pytest.fixture(scope="module")
def lecture(tmp_path_factory: pytest.TempPathFactory) -> LectureBuild:
    return lecture_build(tmp_path_factory)


def output(lecture: LectureBuild, suffix: str) -> Path:
    path = lecture.target.lecture_file(suffix)
    assert path.exists(), f"{path.name} was not written"
    return path


def write_outputs_again(
    lecture: LectureBuild, on_event: Callable[[str], None] = lambda _: None
) -> LectureOutputs:
    """Write the lecture's captions, chapters, poster and storyboard again from its build."""
    build = lecture.build
    return write_lecture_outputs(
        build.results, build.chapters, build.video, lecture.target, on_event=on_event
    )


def scene_files(lecture: LectureBuild) -> list[Path]:
    return [lecture.target.scene_file(s) for s in lecture.specs]


def background(theme: str) -> str:
    return PALETTES[theme].background


# -- Captions ---------------------------------------------------------------------------------


def test_merge_shifts_each_scene_by_the_durations_before_it() -> None:
    merged = merge_cues(
        [
            ([Cue(0.5, 1.0, "a")], 2.0),
            ([Cue(0.0, 1.5, "b"), Cue(1.5, 3.0, "c")], 3.0),
        ]
    )
    assert merged == [Cue(0.5, 1.0, "a"), Cue(2.0, 3.5, "b"), Cue(3.5, 5.0, "c")]


def test_merge_clips_to_the_scene_resolves_overlaps_and_sorts() -> None:
    merged = merge_cues(
        [
            # out of order, overlapping, one running past the scene's end, one empty
            ([Cue(1.0, 2.5, "late"), Cue(0.0, 1.4, "early"), Cue(0.2, 0.3, " ")], 2.0),
            ([Cue(0.0, 1.0, "next scene")], 1.0),
        ]
    )
    assert [c.text for c in merged] == ["early", "late", "next scene"]
    assert merged[1] == Cue(1.4, 2.0, "late")  # starts when "early" ends, ends with its scene
    assert merged[2].start == 2.0


def test_srt_and_vtt_round_trip(tmp_path: Path) -> None:
    cues = [Cue(0.0, 1.25, "one"), Cue(61.5, 3725.125, "two\nlines")]
    assert to_vtt(cues).startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.250\none")
    assert "01:02:05.125" in to_vtt(cues)
    for text, reader in ((to_srt(cues), read_srt), (to_vtt(cues), read_vtt)):
        path = tmp_path / "captions.txt"
        path.write_text(text, encoding="utf-8")
        assert reader(path) == cues


def test_captions_in_both_formats_cover_every_scene_in_order(lecture: LectureBuild) -> None:
    srt_cues = read_srt(output(lecture, ".srt"))
    vtt_cues = read_vtt(output(lecture, ".vtt"))
    assert len(srt_cues) == len(vtt_cues) == 5  # 1 + 3 + 1 captions in the fake scenes
    for a, b in zip(srt_cues, vtt_cues, strict=True):
        assert a.text == b.text
        assert abs(a.start - b.start) < 1e-3 and abs(a.end - b.end) < 1e-3

    length = video_duration(lecture.build.video)
    for cue in srt_cues:
        assert 0 <= cue.start < cue.end <= length + 1e-3
    for before, after in zip(srt_cues, srt_cues[1:], strict=False):
        assert before.end <= after.start + 1e-3, (before, after)


def test_each_cue_sits_at_its_scene_offset(lecture: LectureBuild) -> None:
    merged = read_srt(output(lecture, ".srt"))
    offset = 0.0
    for video in scene_files(lecture):
        own = read_srt(video.with_suffix(".srt"))
        duration = video_duration(video)
        mine = [c for c in merged if offset - 1e-3 <= c.start < offset + duration - 1e-3]
        assert [c.text for c in mine] == [c.text for c in own]
        for m, o in zip(mine, own, strict=True):
            assert m.start == pytest.approx(offset + o.start, abs=2e-3)
            assert m.end == pytest.approx(min(offset + o.end, offset + duration), abs=2e-3)
        offset += duration


# -- Chapters ---------------------------------------------------------------------------------


def test_chapters_in_the_mp4_and_the_vtt_file(lecture: LectureBuild) -> None:
    durations = [video_duration(v) for v in scene_files(lecture)]
    starts = np.concatenate([[0.0], np.cumsum(durations)[:-1]])
    titles = [s.title for s in lecture.specs]

    with av.open(str(lecture.build.video)) as container:
        embedded = container.chapters()
    assert [c["metadata"]["title"] for c in embedded] == titles
    for chapter, start in zip(embedded, starts, strict=True):
        assert float(chapter["start"] * chapter["time_base"]) == pytest.approx(start, abs=ONE_FRAME)

    from_vtt = read_chapters_vtt(output(lecture, "-chapters.vtt"))
    assert [c.title for c in from_vtt] == titles
    for chapter, start, duration in zip(from_vtt, starts, durations, strict=True):
        assert chapter.start == pytest.approx(start, abs=ONE_FRAME)
        assert chapter.end == pytest.approx(start + duration, abs=ONE_FRAME)


# -- Encoding ---------------------------------------------------------------------------------


def top_level_atoms(path: Path) -> list[str]:
    """The MP4's top-level box types, in file order."""
    atoms, data = [], path.read_bytes()
    i = 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        if size == 1:
            size = struct.unpack(">Q", data[i + 8 : i + 16])[0]
        elif size == 0:
            size = len(data) - i
        atoms.append(kind.decode("latin-1"))
        i += size
    return atoms


def test_video_is_web_safe(lecture: LectureBuild) -> None:
    with av.open(str(lecture.build.video)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.profile == "High"
        assert stream.codec_context.pix_fmt == "yuv420p"
    atoms = top_level_atoms(lecture.build.video)
    assert "moov" in atoms and "mdat" in atoms
    assert atoms.index("moov") < atoms.index("mdat"), f"no fast start: {atoms}"


def test_atom_reader_sees_a_late_moov(lecture: LectureBuild) -> None:
    # Manim's own scene files put moov last: the check above must be able to fail.
    manim_file = lecture.build.results[0].video
    atoms = top_level_atoms(manim_file)
    assert atoms.index("moov") > atoms.index("mdat")


# -- Poster and storyboard --------------------------------------------------------------------


def assert_not_blank(image: Image.Image, background: str) -> None:
    pixels = np.asarray(image.convert("RGB"), dtype=float)
    bg = np.array(Image.new("RGB", (1, 1), background).getpixel((0, 0)), dtype=float)
    drawn = np.abs(pixels - bg).sum(axis=2) > 30
    assert drawn.mean() > 0.01, f"only {drawn.mean():.2%} of the pixels differ from background"


def test_poster_is_the_title_cards_last_frame(lecture: LectureBuild) -> None:
    poster = Image.open(output(lecture, "-poster.png"))
    assert poster.size == (854, 480)
    assert_not_blank(poster, background(THEME))
    title_card = decoded_frames(scene_files(lecture)[0])[-1]
    assert np.abs(np.asarray(poster, float) - title_card).mean() < 1.0


def decoded_frames(video: Path) -> list[np.ndarray]:
    """Every frame, decoded from the start (the slow, obviously right way)."""
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24").astype(float) for f in container.decode(video=0)]


def test_last_frame_seeks_to_the_true_last_frame(lecture: LectureBuild) -> None:
    video = scene_files(lecture)[1]  # 2.5 s: long enough for last_frame to seek
    assert video_duration(video) > 2.0
    frames = decoded_frames(video)
    fast = np.asarray(last_frame(video).convert("RGB"), float)
    assert np.abs(fast - frames[-1]).max() == 0
    assert np.abs(frames[-1] - frames[len(frames) // 2]).max() > 0  # frames do differ


def test_storyboard_shows_every_scene_on_the_theme(lecture: LectureBuild) -> None:
    sheet = Image.open(output(lecture, "-storyboard.png"))
    width = 2 * MARGIN + COLUMNS * THUMB_WIDTH + (COLUMNS - 1) * GAP
    thumb_h = round(THUMB_WIDTH * 480 / 854)
    assert sheet.width == width
    assert sheet.height > len(lecture.specs) * thumb_h  # one row of key frames per scene, here
    assert sheet.getpixel((2, 2)) == Image.new("RGB", (1, 1), background(THEME)).getpixel((0, 0))
    assert_not_blank(sheet, background(THEME))


def test_storyboard_only_needs_no_video(
    lecture: LectureBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.perf_counter()
    events: list[str] = []
    light = Target(lecture.deck, QUALITY, "light", tmp_path)
    written = write_frames_only(
        lecture.specs, light, storyboard=True, handout=False, on_event=events.append
    )
    seconds = time.perf_counter() - started
    assert written == [tmp_path / "fake-lecture-low-light-storyboard.png"]
    assert all(", headless, " in e for e in events) and len(events) == 3  # nothing rendered
    assert not list(tmp_path.glob("*.mp4")) and not (tmp_path / "build").exists()
    sheet = Image.open(written[0])
    assert_not_blank(sheet, background("light"))
    assert seconds < 60


def test_storyboard_only_reuses_unchanged_renders(lecture: LectureBuild) -> None:
    built = np.asarray(Image.open(output(lecture, "-storyboard.png")).convert("RGB"), float)
    events: list[str] = []
    written = write_frames_only(
        lecture.specs, lecture.target, storyboard=True, handout=False, on_event=events.append
    )
    assert all(", from its render, " in e for e in events) and len(events) == 3
    # The build's sheet again, pixel for pixel below the subtitle line (which differs).
    again = np.asarray(Image.open(written[0]).convert("RGB"), float)
    assert again.shape == built.shape
    band = built.shape[0] // 5
    assert np.abs(again[band:] - built[band:]).max() == 0

    # Asked for another quality (the handout has none in its name), the low render serves.
    events.clear()
    write_frames_only(
        lecture.specs,
        lecture.target.at("medium"),
        storyboard=False,
        handout=True,
        on_event=events.append,
    )
    assert all(", from its render, " in e for e in events) and len(events) == 3


def test_storyboard_decodes_only_scenes_whose_render_changed(
    lecture: LectureBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After a build each scene's key frames are remembered beside its cached video, so the
    # next build's storyboard decodes only the scenes it rendered anew (a one-scene re-run
    # costs that scene, not the whole storyboard).
    storyboard = output(lecture, "-storyboard.png")
    original = storyboard.read_bytes()
    built = np.asarray(Image.open(storyboard).convert("RGB"), float)
    decoded: list[Path] = []
    real_last_frame = frames_module.last_frame

    def counting_last_frame(video: Path) -> Image.Image:
        decoded.append(video)
        return real_last_frame(video)

    monkeypatch.setattr(frames_module, "last_frame", counting_last_frame)
    results = lecture.build.results
    try:
        write_outputs_again(lecture)
        assert decoded == []  # every scene's frames came from its remembered thumbnails
        again = np.asarray(Image.open(storyboard).convert("RGB"), float)
        band = built.shape[0] // 5  # the subtitle line above may differ
        assert np.abs(again[band:] - built[band:]).max() == 0

        # A scene whose captions changed (as after an edit and a re-render) is decoded again.
        changed = results[1]
        srt = changed.captions
        assert srt is not None
        text = srt.read_text()
        srt.write_text(text.replace("First beat", "First  beat"))
        try:
            write_outputs_again(lecture)
        finally:
            srt.write_text(text)
        steps = scene_steps(changed)
        assert decoded == [step.source for step in steps]
    finally:
        storyboard.write_bytes(original)


def test_outputs_survive_a_cache_entry_without_sections(lecture: LectureBuild) -> None:
    # A cache entry without its section videos (damaged, or older than sections in the cache):
    # the storyboard takes that scene's key frames headless rather than failing the build.
    result = lecture.build.results[2]
    sections = result.sections.parent
    hidden = sections.with_name("sections-hidden")
    storyboard = output(lecture, "-storyboard.png")
    original = storyboard.read_bytes()  # other tests compare against the build's sheet
    sections.rename(hidden)
    events: list[str] = []
    try:
        out = write_outputs_again(lecture, on_event=events.append)
        assert any("headless instead" in e and result.spec.key in e for e in events)
        assert_not_blank(Image.open(out.storyboard), background(THEME))
    finally:
        hidden.rename(sections)
        storyboard.write_bytes(original)


def test_key_frames_carry_their_beats_caption(lecture: LectureBuild) -> None:
    result = lecture.build.results[1]  # StepsOne: two key frames, then a tail
    rendered = section_frames(result)
    headless = capture_scene(result.spec, THEME)
    beats = ["First beat: a square.", "Second beat: a triangle."]
    assert [f.caption for f in rendered.frames] == [*beats, "A tail after the last key frame."]
    assert [(f.name, f.caption) for f in headless.frames] == list(
        zip(["square", "triangle"], beats, strict=True)
    )
    # Both ways give the same pictures of the key frames.
    for a, b in zip(rendered.frames, headless.frames, strict=False):
        diff = np.abs(np.asarray(a.image, float) - np.asarray(b.image, float))
        assert diff.mean() < 2.0, a.name


def test_frame_labels_number_each_key_frame_once() -> None:
    picture = Image.new("RGB", (4, 4))
    assert (
        frame_label(2, Frame("split", 1.0, picture, "Multiply and divide by q."))
        == "2. Multiply and divide by q."
    )
    # The summary's captions are a numbered list of their own: one number, not "1. 1. ...".
    assert (
        frame_label(1, Frame("goal", 1.0, picture, "1. The goal: maximize log p(x)."))
        == "1. The goal: maximize log p(x)."
    )
    assert frame_label(3, Frame("tail", 1.0, picture)) == "3. tail"


def test_caption_at_reads_through_millisecond_rounding() -> None:
    cues = [(4.266, 8.733, "joint"), (8.733, 13.2, "marginal")]  # SubRip-truncated times
    assert caption_at(cues, 131 / 15) == "joint"  # the key frame at 8.7333 s closes "joint"
    assert caption_at(cues, 13.2) == "marginal"
    assert caption_at(cues, 2.0) == ""


# -- Per-scene files --------------------------------------------------------------------------


def test_per_scene_files_for_embedding_one_step_at_a_time(lecture: LectureBuild) -> None:
    folder = lecture.target.scenes_dir
    names = sorted(p.name for p in folder.iterdir())
    expected = sorted(
        f"{s.key}{suffix}" for s in lecture.specs for suffix in (".mp4", ".srt", ".vtt")
    )
    assert names == expected
    assert names[0].startswith("00-fake-title")
    for spec in lecture.specs:
        srt, vtt = read_srt(folder / f"{spec.key}.srt"), read_vtt(folder / f"{spec.key}.vtt")
        assert [c.text for c in vtt] == [c.text for c in srt] and vtt


# -- Command line -----------------------------------------------------------------------------


def test_cli_slides_from_the_cached_build(lecture: LectureBuild) -> None:
    from click.testing import CliRunner

    from lecturekit.cli import main

    result = CliRunner().invoke(
        main,
        [
            "--deck",
            str(lecture.deck.folder),
            "--quality",
            QUALITY,
            "--slides",
            "--jobs",
            "1",
            "--media-dir",
            str(lecture.media),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"slides: {lecture.slides_index}" in result.output
    assert "0 of 3 scenes rendered" in result.output  # the session's build, from the cache


def test_cli_frames_only_and_usage_errors(lecture: LectureBuild, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lecturekit.cli import main

    runner = CliRunner()
    deck = ["--deck", str(lecture.deck.folder)]
    result = runner.invoke(
        main,
        [
            *deck,
            "--storyboard-only",
            "--handout",
            "--quality",
            QUALITY,
            "--scene",
            "Card",
            "--media-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    # One scene of the three: the files say so, and never replace the whole lecture's.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fake-lecture-handout-scenes-00.pdf",
        "fake-lecture-low-scenes-00-storyboard.png",
    ]
    both = runner.invoke(main, [*deck, "--slides", "--handout", "--media-dir", str(tmp_path)])
    assert both.exit_code == 2 and "two commands" in both.output
