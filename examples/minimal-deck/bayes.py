"""Bayes' rule derived in one step, then a posterior drawn from real numbers."""

import numpy as np
from manim import DOWN, LEFT, UP, Create, FadeIn, Write

from lecturekit.scene import plots, style
from lecturekit.scene.derivation import DerivationScene

X = 1.5  # observed; prior z ~ N(0, 1), likelihood x ~ N(z, 1): posterior N(x/2, 1/2)


def normal(mu: float, var: float):
    return lambda z: np.exp(-((z - mu) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var)


class BayesRule(DerivationScene):
    def construct(self) -> None:
        self.show_title_bar()
        step = self.step_line(r"\textbf{Bayes' rule} from the product rule, in one step.")
        with self.beat("The joint factors two ways.", key_frame="product"):
            product = style.math(r"\p(\z \mid \x)", r"\p(\x)", "=", r"\p(\x \mid \z)", r"\p(\z)")
            self.place_line(product, step, buff=0.8)
            self.play(Write(product))
        with self.beat("Divide both sides by p(x): Bayes' rule.", key_frame="bayes"):
            rule = style.math(
                r"\p(\z \mid \x)",
                "=",
                r"\frac{",
                r"\p(\x \mid \z)",
                r"\p(\z)",
                "}{",
                r"\p(\x)",
                "}",
            )
            self.place_line(rule, product, buff=0.8)
            self.derive(product, rule, why=r"divide by $\p(\x)$")


class PosteriorPicture(DerivationScene):
    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        axes = plots.density_axes((-4, 4), y_max=0.6, x_length=9, y_length=3.5).shift(0.5 * DOWN)
        with self.beat("Before seeing x: the prior p(z).", key_frame="prior"):
            prior = plots.density_graph(axes, normal(0, 1), theme.symbol("z"), dashed=True)
            name = style.math(r"\p(\z)").next_to(axes.c2p(-1.6, 0.3), LEFT, buff=0.1)
            self.play(Create(axes), FadeIn(plots.axis_label(axes, r"\z")))
            self.play(Create(prior), FadeIn(name))
        with self.beat("After x = 1.5: narrower, and moved toward x.", key_frame="posterior"):
            posterior = normal(X / 2, 0.5)
            curve = plots.density_graph(axes, posterior, theme.symbol("p"))
            area = plots.area_under(axes, posterior, theme.symbol("p"), opacity=0.25)
            label = style.math(r"\p(\z \mid \x)").next_to(axes.c2p(X / 2, 0.56), UP, buff=0.1)
            self.play(Create(curve), FadeIn(area), FadeIn(label))
            self.wait(2)
