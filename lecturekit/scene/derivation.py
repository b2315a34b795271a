"""Derivations on screen: equation states, steps, reasons and term names.

A derivation is a chain of equation states (``style.math`` pieces). :class:`DerivationScene`
carries one state into the next with ``TransformMatchingTex`` (the pieces that stay move, the
others fade), says why the step holds in a small label, names terms with braces, and writes the
"Step N" line of the script. A deck splits its formulas into pieces exactly where a step of
its chain changes them (see :func:`frac`), so every scene speaks the same pieces.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Animation,
    Brace,
    FadeIn,
    FadeOut,
    Mobject,
    ReplacementTransform,
    TransformMatchingTex,
    VGroup,
)

from . import style
from .lecture import LectureScene

# Where chain lines start (left edge) and how far apart they sit.
LINE_LEFT = -5.9
LINE_GAP = 0.45
WHY_GAP = 0.35  # between a reason on the left and its line


def frac(numerator: str, denominator: str) -> tuple[str, ...]:
    """A fraction as pieces: numerator and denominator can be carried separately.

    The fraction bar is the piece ``"}{"``.
    """
    return (r"\frac{", numerator, "}{", denominator, "}")


# The fraction bar of any ``frac``: TransformMatchingTex key of the bar piece.
BAR = "}{"


def piece(mob: Mobject, tex: str, occurrence: int = 0) -> Mobject:
    """The ``occurrence``-th piece of a MathTex whose tex string is ``tex``."""
    found = [p for p in mob if getattr(p, "tex_string", None) == tex]
    return found[occurrence]


def pieces(mob: Mobject, *tex: str) -> VGroup:
    """Every piece of a MathTex whose tex string is one of ``tex``."""
    return VGroup(*(p for p in mob if getattr(p, "tex_string", None) in tex))


def carry(source: Mobject, target: Mobject, *tex: str) -> list[Animation]:
    """Move each named piece of ``source`` onto the same piece of ``target`` (in order)."""
    return [
        ReplacementTransform(s, t)
        for key in tex
        for s, t in zip(pieces(source, key), pieces(target, key), strict=True)
    ]


class TermName(VGroup):
    """A brace under (or over) a term and the term's name. Parts: ``brace``, ``label``."""

    def __init__(
        self, term: Mobject, name: str, color: str, brace_color: str, direction=DOWN
    ) -> None:
        self.brace = Brace(term, direction, buff=0.08, color=brace_color)
        self.label = style.text(name, size=style.LABEL_SIZE, color=color)
        self.label.next_to(self.brace, direction, buff=0.08)
        super().__init__(self.brace, self.label)


class DerivationScene(LectureScene):
    """A slide of the derivation: step line, chain of equation states, reasons, term names."""

    def step_line(self, content: str) -> Mobject:
        """Write the script's "Step N: ..." line under the title bar and return it."""
        line = style.tex(content)
        style.at_content_top(line, buff=0.1)
        self.play(FadeIn(line, shift=0.2 * DOWN))
        return line

    def place_line(
        self, line: Mobject, above: Mobject, buff: float = LINE_GAP, align: Mobject | None = None
    ) -> Mobject:
        """Put a chain line under ``above``; its "=" (first piece) under ``align``'s, if given."""
        line.next_to(above, DOWN, buff=buff)
        if align is not None:
            line.shift((align.get_left()[0] - line[0].get_left()[0]) * RIGHT)
        else:
            line.set_x(LINE_LEFT + line.width / 2)
        return line

    def why(self, content: str, beside: Mobject, side=RIGHT) -> Mobject:
        """A label saying why a step holds, level with the line ``beside`` and next to it.

        On the ``RIGHT`` it follows the line's end (kept inside the safe area); on the ``LEFT``
        it ends just before the line's first piece (the relation sign of a chain line).
        """
        label = style.tex(content, size=style.LABEL_SIZE, color=self.theme.muted)
        if side is LEFT:
            label.next_to(beside[0], LEFT, buff=WHY_GAP).set_y(beside.get_y())
        else:
            label.next_to(beside, RIGHT, buff=WHY_GAP + 0.25).set_y(beside.get_y())
            overflow = label.get_right()[0] - style.safe_box()[1]
            if overflow > 0:
                label.shift(overflow * LEFT)
        return label

    def derive(
        self,
        source: Mobject,
        target: Mobject,
        why: str | None = None,
        key_map: dict | None = None,
        split: dict[str, tuple[str, ...]] | None = None,
        copy: bool = True,
        run_time: float = 2.0,
        wait: float = 2.0,
        why_side=RIGHT,
    ) -> Mobject | None:
        """Carry ``source`` into ``target`` (matching pieces move, the others fade), then say why.

        ``split`` maps a piece of the source to several pieces of the target that it turns
        into (e.g. the joint into decoder and prior). With ``copy`` the source stays where it
        is (the chain grows line by line); otherwise it becomes the target. Returns the "why"
        label, if any.
        """
        moving = source.copy() if copy else source
        full = list(target.submobjects)
        splits = []
        for key, parts in (split or {}).items():
            whole = piece(moving, key)
            moving.remove(whole)
            into = pieces(target, *parts)
            target.remove(*into)
            splits.append((whole, into))
        self.play(
            TransformMatchingTex(moving, target, key_map=key_map or {}),
            *(ReplacementTransform(whole, into) for whole, into in splits),
            run_time=run_time,
        )
        if splits:  # the split pieces rejoin their formula
            self.remove(*(into for _, into in splits))
            target.submobjects = full
            self.add(target)
        label = None
        if why is not None:
            label = self.why(why, target, side=why_side)
            self.play(FadeIn(label, shift=0.2 * LEFT))
        self.wait(wait)
        return label

    def name_term(
        self, term: Mobject, name: str, color: str, direction=DOWN, animate: bool = True
    ) -> TermName:
        """A brace under (or over) a term with its name in ``color``."""
        named = TermName(term, name, color, self.theme.muted, direction)
        if animate:
            self.play(FadeIn(named, shift=0.15 * direction))
        return named

    def fade_out(self, *mobjects: Mobject, run_time: float = 0.8) -> None:
        """Fade mobjects out together."""
        self.play(FadeOut(VGroup(*mobjects)), run_time=run_time)
