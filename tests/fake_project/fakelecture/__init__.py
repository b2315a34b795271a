"""A tiny stand-in lecture for the pipeline tests: scenes of a second or two, no LaTeX."""
