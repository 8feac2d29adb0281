"""Decode one clip's segment to mono float32 at 16 kHz, and the 8 kHz copy the VAD and pitch tracker use.

Defined results for bad audio: `AudioIssue(reason)` for what cannot be measured at all (undecodable,
NaN/inf samples, too short); DC offset is removed and clipping is measured, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import soundfile as sf

from stages.acoustics.stats import median
from stages.probe_audio import open_audio, read_with_ffmpeg, readable_by_soundfile

RATE = 16000  # every measure runs at this rate
LOW_RATE = 8000  # the VAD and the pitch tracker run at this rate (half the work, F0 < 500 Hz)
MIN_DURATION_S = 0.05  # clips not longer than this get no measures at all
CLIP_LEVEL = 0.999  # |sample| at or above this counts as clipped


class AudioIssue(Exception):
    """The clip cannot be measured; `reason` is the short text recorded in metadata."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Clip:
    samples: np.ndarray  # mono float32 at RATE, DC removed
    native_rate: int
    channels: int
    dc_offset: float  # mean of the mono mix before removal (full scale = 1)
    clipped_fraction: float  # share of samples at or beyond CLIP_LEVEL on any channel


# Attributes and model extractors look at most this much of a clip: a one-hour recording (or 8 channels
# at 96 kHz, 11 GB as float32) would otherwise be decoded whole into a worker's memory.
MAX_ANALYSIS_S = 300.0


def read_segment(uri: str, start: float | None, end: float | None, max_seconds: float = MAX_ANALYSIS_S) -> tuple[np.ndarray, int]:
    """(frames x channels float32, rate) of [start, end) of a local file or fsspec URL, at most
    `max_seconds` of it (from the segment's start)."""
    try:
        if not readable_by_soundfile(uri):  # MP4/M4A/WebM: FFmpeg, as the probe decodes them
            return read_with_ffmpeg(uri, start, end, max_seconds)
        with open_audio(uri) as source, sf.SoundFile(source) as audio:
            rate = audio.samplerate
            first = round((start or 0.0) * rate)
            last = audio.frames if end is None else min(audio.frames, round(end * rate))
            last = min(last, first + round(max_seconds * rate))
            if first:
                audio.seek(first)
            return audio.read(max(0, last - first), dtype="float32", always_2d=True), rate
    except (OSError, RuntimeError, ValueError, EOFError, sf.LibsndfileError) as error:
        raise AudioIssue(f"audio not decodable: {str(error)[:120]}") from None


def prepare(data: np.ndarray, rate: int) -> Clip:
    """Frames x channels (or 1-D) audio at any rate -> a measurable mono 16 kHz Clip, or AudioIssue."""
    data = np.asarray(data, dtype=np.float32)
    data = data[:, None] if data.ndim == 1 else data
    frames, channels = data.shape
    if frames / rate <= MIN_DURATION_S:
        raise AudioIssue(f"clip too short ({frames / rate:.3f}s, need more than {MIN_DURATION_S}s)")
    low, high = float(data.min()), float(data.max())  # NaN and inf show in the extremes
    if not (np.isfinite(low) and np.isfinite(high)):
        raise AudioIssue("audio has NaN or infinite samples")
    clipped = 0.0
    if max(-low, high) >= CLIP_LEVEL:
        clipped = float(np.count_nonzero((np.abs(data) >= CLIP_LEVEL).any(axis=1))) / frames
    mono = data[:, 0] if channels == 1 else data.mean(axis=1, dtype=np.float32)
    dc = dc_offset(mono)
    if dc:
        mono = mono - np.float32(dc)
    if rate != RATE:
        mono = resample(mono, rate, RATE)
    return Clip(np.ascontiguousarray(mono, dtype=np.float32), rate, channels, dc, clipped)


def dc_offset(x: np.ndarray, block: int = 128) -> float:
    """Median of 8 ms-ish block means: a constant offset shows in every block, while speech's own
    non-zero local means scatter around zero (a plain mean would turn digital silence into an offset)."""
    n = len(x) // block
    if n == 0:
        return float(np.mean(x))
    return float(median(x[: n * block].reshape(n, block).mean(axis=1)))


def resample(x: np.ndarray, rate: int, target: int) -> np.ndarray:
    """torchaudio's sinc (Hann) resampler; the same samples as torchaudio.functional.resample."""
    import torch

    with torch.no_grad():
        return _resampler(rate, target)(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).numpy()


@lru_cache(maxsize=16)
def _resampler(rate: int, target: int):
    """The resampler of one rate pair, its kernel built once (functional.resample rebuilds it on every call,
    half the cost of a 44.1 kHz clip); a float32 kernel, as the functional form uses for float32 audio."""
    import torch
    import torchaudio

    return torchaudio.transforms.Resample(rate, target, dtype=torch.float32)


HALFBAND_TAPS = 31
BLOCK_OUT = 64  # outputs per row of the banded matrix product


@lru_cache(maxsize=1)
def _halfband_matrix():
    """(2 * BLOCK_OUT + taps - 1, BLOCK_OUT): each column one output of the 31-tap Blackman half-band
    low-pass at stride 2, so decimation is one matrix product (a 1-channel strided conv is ~10x slower)."""
    import torch

    taps = np.arange(HALFBAND_TAPS) - HALFBAND_TAPS // 2
    kernel = 0.5 * np.sinc(taps / 2) * np.blackman(HALFBAND_TAPS)
    kernel /= kernel.sum()
    matrix = np.zeros((2 * BLOCK_OUT + HALFBAND_TAPS - 1, BLOCK_OUT), np.float32)
    for j in range(BLOCK_OUT):
        matrix[2 * j : 2 * j + HALFBAND_TAPS, j] = kernel
    return torch.from_numpy(matrix)


def to_low_rate(x: np.ndarray) -> np.ndarray:
    """16 kHz -> 8 kHz: 31-tap Blackman half-band low-pass, every second sample."""
    import torch

    half = HALFBAND_TAPS // 2
    out = (len(x) + 1) // 2
    rows = -(-out // BLOCK_OUT)
    padded = np.zeros(2 * rows * BLOCK_OUT + 2 * half, np.float32)  # numpy: torch's F.pad is ~5x slower here
    padded[half : half + len(x)] = x
    with torch.no_grad():
        blocks = torch.from_numpy(padded).unfold(0, 2 * BLOCK_OUT + HALFBAND_TAPS - 1, 2 * BLOCK_OUT)
        return (blocks @ _halfband_matrix()).reshape(-1)[:out].numpy()
