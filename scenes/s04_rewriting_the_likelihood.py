"""Slide 4: Rewriting the Likelihood.

The factor q_phi(z|x) / q_phi(z|x) = 1 grows in under the integral of log p_theta(x), then the
factors regroup into q_phi(z|x) times the ratio p_theta(x, z) / q_phi(z|x): same value, a
useful form. "Same value" is then seen on the toy model, for one density q that covers both
posterior modes (the moment-matched Gaussian; the encoder's narrow ELBO fit would make the
ratio ~1e29 on the left mode, impossible to draw): q, the ratio p(x, z) / q and their product,
which lands on p(x, z) with the same area, p(x).
"""

from __future__ import annotations

import numpy as np
from manim import *

from lecturekit.scene import plots, style
from lecturekit.scene.derivation import DerivationScene, carry, frac, pieces
from scenes import formulas, pictures
from scenes.formulas import RATIO
from scenes.numerics import OBSERVED_X, fit_forward_kl
from scenes.numerics.toy_model import rewritten_integrand

Q = formulas.Q_ENCODER
INTEGRAL = r"\log \int"
DZ = r"\, d\z"
PANEL_SIZE = (3.6, 1.3)  # three plots side by side under the chain
PANEL_GAP = 0.85  # room for the "x" and "=" between them
PANEL_BASE_Y = -2.95  # the plots' z axes


class IntegrandPanel(VGroup):
    """One of the three plots of the rewritten integrand: axes over z, a title above, a curve.

    Parts: ``axes``, ``title`` (two lines: name, formula), ``curve`` (``dashed`` for the
    moment-matched Gaussian and for the product, which lands on a solid curve).
    """

    def __init__(
        self, title: Mobject, z: np.ndarray, values: np.ndarray, color: str, dashed: bool = False
    ) -> None:
        self.axes = pictures.density_axes(
            1.2 * float(values.max()), x_length=PANEL_SIZE[0], y_length=PANEL_SIZE[1], z_step=2.0
        )
        self.curve = plots.density_graph(self.axes, values, color, x=z, dashed=dashed)
        self.title = title.next_to(self.axes, UP, buff=0.2)
        super().__init__(self.axes, self.title, self.curve)


class RewritingTheLikelihood(DerivationScene):
    """Slide 4: multiply and divide by q_phi(z|x) inside the integral."""

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()

        with self.beat(
            "Step 1: multiply and divide by q(z|x) inside the integral.",
            say="Step one: multiply and divide by q phi of z given x, inside the integral.",
        ):
            step = self.step_line(
                r"\textbf{Step 1:} Multiply and divide by $\qp(\z \given \x)$ "
                r"inside the integral."
            )
            self.wait(2.6)

        with self.beat(
            "Start from the log-likelihood: the log of an integral over z.",
            say="Start from the log-likelihood: the log of an integral over z.",
            key_frame="log-likelihood",
        ):
            start = style.math(*formulas.LOG_MARGINAL)
            self.place_line(start, step, buff=0.4)
            self.play(Write(start), run_time=2)
            self.wait(1.5)

        with self.beat(
            "Put q(z|x) / q(z|x) under the integral: it equals 1.",
            say=(
                "Put q phi of z given x over itself under the integral. That fraction "
                "equals one, so the value is the same."
            ),
            key_frame="times-one",
        ):
            grown = style.math("=", INTEGRAL, *frac(Q, Q), r"\;\;", formulas.JOINT, DZ)
            self.place_line(grown, start, buff=0.3, align=start[1])
            self.play(*carry(start.copy(), grown, "=", INTEGRAL, formulas.JOINT, DZ), run_time=1.6)
            one = pieces(grown, Q, "}{")
            self.play(GrowFromCenter(one), run_time=1.6)
            box = style.emphasis_box(one)
            equals_one = style.math("= 1", color=theme.highlight, size=style.LABEL_SIZE + 4)
            equals_one.next_to(box, DOWN, buff=0.15)
            self.play(FadeIn(box), FadeIn(equals_one, shift=0.1 * UP))
            self.wait(2)

        with self.beat(
            "Regroup: q(z|x) times the ratio p(x, z) / q(z|x).",
            say=(
                "Now regroup: q phi of z given x, times the ratio, p theta of x and z over "
                "q phi of z given x."
            ),
            key_frame="regrouped",
        ):
            self.play(FadeOut(VGroup(box, equals_one)))
            regrouped = style.math("=", INTEGRAL, Q, r"\cdot", *RATIO, DZ)
            self.place_line(regrouped, start, buff=0.3, align=start[1])
            self.derive(grown, regrouped, why="factors regrouped", copy=False, wait=2)

        # The picture: one q that covers both modes, so that the ratio stays drawable.
        q = fit_forward_kl(OBSERVED_X)
        integrand = rewritten_integrand(q, OBSERVED_X)
        q_panel, ratio_panel, product_panel = self._panels(integrand)
        times = style.math(r"\times").move_to(self._between(q_panel, ratio_panel))
        equals = style.math("=").move_to(self._between(ratio_panel, product_panel))
        with self.beat(
            "Seen with one q covering both modes, the moment-matched Gaussian: q and p/q.",
            say=(
                "Take one q that covers both modes: the dashed orange, moment-matched "
                "Gaussian. Beside it is the ratio, p over q."
            ),
            key_frame="q-and-ratio",
        ):
            self.play(
                *(Create(p.axes) for p in (q_panel, ratio_panel)),
                *(FadeIn(p.title) for p in (q_panel, ratio_panel)),
            )
            self.play(Create(q_panel.curve), run_time=1.2)
            self.play(FadeIn(times), Create(ratio_panel.curve), run_time=1.2)
            self.wait(2)

        with self.beat(
            "Their product lands exactly on p(x, z): same area, so the value is unchanged.",
            say=(
                "Their product lands exactly on the blue curve, p theta of x and z, with "
                "the same area. This doesn't change the value; it just rewrites the "
                "integral in a useful form."
            ),
            key_frame="same-value",
        ):
            joint = plots.density_graph(
                product_panel.axes, integrand.joint, theme.posterior, x=integrand.z
            )
            joint_area = plots.area_under(
                product_panel.axes, integrand.joint, theme.posterior, x=integrand.z
            )
            self.play(
                FadeIn(equals),
                Create(product_panel.axes),
                Create(joint),
                FadeIn(joint_area),
            )
            # Both factors travel into the third plot and become their product (dashed, as
            # the product is: dash for dash, each factor's curve morphs into it).
            twin = product_panel.curve.copy()
            self.play(
                ReplacementTransform(q_panel.curve.copy(), product_panel.curve),
                ReplacementTransform(plots.dash(ratio_panel.curve.copy()), twin),
                run_time=1.8,
            )
            self.remove(twin)
            self.play(FadeIn(product_panel.title))
            remark = VGroup(
                style.tex(r"This doesn't change the value---"),
                style.tex(r"it just rewrites the integral in a useful form."),
            ).arrange(DOWN, buff=0.12, aligned_edge=RIGHT)
            remark.next_to(start, RIGHT, buff=0.6).to_edge(RIGHT, buff=style.SAFE_MARGIN + 0.1)
            self.play(FadeIn(remark, shift=0.2 * LEFT))
            self.wait(2.5)

    def _panels(self, integrand) -> tuple[IntegrandPanel, IntegrandPanel, IntegrandPanel]:
        """q (dashed: the moment-matched Gaussian), the ratio p/q, and their product."""
        theme = self.theme
        size = style.LABEL_SIZE
        q_title = VGroup(
            style.tex("moment-matched", size=size, color=theme.approx),
            style.tex(r"Gaussian $\q(\z)$", size=size, color=theme.approx),
        )
        ratio_title = VGroup(
            style.tex("ratio", size=size),
            style.tex(r"$" + formulas.JOINT + r" / \q(\z)$", size=size),
        )
        # The product's area is integrated from the product itself (numerics), not typed.
        product_title = VGroup(
            style.tex(r"product $= " + formulas.JOINT + "$", size=size),
            style.tex(
                rf"area ${integrand.product_area:.3f} = \pt(\x)$", size=size, color=theme.posterior
            ),
        )
        for title in (q_title, ratio_title, product_title):
            title.arrange(DOWN, buff=0.1)
        panels = (
            IntegrandPanel(q_title, integrand.z, integrand.q, theme.approx, dashed=True),
            IntegrandPanel(ratio_title, integrand.z, integrand.ratio, theme.text),
            IntegrandPanel(product_title, integrand.z, integrand.product, theme.text, dashed=True),
        )
        width = 3 * PANEL_SIZE[0] + 2 * PANEL_GAP
        for i, panel in enumerate(panels):
            left = -width / 2 + i * (PANEL_SIZE[0] + PANEL_GAP)
            panel.shift([left, PANEL_BASE_Y, 0] - panel.axes.c2p(panel.axes.x_range[0], 0))
        return panels

    @staticmethod
    def _between(a: IntegrandPanel, b: IntegrandPanel) -> np.ndarray:
        """Half-way between two panels' plots, at the height of their middle."""
        return (a.axes.get_right() + b.axes.get_left()) / 2
