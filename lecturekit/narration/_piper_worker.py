"""Child program that runs Piper: one voice loaded once, many requests over JSON lines.

This file is executed as a script in its own process by
:class:`lecturekit.narration.speech.Synthesizer` (``python -P _piper_worker.py --model M
--config C``). It is the only code of the project that imports Piper (GPL-3.0-or-later), so the
GPL engine never loads into a process of the project: the two talk through pipes. It imports
nothing of ``lecturekit``.

Protocol (UTF-8 JSON, one object per line):

* on start, one line: ``{"ok": true, "engine": "piper-tts 1.8.0", "sample_rate": 22050,
  "load_seconds": 0.9, "alignments": true}``, or ``{"ok": false, "error": "missing-engine" |
  "bad-voice", "detail": "..."}`` and exit code 3;
* request ``{"op": "synthesize", "text": ..., "out": "/path.wav", "settings": {...}}`` →
  ``{"ok": true, "samples": n, "sample_rate": r, "words": [[start_s, end_s, phonemes], ...],
  "phonemes": "...", "chunks": k, "compute_seconds": t}``;
* request ``{"op": "phonemize", "text": ...}`` → ``{"ok": true, "phonemes": ["...", ...]}``;
* end of input → exit 0. Errors of one request answer ``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import wave
from pathlib import Path
from typing import Any, TextIO

_PAUSES = set(" ,.;:!?—–-…")


def _protocol_stream() -> TextIO:
    """Keep the real stdout for the protocol; anything else printed goes to stderr."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return out


def _patched_model(model: Path, patched: Path | None) -> bytes | str:
    """The model with Piper's alignment output exposed (else the plain model path).

    ``patched`` is where the patched copy is kept: made once (``import onnx`` alone takes
    ~1.9 s), then loaded like any model.
    """
    if patched is not None and patched.exists():
        return str(patched)
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        return str(model)
    proto = onnx.load(str(model))
    try:
        add_alignment_output(proto)
    except ValueError:  # already patched, or no Ceil tensor: use as it is
        return str(model)
    data = proto.SerializeToString()
    if patched is None:
        return data
    patched.parent.mkdir(parents=True, exist_ok=True)
    tmp = patched.with_name(f".{patched.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, patched)
    return str(patched)


def _load(args: argparse.Namespace) -> tuple[Any, bool]:
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    options = onnxruntime.SessionOptions()
    if args.threads > 0:
        options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    patched = Path(args.aligned_model) if args.aligned_model else None
    model = _patched_model(Path(args.model), patched)
    aligned = model != args.model
    with open(args.config, encoding="utf-8") as handle:
        config = PiperConfig.from_dict(json.load(handle))
    session = onnxruntime.InferenceSession(
        model, sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(session=session, config=config), aligned


def _word_spans(chunks: list[Any], sample_rate: int) -> list[list[Any]]:
    """[start_s, end_s, phonemes] of each spoken word, from Piper's per-phoneme sample counts.

    A "word" is what espeak-ng phonemises as one: it may join short function words
    ("of the" → "ʌvðə").
    """
    words: list[list[Any]] = []
    offset = 0
    for chunk in chunks:
        if not chunk.phoneme_alignments:
            return []
        position = offset
        current: list[Any] | None = None
        for item in chunk.phoneme_alignments:
            start, position = position, position + int(item.num_samples)
            if item.phoneme in _PAUSES or item.phoneme in ("^", "$", "_"):
                if current is not None:
                    words.append(current)
                    current = None
                continue
            if current is None:
                current = [start / sample_rate, position / sample_rate, item.phoneme]
            else:
                current[1] = position / sample_rate
                current[2] += item.phoneme
        if current is not None:
            words.append(current)
        offset += len(chunk.audio_float_array)
    return words


def _synthesize(voice: Any, aligned: bool, request: dict[str, Any]) -> dict[str, Any]:
    import numpy as np
    from piper import SynthesisConfig

    settings = request.get("settings", {})
    config = SynthesisConfig(
        length_scale=settings.get("length_scale"),
        noise_scale=settings.get("noise_scale"),
        noise_w_scale=settings.get("noise_w_scale"),
        normalize_audio=settings.get("normalize_audio", True),
    )
    started = time.perf_counter()
    chunks = list(voice.synthesize(request["text"], config, include_alignments=aligned))
    if not chunks:
        return {"ok": False, "error": f"no speech for text {request['text']!r}"}
    audio = np.concatenate([c.audio_int16_array for c in chunks])
    rate = voice.config.sample_rate
    with wave.open(request["out"], "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(audio.tobytes())
    return {
        "ok": True,
        "samples": int(audio.size),
        "sample_rate": rate,
        "words": _word_spans(chunks, rate) if aligned else [],
        "phonemes": " | ".join("".join(c.phonemes) for c in chunks),
        "chunks": len(chunks),
        "compute_seconds": time.perf_counter() - started,
    }


def _serve(voice: Any, aligned: bool, out: TextIO) -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if request.get("op") == "phonemize":
                reply = {
                    "ok": True,
                    "phonemes": ["".join(p) for p in voice.phonemize(request["text"])],
                }
            else:
                reply = _synthesize(voice, aligned, request)
        except Exception as error:  # one bad request must not end the worker
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
        out.flush()


def main() -> int:
    """Load the voice, say so on stdout, then answer requests until stdin closes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--aligned-model", default="")
    args = parser.parse_args()
    out = _protocol_stream()
    started = time.perf_counter()
    try:
        from importlib.metadata import version

        import piper  # noqa: F401  (the GPL engine: loaded here, in the child only)

        engine = f"piper-tts {version('piper-tts')}"
    except ImportError as error:
        out.write(json.dumps({"ok": False, "error": "missing-engine", "detail": str(error)}) + "\n")
        return 3
    try:
        voice, aligned = _load(args)
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"
        out.write(json.dumps({"ok": False, "error": "bad-voice", "detail": detail}) + "\n")
        return 3
    hello = {
        "ok": True,
        "engine": engine,
        "sample_rate": voice.config.sample_rate,
        "load_seconds": time.perf_counter() - started,
        "alignments": aligned,
        "pid": os.getpid(),
    }
    out.write(json.dumps(hello) + "\n")
    out.flush()
    _serve(voice, aligned, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
