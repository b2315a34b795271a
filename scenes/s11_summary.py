"""Summary: The VAE Story.

The five steps of the lecture (goal, obstacle, solution, derivation, result) built up as a flow,
one step at a time, ending in ELBO = Reconstruction - KL and the balance that objective strikes.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Arrow,
    Create,
    FadeIn,
    GrowArrow,
    Mobject,
    RoundedRectangle,
    VGroup,
    Write,
)

from lecturekit.scene import style
from lecturekit.scene.lecture import LectureScene

BOX_WIDTH, BOX_HEIGHT = 3.5, 0.62
BOX_LEFT = -6.4
FIRST_ROW_Y = 2.3
ROW_STEP = 0.92
CONTENT_LEFT = -1.85
STEP_SIZE = style.BODY_SIZE
CONTENT_SIZE = style.MATH_SIZE


class Summary(LectureScene):
    """The five-step story of the VAE, ending in the objective and the balance it strikes."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "1. The goal: maximize the log-likelihood of the data, log p(x).", key_frame="goal"
        ):
            self._step(0, "Goal", style.math(r"\text{Maximize } \log \pt(\x)", size=CONTENT_SIZE))
            self.wait(1.5)

        with self.beat(
            "2. The obstacle: p(x) is an intractable integral over z.", key_frame="obstacle"
        ):
            self._step(
                1,
                "Obstacle",
                style.math(r"\text{Intractable integral over } \z", size=CONTENT_SIZE),
            )
            self.wait(1.5)

        with self.beat(
            "3. The solution: introduce an approximate posterior q(z|x).", key_frame="solution"
        ):
            self._step(
                2,
                "Solution",
                style.math(
                    r"\text{Introduce approximate posterior } "
                    r"\q(\z \given \x)",
                    size=CONTENT_SIZE,
                ),
            )
            self.wait(1.5)

        with self.beat(
            "4. The derivation: one inequality (Jensen's), one decomposition.",
            key_frame="derivation",
        ):
            self._step(
                3,
                "Derivation",
                style.math(
                    r"\text{One inequality (Jensen's), "
                    r"one decomposition}",
                    size=CONTENT_SIZE,
                ),
            )
            self.wait(1.5)

        with self.beat("5. The result: ELBO equals reconstruction minus KL.", key_frame="result"):
            result = style.math(
                r"\text{ELBO}", "=", r"\text{Reconstruction}", "-", r"\KL", size=CONTENT_SIZE + 4
            )
            result[0].set_color(theme.elbo)
            result[2].set_color(theme.data)
            box = self._step(4, "Result", result)
            self.play(Create(style.emphasis_box(VGroup(box, result), color=theme.elbo)))
            self.wait(2)

        with self.beat("The ELBO is a principled objective that balances two things:"):
            balance = style.tex(
                r"\textbf{The ELBO is a principled objective that balances:}",
                size=style.HEADING_SIZE,
            )
            reasons = VGroup(
                style.tex(
                    r"$\bullet$ Explaining the data (reconstruction)",
                    size=style.HEADING_SIZE,
                    color=theme.data,
                ),
                style.tex(
                    r"$\bullet$ Maintaining a usable latent space (regularization)",
                    size=style.HEADING_SIZE,
                    color=theme.kl,
                ),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            statement = VGroup(balance, reasons).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
            statement.next_to(
                [BOX_LEFT, self._row_y(4) - BOX_HEIGHT / 2 - 0.45, 0], DOWN + RIGHT, buff=0
            )
            self.play(FadeIn(balance, shift=0.2 * DOWN))
            self.wait(2.5)
        with self.beat(
            "Explaining the data, and keeping a usable latent space.", key_frame="balance"
        ):
            for reason in reasons:
                self.play(FadeIn(reason, shift=0.2 * RIGHT))
                self.wait(1.2)
            self.wait(2)

    def _row_y(self, index: int) -> float:
        return FIRST_ROW_Y - index * ROW_STEP

    def _step(self, index: int, name: str, content: Mobject) -> Mobject:
        """One step of the flow: a named box, an arrow, the step's content; linked upward."""
        theme = self.theme
        y = self._row_y(index)
        box = RoundedRectangle(
            width=BOX_WIDTH,
            height=BOX_HEIGHT,
            corner_radius=0.12,
            color=theme.muted,
            stroke_width=2,
        )
        box.move_to([BOX_LEFT + BOX_WIDTH / 2, y, 0])
        label = style.text(f"{index + 1}. {name}", size=STEP_SIZE, weight="BOLD")
        label.move_to(box).align_to(box, LEFT).shift(0.2 * RIGHT)
        arrow = Arrow(
            box.get_right(),
            [CONTENT_LEFT, y, 0],
            buff=0.12,
            stroke_width=4,
            max_tip_length_to_length_ratio=0.25,
            color=theme.muted,
        )
        content.next_to(arrow, RIGHT, buff=0.15)
        animations = [Create(box), FadeIn(label)]
        if index > 0:
            link = Arrow(
                box.get_top() + ROW_STEP * np.array([0, 1, 0]) - [0, BOX_HEIGHT, 0],
                box.get_top(),
                buff=0.02,
                stroke_width=3,
                max_tip_length_to_length_ratio=0.4,
                color=theme.muted,
            )
            animations.append(GrowArrow(link))
        self.play(*animations)
        self.play(GrowArrow(arrow))
        self.play(Write(content), run_time=1.5)
        return box
