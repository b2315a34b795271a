"""Render scenes to MP4 with Manim: cached, in parallel processes here or on a Dask cluster,
long scenes split where that pays, interruptible.

- **Cache.** A scene whose inputs did not change is not rendered (:mod:`lecturekit.render.cache`).
- **Processes.** Each scene renders in its own worker process (:mod:`lecturekit.render.worker`,
  which runs Manim's own CLI), in its own process group and media folder
  (:meth:`Target.build_dir <lecturekit.render.target.Target.build_dir>`): parallel workers
  never share Manim's ``Tex`` folder (Manim deletes non-SVG files there after each formula,
  which would break a neighbour's half-made ``.dvi``), and stopping a worker's group also stops
  its LaTeX.
- **Where.** By default ``jobs`` processes on this machine (:class:`LocalExecutor`), in place.
  With a Dask scheduler (:class:`DaskExecutor`) each scene's job carries the deck's and the
  kit's files and the scene's LaTeX SVGs, runs in a temporary folder on a worker, and sends back
  the video, captions, sections, new SVGs, report and log; they are checked (tool versions,
  names, sizes, hashes, the video against the worker's report) and published atomically into
  the scene's build folder, and from there everything goes on as for a local render.
- **Scheduling.** Longest scene first, from the render times measured last time
  (``Target.render_times``). With a previous render's per-call times, a long scene is split
  into chunks rendered at once (:mod:`lecturekit.render.split`) where that shortens the whole
  render; the chunks are checked to join seamlessly, else the scene is rendered whole.
- **Narration** (``target.narration``: ``render.py --narration``): each local job's worker
  gets the narration pacer (``--narration``, :mod:`lecturekit.narration.pacer`), which speaks
  every beat and holds it until said, and writes what was said beside the video; the record is
  cached with the video. A narrated scene is never split (its beats last as long as their
  speech, so where a call starts depends on every sentence before it), and a narrated render
  on a Dask cluster is refused up front (:func:`check_narration_executor`).
- **Failures** are isolated: a scene that raises is reported (first line of its error, path
  of its full log) and the others finish and are cached. It is not rendered again in the run.
- **Interruptions** (Ctrl-C, SIGTERM, SIGHUP): every job's process group is stopped, here and
  on every worker, no final file is touched, and what finished is already in the cache.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from lecturekit.atomic import atomic_path
from lecturekit.deck import KIT_ROOT, SceneSpec
from lecturekit.theme import THEME_ENV_VAR
from lecturekit.video.stitch import stitch
from lecturekit.video.validate import (
    VideoError,
    VideoFacts,
    check_stitched,
    file_sha256,
    probe_video,
)

from .cache import SceneCache, settings_fingerprint
from .executors import LOCAL, Executor, LocalExecutor
from .framehook import DROP_CALL_ENV
from .jobs import (
    JobResult,
    RenderJob,
    UnsafeFileError,
    check_relative_path,
    check_report_video,
    load_inputs,
    publish_files,
)
from .progress import ProgressModel, View
from .qualities import QUALITIES
from .result import RenderResult
from .split import SceneProfile, check_seams, chunk_argument, join_sections, plan_splits
from .target import Target, variant
from .versions import tool_versions

# Manim's own partial-movie cache is bypassed (--disable_caching), deliberately:
# - the scene cache above it already skips every unchanged scene, and a scene that did change
#   usually changed through shared code (style, numerics) that changes every animation's hash;
# - Manim writes each partial movie straight to its hash-named final path, so a render killed
#   mid-animation leaves a truncated file that the next run would trust and stitch;
# - it buys nothing measurable: slide 1 at low quality re-rendered in 13.6-15.1 s with every
#   animation a partial-cache hit and in 13.5-14.7 s with --disable_caching (2 runs each,
#   shared machine, load ~7); construct() and hashing remain either way. What does pay is
#   LaTeX: the same render with an empty Tex folder took 22.4-23.1 s. Each scene's build
#   folder keeps its Tex folder between runs, so re-renders skip LaTeX.
MANIM_FLAGS = (
    "--progress_bar",
    "none",
    "--silent",
    "--no_latex_cleanup",
    "--disable_caching",
    # One section video per key frame (LectureScene.key_frame starts a section):
    # the presenter page (lecturekit.outputs.slides) plays them one by one.
    "--save_sections",
    # x264 settings chosen on the lecture's own frames (BENCHMARKS.md, "Per-frame cost"):
    # preset veryfast with tune animation encodes in 0.80x the time of Manim's default
    # (preset medium) into 0.90x the bytes, 0.6 dB PSNR below it (crf 23 either way).
    # Still H.264 High, yuv420p; the stitch adds fast start.
    "--encoder-option",
    "preset=veryfast",
    "--encoder-option",
    "tune=animation",
)


NARRATION_EXECUTOR_ERROR = (
    "--narration cannot be combined with --executor yet: a narrated scene speaks as it "
    "renders, so its worker would need the Piper engine, the voice model and the speech cache, "
    "and would have to send every new sentence's clip back for the audio mixed here; render "
    "the narrated version on this machine (--executor local, the default)"
)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived; handled like Ctrl-C (a KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Terminated` inside the block (main thread only),
    so they unwind like Ctrl-C: workers stopped, temporary files removed."""

    def raise_terminated(signum, _frame):
        raise Terminated(signum)

    wanted = (signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else (signal.SIGTERM,)
    try:
        previous = {s: signal.signal(s, raise_terminated) for s in wanted}
    except ValueError:  # not the main thread: leave the handlers alone
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# Every scene process hashes strings with one seed. Python picks a random one per process by
# default, and Manim iterates sets and dicts of strings (TransformMatchingTex pairs the parts
# of two formulas through them): two renders of slide 7 then differed in the middle of an
# animation (49-72 pixels in a frame; the key frames at the ends of beats were equal). With
# one seed every render of a scene gives the same frames, here, on a worker, in a chunk.
SCENE_ENV = {"PYTHONHASHSEED": "0"}


def manim_flags(quality: str) -> list[str]:
    """The ``manim render`` options the pipeline uses (media folder aside)."""
    return [f"-q{QUALITIES[quality].flag}", *MANIM_FLAGS]


def manim_command(spec: SceneSpec, quality: str, media: Path) -> list[str]:
    """The plain Manim CLI call (``manim render ...``) that renders ``spec`` into ``media``."""
    return [
        sys.executable,
        "-m",
        "manim",
        "render",
        *manim_flags(quality),
        "--media_dir",
        str(media),
        str(spec.path),
        spec.class_name,
    ]


def estimate_seconds(
    spec: SceneSpec, times: dict[str, dict[str, float]], quality: str, theme: str
) -> float | None:
    """How long ``spec`` will take: its last time at this variant, else its time at another
    quality scaled by the pixel rate, else ``None`` (unknown)."""
    own = times.get(variant(quality, theme), {}).get(spec.key)
    if own is not None:
        return own
    q = QUALITIES[quality]
    for other in QUALITIES.values():
        seconds = times.get(variant(other.name, theme), {}).get(spec.key)
        if seconds is not None:
            return seconds * (q.width * q.height * q.fps) / (other.width * other.height * other.fps)
    return None


def longest_first(
    specs: Sequence[SceneSpec], times: dict[str, dict[str, float]], quality: str, theme: str
) -> list[SceneSpec]:
    """Scheduling order: scenes never timed first (they may be long; the longer source file
    first), then longest first by measured time."""

    def rank(indexed: tuple[int, SceneSpec]) -> tuple[float, float, int]:
        k, spec = indexed
        seconds = estimate_seconds(spec, times, quality, theme)
        if seconds is not None:
            return (0.0, -seconds, k)
        try:
            size = spec.path.stat().st_size
        except OSError:
            size = 0
        return (-1.0, -size, k)

    return [spec for _, spec in sorted(enumerate(specs), key=rank)]


def log_path(target: Target, spec: SceneSpec) -> Path:
    """The full log of a scene's last render."""
    return target.build_dir(spec) / "render.log"


#: What a worker on another machine sends back, relative to its job folder: Manim's output
#: in ``build/`` (the scene's media folder there), without its per-animation segments.
REMOTE_RETURNS = (
    "build/videos/*/*/*.mp4",
    "build/videos/*/*/*.srt",
    "build/videos/*/*/sections/*",
    "build/Tex/*.svg",
    "build/report.json",
    "build/render.log",
)


@dataclass(frozen=True)
class _Part:
    """A job of this run: a whole scene (``k`` None) or chunk ``k`` of its ``ranges``."""

    spec: SceneSpec
    k: int | None = None
    ranges: tuple[tuple[int, int], ...] = ()

    @property
    def key(self) -> str:
        return (
            self.spec.key
            if self.k is None
            else f"{self.spec.key} [{self.k + 1}/{len(self.ranges)}]"
        )


class _JobMaker:
    """Turns a scene (or chunk) into a :class:`RenderJob`: in place here, or self-contained."""

    def __init__(self, target: Target, remote: bool) -> None:
        self.target, self.remote = target, remote
        self.flags = manim_flags(target.quality)
        self.deck = target.deck
        self.versions = tool_versions() if remote else None
        self.shipped: dict[str, bytes] = self._shipped() if remote else {}

    def media(self, part: _Part) -> Path:
        """Where the part's Manim output is (or is published) on this machine."""
        spec = part.spec
        return (
            self.target.build_dir(spec) if part.k is None else self.target.chunk_dir(spec, part.k)
        )

    def _shipped(self) -> dict[str, bytes]:
        # The kit and the deck as the worker sees them: kit/lecturekit/..., deck/<import root>/...
        root = self.deck.import_root
        wanted = [self.deck.folder, *self.deck.data]
        deck = load_inputs(
            root,
            [Path(p).relative_to(root).as_posix() for p in wanted],
            under="deck",
            exclude=[self.target.media],
        )
        return {**load_inputs(KIT_ROOT.parent, [KIT_ROOT.name], under="kit"), **deck}

    def _narration_args(self, spec: SceneSpec) -> list[str]:
        """``--narration <config>`` for a narrated target: every beat speaks
        (:mod:`lecturekit.narration.pacer`), its record written beside Manim's MP4."""
        narration = self.target.narration
        if narration is None:
            return []
        record = self.target.narration_record(spec)
        return ["--narration", narration.to_json(self.target.speech_cache, record)]

    def job(self, part: _Part, frames_total: int | None) -> RenderJob:
        spec, media = part.spec, self.media(part)
        if part.k is not None and self.target.narration is not None:
            raise ValueError(f"{spec.key}: a narrated scene is never rendered in chunks")
        render = ["render", *self.flags]
        env = {THEME_ENV_VAR: self.target.theme, **SCENE_ENV}
        if part.k is not None:
            argument, drop = chunk_argument(part.ranges, part.k)
            render += ["-n", argument]
            if drop is not None:
                env[DROP_CALL_ENV] = str(drop)
        video = self.target.manim_video_name(spec)
        scene_tex = self.target.build_dir(spec) / "Tex"
        if not self.remote:
            if part.k is not None:  # a chunk starts with the LaTeX its scene already has
                _copy_svgs(scene_tex, media / "Tex")
            return RenderJob(
                part.key,
                _worker_command(
                    report=str(media / "report.json"),
                    video=str(media / video),
                    roots=(f"kit={KIT_ROOT}", f"deck={self.deck.import_root}"),
                    options=self._narration_args(spec),
                    exclude=str(self.target.media.resolve()),
                    render=(*render, "--media_dir", str(media), str(spec.path), spec.class_name),
                ),
                env=env,
                workdir=str(self.deck.import_root),
                pythonpath=(str(self.deck.import_root),),
                report=str(media / "report.json"),
                log=str(media / "render.log"),
                frames_total=frames_total,
            )
        if self.target.narration is not None:  # refused up front; never reached
            raise ValueError(NARRATION_EXECUTOR_ERROR)
        scene_file = spec.path.relative_to(self.deck.import_root).as_posix()
        # The LaTeX already done for this scene travels along (SVGs only; a few hundred kB):
        # a worker's fresh folder would otherwise compile every formula again.
        tex = {
            **load_inputs(scene_tex.parent, ["Tex"], under="build"),
            **load_inputs(media, ["Tex"], under="build"),
        }
        return RenderJob(
            part.key,
            _worker_command(
                report="{workdir}/build/report.json",
                video=f"{{workdir}}/build/{video}",
                roots=("kit={workdir}/kit/lecturekit", "deck={workdir}/deck"),
                options=(),
                exclude="{workdir}/build",
                render=(
                    *render,
                    "--media_dir",
                    "{workdir}/build",
                    f"{{workdir}}/deck/{scene_file}",
                    spec.class_name,
                ),
            ),
            env=env,
            inputs={**self.shipped, **{k: v for k, v in tex.items() if k.endswith(".svg")}},
            returns=REMOTE_RETURNS,
            cwd="deck",
            pythonpath=("{workdir}/deck", "{workdir}/kit"),
            report="build/report.json",
            log="build/render.log",
            frames_total=frames_total,
            expect_versions=self.versions,
        )


def _worker_command(
    report: str,
    video: str,
    roots: Sequence[str],
    options: Sequence[str],
    exclude: str,
    render: Sequence[str],
) -> tuple[str, ...]:
    """The command line of :mod:`lecturekit.render.worker`, here or on a cluster worker: it
    writes its report to ``report`` and reads the rendered ``video``; ``roots``
    (``name=folder``) and ``exclude`` say which files count as inputs; ``options`` (the
    narration's) follow the roots; ``render`` is Manim's own command line, after ``--``."""
    return (
        "{python}",
        "-m",
        "lecturekit.render.worker",
        "--report",
        report,
        "--video",
        video,
        *(arg for root in roots for arg in ("--root", root)),
        *options,
        "--exclude",
        exclude,
        "--",
        *render,
    )


def _copy_svgs(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for svg in source.glob("*.svg"):
        if not (target / svg.name).exists():
            shutil.copyfile(svg, target / svg.name)


def _check_input_names(inputs: dict) -> None:
    for name in inputs:
        label, sep, rest = str(name).partition(":")
        if not sep or label not in ("kit", "deck"):
            raise UnsafeFileError(f"input {name!r} is not named kit:... or deck:...")
        check_relative_path(rest)


class _Run:
    """One ``render_scenes`` call: submits the parts, assembles and caches what comes back."""

    def __init__(
        self,
        target: Target,
        cache: SceneCache,
        settings: dict[str, str],
        executor: Executor,
        on_event: Callable[[str], None],
        model: ProgressModel,
    ) -> None:
        self.target, self.cache, self.settings = target, cache, settings
        self.executor, self.on_event, self.model = executor, on_event, model
        self.remote = executor.address != LOCAL
        self.maker = _JobMaker(target, self.remote)
        self.parts: dict[str, _Part] = {}
        self.chunks: dict[str, dict[int, JobResult]] = {}
        self.results: dict[str, RenderResult] = {}
        self.scenes = 0  # scenes finished
        self.total = 0  # scenes to render

    def submit(self, part: _Part, frames_total: int | None) -> None:
        self.parts[part.key] = part
        self.model.add_job(part.key, frames_total)
        self.executor.submit(self.maker.job(part, frames_total))

    def collect(self, result: JobResult) -> None:
        """A job finished: publish its files, then finish its scene (a chunk: when all are in)."""
        part = self.parts[result.key]
        self.model.finish(result.key, result.ok)
        error = self._receive(part, result)
        if part.k is None:
            self._done(self._finish_whole(part.spec, result, error), [result])
            return
        chunks = self.chunks.setdefault(part.spec.key, {})
        chunks[part.k] = result if error is None else _failed(result, error)
        if len(chunks) == len(part.ranges):
            self._finish_chunks(part, [chunks[k] for k in range(len(part.ranges))])

    def _receive(self, part: _Part, result: JobResult) -> str | None:
        """Bring a remote job's files into place (checked first); the error, if any."""
        media = self.maker.media(part)
        if not self.remote:
            return result.error
        (media / "report.json").unlink(missing_ok=True)  # never read an earlier render's
        log = media / "render.log"
        try:
            if result.ok:
                check_report_video(result, f"build/{self.target.manim_video_name(part.spec)}")
                _check_input_names(result.report.get("inputs", {}))
            if any(not name.startswith("build/") for name in result.files):
                raise UnsafeFileError("a returned file is outside the job's build folder")
            publish_files({n.removeprefix("build/"): d for n, d in result.files.items()}, media)
        except UnsafeFileError as bad:
            result.error = f"returned files refused: {bad}"
        if "build/render.log" not in result.files:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(result.log_tail or f"{result.error}\n", encoding="utf-8")
        if result.error is not None:
            return result.error
        return None

    def _report(self, media: Path) -> dict | None:
        try:
            return json.loads((media / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _finish_whole(self, spec: SceneSpec, result: JobResult, error: str | None) -> RenderResult:
        media = self.target.build_dir(spec)
        log = log_path(self.target, spec)
        report = self._report(media)
        if report is None or (error is not None and not report.get("error")):
            why = error or f"render worker exited with code {result.returncode} without a report"
            if why.startswith("command exited with code"):
                why = f"render worker {_how(result.returncode)} without a report"
            return RenderResult.failure(spec, result.seconds, log, why)
        if not report.get("ok"):
            return RenderResult.failure(
                spec, result.seconds, log, report.get("error") or "render failed"
            )
        profile = SceneProfile.from_calls(result.seconds, result.calls) if result.calls else None
        return self._store(
            spec,
            report["inputs"],
            VideoFacts.from_json(report["video"]),
            result.seconds,
            profile,
        )

    def _finish_chunks(self, part: _Part, results: list[JobResult]) -> None:
        spec, ranges = part.spec, part.ranges
        seconds = max(r.seconds for r in results)
        reports = [
            self._report(self.maker.media(_Part(spec, k, ranges))) for k in range(len(ranges))
        ]
        for k, (result, report) in enumerate(zip(results, reports, strict=True)):
            if result.error is not None or report is None or not report.get("ok"):
                why = (report or {}).get("error") or result.error or "render failed"
                log = self.maker.media(_Part(spec, k, ranges)) / "render.log"
                self._done(
                    RenderResult.failure(spec, seconds, log, f"chunk {k + 1}: {why}"), results
                )
                return
        seam = check_seams(ranges, [r.calls for r in results])
        if seam is not None:
            # Not the whole render's pictures: render the scene whole, and never split it again.
            self.on_event(f"{spec.key}: {seam}; rendering it whole")
            old = self.cache.profile(spec)
            if old is not None:
                self.cache.store_profile(spec, replace(old, splittable=False))
            self.submit(_Part(spec), None)
            return
        try:
            facts = self._join(spec, ranges, reports)
        except (VideoError, OSError) as bad:
            log = log_path(self.target, spec)
            self._done(
                RenderResult.failure(spec, seconds, log, f"joining its chunks: {bad}"), results
            )
            return
        inputs: dict[str, str] = {}
        for report in reports:
            for name, sha in report["inputs"].items():
                inputs[name] = sha if inputs.get(name, sha) == sha else ""  # saved meanwhile
        old = self.cache.profile(spec)
        profile = _merged_profile(results, ranges, old)
        self._done(self._store(spec, inputs, facts, seconds, profile), results)

    def _join(self, spec: SceneSpec, ranges, reports: list[dict]) -> VideoFacts:
        """The chunks joined by stream copy into the scene's video, sections and captions."""
        target, name = self.target, self.target.manim_video_name(spec)
        dirs = [target.chunk_dir(spec, k) for k in range(len(ranges))]
        video = target.manim_video(spec)
        video.parent.mkdir(parents=True, exist_ok=True)
        stitch([d / name for d in dirs], video)
        parts = [VideoFacts.from_json(r["video"]) for r in reports]
        check_stitched(video, parts, target.quality)
        facts = probe_video(video, decode=False)
        if facts.frames != sum(p.frames for p in parts):
            raise VideoError(
                f"{video}: {facts.frames} frames, its chunks {sum(p.frames for p in parts)}"
            )
        sections = target.manim_sections(spec)
        shutil.rmtree(sections, ignore_errors=True)
        index = f"{spec.class_name}.json"
        join_sections([(d / name).parent / "sections" for d in dirs], sections, index)
        srt = (dirs[-1] / name).with_suffix(".srt")  # holds every caption at scene times
        video.with_suffix(".srt").unlink(missing_ok=True)
        if srt.exists():
            shutil.copyfile(srt, video.with_suffix(".srt"))
        return facts

    def _store(
        self,
        spec: SceneSpec,
        inputs: dict[str, str],
        facts: VideoFacts,
        seconds: float,
        profile: SceneProfile | None,
    ) -> RenderResult:
        video = self.target.manim_video(spec)
        entry = self.cache.store(
            spec,
            self.settings,
            inputs,
            video,
            video.with_suffix(".srt"),
            self.target.manim_sections(spec),
            facts,
            seconds,
            narration=self.target.narration_record(spec),
        )
        if profile is not None:
            old = self.cache.profile(spec)
            if old is not None and not old.splittable and len(old.costs) == len(profile.costs):
                profile = replace(profile, splittable=False)  # its split failed: stays whole
            self.cache.store_profile(spec, profile)
        self.cache.record_render_time(spec, profile.seconds if profile else seconds)
        log = log_path(self.target, spec)
        return RenderResult.from_entry(spec, entry, log, cached=False, seconds=seconds)

    def _done(self, result: RenderResult, jobs: list[JobResult]) -> None:
        self.results[result.spec.key] = result
        self.scenes += 1
        where = sorted({j.worker for j in jobs if j.worker and j.worker != LOCAL})
        self.on_event(_done_line(self.scenes, self.total, result, where))


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        return f"killed by {signal.Signals(-code).name}"
    if code is not None and code > 128:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(code - 128).name}"
    return f"exited with code {code}"


def _failed(result: JobResult, error: str) -> JobResult:
    result.error = error
    return result


def _merged_profile(
    results: list[JobResult], ranges, old: SceneProfile | None
) -> SceneProfile | None:
    """Per-call costs of a scene rendered in chunks, from each chunk's own calls."""
    costs: dict[int, float] = {}
    frames: dict[int, int] = {}
    for result in results:
        previous = 0.0
        for call in result.calls:
            if not call["skipped"]:
                costs[call["index"]] = max(0.0, call["end"] - previous)
                frames[call["index"]] = call["frames"]
            previous = call["end"]
    n = max(costs, default=-1) + 1
    if sorted(costs) != list(range(n)):
        return old
    first = results[0]
    setup = max(0.0, first.seconds - sum(costs[i] for i in range(ranges[0][1] + 1)))
    dt = [r.calls[0].get("dt_from") for r in results if r.calls]
    return SceneProfile(
        setup,
        tuple(costs[i] for i in range(n)),
        tuple(frames[i] for i in range(n)),
        min((d for d in dt if d is not None), default=None),
    )


def expected_frames(target: Target, spec: SceneSpec) -> int | None:
    """Frames of the scene's last render at this quality, else its last duration (at another
    quality) times this quality's frame rate; ``None`` if it never rendered."""
    entry = SceneCache(target).entry(spec)
    if entry is not None:
        return entry.video.frames
    for quality in QUALITIES:
        other = SceneCache(target.at(quality=quality)).entry(spec)
        if other is not None:
            return round(other.video.duration * QUALITIES[target.quality].fps)
    return None


def check_narration_executor(target: Target, executor: Executor | None) -> None:
    """Refuse a narrated render on a Dask cluster (``ValueError``), before anything renders."""
    if target.narration is not None and executor is not None and executor.address != LOCAL:
        raise ValueError(NARRATION_EXECUTOR_ERROR)


def render_scenes(
    specs: Sequence[SceneSpec],
    target: Target,
    jobs: int = 1,
    on_event: Callable[[str], None] = print,
    force: bool = False,
    executor: Executor | None = None,
    view: Callable[[ProgressModel], View] | None = None,
    split: bool = True,
) -> list[RenderResult]:
    """Render ``specs`` of ``target.deck`` (cached ones are reused unless ``force``).

    ``executor`` runs the jobs (default: ``jobs`` local processes; a
    :class:`~lecturekit.render.executors.DaskExecutor` renders on a cluster and is left open for
    the caller to close). ``view`` makes a progress display for the run (see
    :mod:`lecturekit.render.progress`); ``split`` lets long scenes render in chunks where that
    shortens the run. Results come back in the order of ``specs``. The files under the deck's
    import root and the kit count as a scene's inputs. On KeyboardInterrupt (or
    :class:`Terminated`) every job is stopped and the exception propagates; scenes that
    finished before are cached.

    A narrated ``target`` renders only on this machine (``ValueError`` with another
    ``executor``, before anything renders) and never in chunks.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    check_narration_executor(target, executor)
    cache = SceneCache(target)
    settings = settings_fingerprint(target, manim_flags(target.quality))
    results: dict[str, RenderResult] = {}
    todo: list[SceneSpec] = []
    for spec in specs:
        lookup = None if force else cache.lookup(spec, settings)
        if lookup is not None and lookup.hit:
            results[spec.key] = RenderResult.from_entry(spec, lookup.entry, log_path(target, spec))
            on_event(f"{spec.key}: cached, unchanged")
        else:
            todo.append(spec)
            on_event(f"{spec.key}: to render ({'--force' if force else lookup.reason})")
    if not todo:
        return [results[s.key] for s in specs]

    own = executor is None
    executor = LocalExecutor(jobs) if executor is None else executor
    model = ProgressModel()
    executor.on_progress = model.on_event
    display = view(model) if view is not None else None
    run = _Run(target, cache, settings, executor, on_event, model)
    try:
        parts = _plan(todo, target, cache, executor.capacity if split else 1)
        run.total = len(todo)
        workers = min(executor.capacity, len(parts))
        where = "" if executor.address == LOCAL else f" on {executor.address}"
        on_event(
            f"rendering {len(todo)} scene(s) at {target.quality} quality, {workers} at a time{where}"
        )
        for spec, ranges in parts.items():
            if len(ranges) > 1:
                on_event(f"{spec.key}: in {len(ranges)} parts ({_ranges_text(ranges)})")
        if display is not None:
            display.start()
        for part, frames in _parts_longest_first(parts, target, cache):
            run.submit(part, frames)
        for result in executor.as_completed(idle=display.tick if display is not None else None):
            run.collect(result)
    except BaseException:
        executor.stop()
        raise
    finally:
        if display is not None:
            display.stop()
        if own:
            executor.close()
    results.update(run.results)
    return [results[s.key] for s in specs]


def _ranges_text(ranges) -> str:
    return ", ".join(f"calls {a}-{b}" for a, b in ranges[:-1]) + f", calls {ranges[-1][0]}-end"


def _plan(
    todo: list[SceneSpec], target: Target, cache: SceneCache, workers: int
) -> dict[SceneSpec, tuple[tuple[int, int], ...]]:
    """Each scene's chunks: one, unless its profile says splitting shortens the run.

    A narrated scene is never split: each beat lasts until its speech is over, so where a call
    starts depends on every sentence spoken before it, which a chunk skipping those calls
    (``-n``) does not synthesise or time."""
    whole: dict[SceneSpec, tuple[tuple[int, int], ...]] = {s: ((0, 0),) for s in todo}
    if target.narration is not None:
        return whole
    profiles = {s.key: cache.profile(s) for s in todo}
    if workers < 2 or not any(p and p.splittable for p in profiles.values()):
        return whole
    times = cache.render_times()
    known = {}
    for spec in todo:
        profile = profiles[spec.key]
        if profile is None:  # never measured: a single call as long as its estimate
            seconds = estimate_seconds(spec, times, target.quality, target.theme) or 0.0
            profile = SceneProfile(0.0, (seconds,), splittable=False)
        known[spec.key] = profile
    plan = plan_splits(known, workers)
    return {
        s: tuple(plan.ranges[s.key]) if len(plan.ranges[s.key]) > 1 else ((0, 0),) for s in todo
    }


def _parts_longest_first(
    parts: dict[SceneSpec, tuple[tuple[int, int], ...]], target: Target, cache: SceneCache
) -> list[tuple[_Part, int | None]]:
    specs = longest_first(list(parts), cache.render_times(), target.quality, target.theme)
    out: list[tuple[float, int, _Part, int | None]] = []
    times = cache.render_times()
    for rank, spec in enumerate(specs):
        ranges = parts[spec]
        if len(ranges) == 1:
            out.append((0.0, rank, _Part(spec), expected_frames(target, spec)))
            continue
        profile = cache.profile(spec)
        assert profile is not None
        for k, (a, b) in enumerate(ranges):
            out.append(
                (
                    -profile.chunk_seconds(a, b),
                    rank,
                    _Part(spec, k, ranges),
                    profile.chunk_frames(a, b),
                )
            )
    if any(len(r) > 1 for r in parts.values()):
        # chunks and whole scenes in one longest-first order, by their estimated times
        def seconds(item):
            t, rank, part, _ = item
            if part.k is not None:
                return (t, rank)
            est = estimate_seconds(part.spec, times, target.quality, target.theme)
            return (-(est if est is not None else float("inf")), rank)

        out.sort(key=seconds)
    return [(part, frames) for _t, _r, part, frames in out]


def _done_line(k: int, n: int, result: RenderResult, workers: list[str] = ()) -> str:
    where = f" on {', '.join(workers)}" if workers else ""
    if result.ok:
        return f"[{k}/{n}] {result.spec.key}: rendered{where} in {result.seconds:.1f} s"
    return f"[{k}/{n}] {result.spec.key}: FAILED{where}: {result.error} (log: {result.log})"


def publish_scene_files(results: Sequence[RenderResult], target: Target) -> list[Path]:
    """Copy each scene's MP4 (and captions) to :meth:`Target.scene_file` (``scenes/<variant>/
    NN-title.mp4``). Each file is replaced atomically, and only when its content changed."""
    written = []
    for result in results:
        if result.video is None:
            raise ValueError(f"scene {result.spec.key} has no video to publish")
        video = target.scene_file(result.spec)
        _copy_if_changed(result.video, video, result.facts.sha256 if result.facts else None)
        written.append(video)
        srt = result.captions
        if srt is not None:
            _copy_if_changed(srt, video.with_suffix(".srt"))
        else:
            video.with_suffix(".srt").unlink(missing_ok=True)
    return written


def _copy_if_changed(source: Path, target: Path, source_sha256: str | None = None) -> None:
    if (
        target.exists()
        and target.stat().st_size == source.stat().st_size
        and file_sha256(target) == (source_sha256 or file_sha256(source))
    ):
        return
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
