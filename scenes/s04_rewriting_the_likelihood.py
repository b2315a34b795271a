"""Slide 4: Rewriting the Likelihood.

The factor q_phi(z|x) / q_phi(z|x) = 1 grows in under the integral of log p_theta(x), then the
factors regroup into q_phi(z|x) times the ratio p_theta(x, z) / q_phi(z|x): same value, a
useful form.
"""

from __future__ import annotations

from manim import DOWN, UP, FadeIn, FadeOut, GrowFromCenter, VGroup, Write

from lecturekit.scene import style
from lecturekit.scene.derivation import DerivationScene, carry, frac, pieces
from scenes import formulas
from scenes.formulas import RATIO

Q = formulas.Q_ENCODER
INTEGRAL = r"\log \int"
DZ = r"\, d\z"


class RewritingTheLikelihood(DerivationScene):
    """Slide 4: multiply and divide by q_phi(z|x) inside the integral."""

    def construct(self) -> None:
        self.show_title_bar()

        with self.beat("Step 1: multiply and divide by q(z|x) inside the integral."):
            step = self.step_line(
                r"\textbf{Step 1:} Multiply and divide by $\qp(\z \given \x)$ "
                r"inside the integral."
            )
            self.wait(2.6)

        with self.beat(
            "Start from the log-likelihood: the log of an integral over z.",
            key_frame="log-likelihood",
        ):
            start = style.math(*formulas.LOG_MARGINAL)
            self.place_line(start, step, buff=0.8)
            self.play(Write(start), run_time=2)
            self.wait(2)

        with self.beat(
            "Put q(z|x) / q(z|x) under the integral: it equals 1.", key_frame="times-one"
        ):
            grown = style.math("=", INTEGRAL, *frac(Q, Q), r"\;", formulas.JOINT, DZ)
            self.place_line(grown, start, buff=0.7, align=start[1])
            self.play(*carry(start.copy(), grown, "=", INTEGRAL, formulas.JOINT, DZ), run_time=1.6)
            one = pieces(grown, Q, "}{")
            self.play(GrowFromCenter(one), run_time=1.6)
            box = style.emphasis_box(one, buff=0.06)
            equals_one = style.math("= 1", color=self.theme.highlight, size=style.LABEL_SIZE + 4)
            equals_one.next_to(box, DOWN, buff=0.12)
            self.play(FadeIn(box), FadeIn(equals_one, shift=0.1 * UP))
            self.wait(2.6)

        with self.beat("Regroup: q(z|x) times the ratio p(x, z) / q(z|x).", key_frame="regrouped"):
            self.play(FadeOut(VGroup(box, equals_one)))
            regrouped = style.math("=", INTEGRAL, Q, r"\cdot", *RATIO, DZ)
            self.place_line(regrouped, start, buff=0.7, align=start[1])
            self.derive(grown, regrouped, why="factors regrouped", copy=False, wait=2.6)

        with self.beat(
            "This doesn't change the value, it rewrites the integral in a useful form.",
            key_frame="same-value",
        ):
            remark = style.tex(
                r"This doesn't change the value---it just rewrites the integral "
                r"in a useful form."
            )
            remark.next_to(regrouped, DOWN, buff=0.9).set_x(0)
            self.play(FadeIn(remark, shift=0.2 * UP))
            self.wait(3.6)
