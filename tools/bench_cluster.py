"""``make bench-cluster``: render speed with 2 workers, local and on Dask, and split planning.

    python tools/bench_cluster.py [--runs 3] [--scene NAME ...] [--quality low]

A developer tool beside ``tools/bench.py`` (same snapshot of the working tree, same cold media
folders). Measured, each as median, min and max of the runs, with the 1-minute load average
after each run (the machine may be shared):

- the scenes (default: all) cold with ``render.py --jobs 1``, ``--jobs 2`` and ``--executor
  tcp://127.0.0.1:PORT`` on a 2-worker ``LocalCluster`` (one thread each) on this machine,
  interleaved round by round; the speed-ups over ``--jobs 1``;
- the whole lecture once with ``--jobs 2``, for its per-call times: from them the simulated
  makespan on 1, 2, 4, 8 and 16 workers, whole scenes longest first and with the split
  planner; and the longest scene rendered whole and in 2 chunks on the 2 workers, against the
  planner's estimate, checked to hold the same coded frames;
- what the progress display costs: a redraw of the rich view with 16 running scenes, and the
  frame hook per frame.

It prints a Markdown section for BENCHMARKS.md.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import Bench, Sample  # noqa: E402

from lecturekit.deck import load_deck  # noqa: E402
from lecturekit.render.cache import SceneCache  # noqa: E402
from lecturekit.render.executors import ProgressEvent  # noqa: E402
from lecturekit.render.framehook import FrameCounter  # noqa: E402
from lecturekit.render.progress import ProgressModel, RichView  # noqa: E402
from lecturekit.render.split import SceneProfile, simulate  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent


def _load() -> float:
    return os.getloadavg()[0]


def _cell(sample: Sample, loads: list[float]) -> str:
    return f"{sample.cell()} | {', '.join(f'{x:.1f}' for x in loads)}"


def _display_cost(redraws: int = 50) -> tuple[float, float]:
    """CPU seconds per rich redraw with 16 running scenes; CPU seconds per hooked frame."""
    from rich.console import Console

    model = ProgressModel()
    for k in range(16):
        model.add_job(f"{k:02d}-a-scene-with-a-long-title", 800)
        model.on_event(
            ProgressEvent(f"{k:02d}-a-scene-with-a-long-title", "started", "tls://10.0.0.9:40000")
        )
        model.on_event(
            ProgressEvent(
                f"{k:02d}-a-scene-with-a-long-title", "frames", "tls://10.0.0.9:40000", 400
            )
        )
    view = RichView(model, Console(file=io.StringIO(), force_terminal=True, width=120))
    start = time.process_time()
    for _ in range(redraws):
        view.console.print(view.render())
    redraw = (time.process_time() - start) / redraws
    counter = FrameCounter(None, None)
    start = time.process_time()
    for _ in range(200_000):
        counter.add(1)
    return redraw, (time.process_time() - start) / 200_000


@click.command()
@click.option("--runs", default=3, show_default=True, help="Rounds of the three renders.")
@click.option("--scene", "scenes", multiple=True, help="Time only these scenes (repeatable).")
@click.option("--quality", default="low", show_default=True)
def main(runs: int, scenes: tuple[str, ...], quality: str) -> None:
    """Measure and print the Markdown section (see module docstring)."""
    deck = load_deck(REPO_ROOT / "scenes")
    specs = [deck.by_name(n) for n in scenes] if scenes else list(deck.scenes)
    bench = Bench(specs, lambda line: click.echo(line, err=True))
    # Dask's config and scratch space inside the benchmark's folder, removed with it.
    os.environ["DASK_CONFIG"] = os.environ["DASK_TEMPORARY_DIRECTORY"] = str(bench.tmp / "dask")
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        local_directory=str(bench.tmp / "dask"),
    )
    samples = {name: Sample() for name in ("jobs1", "jobs2", "dask2")}
    loads: dict[str, list[float]] = {name: [] for name in samples}
    try:
        for round_ in range(runs):
            for name in ("jobs1", "jobs2", "dask2"):
                media = bench.fresh_media(name)
                command = bench.render_command(quality, 1 if name == "jobs1" else 2, media)
                if name == "dask2":
                    command += ["--executor", cluster.scheduler_address]
                seconds = bench.timed(command)
                samples[name].values.append(seconds)
                loads[name].append(_load())
                click.echo(
                    f"round {round_ + 1}: {name} {seconds:.1f} s (load {_load():.1f})", err=True
                )
        # Per-call times of every scene, from one whole render with --jobs 2.
        media = bench.fresh_media("profiles")
        whole_seconds = bench.timed(
            [sys.executable, "render.py", "-q", quality, "--jobs", "2", "--media-dir", str(media)]
        )
        whole_load = _load()
        cache = SceneCache(bench.target(quality, media))
        found = {s.key: cache.profile(s) for s in bench.deck.scenes}
        profiles = {k: p for k, p in found.items() if p is not None}
        longest = max(bench.deck.scenes, key=lambda s: profiles[s.key].seconds)
        chunk_rows = _measure_split(bench, quality, cluster, longest, profiles[longest.key])
    finally:
        cluster.close()
    redraw, per_frame = _display_cost()
    section = _section(
        quality, specs, samples, loads, profiles, chunk_rows, redraw, per_frame,
        (whole_seconds, whole_load),
    )  # fmt: skip
    click.echo(section)
    bench.close()


def _measure_split(bench: Bench, quality: str, cluster, spec, profile: SceneProfile) -> list[str]:
    """The longest scene whole and in 2 chunks on the 2 workers: times and identity."""
    rows = []
    media = bench.fresh_media("split")
    command = [sys.executable, "render.py", "-q", quality, "--media-dir", str(media)]
    command += ["--scene", spec.class_name, "--executor", cluster.scheduler_address]
    whole = bench.timed(command)
    cache = SceneCache(bench.target(quality, media))
    whole_entry = cache.entry(bench.deck.by_class_name(spec.class_name))
    from lecturekit.render.split import plan_splits

    plan = plan_splits({spec.key: profile}, 2, max_chunks=2)
    ranges = plan.ranges[spec.key]
    estimates = plan.seconds[spec.key]
    cache.store_profile(bench.deck.by_class_name(spec.class_name), profile)
    split = bench.timed([*command, "--force"])
    split_entry = cache.entry(bench.deck.by_class_name(spec.class_name))
    same = whole_entry.video.packets_sha256 == split_entry.video.packets_sha256
    rows.append(
        f"| {spec.key} whole, on a worker | {whole:.1f} | {profile.seconds:.1f} (the `--jobs 1` run) |"
    )
    rows.append(
        f"| {spec.key} in {len(ranges)} chunks ({', '.join(f'calls {a}-{b}' for a, b in ranges)}) on 2 workers "
        f"| {split:.1f} | {max(estimates):.1f} (longest chunk) |"
    )
    rows.append(
        f"| joined video's coded frames equal the whole render's | {'yes' if same else 'NO'} | |"
    )
    return rows


def _speedup_lines(quality, names, samples, loads) -> list[str]:
    base = samples["jobs1"].median
    return [
        f"`python tools/bench_cluster.py --runs {len(samples['jobs1'].values)}`: {names} at "
        f"{quality} quality, cold (empty media folder), the three renders interleaved round by "
        "round on this 2-core machine; load = 1-minute load average after each run.",
        "",
        "| What | Wall time, s | Load after each run |",
        "|---|---|---|",
        f"| `render.py -q {quality} --jobs 1` | {_cell(samples['jobs1'], loads['jobs1'])} |",
        f"| `render.py -q {quality} --jobs 2` | {_cell(samples['jobs2'], loads['jobs2'])} |",
        f"| `render.py -q {quality} --executor tcp://127.0.0.1:PORT` (LocalCluster, 2 workers x 1 "
        f"thread) | {_cell(samples['dask2'], loads['dask2'])} |",
        "",
        f"Speed-up over `--jobs 1` (medians): local pool {base / samples['jobs2'].median:.2f}x, "
        f"Dask with 2 local workers {base / samples['dask2'].median:.2f}x (target 1.9x).",
        "",
    ]


def _section(quality, specs, samples, loads, profiles, chunk_rows, redraw, per_frame, whole):
    names = "all 13 scenes" if len(specs) == 13 else ", ".join(s.key for s in specs)
    lines = [f"## Render on more machines ({time.strftime('%Y-%m-%d %H:%M')})", ""]
    if samples["jobs1"].values:
        lines += _speedup_lines(quality, names, samples, loads)
    lines += [
        "| Split of the longest scene | Measured, s | Planner's estimate, s |",
        "|---|---|---|",
        *chunk_rows,
        "",
        f"Simulated makespan from the per-call times of a whole-lecture render with `--jobs 2` "
        f"({whole[0]:.1f} s, load {whole[1]:.1f} after it) "
        f"(setup and each call's cost per scene; a chunk pays its scene's setup again, the call "
        f"before it, and {SceneProfile(0, ()).skip_ratio} of the calls it skips):",
        "",
        "| Workers | Whole scenes, longest first, s | Split where it pays, s | Jobs | Lower bound, s |",
        "|---|---|---|---|---|",
    ]
    for row in simulate(profiles, (1, 2, 4, 8, 16)):
        lines.append(
            f"| {row['workers']} | {row['unsplit']:.1f} | {row['split']:.1f} | {row['chunks']} | {row['lower_bound']:.1f} |"
        )
    lines += [
        "",
        f"Progress display: one redraw of the terminal view with 16 running scenes costs "
        f"{redraw * 1000:.2f} ms of CPU in the coordinator (2 redraws a second: "
        f"{redraw * 200:.2f} % of one core); the frame hook costs {per_frame * 1e6:.2f} µs per "
        f"frame in the render process (median of one run of 200,000).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
