"""Rendering scenes to checked videos: processes, cache, preflight, and the media paths."""
