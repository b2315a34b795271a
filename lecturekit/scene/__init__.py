"""The Manim side of the kit: the lecture scene, its look, derivations, plots, layout checks."""
