"""Level-based measures at 16 kHz over 8 ms blocks and 32 ms chunks: volume, SNR, reverberation, rate.

All take block powers (mean square per block) and a per-chunk speech mask from the VAD, so the audio is
squared once. Values are in dB relative to full scale (a full-scale sine is -3 dBFS).
"""

from __future__ import annotations

import math
import re

import numpy as np

from stages.acoustics.stats import median, percentile

BLOCK = 128  # 8 ms at 16 kHz: the decay analysis resolution
CHUNK_BLOCKS = 4  # 4 blocks = one 32 ms VAD chunk
SILENCE_DBFS = -80.0  # a chunk below this is silence
SNR_RANGE_DB = (-20.0, 80.0)  # estimates are clamped to this range (digital silence gives the top)
GUARD_CHUNKS = 2  # non-speech this close to speech is not used for the noise
MIN_NOISE_BLOCKS = 12  # ~0.1 s of non-speech blocks needed to measure the noise apart from speech
DECAY_BLOCKS = 16  # 128 ms windows for decay slopes
SMOOTH_BLOCKS = 5  # 40 ms moving average of power before the slopes
MIN_DECAY_WINDOWS = 3
C50_RANGE_DB = (-5.0, 40.0)


def db(power: float | np.ndarray) -> float | np.ndarray:
    return 10.0 * np.log10(np.maximum(power, 1e-20))


def block_powers(x: np.ndarray) -> np.ndarray:
    """Mean square of each full 8 ms block."""
    n = len(x) // BLOCK
    blocks = x[: n * BLOCK].reshape(n, BLOCK)
    return np.einsum("ij,ij->i", blocks, blocks) / BLOCK


def chunk_powers(blocks: np.ndarray) -> np.ndarray:
    n = len(blocks) // CHUNK_BLOCKS
    return blocks[: n * CHUNK_BLOCKS].reshape(n, CHUNK_BLOCKS).mean(axis=1)


def volume_dbfs(chunks: np.ndarray, speech: np.ndarray | None) -> tuple[float | None, str | None]:
    """RMS level (dBFS) over speech chunks, or over every non-silent chunk when there is no speech mask."""
    if speech is not None and speech[: len(chunks)].any():
        return float(db(chunks[speech[: len(chunks)]].mean())), None
    loud = chunks[chunks > 10 ** (SILENCE_DBFS / 10)]
    if len(loud) == 0:
        return None, f"silent (no 32 ms chunk above {SILENCE_DBFS:g} dBFS)"
    return float(db(loud.mean())), None


def snr_db(blocks: np.ndarray, speech: np.ndarray) -> tuple[float | None, str | None, str | None, float]:
    """(SNR dB, missing reason, noise basis, seconds of non-speech the noise came from) from 8 ms block
    powers and the per-chunk speech mask.

    Noise power: the median over blocks at least two chunks (64 ms) away from speech (the median keeps
    speech tails the VAD let go of out of it; for steady noise it equals the mean within 0.1 dB); with
    under 0.1 s of those, the 5th percentile of all block powers (the pauses and closures inside speech:
    without a pause this is the quietest speech, so the SNR reads low). Speech power: the mean over
    speech chunks minus the noise power (speech and noise add in power).
    """
    n = min(len(speech), len(blocks) // CHUNK_BLOCKS)
    speech = speech[:n]
    if not speech.any():
        return None, "no speech detected", None, 0.0
    guard = np.convolve(speech, np.ones(2 * GUARD_CHUNKS + 1), mode="same") > 0
    by_chunk = blocks[: n * CHUNK_BLOCKS].reshape(n, CHUNK_BLOCKS)
    quiet = by_chunk[~guard].ravel()
    quiet_s = len(quiet) * BLOCK / 16000
    if len(quiet) >= MIN_NOISE_BLOCKS:
        noise, basis = float(median(quiet)), "non-speech"
    else:
        noise, basis = float(np.percentile(blocks, 5)), "percentile"
    signal = float(by_chunk[speech].mean()) - noise
    low, high = SNR_RANGE_DB
    if signal <= 0:
        return low, None, basis, quiet_s
    return float(np.clip(db(signal) - db(max(noise, 1e-20)), low, high)), None, basis, quiet_s


def decay_t60(blocks: np.ndarray) -> tuple[float | None, str | None, int]:
    """(reverberation time (s), missing reason, number of separate clean decays) from the steepest free
    decays of the level envelope.

    A room cannot make sound die away faster than its own decay, so the fastest drops of the level
    (8 ms blocks, 40 ms moving average; least-squares slopes over 128 ms windows that fall in >= 60% of
    steps, start >= 25 dB above the noise floor and end >= 5 dB above it) bound the decay rate:
    T60 = -60 / slope, from the 10th percentile of those slopes. Speech's own offsets limit what it can
    see: dry speech reads as T60 ~0.25 s. Clean decays: runs of consecutive such windows (one sound dying
    away; overlapping windows of one decay count once).
    """
    if len(blocks) < DECAY_BLOCKS + SMOOTH_BLOCKS:
        return None, "too short for decay analysis", 0
    level = db(np.convolve(blocks, np.full(SMOOTH_BLOCKS, 1 / SMOOTH_BLOCKS), mode="same"))
    floor = max(percentile(level, 5), SILENCE_DBFS - 10)
    t = (np.arange(DECAY_BLOCKS) - (DECAY_BLOCKS - 1) / 2) * (BLOCK / 16000)
    slopes = np.correlate(level, t / (t @ t), mode="valid")  # least-squares slope of each 128 ms window
    falls = np.concatenate([[0], np.cumsum(np.diff(level) < 0)])
    falling = (falls[DECAY_BLOCKS - 1 :] - falls[: 1 - DECAY_BLOCKS]) / (DECAY_BLOCKS - 1) >= 0.6  # share of falling steps
    valid = falling & (level[: 1 - DECAY_BLOCKS] >= floor + 25) & (level[DECAY_BLOCKS - 1 :] >= floor + 5) & (slopes < 0)
    decays = int(np.count_nonzero(np.diff(np.concatenate([[False], valid]).astype(np.int8)) == 1))
    if np.count_nonzero(valid) < MIN_DECAY_WINDOWS:
        return None, "no free decays found (too noisy or too short)", decays
    return float(-60.0 / percentile(slopes[valid], 10)), None, decays


def c50_from_t60(t60: float) -> float:
    """Clarity C50 (dB) of an exponentially decaying diffuse field with this T60 (Sabine; direct sound not
    modelled): 10 log10(e^(13.82 * 0.05 / T60) - 1)."""
    exponent = 13.8155 * 0.05 / max(t60, 1e-3)
    value = exponent / math.log(10) * 10 if exponent > 50 else 10 * math.log10(math.expm1(exponent))
    return float(np.clip(value, *C50_RANGE_DB))


_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+(?:['’][^\W_]+)*")


def word_count(text: str | None) -> int:
    """Words of a transcript; each CJK character counts as one (no spaces to split on)."""
    return len(_WORD.findall(text or ""))
