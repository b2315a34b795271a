"""Presenter mode: the lecture as a click-through HTML presentation of the rendered scenes.

manim-slides 5.7 does not run with Manim 0.22 (its Slide base reads the removed
``config.write_to_movie``), so this module does the same job from Manim's own output: every
scene is rendered with ``--save_sections`` (:data:`pipeline.render.MANIM_FLAGS`) and
:meth:`scenes.lecture.LectureScene.key_frame` starts a new section, so each section video
*ends* at a key frame, the moment a lecturer speaks. The presentation has one slide per scene;
"next" plays the next section and the player pauses on its last frame. The scenes are the
video's own scene code, rendered once for both.

Output: ``media/vae-derivation-<variant>-slides/index.html`` (player and deck manifest in one
file, no network access), beside it one folder per scene with its section videos, remuxed
with the ``moov`` atom first so the browser can seek at once. Open it from the file system
or any static web server. Keys: → / space / PageDown / click: next; ← / PageUp: back;
Shift+→ / Shift+←: next / previous slide; Home / End; C: captions; F: full screen.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from scenes.themes import THEMES

from .atomic import atomic_path, write_text_atomic
from .outputs import lecture_path
from .render import MEDIA_DIR, RenderResult
from .sections import scene_steps
from .stitch import stitch
from .storyboard import DOCUMENT_TITLE


def slides_dir(quality: str, theme: str, media_dir: Path = MEDIA_DIR, part: str = "") -> Path:
    """``media/vae-derivation-<variant>[-<part>]-slides/``."""
    return lecture_path(quality, theme, "-slides", media_dir, part)


def export_slides(results: Sequence[RenderResult], quality: str, theme: str,
                  media_dir: Path = MEDIA_DIR,
                  on_event: Callable[[str], None] = print, part: str = "") -> Path:
    """Write the presentation for rendered scenes; return the path of its ``index.html``.

    Every file is written atomically and ``index.html`` last, so an interrupted export leaves
    the previous presentation playable; videos of sections that no longer exist are removed.
    """
    folder = slides_dir(quality, theme, media_dir, part)
    slides, written = [], set()
    for result in results:
        spec = result.spec
        steps = scene_steps(result, quality, theme, media_dir)
        entries = []
        for j, step in enumerate(steps, start=1):
            relative = f"{spec.key}/{j:02d}-{_slug(step.ends_at)}.mp4"
            target = folder / relative
            with atomic_path(target) as tmp:
                stitch([step.source], tmp)  # a remux: moov first, no re-encode
            written.add(target)
            entries.append({
                "src": relative,
                "end": step.ends_at,
                "duration": round(float(step.duration), 3),
                "cues": [[round(c.start, 3), round(c.end, 3), c.text] for c in step.cues],
            })
        slides.append({"number": spec.number, "slide": spec.slide, "title": spec.title,
                       "label": spec.label, "steps": entries})
        on_event(f"slides: {spec.key}, {len(entries)} steps")
    for stale in folder.glob("*/*.mp4"):
        if stale not in written:
            stale.unlink()
    for sub in folder.iterdir():
        if sub.is_dir() and not any(sub.iterdir()):
            sub.rmdir()
    index = folder / "index.html"
    write_text_atomic(index, presentation_html(slides, theme, quality))
    return index


def _slug(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(p for p in slug.split("-") if p) or "step"


def presentation_html(slides: list[dict], theme: str, quality: str) -> str:
    """The self-contained player page for a deck manifest (``slides``)."""
    colours = THEMES[theme]
    deck = {"title": DOCUMENT_TITLE, "quality": quality, "slides": slides}
    # "</" would end the <script> element early if a title or caption contained it.
    manifest = json.dumps(deck, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return (_TEMPLATE.replace("__TITLE__", DOCUMENT_TITLE)
            .replace("__BACKGROUND__", colours.background)
            .replace("__TEXT__", colours.text)
            .replace("__MUTED__", colours.muted)
            .replace("__ACCENT__", colours.symbols["p"])
            .replace("__DECK__", manifest))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__ (presenter)</title>
<style>
  html, body { margin: 0; height: 100%; overflow: hidden; background: __BACKGROUND__;
    color: __TEXT__; font-family: "DejaVu Sans", system-ui, sans-serif; }
  #stage { position: absolute; inset: 0; cursor: pointer; }
  #stage video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain;
    background: __BACKGROUND__; visibility: hidden; }
  #stage video.front { visibility: visible; }
  #caption { position: absolute; left: 50%; bottom: 7%; transform: translateX(-50%);
    max-width: 80%; padding: .25em .6em; border-radius: .3em; text-align: center;
    background: rgba(0, 0, 0, .78); color: #fff; font-size: clamp(16px, 2.4vw, 40px);
    line-height: 1.3; pointer-events: none; }
  #hud { position: absolute; left: 0; right: 0; bottom: 0; display: flex; gap: 1.5em;
    align-items: baseline; padding: .45em 1em .6em; font-size: 14px; color: __MUTED__;
    background: linear-gradient(transparent, rgba(0, 0, 0, .55)); transition: opacity .4s; }
  #hud.idle { opacity: 0; }
  #hud span { white-space: nowrap; }
  #where { color: __TEXT__; font-weight: bold; }
  #title { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
  #help { margin-left: auto; font-size: 12px; }
  @media (max-width: 900px) { #help { display: none; } }
  #bar { position: absolute; left: 0; bottom: 0; height: 3px; background: __ACCENT__;
    width: 0; transition: width .2s; }
  #notice { position: absolute; top: 1em; left: 50%; transform: translateX(-50%);
    padding: .4em .9em; border-radius: .3em; background: rgba(0, 0, 0, .7); color: #fff;
    font-size: 15px; }
  [hidden] { display: none !important; }
</style>
</head>
<body data-slide="0" data-step="0" data-state="loading">
<main id="stage" aria-label="Presentation: click or press the right arrow for the next step">
  <video id="va" class="front" muted playsinline preload="auto"></video>
  <video id="vb" muted playsinline preload="auto"></video>
</main>
<div id="caption" role="status" aria-live="polite" hidden></div>
<div id="notice" hidden></div>
<footer id="hud">
  <span id="where"></span><span id="title"></span>
  <span id="help">&rarr; / space / click: next &middot; &larr;: back &middot;
    shift+&rarr;/&larr;: slide &middot; C: captions &middot; F: full screen</span>
</footer>
<div id="bar"></div>
<noscript>This presentation needs JavaScript to step through its videos.</noscript>
<script type="application/json" id="deck">__DECK__</script>
<script>
"use strict";
const deck = JSON.parse(document.getElementById("deck").textContent);
const steps = [];  // every section of every slide, in order
deck.slides.forEach((slide, s) => slide.steps.forEach((step, j) =>
  steps.push(Object.assign({slide: s, index: j, count: slide.steps.length}, step))));
const videos = [document.getElementById("va"), document.getElementById("vb")];
const $ = id => document.getElementById(id);
let front = 0, pos = 0, state = "loading", captionsOn = false, idleTimer = 0;

function load(video, k) {
  if (video.dataset.step === String(k)) return;
  video.dataset.step = String(k);
  video.src = steps[k].src;
  video.load();
}
function whenReady(video, fn) {  // the video has its current frame decoded
  if (video.readyState >= 2) fn();
  else video.addEventListener("loadeddata", fn, {once: true});
}
function setState(s) { state = s; update(); }
function update() {
  const step = steps[pos], slide = deck.slides[step.slide];
  // The lecture's own slide number where the scene has one ("Slide 3 / 10"), else its title.
  $("where").textContent = (slide.label || slide.title) + " \\u00b7 step " +
    (step.index + 1) + " of " + step.count;
  $("title").textContent = slide.label ? slide.title : "";
  document.title = slide.title + " \\u2014 " + deck.title;
  document.body.dataset.slide = String(step.slide + 1);
  document.body.dataset.step = String(step.index + 1);
  document.body.dataset.state = state;
  const done = pos + (state === "done" ? 1 : state === "playing" ? 0.5 : 0);
  $("bar").style.width = (100 * done / steps.length) + "%";
  showCaption();
}
function showCaption() {
  const box = $("caption");
  const t = videos[front].currentTime;
  const cue = captionsOn && steps[pos].cues.find(c => c[0] <= t && t < c[1] + 0.05);
  box.hidden = !cue;
  if (cue) box.textContent = cue[2];
}
function notice(text) {
  const box = $("notice");
  box.textContent = text; box.hidden = false;
  clearTimeout(box.timer); box.timer = setTimeout(() => { box.hidden = true; }, 2500);
}
function play() {
  const video = videos[front];
  setState("playing");
  const started = video.play();
  if (started) started.catch(error => {
    if (state !== "playing") return;  // paused on purpose meanwhile
    setState("ready");
    notice("The browser did not start the video (" + error.name + "): press \\u2192 again.");
  });
}
function toEnd(video) {
  video.pause();
  whenReady(video, () => { video.currentTime = Math.max(0, video.duration - 0.001); });
}
// Show step k: "play" it from its start, hold its first frame ("start") or its last ("end").
function show(k, mode) {
  k = Math.max(0, Math.min(steps.length - 1, k));
  let video = videos[front];
  if (video.dataset.step !== String(k)) {
    const spare = videos[1 - front];
    load(spare, k);
    front = 1 - front;
    video = spare;
    // Swap only once the new video has a frame, so the picture never flashes empty.
    whenReady(spare, () => {
      if (videos[front] !== spare) return;
      spare.classList.add("front");
      const old = videos[1 - front];
      old.classList.remove("front");
      old.pause();
      if (pos + 1 < steps.length) load(old, pos + 1);  // preload what "next" will need
    });
  }
  pos = k;
  if (mode === "play") {
    video.currentTime = 0;
    play();
  } else if (mode === "end") {
    toEnd(video);
    setState("done");
  } else {
    video.pause();
    video.currentTime = 0;
    setState("ready");
  }
}
function next() {
  if (state === "playing") {  // a second "next" finishes the running step at once
    toEnd(videos[front]);
    setState("done");
  } else if (state === "ready" || state === "loading") {
    play();
  } else if (pos + 1 < steps.length) {
    show(pos + 1, "play");
  } else {
    notice("End of the lecture.");
  }
}
function back() {
  if (pos === 0) show(0, "start");
  else show(pos - 1, "end");  // the previous pause point
}
function slideStart(s) { return steps.findIndex(st => st.slide === s); }
function nextSlide() {
  const s = steps[pos].slide + 1;
  if (s < deck.slides.length) show(slideStart(s), "play"); else notice("Last slide.");
}
function previousSlide() {
  const s = steps[pos].slide;
  show(slideStart(steps[pos].index > 0 || state !== "ready" ? s : Math.max(0, s - 1)), "play");
}
function wake() {
  const hud = $("hud");
  hud.classList.remove("idle");
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => hud.classList.add("idle"), 3000);
}
videos.forEach(video => {
  video.addEventListener("ended", () => { if (video === videos[front]) setState("done"); });
  video.addEventListener("timeupdate", () => { if (video === videos[front]) showCaption(); });
  video.addEventListener("error", () => {
    if (video === videos[front]) notice("Cannot play " + video.getAttribute("src"));
  });
});
document.addEventListener("keydown", event => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const key = event.key;
  if (event.shiftKey && key === "ArrowRight") nextSlide();
  else if (event.shiftKey && key === "ArrowLeft") previousSlide();
  else if (["ArrowRight", " ", "PageDown", "Enter", "n", "N"].includes(key)) next();
  else if (["ArrowLeft", "PageUp", "Backspace", "p", "P"].includes(key)) back();
  else if (key === "Home") show(0, "start");
  else if (key === "End") show(steps.length - 1, "end");
  else if (key === "c" || key === "C") { captionsOn = !captionsOn; showCaption();
    notice("Captions " + (captionsOn ? "on" : "off")); }
  else if (key === "f" || key === "F") {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  } else return;
  event.preventDefault();
  wake();
});
$("stage").addEventListener("click", () => { next(); wake(); });
document.addEventListener("mousemove", wake);
window.presenter = {
  next, back, nextSlide, previousSlide, show,
  status: () => ({slide: steps[pos].slide + 1, step: steps[pos].index + 1, state,
                  time: videos[front].currentTime, src: videos[front].getAttribute("src"),
                  paused: videos[front].paused, readyState: videos[front].readyState}),
};
load(videos[0], 0);
whenReady(videos[0], () => { if (state === "loading") setState("ready"); });
if (steps.length > 1) load(videos[1], 1);
update();
wake();
</script>
</body>
</html>
"""
