"""All measures of one decoded clip, as the flat dict that goes into `metadata`.

Keys: speech_duration_s, volume_dbfs, pitch_mean_hz, pitch_std_hz, speaking_rate_sps, snr_db, c50_db,
and for each one that could not be measured `<name>_missing` with the reason (e.g. pitch_missing:
"no voiced frames"). Only speech gets speech measures; sound and music get volume.

Each measure also records its basis (snr_noise_s, speaking_rate_syllables + syllable_counter, c50_decays).
Where the basis is too weak for the number to mean what its word would say, the number stays but
`<name>_word_withheld` says why, and no word is written (precision before recall): the thresholds below.
"""

from __future__ import annotations

import numpy as np

from stages.acoustics import levels, pitch
from stages.acoustics.binning import missing_key, withheld_key
from stages.acoustics.signal import Clip
from stages.acoustics.syllables import Count
from stages.acoustics.vad import CHUNK_S

SPEECH_MEASURES = ("speech_duration_s", "volume_dbfs", "pitch_mean_hz", "speaking_rate_sps", "snr_db", "c50_db")
OTHER_MEASURES = ("volume_dbfs",)
MIN_PITCH_FRAMES = 30  # clips with fewer speech frames (~1 s) get a pitch frame on every chunk

# What a word needs. Noise level: a noise floor measured in a real pause. The VAD already counts gaps
# under 0.25 s as speech and the floor skips 64 ms beside speech, so 0.25 s of floor blocks is a pause of
# >= ~0.38 s inside speech or >= ~0.32 s before or after it: not a breath, a stop closure or the VAD's own
# onset lag (1-3 chunks). Without one, the floor is the quietest speech, and a studio recording that is
# speech from end to end reads 10-40 dB ("High" to "Low" noise).
MIN_NOISE_FLOOR_S = 0.25
# Speaking speed: the VAD's edges are good to ~0.1 s, so >= 1 s of speech keeps the duration within ~10%
# (half a 1 syllable/s bin at 5 syllables/s); >= 6 syllables keeps one syllable of disagreement between
# the dictionary and the speaker ("ev(e)ry") within ~15%; and >= 3 words, because one or two words are
# dominated by their own lengthening (phrase-final, stressed, read in isolation), not the speaker's tempo.
MIN_RATE_SPEECH_S = 1.0
MIN_RATE_SYLLABLES = 6
MIN_RATE_WORDS = 3
PLAUSIBLE_RATE_SPS = (1.0, 12.0)  # outside: the transcript does not match the segment (or the VAD failed)
# Reverberation: the T60 is the 10th percentile of the slopes of the clean decays (runs of windows that
# fall from >= 25 dB above the noise floor to >= 5 dB above it). From a few decays it is the decay of a
# few syllables' articulation, not the room's; and without a pause the "floor" is the quietest speech.
# Measured on the 358 studio-dry prompts of Debian's asterisk-core-sounds-en (Allison Smith, 8 kHz) with
# 0.5 s of silence around them: with >= 6 decays 2% read "Medium" reverberation and none more (with >= 3:
# 5%, three "High"); trimmed to no pause, 10% of those with >= 6 decays read "Medium" or more. Synthetic
# rooms (T60 0.3-1.0 s) keep 13-14 decays on a 13-word sentence (the word survives reverberation) but
# 4-7 on a 6-word one: short reverberant clips lose the word.
MIN_CLEAN_DECAYS = 6


def unmeasurable(domain: str, reason: str) -> dict:
    return {missing_key(m): reason for m in (SPEECH_MEASURES if domain == "speech" else OTHER_MEASURES)}


def pitch_starts(low_length: int, mask: np.ndarray) -> np.ndarray:
    """Pitch frames of a speech clip: one per speech chunk of its 8 kHz copy, every other one when there
    are plenty (half the work)."""
    starts = pitch.frame_starts(low_length, mask)
    return starts[::2] if len(starts) >= 2 * MIN_PITCH_FRAMES else starts


def measure_clip(clip: Clip, domain: str, transcript: str | None, mask: np.ndarray | None, f0: np.ndarray | None,
                 syllables: Count | None = None) -> dict:  # fmt: skip
    """`mask`: the speech mask of the VAD's chunks and `f0` the pitch of the `pitch_starts` frames, and
    `syllables` the transcript's syllable count (speech only; the stage computes all three for a whole
    batch at once)."""
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
        for measure in ("pitch_mean_hz", "speaking_rate_sps", "snr_db", "c50_db"):
            values[missing_key(measure)] = "no speech detected"
        return values
    stats = pitch.pitch_stats(f0)
    if stats:
        values["pitch_mean_hz"], values["pitch_std_hz"] = round(stats[0], 1), round(stats[1], 1)
    else:
        values["pitch_missing"] = "no voiced frames"
    _speaking_rate(values, syllables or Count(None, None, "no transcript"), levels.word_count(transcript), speech_s)
    snr, why, basis, noise_s = levels.snr_db(blocks, mask)
    _put(values, "snr_db", snr, why, digits=1)
    if snr is not None:
        values["snr_noise_s"] = round(noise_s, 3)
        if basis == "percentile":
            values["snr_noise_basis"] = "quietest 5% of 8 ms blocks (under 0.1 s without speech)"
        if noise_s < MIN_NOISE_FLOOR_S:
            values[withheld_key("snr_db")] = f"noise floor from {noise_s:.2f} s without speech (a word needs a pause: {MIN_NOISE_FLOOR_S} s)"
    t60, why, decays = levels.decay_t60(blocks)
    _put(values, "c50_db", levels.c50_from_t60(t60) if t60 else None, why, digits=1)
    if t60:
        values["t60_s"], values["c50_decays"] = round(t60, 2), decays
        if decays < MIN_CLEAN_DECAYS or noise_s < MIN_NOISE_FLOOR_S:
            values[withheld_key("c50_db")] = (
                f"{decays} clean decays, judged against a noise floor from {noise_s:.2f} s without speech "
                f"(a word needs {MIN_CLEAN_DECAYS} decays and a {MIN_NOISE_FLOOR_S} s pause)"
            )
    return values


def _speaking_rate(values: dict, syllables: Count, words: int, speech_s: float) -> None:
    """Syllables per second of speech (pauses over 0.25 s excluded: an articulation rate), with its basis."""
    if syllables.syllables is None:
        values["speaking_rate_missing"] = syllables.reason or "not measurable"
        return
    rate = syllables.syllables / speech_s
    values.update(speaking_rate_sps=round(rate, 2), speaking_rate_syllables=syllables.syllables, syllable_counter=syllables.counter)
    low, high = PLAUSIBLE_RATE_SPS
    if words < MIN_RATE_WORDS or syllables.syllables < MIN_RATE_SYLLABLES or speech_s < MIN_RATE_SPEECH_S:
        values[withheld_key("speaking_rate_sps")] = (
            f"{words} words, {syllables.syllables} syllables over {speech_s:.2f} s of speech "
            f"(a word needs {MIN_RATE_WORDS} words, {MIN_RATE_SYLLABLES} syllables, {MIN_RATE_SPEECH_S} s)"
        )
    elif not low <= rate <= high:
        values[withheld_key("speaking_rate_sps")] = f"{rate:.1f} syllables/s is outside {low}-{high}: transcript and speech do not match"


def _put(values: dict, key: str, value, reason: str | None, digits: int | None = None) -> None:
    if value is None:
        values[missing_key(key)] = reason or "not measurable"
    else:
        values[key] = round(float(value), digits) if digits is not None else value
