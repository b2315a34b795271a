"""The kit's ``get_family`` gives Manim's list, member for member."""

from __future__ import annotations

import random

from manim import Circle, Dot, MathTex, Mobject, VGroup, VMobject

from lecturekit.scene import fastfamily


def _manims(mobject: Mobject) -> list[Mobject]:
    return fastfamily._original(mobject)


def _random_tree(rng: random.Random, size: int) -> list[VMobject]:
    nodes = [VMobject() if rng.random() < 0.5 else Dot() for _ in range(size)]
    for i, node in enumerate(nodes[1:], start=1):
        parent = nodes[rng.randrange(i)]
        parent.submobjects.append(node)
    for _ in range(size // 4):  # shared parts: a member under two parents
        a, b = rng.sample(nodes, 2)
        a.submobjects.append(b)
    return nodes


def test_same_family_as_manims_on_shared_parts_and_cycles():
    rng = random.Random(7)
    for size in (1, 2, 5, 20, 80):
        for _ in range(20):
            nodes = _random_tree(rng, size)
            if size > 2 and rng.random() < 0.5:  # a cycle: a node under its own descendant
                nodes[-1].submobjects.append(nodes[0])
            for node in nodes:
                assert fastfamily.get_family(node) == _manims(node)


def test_same_family_on_real_mobjects():
    group = VGroup(MathTex(r"\log p(x) = \mathcal{L}"), VGroup(Circle(), Dot()), Dot())
    inner, dot = group[1], group[2]
    group.submobjects.append(inner)  # the same part twice: kept at its last place
    for member in _manims(group):
        assert fastfamily.get_family(member) == _manims(member)
    family = fastfamily.get_family(group)
    assert family.index(inner) > family.index(dot)


def test_installed_for_every_mobject():
    fastfamily.install()
    assert Mobject.get_family is fastfamily.get_family


class _Counted(VMobject):
    """A class with its own point count (here: none), which must still be asked."""

    def get_num_points(self) -> int:
        return 0


def test_same_members_with_points_as_manims():
    rng = random.Random(11)
    for size in (1, 5, 40):
        for _ in range(10):
            nodes = _random_tree(rng, size)
            counted = _Counted()
            counted.points = Dot().points  # has points, but says it has none
            nodes[0].submobjects.append(counted)
            for node in nodes:
                assert fastfamily.family_members_with_points(
                    node
                ) == fastfamily._original_with_points(node)
