"""Per-frame cost of each scene against the floor: what a frame costs beyond encoding it.

    python tools/frame_cost.py [--quality medium] [--quality high] [--scene NAME ...]
                               [--profile 3] [--output FILE]

A developer tool (``make bench BENCH_ARGS=--frames`` runs it): every scene is rendered by
Manim's own CLI, in a process of its own, with the pipeline's flags (``render.py``'s
``manim render`` options, the project's ``manim.cfg``), and timed from the start of
``Scene.render`` to its end. The cost per frame is that time over the frames written.

The **floor** is a scene that only holds a static frame (Axes, a long ``MathTex``, one curve)
for 50 s, rendered the same way in the same session: its cost per frame is what encoding and
writing a frame costs with nothing to draw. The ratio scene / floor is what the scene's own
work (building, copying, updating and drawing mobjects) adds. The floor is rendered before the
first scene and after every scene, and each scene is divided by the mean of the two floors
beside it: on a machine whose speed drifts within minutes (shared cores; by up to a third
here) a scene and its own floor move together, where one floor for the whole run would move
the ratio instead.

LaTeX is not counted: the time spent making formulas' SVGs (``tex_to_svg_file``: LaTeX and
dvisvgm on a first render, a file lookup after) is subtracted from the wall time, so the times
are the frames' cost, not the formula compiler's (its processes' CPU time is not the
render's either).

**Where the time goes** (``--profile N``: the N scenes with the highest ratio, profiled in a
second render): Manim 0.22 draws on the main thread and hands each RGBA frame to a writer
thread, which converts it to yuv420p and passes it to x264, whose own threads encode. The
split is by CPU time:

- main thread, measured with ``time.thread_time`` and divided by a cProfile of the same thread
  (CPU clock): *Cairo drawing* = ``Camera.capture_mobjects``; *pixel copies* =
  ``CairoRenderer.get_frame`` and the background reset per frame; *scene code* = the rest
  (construct, animations' ``interpolate``, updaters, ``deepcopy``, mobject construction);
- writer threads (``thread_time`` at the end of each): *RGBA to yuv420p conversion*;
- *x264 encoding* = the process's CPU time (all threads, ``getrusage``) minus both.

The cProfile run is slower than the timed run; only its proportions are used.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from lecturekit.deck import SceneSpec, load_deck  # noqa: E402 (after the path set-up)
from lecturekit.render.qualities import QUALITIES  # noqa: E402
from lecturekit.render.renderer import MANIM_FLAGS, SCENE_ENV  # noqa: E402

FLOOR_CLASS = "FloorHold"
FLOOR_SECONDS = 50
FLOOR_SOURCE = f'''"""The floor: a static frame (Axes, a long MathTex, one curve) held, nothing moving."""

from manim import BLUE, DOWN, UP, Axes, MathTex, Scene, np


class {FLOOR_CLASS}(Scene):
    def construct(self):
        axes = Axes(x_range=[-3, 3], y_range=[0, 1.2], x_length=9, y_length=4).shift(DOWN)
        curve = axes.plot(lambda x: np.exp(-x * x / 2), color=BLUE)
        tex = MathTex(
            r"\\log p_\\theta(x) = \\mathbb{{E}}_{{q_\\phi(z|x)}}\\left[\\log"
            r" \\frac{{p_\\theta(x,z)}}{{q_\\phi(z|x)}}\\right]"
            r" + \\mathrm{{KL}}\\left(q_\\phi(z|x)\\,\\|\\,p_\\theta(z|x)\\right)"
        ).to_edge(UP)
        self.add(axes, curve, tex)
        self.wait({FLOOR_SECONDS})
'''

# Run in the measured process: Manim's CLI in-process, with clocks around Scene.render.
_MEASURE_SCRIPT = r"""
import cProfile, json, os, resource, sys, threading, time
import numpy as np
from manim.__main__ import main
from manim.renderer.cairo_renderer import CairoRenderer
from manim.mobject.text import tex_mobject
from manim.scene import scene_file_writer
from manim.scene.scene import Scene

out, prof = sys.argv[1], sys.argv[2]
state = {"frames": 0, "writer_cpu": 0.0, "latex": 0.0}
lock = threading.Lock()
dump, stride = os.environ.get("FRAME_COST_DUMP"), int(os.environ.get("FRAME_COST_STRIDE", "0"))
kept = {}

original_add_frame = CairoRenderer.add_frame
def add_frame(self, frame, num_frames=1):
    if not self.skip_animations:
        first = state["frames"]
        state["frames"] += num_frames
        if dump and stride:
            for k in range(first, first + num_frames):
                if k % stride == 0:
                    kept[f"f{k:06d}"] = np.ascontiguousarray(frame[..., :3])
    return original_add_frame(self, frame, num_frames)
CairoRenderer.add_frame = add_frame

original_tex = tex_mobject.tex_to_svg_file
def tex_to_svg_file(*args, **kwargs):
    start = time.perf_counter()
    try:
        return original_tex(*args, **kwargs)
    finally:
        state["latex"] += time.perf_counter() - start
tex_mobject.tex_to_svg_file = tex_to_svg_file

original_listen = scene_file_writer._PartialMovieEncodeJob._listen_and_write
def listen(self):
    try:
        return original_listen(self)
    finally:
        with lock:
            state["writer_cpu"] += time.thread_time()
scene_file_writer._PartialMovieEncodeJob._listen_and_write = listen

original_render = Scene.render
def render(self, preview=False):
    profile = cProfile.Profile(time.thread_time) if prof else None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage.ru_utime + usage.ru_stime
    main0, wall0 = time.thread_time(), time.perf_counter()
    if profile:
        profile.enable()
    try:
        return original_render(self, preview)
    finally:
        if profile:
            profile.disable()
            profile.dump_stats(prof)
        state["wall"] = time.perf_counter() - wall0 - state["latex"]
        state["main_cpu"] = time.thread_time() - main0
        usage = resource.getrusage(resource.RUSAGE_SELF)
        state["process_cpu"] = usage.ru_utime + usage.ru_stime - cpu0
Scene.render = render

try:
    main.main(args=sys.argv[3:], prog_name="manim", standalone_mode=False)
except SystemExit:
    pass
with open(out, "w") as f:
    json.dump(state, f)
if dump and kept:
    np.savez_compressed(dump, **kept)
"""

# cProfile entries (file name ending, function) whose cumulative time is one category.
CAIRO = (("camera/camera.py", "capture_mobjects"),)
PIXELS = (
    ("renderer/cairo_renderer.py", "get_frame"),
    ("camera/camera.py", "set_frame_to_background"),
    ("camera/camera.py", "reset"),
)


@dataclass
class Measure:
    """One scene render: wall time, frames, CPU by thread kind."""

    wall: float
    frames: int
    main_cpu: float
    writer_cpu: float
    process_cpu: float

    @property
    def ms_per_frame(self) -> float:
        """Wall milliseconds per frame written."""
        return 1000 * self.wall / max(self.frames, 1)


@dataclass
class Split:
    """CPU milliseconds per frame by kind of work (see module docstring)."""

    scene_code: float
    cairo: float
    pixels: float
    conversion: float
    encoding: float
    main_profile: list[tuple[str, float]] = field(default_factory=list)


def _cumulative(stats, wanted: tuple[tuple[str, str], ...]) -> float:
    """Sum of cumulative times of the wanted functions (outermost calls only)."""
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
        if any(filename.endswith(f) and name == n for f, n in wanted):
            # A call from another wanted function is already inside that one's time.
            nested = sum(
                c[3]
                for (cf, _cl, cn), c in callers.items()
                if any(cf.endswith(f) and cn == n for f, n in wanted)
            )
            total += ct - nested
    return total


def split_profile(prof: Path, measure: Measure, top: int = 8) -> Split:
    """Divide the timed run's CPU time per frame by the profile's proportions."""
    import pstats

    stats = pstats.Stats(str(prof))
    main_total = stats.total_tt or 1.0
    cairo = _cumulative(stats, CAIRO) / main_total
    pixels = _cumulative(stats, PIXELS) / main_total
    per = 1000 / max(measure.frames, 1)
    main = measure.main_cpu * per
    encoding = max(measure.process_cpu - measure.main_cpu - measure.writer_cpu, 0.0) * per
    by_own = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    own = [(f"{Path(k[0]).name}:{k[2]}", 100 * v[2] / main_total) for k, v in by_own]
    deep = [
        (k, v) for k, v in stats.stats.items() if k[0].endswith("copy.py") and k[2] == "deepcopy"
    ]
    if deep:
        own.append(("copy.deepcopy (cumulative)", 100 * max(v[3] for _k, v in deep) / main_total))
    return Split(
        scene_code=main * (1 - cairo - pixels),
        cairo=main * cairo,
        pixels=main * pixels,
        conversion=measure.writer_cpu * per,
        encoding=encoding,
        main_profile=own,
    )


class Session:
    """Renders in one media folder (LaTeX shared), from one source tree."""

    def __init__(self, tree: Path, log: Callable[[str], None], media: Path | None = None) -> None:
        self.tree = tree
        self.log = log
        self.tmp = Path(tempfile.mkdtemp(prefix="frame-cost-"))
        self.floor = self.tmp / "floor_scene.py"
        self.floor.write_text(FLOOR_SOURCE)
        self.media = media or self.tmp / "media"

    def _manim_args(self, path: Path, class_name: str, quality: str, extra: Sequence[str]):
        return [
            "render",
            f"-q{QUALITIES[quality].flag}",
            *MANIM_FLAGS,
            *extra,
            "--media_dir",
            str(self.media),
            str(path),
            class_name,
        ]

    def run(
        self,
        path: Path,
        class_name: str,
        quality: str,
        profile: Path | None = None,
        dump: Path | None = None,
        stride: int = 0,
    ) -> Measure:
        """Render one scene in a fresh process; return its measurements. With ``dump``, every
        ``stride``-th frame (RGB) is saved there as an ``.npz`` (for :mod:`frame_diff`)."""
        out = self.tmp / "measure.json"
        out.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-c",
            _MEASURE_SCRIPT,
            str(out),
            str(profile or ""),
            *self._manim_args(path, class_name, quality, ()),
        ]
        # The pipeline's scene environment (one string-hash seed: reproducible frames).
        env = {**os.environ, **SCENE_ENV, "PYTHONPATH": str(self.tree)}
        if dump is not None:
            env |= {"FRAME_COST_DUMP": str(dump), "FRAME_COST_STRIDE": str(stride)}
        proc = subprocess.run(
            command, cwd=self.tree, env=env, capture_output=True, text=True, check=False
        )
        if not out.exists() or "wall" not in (data := json.loads(out.read_text())):
            raise click.ClickException(f"{class_name} failed:\n{proc.stdout[-2000:]}")
        if not data["frames"]:
            raise click.ClickException(f"{class_name} wrote no frames:\n{proc.stdout[-2000:]}")
        return Measure(
            data["wall"],
            data["frames"],
            data["main_cpu"],
            data["writer_cpu"],
            data["process_cpu"],
        )


@dataclass
class Table:
    """Per-scene measurements at one quality, with the floor of the same session."""

    quality: str
    floor: list[Measure] = field(default_factory=list)
    scenes: dict[str, list[Measure]] = field(default_factory=dict)
    # Per scene and round: the mean cost per frame of the floors rendered just before and
    # just after it.
    beside: dict[str, list[float]] = field(default_factory=dict)
    splits: dict[str, Split] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)

    def add(self, name: str, scene: Measure, before: Measure, after: Measure) -> None:
        """Record one render of a scene with the floors rendered beside it."""
        self.scenes.setdefault(name, []).append(scene)
        self.beside.setdefault(name, []).append((before.ms_per_frame + after.ms_per_frame) / 2)

    def floor_ms(self) -> float:
        """Median floor cost per frame over the whole run."""
        return statistics.median(m.ms_per_frame for m in self.floor)

    def scene_ms(self, name: str) -> float:
        """Median cost per frame of one scene."""
        return statistics.median(m.ms_per_frame for m in self.scenes[name])

    def beside_ms(self, name: str) -> float:
        """Median cost per frame of the floors beside one scene."""
        return statistics.median(self.beside[name])

    def round_ratios(self, name: str) -> list[float]:
        """One scene's cost per frame over the floors beside it, round by round."""
        return [
            m.ms_per_frame / f for m, f in zip(self.scenes[name], self.beside[name], strict=True)
        ]

    def ratios(self) -> dict[str, float]:
        """Scene cost per frame over its own floor's (median over rounds)."""
        return {n: statistics.median(self.round_ratios(n)) for n in self.scenes}

    def at_floor_s(self) -> float:
        """What the lecture's frames would cost at the floor: each scene's frames at the
        floor beside it, in seconds."""
        return sum(ms[0].frames * self.beside_ms(n) / 1000 for n, ms in self.scenes.items())

    def lecture_ratio(self) -> float:
        """The whole lecture's render time over what its frames cost at the floor."""
        wall = sum(statistics.median(m.wall for m in ms) for ms in self.scenes.values())
        return wall / self.at_floor_s()

    def markdown(self) -> str:
        """The per-scene table (and the splits) in Markdown."""
        q = QUALITIES[self.quality]
        rounds_note = ""
        if any(len(ms) > 1 for ms in self.scenes.values()):
            rounds_note = " (x floor: the median of the rounds' ratios, each round's in brackets)"
        lines = [
            f"### {q.height}p{q.fps} (`--quality {self.quality}`)",
            "",
            f"Floor (static frame held {FLOOR_SECONDS} s, same flags, rendered before the "
            f"first scene and after each): median **{self.floor_ms():.1f} ms per frame**, "
            f"{min(m.ms_per_frame for m in self.floor):.1f}-"
            f"{max(m.ms_per_frame for m in self.floor):.1f}. Each scene is divided by the mean "
            f"of the two floors beside it{rounds_note}. "
            f"1-minute load average during the scenes: "
            f"{min(self.load):.1f}-{max(self.load):.1f}.",
            "",
            "| Scene | Frames | Render, s | ms per frame | floor beside, ms | x floor |",
            "|---|---|---|---|---|---|",
        ]
        ratios = self.ratios()
        for name, ms in self.scenes.items():
            wall = statistics.median(m.wall for m in ms)
            # With several rounds: each round's ratio (the columns before are medians).
            each = self.round_ratios(name)
            rounds = f" ({', '.join(f'{r:.2f}' for r in each)})" if len(each) > 1 else ""
            lines.append(
                f"| {name} | {ms[0].frames} | {wall:.1f} | {self.scene_ms(name):.1f} "
                f"| {self.beside_ms(name):.1f} | {ratios[name]:.2f}{rounds} |"
            )
        frames = sum(ms[0].frames for ms in self.scenes.values())
        wall = sum(statistics.median(m.wall for m in ms) for ms in self.scenes.values())
        lines.append(
            f"| **whole lecture** | {frames} | {wall:.1f} | {1000 * wall / frames:.1f} "
            f"| {1000 * self.at_floor_s() / frames:.1f} | **{self.lecture_ratio():.2f}** |"
        )
        if self.splits:
            lines += [
                "",
                "Where a frame's time goes (CPU ms per frame; split as described in "
                "`tools/frame_cost.py`):",
                "",
                "| Scene | scene code | Cairo drawing | pixel copies | RGBA to yuv420p "
                "| x264 encoding |",
                "|---|---|---|---|---|---|",
            ]
            for name, s in self.splits.items():
                lines.append(
                    f"| {name} | {s.scene_code:.1f} | {s.cairo:.1f} | {s.pixels:.1f} "
                    f"| {s.conversion:.1f} | {s.encoding:.1f} |"
                )
            for name, s in self.splits.items():
                top = ", ".join(f"{f} {p:.0f}%" for f, p in s.main_profile)
                lines.append(f"\n{name}, main thread by own time: {top}.")
        return "\n".join(lines) + "\n"


def measure(
    specs: Sequence[SceneSpec],
    qualities: Sequence[str],
    tree: Path,
    profile: int,
    runs: int,
    log: Callable[[str], None] = print,
    media: Path | None = None,
) -> list[Table]:
    """Per quality (``runs`` rounds): the floor, then each scene followed by the floor again;
    then a profile of the ``profile`` scenes with the highest ratio."""
    session = Session(tree, log, media)
    tables = []
    for quality in qualities:
        table = Table(quality)
        for k in range(runs):
            log(f"[{quality} {k + 1}/{runs}] floor")
            before = session.run(session.floor, FLOOR_CLASS, quality)
            table.floor.append(before)
            for spec in specs:
                m = session.run(spec.path, spec.class_name, quality)
                table.load.append(os.getloadavg()[0])
                after = session.run(session.floor, FLOOR_CLASS, quality)
                table.floor.append(after)
                table.add(spec.class_name, m, before, after)
                log(
                    f"  {spec.class_name}: {m.frames} frames, {m.ms_per_frame:.1f} ms/frame "
                    f"(floors beside it {before.ms_per_frame:.1f}, {after.ms_per_frame:.1f})"
                )
                before = after
        ratios = table.ratios()
        for name in sorted(ratios, key=ratios.get, reverse=True)[:profile]:
            spec = next(s for s in specs if s.class_name == name)
            prof = session.tmp / f"{name}.prof"
            log(f"  profiling {name}")
            session.run(spec.path, name, quality, profile=prof)
            table.splits[name] = split_profile(prof, table.scenes[name][0])
        tables.append(table)
    return tables


@click.command()
@click.option(
    "--quality",
    "qualities",
    multiple=True,
    type=click.Choice(list(QUALITIES)),
    default=("medium",),
    show_default=True,
)
@click.option("--scene", "scene_names", multiple=True, metavar="NAME")
@click.option("--profile", default=3, show_default=True, help="Profile the N heaviest scenes.")
@click.option("--runs", default=1, show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option(
    "--tree",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=REPO_ROOT,
    help="Source tree to render (default: this repository), e.g. a checkout of another commit.",
)
@click.option(
    "--media",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Media folder (default: a new temporary one); one kept between runs keeps its LaTeX.",
)
def main(
    qualities: tuple[str, ...],
    scene_names: tuple[str, ...],
    profile: int,
    runs: int,
    output: Path | None,
    tree: Path,
    media: Path | None,
) -> None:
    """Per-scene cost per frame against the floor (Markdown on stdout or into FILE)."""
    tree = tree.resolve()
    deck = load_deck(tree / "scenes")
    specs = [deck.by_name(n) for n in scene_names] if scene_names else list(deck.scenes)
    tables = measure(
        specs,
        qualities,
        tree,
        profile,
        runs,
        log=lambda line: click.echo(f"{time.strftime('%H:%M:%S')} {line}", err=True),
        media=media,
    )
    text = "\n".join(t.markdown() for t in tables)
    if output:
        output.write_text(text)
    click.echo(text)


if __name__ == "__main__":
    main()
