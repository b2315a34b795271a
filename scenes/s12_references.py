"""Closing card: the reference behind the lecture and a credit line.

The script's other two references are links to companion notes that the video does not ship,
so only the paper is shown.
"""

from __future__ import annotations

from manim import DOWN, UP, FadeIn, Line, VGroup, Write

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene

AUTHORS = "Kingma \\& Welling (2014)"
PAPER = "Auto-Encoding Variational Bayes"
VIDEO_TITLE = "Variational Autoencoders: A Visual Derivation"
CREDIT = "Made with Manim Community"


class References(LectureScene):
    """The reference (Kingma & Welling, 2014), the video title again, and the credit."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "Reference: Kingma and Welling (2014), Auto-Encoding Variational Bayes.",
            key_frame="reference",
        ):
            authors = style.tex(AUTHORS, size=style.HEADING_SIZE + 6)
            paper = style.tex(f"``{PAPER}''", size=style.TITLE_SIZE + 12)
            reference = VGroup(authors, paper).arrange(DOWN, buff=0.35)
            reference.move_to([0, style.content_top() - 1.6, 0])
            self.play(FadeIn(authors, shift=0.2 * DOWN))
            self.play(Write(paper), run_time=1.5)
            self.wait(2)

        with self.beat(
            "This video: Variational Autoencoders, A Visual Derivation.", key_frame="video-title"
        ):
            rule = Line(
                reference.get_left(), reference.get_right(), color=theme.muted, stroke_width=2
            )
            rule.next_to(reference, DOWN, buff=0.5)
            video_title = style.text(VIDEO_TITLE, size=style.BODY_SIZE, color=theme.muted)
            video_title.next_to(rule, DOWN, buff=0.5)
            self.play(FadeIn(rule), FadeIn(video_title, shift=0.2 * UP))
            self.wait(2)

        with self.beat("Made with Manim Community.", key_frame="credit"):
            credit = style.text(CREDIT, size=style.LABEL_SIZE, color=theme.muted)
            credit.to_edge(DOWN, buff=style.SAFE_MARGIN + 0.4)
            self.play(FadeIn(credit))
            self.wait(2.5)
