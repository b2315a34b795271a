"""The PDF handout: one A4 landscape page per scene with its title, key frames and captions.

The pages show the storyboard's frames (:mod:`lecturekit.outputs.frames`: no video), each
with the caption of the beat it closes, so the handout reads as lecture notes. Pages are drawn
with Pillow and saved as one multi-page PDF (Pillow's PDF writer, JPEG at high quality); no
extra dependency. Print-friendly: white paper and black text whatever the video's theme (the
light theme's frames are the better choice for print: ``--theme light``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

from lecturekit.atomic import atomic_path

from .frames import SceneFrames, thumbnail
from .storyboard import fit_text, font, frame_label, wrap_text

DPI = 150
PAGE_SIZE = (round(297 / 25.4 * DPI), round(210 / 25.4 * DPI))  # A4 landscape: 1754 x 1240
MARGIN = round(12 / 25.4 * DPI)  # 12 mm, inside every printer's unprintable border
INK = "#1B1E24"
MUTED = "#4A505C"
PAPER = "#FFFFFF"
TITLE_SIZE = 40
LABEL_SIZE = 20
FOOTER_SIZE = 18


def grid_for(n: int) -> tuple[int, int]:
    """(columns, rows) for ``n`` frames: as large as possible on a landscape page."""
    columns = 1 if n <= 1 else 2 if n <= 4 else 3 if n <= 9 else 4
    return columns, max(1, math.ceil(n / columns))


def handout_page(scene: SceneFrames, page: int, pages: int, document: str) -> Image.Image:
    """One page: title and slide number, the key frames in a grid with captions, a footer
    naming the ``document`` (the lecture's title)."""
    width, height = PAGE_SIZE
    sheet = Image.new("RGB", PAGE_SIZE, PAPER)
    draw = ImageDraw.Draw(sheet)
    inner = width - 2 * MARGIN

    # Header: the scene's title on the left, its slide number on the right, a rule below.
    spec = scene.spec
    right = f"Slide {spec.slide}" if spec.slide is not None else ""
    right_w = draw.textlength(right, font=font(TITLE_SIZE - 8)) if right else 0
    title = fit_text(draw, spec.title, int(inner - right_w - 40), font(TITLE_SIZE, bold=True))
    draw.text((MARGIN, MARGIN), title, fill=INK, font=font(TITLE_SIZE, bold=True))
    if right:
        draw.text(
            (width - MARGIN - right_w, MARGIN + 6), right, fill=MUTED, font=font(TITLE_SIZE - 8)
        )
    rule_y = MARGIN + TITLE_SIZE + 18
    draw.line((MARGIN, rule_y, width - MARGIN, rule_y), fill=MUTED, width=2)

    # Footer: the lecture's name and the page number.
    footer_y = height - MARGIN - FOOTER_SIZE
    draw.text((MARGIN, footer_y), document, fill=MUTED, font=font(FOOTER_SIZE))
    page_label = f"{page} / {pages}"
    draw.text(
        (width - MARGIN - draw.textlength(page_label, font=font(FOOTER_SIZE)), footer_y),
        page_label,
        fill=MUTED,
        font=font(FOOTER_SIZE),
    )

    # Frames: a grid filling the space between header and footer; each with two caption lines.
    frames = scene.frames
    columns, rows = grid_for(len(frames))
    gap = 28
    caption_h = 3 * (LABEL_SIZE + 6)
    top, bottom = rule_y + 24, footer_y - 20
    aspect = frames[0].image.height / frames[0].image.width if frames else 9 / 16
    cell_w = (inner - (columns - 1) * gap) / columns
    cell_h = (bottom - top - (rows - 1) * gap) / rows
    pic_w = int(min(cell_w, (cell_h - caption_h) / aspect))
    pic_h = round(pic_w * aspect)
    grid_w = columns * pic_w + (columns - 1) * gap
    left = MARGIN + (inner - grid_w) // 2
    for i, frame in enumerate(frames):
        row, col = divmod(i, columns)
        x = left + col * (pic_w + gap)
        y = top + row * (pic_h + caption_h + gap)
        sheet.paste(thumbnail(frame.image, pic_w).resize((pic_w, pic_h)), (x, y))
        draw.rectangle((x - 1, y - 1, x + pic_w, y + pic_h), outline=MUTED)
        lines = wrap_text(draw, frame_label(i + 1, frame), pic_w, font(LABEL_SIZE), 2)
        for k, line in enumerate(lines):
            draw.text(
                (x, y + pic_h + 8 + k * (LABEL_SIZE + 6)), line, fill=INK, font=font(LABEL_SIZE)
            )
    return sheet


def write_handout(scenes: Sequence[SceneFrames], path: Path, document: str) -> Path:
    """Write the handout PDF of the lecture ``document`` atomically (one page per scene, in
    order) and return its path."""
    if not scenes:
        raise ValueError("a handout needs at least one scene")
    pages = [handout_page(s, i, len(scenes), document) for i, s in enumerate(scenes, start=1)]
    with atomic_path(path) as tmp:
        pages[0].save(
            tmp,
            "PDF",
            save_all=True,
            append_images=pages[1:],
            resolution=DPI,
            quality=92,
            title=document,
            author="lecturekit",
        )
    return path
