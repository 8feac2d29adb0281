"""Shared test helpers: real audio files and manifests written to tmp_path (no mocks)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf


@pytest.fixture
def write_wav():
    """write_wav(path, seconds, sr=16000, channels=1, subtype=None) -> Path of a real audio file.

    The format follows the suffix (.wav, .flac, ...); the content is a 440 Hz tone at 0.3 amplitude.
    """

    def _write(path, seconds: float, sr: int = 16000, channels: int = 1, subtype: str | None = None) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        frames = int(round(seconds * sr))
        tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(frames) / sr)).astype("float32")
        data = np.stack([tone] * channels, axis=1) if channels > 1 else tone
        sf.write(str(path), data, sr, subtype=subtype)
        return path

    return _write


@pytest.fixture
def write_manifest():
    """write_manifest(path, lines) -> Path. A dict is written as one JSON line, str as text, bytes as is."""

    def _write(path, lines) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        encoded = []
        for line in lines:
            if isinstance(line, dict):
                encoded.append(json.dumps(line).encode())
            elif isinstance(line, str):
                encoded.append(line.encode())
            else:
                encoded.append(line)
        path.write_bytes(b"\n".join(encoded) + (b"\n" if encoded else b""))
        return path

    return _write
