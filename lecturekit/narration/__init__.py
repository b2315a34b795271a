"""Offline narration: the narrated version of a lecture, spoken beat by beat.

``render.py --narration`` renders each scene with a pacer that speaks every beat's ``say=``
text and holds the beat until it has been said; the scenes' audio is mixed, mastered to
−16 LUFS and encoded once for the whole lecture, beside captions that are the spoken text.

- :mod:`~lecturekit.narration.voice`: the voice, Piper's settings, the pauses (no engine code);
- :mod:`~lecturekit.narration.speech`: Piper in child processes (``_piper_worker.py``, the
  only code that imports the GPL engine) and the per-sentence speech cache;
- :mod:`~lecturekit.narration.captions`: sentences, caption cues split and timed to the voice;
- :mod:`~lecturekit.narration.timeline`: how long a beat lasts, and its captions;
- :mod:`~lecturekit.narration.pacer`: the render worker's beat pacer and its record;
- :mod:`~lecturekit.narration.mix`, :mod:`~lecturekit.narration.mux`: scene tracks, mastering,
  MP4s with the video stream-copied and the audio encoded once;
- :mod:`~lecturekit.narration.assemble`: the build's narrated part, after the renders;
- :mod:`~lecturekit.narration.preflight`: voice and engine checks before a render;
- :mod:`~lecturekit.narration.measure`: loudness, speech under captions, sync, clicks;
- :mod:`~lecturekit.narration.script`: the narration script of a deck, for its author.
"""
