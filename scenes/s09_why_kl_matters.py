"""Slide 9: Why the KL Term Matters.

One small VAE (``numerics.load_kl_vae``) trained twice on the same 2-D crescent of data points:
without the KL term (beta = 0) and with it (beta = 1). Three panels in a row: the middle one
holds what both runs share (prior samples, the data), the outer ones what each run makes of it,
with arrows through the run's decoder or encoder. Each of the slide's three reasons gets its own
picture from the shipped runs, with the metric that measures it:

1. Enables generation: the same samples z ~ p(z) go through both decoders; they land on the
   data only with the KL term.
2. Prevents memorization: the data go through both encoders; without KL every point's q(z|x)
   shrinks to a tiny, isolated code (a lookup table), with KL the posteriors overlap and fill
   the prior. Why the with-KL codes lie on a line is said with the numbers that show it
   (``kl_vae.latent_usage``).
3. Smooth latent space: evenly spaced z's on a straight latent path between the codes of the
   crescent's two ends go through both decoders; their images stay near each other and on the
   data only with the KL term.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from manim import *

from lecturekit.scene import style
from lecturekit.scene.layering import raise_if_clear
from lecturekit.scene.lecture import LectureScene
from lecturekit.scene.marks import Marks
from lecturekit.scene.plots import LabelledNumber
from scenes.numerics import KLVAEResult, load_kl_vae
from scenes.numerics.kl_vae import latent_usage

BETAS = (0, 1)
# Three panels across the safe width, with room between them for an arrow and its label.
PANEL_WIDTH, PANEL_HEIGHT = 3.72, 3.8
PANEL_TOP = 1.35
PANEL_STEP = (2 * (style.frame_half_width() - style.SAFE_MARGIN) - PANEL_WIDTH) / 2
PANEL_CENTRES = tuple(
    np.array([k * PANEL_STEP, PANEL_TOP - PANEL_HEIGHT / 2, 0.0]) for k in (-1, 0, 1)
)
LEFT_PANEL, MIDDLE_PANEL, RIGHT_PANEL = PANEL_CENTRES
TEXT_LEFT = -(style.frame_half_width() - style.SAFE_MARGIN) + 0.05
BOTTOM_ROW_Y = -3.3  # centre of the legend / statement row under the metrics
VIEW_MARGIN = 0.25  # space units around the points a view must show
N_TRACED = 4  # prior samples traced one by one: the first four of the seeded draw, not picked
PATH_STRIDE = 3  # every third point of the shipped 25-point latent path: 9 evenly spaced z's
DOT_RADIUS = 0.03
METRIC_SIZE = style.LABEL_SIZE + 2


@dataclass(frozen=True)
class View:
    """A 2-D space (data x or latent z) shown in a panel, with equal scales on both axes."""

    centre: np.ndarray  # the panel's centre in the frame
    origin: np.ndarray  # the point of the space drawn at the panel's centre
    scale: float  # frame units per unit of the space

    def __call__(self, points: np.ndarray) -> np.ndarray:
        """(N, 2) points of the space -> (N, 3) frame points."""
        p = np.atleast_2d(points)
        return np.column_stack([(p - self.origin) * self.scale, np.zeros(len(p))]) + self.centre

    @classmethod
    def fitting(cls, centre: np.ndarray, points: np.ndarray, margin: float = VIEW_MARGIN) -> View:
        """The view of a panel at ``centre`` that shows every one of ``points`` (with a margin)."""
        lo, hi = points.min(0) - margin, points.max(0) + margin
        scale = min(PANEL_WIDTH / (hi[0] - lo[0]), PANEL_HEIGHT / (hi[1] - lo[1]))
        return cls(centre, (lo + hi) / 2, scale)

    @classmethod
    def latent(cls, centre: np.ndarray, half_range: float, margin: float = VIEW_MARGIN) -> View:
        """A latent panel: z = 0 at the centre, +-``half_range`` (plus a margin) across its
        shorter side."""
        return cls(
            centre, np.zeros(2), min(PANEL_WIDTH, PANEL_HEIGHT) / (2 * (half_range + margin))
        )


def swap(old: Mobject, new: Mobject) -> tuple[Animation, Animation]:
    """One text (or labelled arrow) giving way to the next: a cross-fade, not a morph (a
    morph between different words shows garbled glyphs half-way)."""
    return FadeOut(old, shift=0.1 * UP), FadeIn(new, shift=0.1 * UP)


def dot_shapes(
    points: np.ndarray, colour: str, radius: float = DOT_RADIUS, opacity: float = 1.0
) -> list[Dot]:
    """Filled dots at frame points, one mobject each (for an animation that lags them)."""
    return [Dot(p, radius=radius, color=colour, fill_opacity=opacity) for p in points]


def dots(
    points: np.ndarray, colour: str, radius: float = DOT_RADIUS, opacity: float = 1.0
) -> Marks:
    """Filled dots at frame points, as one mobject (hundreds move and fade together): the
    dots of :func:`dot_shapes`, point for point."""
    dot = Dot(ORIGIN, radius=radius, color=colour, fill_opacity=opacity)
    return Marks.copies(dot, points)  # Dot(p) is the dot at the origin shifted by p


def ring_shapes(points: np.ndarray, colour: str, radius: float, width: float) -> list[Circle]:
    """Hollow rings at frame points (told apart from filled dots by shape, not only colour)."""
    return [Circle(radius=radius, color=colour, stroke_width=width).move_to(p) for p in points]


def rings(points: np.ndarray, colour: str, radius: float = 0.05) -> Marks:
    """Hollow rings at frame points, as one mobject: the rings of :func:`ring_shapes`."""
    ring = Circle(radius=radius, color=colour, stroke_width=1.5)
    return Marks.copies(ring, np.asarray(points) - ring.get_center())  # as move_to(p) shifts


class WhyKLMatters(LectureScene):
    """Slide 9: three reasons for the KL term, each shown on the toy VAE, beta 0 vs beta 1."""

    REASONS = ("1. Enables generation", "2. Prevents memorization", "3. Smooth latent space")

    def construct(self) -> None:
        theme = self.theme
        self.show_title_bar()
        runs = [load_kl_vae(beta) for beta in BETAS]
        data = runs[0].data  # the same points train both runs
        # The middle latent panel (reason 1) shows every prior sample; the outer ones (reasons
        # 2 and 3) every code with its 1-sigma ellipse, at one scale for both runs.
        z_middle = View.latent(MIDDLE_PANEL, float(np.abs(runs[0].prior_samples).max()))
        codes_half = max(float(np.max(np.abs(r.post_mean) + r.post_std)) for r in runs)
        z_sides = [View.latent(c, codes_half) for c in (LEFT_PANEL, RIGHT_PANEL)]
        # Outer data panels (reason 1) show the data and every decoded prior sample; the middle
        # data panel (reasons 2 and 3) the data and both decoded latent paths.
        decoded = np.vstack([data, *(r.prior_decoded for r in runs)])
        x_sides = [View.fitting(c, decoded) for c in (LEFT_PANEL, RIGHT_PANEL)]
        # (and room above the crescent for the label of the decoded path that follows it).
        label_room = np.array([[0.0, data[:, 1].max() + 0.6]])
        x_middle = View.fitting(
            MIDDLE_PANEL, np.vstack([data, label_room, *(r.interp_decoded for r in runs)])
        )

        with self.beat(
            "Three reasons to keep q(z|x) close to the prior p(z).",
            key_frame="three-reasons",
            say="Here are three reasons to keep q of z given x close to the prior, p of z.",
        ):
            heading = style.tex(
                r"\textbf{Three reasons to keep $\q(\z \given \x)$ close to $\p(\z)$:}",
                size=style.HEADING_SIZE,
            )
            names = VGroup(
                *(style.tex(rf"\textbf{{{n}}}", size=style.HEADING_SIZE) for n in self.REASONS)
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            overview = VGroup(heading, names).arrange(DOWN, buff=0.6).move_to([0, 0.4, 0])
            self.play(FadeIn(heading, shift=0.2 * DOWN))
            self.play(
                LaggedStart(*(FadeIn(n, shift=0.2 * RIGHT) for n in names), lag_ratio=0.5),
                run_time=2,
            )
            self.wait(2)

        with self.beat(
            "One small VAE on 2-D data, trained without the KL term and with it.",
            say=(
                "One small VAE, trained twice on the same data: without the KL term, beta equals "
                "zero, and with it."
            ),
        ):
            self.play(FadeOut(overview))
            lead = self._lead(
                r"Same data, same networks; objective: reconstruction $-\ \beta \cdot \KL$,",
                r"trained with $\beta = 0$ (no KL) and with $\beta = 1$ (the ELBO).",
            )
            frames = VGroup(*(self._frame(c) for c in PANEL_CENTRES))
            side_titles = VGroup(
                *(
                    self._title(text, frame)
                    for text, frame in zip(
                        (r"without KL ($\beta = 0$)", r"with KL ($\beta = 1$)"),
                        (frames[0], frames[2]),
                        strict=True,
                    )
                )
            )
            middle_title = self._title(r"data $\x$ (200 points)", frames[1])
            middle_data = dots(x_middle(data), theme.data, opacity=0.85)
            self.play(FadeIn(lead), Create(frames), FadeIn(side_titles), FadeIn(middle_title))
            self.play(FadeIn(middle_data))
            # The same points train both runs: they move out to both sides (and stay there,
            # to compare what each run generates with).
            side_data = VGroup(*(dots(v(data), theme.data, opacity=0.8) for v in x_sides))
            tags = VGroup(*(self._space_tag(r"\x", c) for c in (LEFT_PANEL, RIGHT_PANEL)))
            self.play(
                *(ReplacementTransform(middle_data.copy(), d) for d in side_data),
                FadeIn(tags),
                run_time=1.5,
            )
            self.wait(1)

        # -- 1. Enables generation ---------------------------------------------------------
        with self.beat(
            "1. Enables generation: at test time, we sample z from the prior p(z).",
            say="Reason one, generation: at test time, we sample z from the prior.",
        ):
            reason = self._lead(
                rf"\textbf{{{self.REASONS[0]}.}} At test time, we sample $\z \sim \p(\z)$. "
                r"If encoder pushes latents away",
                r"from prior, decoder never sees those regions.",
            )
            # The middle becomes latent space. (What fades is raised above the side panels'
            # dots it does not overlap, so that they are not redrawn on every frame.)
            raise_if_clear(self, lead, middle_data)
            self.play(*swap(lead, reason), FadeOut(middle_data))
            axes_mid = self._latent_axes(z_middle)
            prior_mid = self._prior(z_middle)
            samples = VGroup(
                *dot_shapes(z_middle(runs[0].prior_samples), theme.latent, radius=0.035)
            )
            new_title = self._title(r"latent $\z$: samples $\z \sim \p(\z)$", frames[1])
            legend = self._legend(
                [
                    (Dot(radius=0.06, color=theme.latent), r"$\z \sim \p(\z)$"),
                    (Dot(radius=0.06, color=theme.data), r"data $\x$"),
                    (Circle(radius=0.07, color=theme.posterior, stroke_width=2), r"decoded $\z$"),
                ]
            )
            raise_if_clear(self, middle_title)
            self.play(
                *swap(middle_title, new_title),
                FadeIn(axes_mid),
                Create(prior_mid),
                FadeIn(legend),
            )
            middle_title = new_title
            self.play(FadeIn(samples, lag_ratio=0.01), run_time=1.5)
            samples = Marks.replace_group(self, samples)  # the lag needed them apart, no more
            self.wait(1)

        with self.beat(
            "Each z goes through both decoders: the same z, two different x's.",
            key_frame="through-decoder",
            say=(
                "If the encoder pushes latents away from the prior, the decoder never sees those "
                "regions. Follow four samples through both decoders."
            ),
        ):
            arrows = PanelArrows("decoder", theme.posterior, outward=True)
            # The other samples step back while a few are traced.
            note = style.tex(
                rf"the first {N_TRACED} of the {len(runs[0].prior_samples)} samples, "
                r"each through both decoders",
                size=style.BODY_SIZE,
            ).move_to([0, PANEL_TOP - PANEL_HEIGHT - 0.3, 0])
            self.play(FadeIn(arrows), FadeIn(note), samples.animate.set_opacity(0.3))
            trails, travellers = VGroup(), VGroup()
            for i in range(N_TRACED):
                start = z_middle(runs[0].prior_samples[i])[0]
                marker = Circle(radius=0.09, color=theme.latent, stroke_width=3).move_to(start)
                moves = []
                for view, run, bend in zip(x_sides, runs, (-1, 1), strict=True):
                    end = view(run.prior_decoded[i])[0]
                    trail = ArcBetweenPoints(start, end, angle=bend * PI / 5)
                    trail.set_stroke(theme.latent, width=2, opacity=0.7)
                    ring = Circle(radius=0.08, color=theme.posterior, stroke_width=3)
                    ring.move_to(start)
                    moves += [Create(trail), MoveAlongPath(ring, trail)]
                    trails.add(trail)
                    travellers.add(ring)
                self.play(FadeIn(marker, scale=1.5), run_time=0.4)
                self.play(*moves, run_time=1.0)
                trails.add(marker)
            self.wait(1)

        with self.beat(
            "Decoded prior samples land on the data only with the KL term.",
            key_frame="generation",
            say=(
                "Only with the KL term do the blue rings land on the data: distance zero point "
                "zero three five, against zero point five nine."
            ),
        ):
            # All of them at once: each sample moves to where the decoder sends it.
            decoded_rings = [
                rings(v(r.prior_decoded), theme.posterior)
                for v, r in zip(x_sides, runs, strict=True)
            ]
            self.play(
                FadeOut(trails),
                FadeOut(travellers),
                FadeOut(note),
                samples.animate.set_opacity(1),
                *(ReplacementTransform(samples.copy(), d) for d in decoded_rings),
                run_time=2.5,
            )
            metrics = self._metrics(runs, r"distance to data", lambda r: r.prior_to_data, 3)
            self.play(FadeIn(metrics))
            self.wait(2.5)

        # -- 2. Prevents memorization ------------------------------------------------------
        with self.beat(
            "2. Prevents memorization: without KL, each point gets a sharp code.",
            say=(
                "Reason two, memorization: without KL, the encoder gives each data point a sharp,"
                " isolated code, a lookup table."
            ),
        ):
            reason_2 = self._lead(
                rf"\textbf{{{self.REASONS[1]}.}} Without KL, encoder could assign each "
                r"datapoint a unique,",
                r"sharp latent code (lookup table).",
            )
            new_title = self._title(r"data $\x$", frames[1])
            raise_if_clear(self, reason, middle_title)
            self.play(
                *swap(reason, reason_2),
                FadeOut(VGroup(side_data, *decoded_rings, tags, metrics)),
                FadeOut(VGroup(axes_mid, prior_mid, samples, arrows)),
                *swap(middle_title, new_title),
            )
            reason, middle_title = reason_2, new_title
            middle_data = dots(x_middle(data), theme.data, opacity=0.85)
            axes_sides = VGroup(*(self._latent_axes(v) for v in z_sides))
            priors = VGroup(*(self._prior(v) for v in z_sides))
            arrows = PanelArrows("encoder", theme.approx, outward=True)
            new_legend = self._legend(
                [
                    (Dot(radius=0.06, color=theme.data), r"data $\x$"),
                    (
                        self._dashed_circle(np.zeros(3), 0.12),
                        r"prior $\p(\z)$: $1\sigma$, $2\sigma$",
                    ),
                    (
                        Ellipse(
                            width=0.4,
                            height=0.16,
                            color=theme.approx,
                            stroke_width=1.5,
                            fill_opacity=0.3,
                        ),
                        r"$\q(\z \given \x_n)$: $1\sigma$",
                    ),
                    (Dot(radius=0.06, color=theme.approx), r"its mean"),
                ]
            )
            self.play(
                FadeIn(middle_data),
                FadeIn(axes_sides),
                Create(priors),
                FadeIn(arrows),
                *swap(legend, new_legend),
            )
            legend = new_legend
            # Each data point goes through both encoders to its code (the mean of its q).
            posteriors = [
                PosteriorCodes(v(r.post_mean), r.post_std * v.scale)
                for v, r in zip(z_sides, runs, strict=True)
            ]
            self.play(
                *(ReplacementTransform(middle_data.copy(), p.means) for p in posteriors),
                run_time=2,
            )
            self.play(*(FadeIn(p.ellipses) for p in posteriors), run_time=1.2)
            self.bring_to_front(priors)  # the prior's circles stay visible over the posteriors
            self.wait(1)

        with self.beat(
            "Without KL: tiny isolated codes. With KL: they overlap and fill the prior.",
            key_frame="memorization",
            say=(
                "With KL instead, the codes overlap and fill the prior, as the numbers below show."
            ),
        ):
            metrics = self._metrics(
                runs, r"median std of $\q(\z \given \x)$", lambda r: r.median_post_std, 4
            )
            self.play(FadeIn(metrics))
            self.wait(3)

        with self.beat(
            "Why a line? One direction fits a 1-D crescent; KL returns the other to p(z).",
            key_frame="one-direction",
            say=(
                "Why do the codes lie on a line? The crescent is one dimensional, so z two is "
                "enough, and KL sends the unused z one back to the prior."
            ),
        ):
            usage = latent_usage(runs[1])
            why_line = self._statement(
                r"\textbf{Why a line?} The crescent is 1-D: one direction, $z_2$, is enough "
                rf"($\q$'s std along it {usage.mean_std[1]:.2f}, KL {usage.mean_kl[1]:.2f}).",
                r"With KL, the unused $z_1$ goes back to the prior: $\q$'s mean "
                rf"{abs(usage.mean_of_means[0]):.2f}, std {usage.mean_std[0]:.2f} "
                rf"(prior: 0, 1), KL {usage.mean_kl[0]:.3f}.",
            )
            unused = axes_sides[1].z1_label
            raise_if_clear(self, unused)  # out of the axes' place, above the codes it clears
            self.play(FadeOut(VGroup(legend, metrics)), FadeIn(why_line[0]))
            self.play(
                FadeIn(why_line[1]),
                unused.animate.scale(1.3).set_color(theme.prior),
            )
            self.wait(3)

        # -- 3. Smooth latent space --------------------------------------------------------
        with self.beat(
            "3. Smooth latent space: nearby z's should produce similar x's.",
            key_frame="latent-path",
            say=(
                "Reason three: nearby z's should produce similar x's. We walk in equal steps "
                "between the codes of the crescent's two ends."
            ),
        ):
            reason_3 = self._lead(
                rf"\textbf{{{self.REASONS[2]}.}} KL encourages nearby $\z$'s to produce "
                r"similar $\x$'s,",
                r"enabling interpolation. Below: a straight path between the codes of the "
                r"crescent's ends.",
            )
            legend = self._legend(
                [
                    (
                        Circle(radius=0.08, color=theme.data, stroke_width=3),
                        r"the crescent's ends",
                    ),
                    (
                        Dot(radius=0.06, color=theme.latent),
                        r"$\z$: equal steps between their codes",
                    ),
                    (Circle(radius=0.07, color=theme.posterior, stroke_width=2), r"decoded $\z$"),
                ]
            )
            raise_if_clear(self, reason)
            self.play(
                *swap(reason, reason_3),
                FadeOut(VGroup(why_line, *(p.ellipses for p in posteriors))),
                unused.animate.scale(1 / 1.3).set_color(theme.latent),
                *(p.means.animate.set_opacity(0.3) for p in posteriors),
                FadeIn(legend),
            )
            reason = reason_3
            ends = runs[0].interp_endpoints
            end_marks = VGroup(
                *(
                    Circle(radius=0.1, color=theme.data, stroke_width=3).move_to(p)
                    for p in x_middle(data[ends])
                )
            )
            paths = [
                LatentSteps(v(r.interp_z[::PATH_STRIDE]))
                for v, r in zip(z_sides, runs, strict=True)
            ]
            # The two ends go through both encoders to their codes: the path's ends.
            code_marks = VGroup(
                *(
                    Circle(radius=0.12, color=theme.data, stroke_width=3).move_to(p)
                    for v, r in zip(z_sides, runs, strict=True)
                    for p in v(r.post_mean[ends])
                )
            )
            self.play(Create(end_marks))
            self.play(
                ReplacementTransform(VGroup(end_marks.copy(), end_marks.copy()), code_marks),
                run_time=1.5,
            )
            self.play(
                *(Create(p.line) for p in paths),
                *(FadeIn(p.steps, lag_ratio=0.15) for p in paths),
                run_time=2,
            )
            self.wait(1.5)

        with self.beat(
            "Equal steps in z decode to small steps along the data only with the KL term.",
            key_frame="interpolation",
            say=(
                "Only with the KL term do equal steps in z decode to small steps along the data. "
                "Without it, the dashed path strays: distance zero point four five three, against"
                " zero point zero three four."
            ),
        ):
            new_arrows = PanelArrows("decoder", theme.posterior, outward=False)
            raise_if_clear(self, arrows)
            self.play(*swap(arrows, new_arrows))
            arrows = new_arrows
            images = [
                DecodedSteps(x_middle(r.interp_decoded[::PATH_STRIDE]), dashed=(r.beta == 0))
                for r in runs
            ]
            self.play(
                *(
                    ReplacementTransform(p.steps.copy(), d.rings)
                    for p, d in zip(paths, images, strict=True)
                ),
                run_time=2,
            )
            # Each decoded path named by its run: beta = 0 inside the crescent's hollow, above
            # its chord; beta = 1 above the crescent (the view leaves room there).
            above_data = x_middle(np.array([[0.0, data[:, 1].max()]]))[0]
            labels = VGroup(
                style.math(r"\beta = 0", size=style.LABEL_SIZE).next_to(
                    images[0].line, UP, buff=0.15
                ),
                style.math(r"\beta = 1", size=style.LABEL_SIZE)
                .next_to(above_data, UP, buff=0.15)
                .match_x(images[1].line),
            )
            self.play(*(Create(d.line) for d in images), FadeIn(labels))
            metrics = self._metrics(runs, r"path's distance to data", lambda r: r.interp_to_data, 3)
            self.play(FadeIn(metrics))
            self.wait(3)

        with self.beat(
            "Intuition: force all data to live in the same coordinate system.",
            key_frame="intuition",
            say=(
                "The intuition: the KL term forces all data to live in the same coordinate system."
            ),
        ):
            intuition = style.tex(
                r"\textbf{Intuition:} ``Force all data to live in the same "
                r"coordinate system.''",
                size=style.HEADING_SIZE,
            )
            intuition.move_to([0, BOTTOM_ROW_Y, 0])
            box = style.emphasis_box(intuition)
            raise_if_clear(self, legend)
            self.play(FadeOut(legend), Write(intuition), run_time=2)
            self.play(Create(box))
            self.wait(3)

    # -- Pieces of the picture ----------------------------------------------------------------
    def _lead(self, *lines: str) -> VGroup:
        """The text at the top, line by line: the reason and its explanation from the slide."""
        # \mbox: each line as written (Tex would wrap a long line at its own text width).
        lead = VGroup(*(style.tex(rf"\mbox{{{line}}}", size=style.BODY_SIZE) for line in lines))
        lead.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return lead.next_to([TEXT_LEFT, style.content_top(), 0], DOWN + RIGHT, buff=0.05)

    def _statement(self, *lines: str) -> VGroup:
        """Lines under the panels (in place of the metrics and the legend), left-aligned."""
        rows = VGroup(*(style.tex(rf"\mbox{{{line}}}", size=style.BODY_SIZE) for line in lines))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        rows.next_to([0, PANEL_TOP - PANEL_HEIGHT, 0], DOWN, buff=0.2)
        return rows.align_to([TEXT_LEFT, 0, 0], LEFT)

    def _frame(self, centre: np.ndarray) -> Rectangle:
        return Rectangle(
            width=PANEL_WIDTH, height=PANEL_HEIGHT, color=self.theme.muted, stroke_width=2
        ).move_to(centre)

    def _title(self, text: str, frame: Mobject) -> Mobject:
        return style.tex(text, size=style.BODY_SIZE + 2).next_to(frame, UP, buff=0.12)

    def _space_tag(self, symbol: str, centre: np.ndarray) -> Mobject:
        """The space a data panel shows, in its top-left corner."""
        tag = style.math(symbol, size=style.LABEL_SIZE + 4)
        corner = centre + np.array([-PANEL_WIDTH / 2, PANEL_HEIGHT / 2, 0])
        return tag.next_to(corner, DOWN + RIGHT, buff=0.15)

    def _latent_axes(self, view: View) -> LatentAxes:
        return LatentAxes(view)

    def _dashed_circle(self, centre: np.ndarray, radius: float) -> VMobject:
        return DashedVMobject(
            Circle(radius=radius, color=self.theme.prior, stroke_width=2).move_to(centre),
            num_dashes=24,
        )

    def _prior(self, view: View) -> VGroup:
        """The prior N(0, I): dashed circles at 1 and 2 standard deviations, labelled p(z)."""
        circles = VGroup(*(self._dashed_circle(view.centre, k * view.scale) for k in (1, 2)))
        label = style.math(r"\p(\z)", size=style.LABEL_SIZE + 2)
        diagonal = np.array([-1.0, 1.0, 0.0]) / np.sqrt(2)
        label.move_to(view.centre + 2 * view.scale * diagonal)
        label.shift((label.width / 2 + 0.12) * LEFT + (label.height / 2 + 0.12) * UP)
        return VGroup(circles, label)

    def _legend(self, entries: Sequence[tuple[Mobject, str]]) -> VGroup:
        """A one-row legend in the bottom row: marker, label; marker, label; ..."""
        rows = VGroup(*(LegendRow(marker, label) for marker, label in entries))
        rows.arrange(RIGHT, buff=0.6)
        return rows.move_to([0, BOTTOM_ROW_Y, 0])

    def _metrics(
        self,
        runs: list[KLVAEResult],
        label: str,
        value: Callable[[KLVAEResult], float],
        decimals: int,
    ) -> VGroup:
        """The metric of each run under its panel, as a DecimalNumber from the result."""
        metrics = VGroup()
        for centre, run in zip((LEFT_PANEL, RIGHT_PANEL), runs, strict=True):
            metric = LabelledNumber(
                style.tex(label, size=METRIC_SIZE),
                value(run),  # a shipped result: fixed, so no updater
                decimals=decimals,
                size=METRIC_SIZE,
            )
            # Flush with the panel's outer edge: a long label reaches into the gap instead
            # of past the safe area.
            metric.next_to(centre + PANEL_HEIGHT / 2 * DOWN, DOWN, buff=0.15)
            side = LEFT if centre[0] < 0 else RIGHT
            metric.align_to(centre + PANEL_WIDTH / 2 * side, side)
            metrics.add(metric)
        return metrics


class LegendRow(VGroup):
    """A legend entry. Parts: ``marker``, ``label``."""

    def __init__(self, marker: Mobject, label: str) -> None:
        self.marker, self.label = marker, style.tex(label, size=style.LABEL_SIZE)
        super().__init__(self.marker, self.label)
        self.arrange(RIGHT, buff=0.15)


class PanelArrows(VGroup):
    """Arrows between the middle panel and the outer ones, named for the network they stand
    for. ``outward``: from the middle to each side (else from each side to the middle).
    Parts: ``arrows``, ``labels``."""

    def __init__(self, name: str, colour: str, outward: bool) -> None:
        half_gap = PANEL_STEP - PANEL_WIDTH
        self.arrows, self.labels = VGroup(), VGroup()
        for side in (-1, 1):
            inner = MIDDLE_PANEL + side * (PANEL_WIDTH / 2) * RIGHT
            outer = inner + side * half_gap * RIGHT
            start, end = (inner, outer) if outward else (outer, inner)
            arrow = Arrow(start, end, buff=0.12, stroke_width=5, color=colour)
            label = style.tex(name, size=style.LABEL_SIZE, color=colour)
            label.next_to(arrow, UP, buff=0.1)
            self.arrows.add(arrow)
            self.labels.add(label)
        super().__init__(self.arrows, self.labels)


class LatentAxes(VGroup):
    """Faint z1 and z2 axes through a latent panel's origin. Parts: ``lines``, ``z1_label``,
    ``z2_label``."""

    def __init__(self, view: View) -> None:
        theme = style.active_theme()
        half_w, half_h = PANEL_WIDTH / 2, PANEL_HEIGHT / 2
        c = view(np.zeros(2))[0]
        self.lines = VGroup(
            Line(c + half_w * LEFT, c + half_w * RIGHT),
            Line(c + half_h * DOWN, c + half_h * UP),
        ).set_stroke(theme.muted, width=1.5, opacity=0.5)
        self.z1_label = style.math(r"z_1", size=style.LABEL_SIZE, color=theme.latent)
        self.z1_label.next_to(c + half_w * RIGHT, UP + LEFT, buff=0.08)
        self.z2_label = style.math(r"z_2", size=style.LABEL_SIZE, color=theme.latent)
        self.z2_label.next_to(c + half_h * UP, DOWN + RIGHT, buff=0.08)
        super().__init__(self.lines, self.z1_label, self.z2_label)


class PosteriorCodes(VGroup):
    """Every data point's q(z|x_n) in a latent panel. Parts: ``ellipses`` (1-sigma),
    ``means`` (dots)."""

    def __init__(self, centres: np.ndarray, radii: np.ndarray) -> None:
        colour = style.active_theme().approx
        self.ellipses = Marks(
            [
                Ellipse(
                    width=max(2 * r[0], 1e-3),
                    height=max(2 * r[1], 1e-3),
                    color=colour,
                    stroke_width=1,
                    stroke_opacity=0.25,
                    fill_opacity=0.012,
                ).move_to(c)
                for c, r in zip(centres, radii, strict=True)
            ]
        )
        self.means = dots(centres, colour, radius=0.025)
        super().__init__(self.ellipses, self.means)


class LatentSteps(VGroup):
    """Evenly spaced points on a straight latent path. Parts: ``line``, ``steps`` (dots, the
    two ends larger)."""

    def __init__(self, points: np.ndarray) -> None:
        colour = style.active_theme().latent
        self.line = Line(points[0], points[-1], color=colour, stroke_width=2, stroke_opacity=0.6)
        self.steps = VGroup(
            *(
                Dot(p, radius=0.075 if i in (0, len(points) - 1) else 0.055, color=colour)
                for i, p in enumerate(points)
            )
        )
        super().__init__(self.line, self.steps)


class DecodedSteps(VGroup):
    """The decoded images of :class:`LatentSteps` in a data panel: rings joined in order
    (dashed for the run without KL, so the two runs differ by more than their place).
    Parts: ``rings``, ``line``."""

    def __init__(self, points: np.ndarray, dashed: bool) -> None:
        colour = style.active_theme().posterior
        # (a group: each ring comes from one of LatentSteps' dots)
        self.rings = VGroup(*ring_shapes(points, colour, radius=0.07, width=3))
        line = VMobject(color=colour, stroke_width=2.5).set_points_as_corners(points)
        self.line = DashedVMobject(line, num_dashes=30, dashed_ratio=0.5) if dashed else line
        super().__init__(self.line, self.rings)
