"""Video files: checks, stitching by stream copy, sections, captions and chapters."""
