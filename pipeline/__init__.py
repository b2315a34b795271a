"""The small library under render.py: qualities, rendering scenes, stitching, outputs."""
