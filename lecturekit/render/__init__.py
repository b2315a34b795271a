"""Rendering scenes to checked videos: processes here or on a Dask cluster, the cache,
preflight, progress, and the media paths."""
