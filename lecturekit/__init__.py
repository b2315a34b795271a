"""lecturekit: turn a deck of Manim scenes into a lecture video and what goes with it.

The kit knows nothing of any one lecture. A lecture is a *deck*: a folder with ``deck.toml``
(title, output slug, notation colours and macros, scenes in order) and one module per slide.

- :mod:`lecturekit.deck`, :mod:`lecturekit.theme`: a deck and its colours, as data (no Manim);
- :mod:`lecturekit.scene`: the Manim side: ``LectureScene`` (title bar, beats with captions and
  key frames), derivation steps, plots with named parts, the shared look, layout checks;
- :mod:`lecturekit.render`: every scene in its own process, here or on a Dask cluster (long
  scenes split where that pays), cached, checked, with live progress; the one owner of media
  paths (:class:`lecturekit.render.target.Target`);
- :mod:`lecturekit.narration`: the narrated version: offline speech (Piper in a child process),
  the beat pacer of the render worker, captions timed to the voice, the audio mixed, mastered
  and encoded once (renders on this machine only, never split);
- :mod:`lecturekit.video`: stitching by stream copy, sections, captions, chapters;
- :mod:`lecturekit.outputs`: storyboard, poster, handout, presenter page;
- :mod:`lecturekit.build`, :mod:`lecturekit.cli`: the build and the ``render.py`` command line.
"""
