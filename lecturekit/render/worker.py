"""One scene render, in its own process: Manim's CLI plus what the pipeline needs to know.

    python -m lecturekit.render.worker --report R.json --video V.mp4 --root kit=DIR \\
        --root deck=DIR [--exclude DIR] [--narration JSON] -- render -ql ... scene.py SceneClass

Runs Manim's own ``manim render`` command in this process (so a render here is exactly a
plain ``manim render``), and around it

- records the project files the render depends on, for the scene cache: the project modules
  it imported and the project files it opened for reading (an audit hook on ``open``), each
  with its content hash as the render loaded it, named relative to its root (``--root
  kit=DIR`` gives ``kit:scene/style.py``): the same names whether the files are the
  repository's or a cluster worker's temporary copy of them;
- installs the frame hook (:mod:`lecturekit.render.framehook`) when the job asks for it:
  frames written, per-call records, and what a chunk of a scene (``-n``) needs;
- catches the scene's exception itself (Manim prints it as a rich traceback and exits 1), so
  the summary can quote its first line;
- decodes the finished MP4 from first to last frame (:func:`pipeline.validate.probe_video`);
  this is the check that lets a scene into the cache, run here so it runs in parallel;
- with ``--narration``, sets the narration pacer on the scene (each beat speaks its ``say=``
  and lasts until it has been said) and writes what was said beside the video
  (:mod:`lecturekit.narration.pacer`).

It writes a JSON report (atomically) and exits 0 on success, 1 on failure. It imports nothing
heavy before Manim itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

_READ_ONLY_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path == f or path.startswith(f + os.sep) for f in folders)


class DependencyRecorder:
    """Collects the project files a render reads (see module docstring)."""

    def __init__(self, roots: list[str], excludes: list[str]) -> None:
        self.roots = tuple(os.path.realpath(r) for r in roots)
        # Installed packages are covered by their versions in the cache settings; generated
        # files (media/) and byte code are outputs, not inputs.
        self.excludes = tuple(
            os.path.realpath(e) for e in [*excludes, sys.prefix, sys.base_prefix, sys.exec_prefix]
        )
        self.opened: set[str] = set()
        # Content hash of each input as the render saw it, taken as early as possible: an
        # asset when it is opened, the modules loaded so far when the scene starts rendering.
        # A file saved later than that (a lecturer editing while the scene renders) then no
        # longer matches, and the next run renders the scene again.
        self.hashes: dict[str, str] = {}
        self._hashing = False
        # This worker's own modules (pipeline.worker and its package) are machinery, not
        # inputs of the scene: changing them does not change a frame.
        self.machinery = self._loaded_project_modules()

    def wanted(self, path: str) -> bool:
        """True for a project source or asset file."""
        return (
            _under(path, self.roots)
            and not _under(path, self.excludes)
            and "__pycache__" not in path
        )

    def audit(self, event: str, args: tuple) -> None:
        """``sys.addaudithook`` callback: remember project files opened for reading."""
        if event != "open":
            return
        path, mode, flags = args
        if not isinstance(path, str | bytes | os.PathLike):
            return  # a file descriptor
        if mode is not None:
            if any(c in mode for c in "wax+"):
                return
        elif flags & _READ_ONLY_FLAGS:
            return
        real = os.path.realpath(os.fsdecode(path))
        if self.wanted(real) and os.path.isfile(real):
            self.opened.add(real)
            self._hash(real)

    def _hash(self, path: str) -> None:
        if path in self.hashes or self._hashing:
            return
        self._hashing = True  # reading the file raises "open" again: do not recurse
        try:
            with open(path, "rb") as f:
                self.hashes[path] = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            pass  # gone already: files() reports it without a hash, i.e. as changed
        finally:
            self._hashing = False

    def snapshot(self) -> None:
        """Hash every project module loaded so far (called as the scene starts rendering)."""
        for path in self._loaded_project_modules() - self.machinery:
            self._hash(path)

    def _loaded_project_modules(self) -> set[str]:
        found = set()
        for module in list(sys.modules.values()):
            file = getattr(module, "__file__", None)
            if file:
                real = os.path.realpath(file)
                if self.wanted(real) and os.path.isfile(real):
                    found.add(real)
        return found

    def named(self, roots: list[tuple[str | None, str]]) -> dict[str, str]:
        """:meth:`files` by name: ``<label>:<path relative to its root>`` for the first of the
        ``(label, folder)`` roots holding the file (its absolute path for an unlabelled root)."""
        real_roots = [(label, os.path.realpath(folder)) for label, folder in roots]
        named = {}
        for path, sha in self.files().items():
            for label, root in real_roots:
                if label and _under(path, (root,)):
                    path = f"{label}:{Path(os.path.relpath(path, root)).as_posix()}"
                    break
            named[path] = sha
        return named

    def files(self) -> dict[str, str]:
        """Every project file the render depended on, with its content hash as the render
        saw it (hashed now for modules first imported after the scene started)."""
        paths = sorted(self.opened | (self._loaded_project_modules() - self.machinery))
        for path in paths:
            self._hash(path)
        return {path: self.hashes.get(path, "") for path in paths}


def _run_manim(
    manim_args: list[str], recorder: DependencyRecorder
) -> tuple[int, BaseException | None]:
    """Run ``manim <args>`` in this process; return its exit code and the scene's exception."""
    from manim.__main__ import main
    from manim.scene.scene import Scene

    caught: list[BaseException] = []
    original_render = Scene.render

    def render(self, *args, **kwargs):
        recorder.snapshot()
        try:
            return original_render(self, *args, **kwargs)
        except Exception as error:
            caught.append(error)
            raise

    Scene.render = render
    try:
        main.main(args=manim_args, prog_name="manim", standalone_mode=False)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except Exception as error:  # an error outside the scene (configuration, import)
        caught.append(error)
        traceback.print_exc()
        code = 1
    return code, (caught[0] if caught else None)


def _labelled(root: str) -> tuple[str | None, str]:
    label, sep, folder = root.partition("=")
    return (label, folder) if sep and label.isidentifier() else (None, root)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _narrator(config: str | None):
    """With ``--narration``: the pacer that speaks every beat of the scene (imported only
    then, after the dependency recorder started: narration code is an input of a narrated
    render). Its record of an earlier render is removed first, like the video."""
    if config is None:
        return None
    from lecturekit.narration.pacer import install

    pacer = install(config)
    pacer.record_path.unlink(missing_ok=True)
    return pacer


def main(argv: list[str] | None = None) -> int:
    """Entry point (see module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m lecturekit.render.worker")
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument(
        "--video", type=Path, required=True, help="where Manim writes the scene's MP4"
    )
    parser.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="a folder whose files are inputs, named LABEL:<path> (first match wins)",
    )
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument(
        "--narration", default=None, help="speak the beats (lecturekit.narration.pacer)"
    )
    parser.add_argument("manim_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    manim_args = args.manim_args[1:] if args.manim_args[:1] == ["--"] else args.manim_args

    roots = [_labelled(r) for r in args.root]
    # Imported before the recorder starts: the hook is machinery, not an input of the scene.
    from lecturekit.render.framehook import install_from_env

    recorder = DependencyRecorder([folder for _label, folder in roots], args.exclude)
    sys.addaudithook(recorder.audit)
    install_from_env()
    started = time.perf_counter()
    report: dict = {"ok": False, "error": None, "error_type": None, "inputs": {}, "video": None}
    args.video.unlink(missing_ok=True)  # never report a video left by an earlier render
    narrator = _narrator(args.narration)
    try:
        code, error = _run_manim(manim_args, recorder)
    finally:
        if narrator is not None:
            narrator.close()
    report["manim_seconds"] = time.perf_counter() - started
    report["inputs"] = recorder.named(roots)
    if error is not None:
        report["error"] = _first_line(error)
        report["error_type"] = type(error).__name__
        if not isinstance(error, SystemExit):
            report["traceback"] = "".join(traceback.format_exception(error))
    elif code != 0:
        report["error"] = f"manim exited with code {code}"
    elif not args.video.is_file():
        report["error"] = f"manim finished but wrote no video at {args.video}"
    else:
        from lecturekit.video.validate import VideoError, probe_video

        try:
            report["video"] = probe_video(args.video).to_json()
            report["ok"] = True
        except VideoError as bad:
            report["error"] = f"the rendered video is broken: {bad}"
        if report["ok"] and narrator is not None:
            narrator.record().write(narrator.record_path)
    report["seconds"] = time.perf_counter() - started
    if report["error"]:
        print(f"\nrender failed: {report['error']}", file=sys.stderr)
    tmp = args.report.with_name(f".{args.report.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(report, indent=1), encoding="utf-8")
    os.replace(tmp, args.report)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
