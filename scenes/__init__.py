"""One Manim scene per slide of the lecture, plus the shared style, registry and numerics."""
