"""Closing card: the script's three references and a credit line.

The paper behind the lecture (Kingma & Welling, 2014), then the lecture's two companion notes by
file name and title (the script links them; the video names them so a viewer can find them),
then the video's title and the credit.
"""

from __future__ import annotations

from manim import *

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene

AUTHORS = "Kingma \\& Welling (2014)"
PAPER = "Auto-Encoding Variational Bayes"
# The companion notes of the lecture, as the script lists them: file name, title.
NOTES = (
    ("VAE-01-overview.md", "Detailed theory"),
    ("VAE-02-elbo.md", "Step-by-step derivation"),
)
VIDEO_TITLE = "Variational Autoencoders: A Visual Derivation"
CREDIT = "Made with Manim Community"
BLOCK_LEFT = -4.3  # the blocks sit about centred under the title bar


class References(LectureScene):
    """The paper, the two companion notes, the video's title and the credit."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "Reference: Kingma and Welling (2014), Auto-Encoding Variational Bayes.",
            key_frame="paper",
            say="The paper: Kingma and Welling, twenty fourteen, Auto-Encoding Variational Bayes.",
        ):
            paper_heading = self._heading("Paper")
            paper_heading.next_to([BLOCK_LEFT, style.content_top(), 0], DOWN + RIGHT, buff=0.3)
            authors = style.tex(AUTHORS, size=style.HEADING_SIZE + 2)
            paper = style.tex(f"``{PAPER}''", size=style.TITLE_SIZE + 6)
            reference = VGroup(authors, paper).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
            reference.next_to(paper_heading, DOWN, aligned_edge=LEFT, buff=0.3).shift(0.5 * RIGHT)
            self.play(FadeIn(paper_heading), FadeIn(authors, shift=0.2 * DOWN))
            self.play(Write(paper), run_time=1.5)
            self.wait(1.5)

        with self.beat(
            "Companion notes: VAE-01, detailed theory; VAE-02, step-by-step derivation.",
            key_frame="notes",
            say="And two companion notes: the detailed theory, and the step-by-step derivation.",
        ):
            notes_heading = self._heading("Companion notes of this lecture")
            notes_heading.next_to(reference, DOWN, buff=0.6).align_to(paper_heading, LEFT)
            rows = VGroup(
                *(
                    style.tex(rf"\texttt{{{name}}}", r" --- ", title, size=style.HEADING_SIZE)
                    for name, title in NOTES
                )
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            rows.next_to(notes_heading, DOWN, aligned_edge=LEFT, buff=0.3).align_to(reference, LEFT)
            self.play(FadeIn(notes_heading))
            for row in rows:
                self.play(FadeIn(row, shift=0.2 * RIGHT))
            self.wait(1.5)

        with self.beat(
            "Variational Autoencoders: A Visual Derivation. Made with Manim Community.",
            key_frame="credit",
            say="Variational Autoencoders, a visual derivation, made with Manim Community.",
        ):
            left, right, bottom, _ = style.safe_box()
            credit = style.text(CREDIT, size=style.LABEL_SIZE, color=theme.muted)
            credit.move_to([0, bottom + 0.35, 0])
            video_title = style.text(VIDEO_TITLE, size=style.BODY_SIZE, color=theme.muted)
            video_title.next_to(credit, UP, buff=0.25)
            rule = Line([left + 1.5, 0, 0], [right - 1.5, 0, 0], color=theme.muted, stroke_width=2)
            rule.next_to(video_title, UP, buff=0.35)
            self.play(FadeIn(rule), FadeIn(video_title, shift=0.2 * UP))
            self.play(FadeIn(credit))
            self.wait(2)

    def _heading(self, text: str):
        """A block's heading, in the formulas' face, muted (the entries are what matters)."""
        heading = style.tex(rf"\textbf{{{text}}}", size=style.BODY_SIZE, color=self.theme.muted)
        return heading.align_to([BLOCK_LEFT, 0, 0], LEFT)
