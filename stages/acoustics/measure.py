"""All measures of one decoded clip, as the flat dict that goes into `metadata`.

Keys: speech_duration_s, volume_dbfs, pitch_mean_hz, pitch_std_hz, speaking_rate_wps, snr_db, c50_db,
and for each one that could not be measured `<name>_missing` with the reason (e.g. pitch_missing:
"no voiced frames"). Only speech gets speech measures; sound and music get volume.
"""

from __future__ import annotations

import numpy as np

from stages.acoustics import levels, pitch
from stages.acoustics.signal import Clip
from stages.acoustics.vad import CHUNK_S

SPEECH_MEASURES = ("speech_duration_s", "volume_dbfs", "pitch_mean_hz", "speaking_rate_wps", "snr_db", "c50_db")
OTHER_MEASURES = ("volume_dbfs",)
MIN_PITCH_FRAMES = 30  # clips with fewer speech frames (~1 s) get a pitch frame on every chunk


def missing_key(measure: str) -> str:
    """`pitch_mean_hz` -> `pitch_missing`, `speaking_rate_wps` -> `speaking_rate_missing`."""
    stem = measure.rsplit("_", 1)[0]
    return f"{stem.removesuffix('_mean')}_missing"


def unmeasurable(domain: str, reason: str) -> dict:
    return {missing_key(m): reason for m in (SPEECH_MEASURES if domain == "speech" else OTHER_MEASURES)}


def pitch_starts(low_length: int, mask: np.ndarray) -> np.ndarray:
    """Pitch frames of a speech clip: one per speech chunk of its 8 kHz copy, every other one when there
    are plenty (half the work)."""
    starts = pitch.frame_starts(low_length, mask)
    return starts[::2] if len(starts) >= 2 * MIN_PITCH_FRAMES else starts


def measure_clip(clip: Clip, domain: str, transcript: str | None, mask: np.ndarray | None, f0: np.ndarray | None) -> dict:
    """`mask`: the speech mask of the VAD's chunks and `f0` the pitch of the `pitch_starts` frames
    (speech only; the stage computes both for a whole batch at once)."""
    values: dict = {}
    if clip.clipped_fraction:
        values["clipped_fraction"] = round(clip.clipped_fraction, 5)
    if abs(clip.dc_offset) >= 1e-4:
        values["dc_offset"] = round(clip.dc_offset, 4)
    blocks = levels.block_powers(clip.samples)
    chunks = levels.chunk_powers(blocks)
    if domain != "speech":
        _put(values, "volume_dbfs", *levels.volume_dbfs(chunks, None), digits=1)
        return values
    speech_s = float(mask.sum() * CHUNK_S)
    values["speech_duration_s"] = round(speech_s, 3)
    _put(values, "volume_dbfs", *levels.volume_dbfs(chunks, mask), digits=1)
    if not mask.any():
        for measure in ("pitch_mean_hz", "speaking_rate_wps", "snr_db", "c50_db"):
            values[missing_key(measure)] = "no speech detected"
        return values
    stats = pitch.pitch_stats(f0)
    if stats:
        values["pitch_mean_hz"], values["pitch_std_hz"] = round(stats[0], 1), round(stats[1], 1)
    else:
        values["pitch_missing"] = "no voiced frames"
    words = levels.word_count(transcript)
    _put(values, "speaking_rate_wps", round(words / speech_s, 2) if words else None, None if words else "no transcript")
    snr, why, basis = levels.snr_db(blocks, mask)
    _put(values, "snr_db", snr, why, digits=1)
    if basis == "percentile":
        values["snr_noise_basis"] = "quietest 5% of 8 ms blocks (under 0.1 s without speech)"
    t60, why = levels.decay_t60(blocks)
    _put(values, "c50_db", levels.c50_from_t60(t60) if t60 else None, why, digits=1)
    if t60:
        values["t60_s"] = round(t60, 2)
    return values


def _put(values: dict, key: str, value, reason: str | None, digits: int | None = None) -> None:
    if value is None:
        values[missing_key(key)] = reason or "not measurable"
    else:
        values[key] = round(float(value), digits) if digits is not None else value
