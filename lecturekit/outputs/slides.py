"""Presenter mode: the lecture as a click-through HTML presentation of the rendered scenes.

manim-slides 5.7 does not run with Manim 0.22 (its Slide base reads the removed
``config.write_to_movie``), so this module does the same job from Manim's own output: every
scene is rendered with ``--save_sections`` and each key frame starts a new section
(:mod:`lecturekit.video.sections`), so each section video *ends* at a key frame, the moment
a lecturer speaks. The presentation has one slide per scene;
"next" plays the next section and the player pauses on its last frame. The scenes are the
video's own scene code, rendered once for both.

Output: ``<slug>-<variant>-slides/index.html`` (:attr:`Target.slides_dir`; player and deck
manifest in one file, no network access; the player is ``templates/presenter.html``), beside
it one folder per scene with its section videos, remuxed with the ``moov`` atom first so the
browser can seek at once. Open it from the file system
or any static web server. Keys: → / space / PageDown / click: next; ← / PageUp: back;
Shift+→ / Shift+←: next / previous slide; Home / End; C: captions; F: full screen.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from lecturekit.atomic import atomic_path, write_text_atomic
from lecturekit.render.result import RenderResult
from lecturekit.render.target import Target
from lecturekit.video.sections import scene_steps
from lecturekit.video.stitch import stitch

TEMPLATE = "templates/presenter.html"


def export_slides(
    results: Sequence[RenderResult], target: Target, on_event: Callable[[str], None] = print
) -> Path:
    """Write the presentation for rendered scenes; return the path of its ``index.html``.

    Every file is written atomically and ``index.html`` last, so an interrupted export leaves
    the previous presentation playable; videos of sections that no longer exist are removed.
    """
    folder = target.slides_dir
    slides, written = [], set()
    for result in results:
        spec = result.spec
        steps = scene_steps(result)
        entries = []
        for j, step in enumerate(steps, start=1):
            relative = f"{spec.key}/{j:02d}-{_slug(step.ends_at)}.mp4"
            section = folder / relative
            with atomic_path(section) as tmp:
                stitch([step.source], tmp)  # a remux: moov first, no re-encode
            written.add(section)
            entries.append(
                {
                    "src": relative,
                    "end": step.ends_at,
                    "duration": round(float(step.duration), 3),
                    "cues": [[round(c.start, 3), round(c.end, 3), c.text] for c in step.cues],
                }
            )
        slides.append(
            {
                "number": spec.number,
                "slide": spec.slide,
                "title": spec.title,
                "label": spec.label,
                "steps": entries,
            }
        )
        on_event(f"slides: {spec.key}, {len(entries)} steps")
    for stale in folder.glob("*/*.mp4"):
        if stale not in written:
            stale.unlink()
    for sub in folder.iterdir():
        if sub.is_dir() and not any(sub.iterdir()):
            sub.rmdir()
    index = folder / "index.html"
    write_text_atomic(index, presentation_html(slides, target))
    return index


def _slug(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(p for p in slug.split("-") if p) or "step"


def presentation_html(slides: list[dict], target: Target) -> str:
    """The self-contained player page (``templates/presenter.html``) for a deck manifest."""
    deck = target.deck
    colours = deck.theme(target.theme)
    accent = colours.symbol(deck.accent) if deck.accent else colours.highlight
    manifest = {"title": deck.title, "quality": target.quality, "slides": slides}
    # "</" would end the <script> element early if a title or caption contained it.
    data = json.dumps(manifest, ensure_ascii=False, indent=1).replace("</", "<\\/")
    template = resources.files("lecturekit.outputs").joinpath(TEMPLATE).read_text("utf-8")
    return (
        template.replace("__TITLE__", html.escape(deck.title))
        .replace("__BACKGROUND__", colours.background)
        .replace("__TEXT__", colours.text)
        .replace("__MUTED__", colours.muted)
        .replace("__ACCENT__", accent)
        .replace("__DECK__", data)
    )
