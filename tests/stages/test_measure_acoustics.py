"""MeasureAcoustics on audio with known truth, made here with espeak-ng and sox (no fixtures on disk).

Truths: tone frequencies; speech duration = espeak's output trimmed at |x| > 1e-3, before padding;
SNR = mean square of that trimmed speech over mean square of the white noise mixed in at exactly that
ratio. Every test runs the real stage (decode, Silero VAD, pitch, levels, bins) on real files.
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf

from schemas import columns as c
from schemas.tables import schema_of
from stages.acoustics import levels, pitch
from stages.acoustics.signal import prepare, read_segment, to_low_rate
from stages.measure_acoustics import AcousticsConfig, MeasureAcoustics

TEXT = "The quick brown fox jumps over the lazy dog near the river bank"
INPUTS = (c.AUDIO_URI, c.START_S, c.END_S, c.DOMAIN, c.TRANSCRIPT, c.ATTRIBUTES)
LEVELS = ["Very low", "Low", "Medium", "High", "Very high"]
SPEEDS = ["Very slow", "Slow", "Medium", "Fast", "Very fast"]


@pytest.fixture(scope="module")
def stage():
    measure = MeasureAcoustics()
    measure.setup()
    return measure


def espeak(path, voice="en-us+m3", speed=175, text=TEXT) -> tuple[np.ndarray, int]:
    """espeak-ng speech trimmed at |x| > 1e-3 (its own leading/trailing silence removed)."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    data, rate = sf.read(path, dtype="float32")
    loud = np.flatnonzero(np.abs(data) > 1e-3)
    return data[loud[0] : loud[-1] + 1], rate


def sox(path, *effects, rate=16000, seconds=2.0) -> str:
    subprocess.run(["sox", "-R", "-n", "-r", str(rate), "-c", "1", "-b", "16", str(path), "synth", str(seconds), *effects], check=True)
    return str(path)


def padded(speech: np.ndarray, rate: int, seconds: float = 1.0) -> np.ndarray:
    pad = np.zeros(int(seconds * rate), np.float32)
    return np.concatenate([pad, speech, pad])


def write(path, data, rate) -> str:
    sf.write(str(path), data, rate, subtype="FLOAT")
    return str(path)


def measure(stage, *clips) -> list[tuple[dict, dict]]:
    """clips: (path, domain, transcript, attributes) -> [(metadata, attributes)]."""
    rows = [{c.AUDIO_URI: str(p), c.START_S: None, c.END_S: None, c.DOMAIN: d, c.TRANSCRIPT: t, c.ATTRIBUTES: json.dumps(a)}
            for p, d, t, a in clips]  # fmt: skip
    out = stage(pa.Table.from_pylist(rows, schema=schema_of(INPUTS)))
    return [(json.loads(m), json.loads(a)) for m, a in zip(out[c.METADATA].to_pylist(), out[c.ATTRIBUTES].to_pylist())]


def one(stage, path, domain="speech", transcript=TEXT, attributes=None) -> tuple[dict, dict]:
    return measure(stage, (path, domain, transcript, attributes or {}))[0]


def tone_pitch(path) -> float:
    clip = prepare(*read_segment(str(path), None, None))
    low = to_low_rate(clip.samples)
    return pitch.pitch_stats(pitch.yin(low, pitch.frame_starts(len(low)))[0])[0]


# ---- pitch ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("hz", [220, 150])
@pytest.mark.parametrize("rate", [16000, 44100])
def test_tone_pitch_within_3_percent(tmp_path, hz, rate):
    assert tone_pitch(sox(tmp_path / "tone.wav", "sine", str(hz), "vol", "0.5", rate=rate)) == pytest.approx(hz, rel=0.03)


def test_male_and_female_voices_bin_to_pitch_words_in_order(stage, tmp_path):
    male = write(tmp_path / "m.wav", *espeak(tmp_path / "m_raw.wav", "en-us+m3"))
    female = write(tmp_path / "f.wav", *espeak(tmp_path / "f_raw.wav", "en-us+f3"))
    (m_meta, m_attr), (f_meta, f_attr) = measure(stage, (male, "speech", TEXT, {}), (female, "speech", TEXT, {}))
    assert 80 < m_meta["pitch_mean_hz"] < 140 and 170 < f_meta["pitch_mean_hz"] < 260
    assert LEVELS.index(m_attr["Pitch"]) < LEVELS.index(f_attr["Pitch"])  # no gender label: pooled edges
    assert m_meta["attribute_sources"]["Pitch"] == "measured"


def test_pitch_words_are_relative_to_the_gender_label(stage, tmp_path):
    speech, rate = espeak(tmp_path / "f_raw.wav", "en-us+f3")
    female = write(tmp_path / "f.wav", padded(speech, rate), rate)  # a pause: every measure has its basis
    (meta, as_male), (_, as_female) = measure(stage, (female, "speech", TEXT, {"gender": "M"}), (female, "speech", TEXT, {"gender": "F"}))
    assert as_male["Pitch"] == "Very high"  # ~200 Hz is very high for a man, medium for a woman
    assert LEVELS.index(as_female["Pitch"]) < LEVELS.index(as_male["Pitch"])
    assert meta["attribute_sources"] == {"Gender": "label", "Pitch": "measured", "Volume": "measured",
                                            "Speaking speed": "measured", "Noise level": "measured", "Reverberation": "measured"}  # fmt: skip


# ---- SNR, volume, rate, duration ----------------------------------------------------------------------


@pytest.mark.parametrize("snr", [0, 10, 20])
def test_snr_within_3_db(stage, tmp_path, snr):
    speech, rate = espeak(tmp_path / "raw.wav")
    noise = np.random.default_rng(snr).standard_normal(len(speech) + 2 * rate)
    noise *= np.sqrt(np.mean(speech.astype(float) ** 2) / 10 ** (snr / 10) / np.mean(noise**2))
    meta, attributes = one(stage, write(tmp_path / "noisy.wav", padded(speech, rate) + noise.astype(np.float32), rate))
    assert meta["snr_db"] == pytest.approx(snr, abs=3)
    assert attributes["Noise level"] == {0: "Very high", 10: "High", 20: "Medium"}[snr]


def test_speaking_rate_increases_with_espeak_speed(stage, tmp_path):
    paths = [write(tmp_path / f"s{s}.wav", *espeak(tmp_path / f"r{s}.wav", speed=s)) for s in (120, 180, 260)]
    results = measure(stage, *[(p, "speech", TEXT, {}) for p in paths])
    rates = [meta["speaking_rate_sps"] for meta, _ in results]
    assert rates[0] < rates[1] < rates[2], rates
    words = [SPEEDS.index(attributes["Speaking speed"]) for _, attributes in results]
    assert words == sorted(words) and words[0] < words[2]


def test_copy_at_minus_20_db_bins_to_a_lower_volume_word(stage, tmp_path):
    speech, rate = espeak(tmp_path / "raw.wav")
    (loud, loud_attr), (quiet, quiet_attr) = measure(
        stage, (write(tmp_path / "loud.wav", speech, rate), "speech", TEXT, {}), (write(tmp_path / "quiet.wav", speech * 0.1, rate), "speech", TEXT, {})
    )
    assert loud["volume_dbfs"] - quiet["volume_dbfs"] == pytest.approx(20, abs=0.5)
    assert LEVELS.index(quiet_attr["Volume"]) < LEVELS.index(loud_attr["Volume"])


def test_vad_speech_duration_within_0_2_s_on_padded_speech(stage, tmp_path):
    for voice in ("en-us+m3", "en-us+f3"):
        speech, rate = espeak(tmp_path / "raw.wav", voice)
        meta, _ = one(stage, write(tmp_path / "padded.wav", padded(speech, rate), rate))
        assert meta["speech_duration_s"] == pytest.approx(len(speech) / rate, abs=0.2)
        assert meta["speaking_rate_syllables"] == 16 and meta["syllable_counter"] == "espeak-ng:en"
        assert meta["speaking_rate_sps"] == pytest.approx(16 / meta["speech_duration_s"], abs=0.01)


# ---- reverberation --------------------------------------------------------------------------------


def test_c50_follows_the_reverberation_time(stage, tmp_path):
    speech, rate = espeak(tmp_path / "raw.wav")
    dry = padded(prepare(speech, rate).samples, 16000, 0.5)
    rng = np.random.default_rng(0)
    estimates, truths = [], []
    for t60 in (0.3, 0.6, 1.0):
        t = np.arange(int(1.5 * t60 * 16000)) / 16000
        rir = rng.standard_normal(len(t)) * np.exp(-6.9078 * t / t60)  # exponential decay, T60 exact
        energy = rir**2
        truths.append(10 * np.log10(energy[:800].sum() / energy[800:].sum()))  # C50 of the response itself
        size = len(dry) + len(rir) - 1
        wet = np.fft.irfft(np.fft.rfft(dry, size) * np.fft.rfft(rir, size), size)  # = np.convolve, fast
        estimates.append(one(stage, write(tmp_path / "wet.wav", 0.3 * wet / np.abs(wet).max(), 16000))[0]["c50_db"])
    assert estimates[0] > estimates[1] > estimates[2]
    assert estimates == pytest.approx(truths, abs=3)
    assert one(stage, write(tmp_path / "dry.wav", dry, 16000))[0]["c50_db"] > estimates[0]


# ---- the VAD is Silero's own model ------------------------------------------------------------------


def test_batched_vad_matches_the_streamed_silero_model(stage, tmp_path):
    import torch

    from stages.acoustics.vad import model_file

    speech, rate = espeak(tmp_path / "raw.wav", text="Hello there, how are you today?")
    low = to_low_rate(padded(prepare(speech, rate).samples, 16000, 0.3))
    streamed = torch.jit.load(str(model_file()))
    expected = [streamed(torch.from_numpy(low[i : i + 256]), 8000).item() for i in range(0, len(low) - 255, 256)]
    short = low[: 256 * 20]
    got, got_short = stage.vad.probabilities([low, short])
    np.testing.assert_allclose(got, expected, atol=1e-4)
    np.testing.assert_allclose(got_short, expected[:20], atol=1e-4)


# ---- bad audio: defined results, never an exception ------------------------------------------------


def test_silence_gives_missing_values_with_reasons(stage, tmp_path):
    meta, attributes = one(stage, write(tmp_path / "silence.wav", np.zeros(32000, np.float32), 16000))
    assert meta["speech_duration_s"] == 0.0
    assert meta["volume_missing"].startswith("silent")
    for key in ("pitch_missing", "speaking_rate_missing", "snr_missing", "c50_missing"):
        assert meta[key] == "no speech detected"
    assert not {"Pitch", "Volume", "Noise level"} & set(attributes)


@pytest.mark.parametrize("domain", ["speech", "sound"])
def test_10_ms_clip_gives_missing_values(stage, tmp_path, domain):
    meta, _ = one(stage, write(tmp_path / "short.wav", np.full(160, 0.1, np.float32), 16000), domain=domain)
    assert meta["volume_missing"].startswith("clip too short (0.010s")
    assert "volume_dbfs" not in meta and "pitch_mean_hz" not in meta
    assert ("pitch_missing" in meta) == (domain == "speech")


def test_nan_samples_give_missing_values(stage, tmp_path):
    data = np.sin(np.arange(16000) * 0.1).astype(np.float32)
    data[500:510] = np.nan
    meta, _ = one(stage, write(tmp_path / "nan.wav", data, 16000))
    assert meta["pitch_missing"] == meta["volume_missing"] == "audio has NaN or infinite samples"


def test_8_channels_at_96_khz_is_mixed_down_and_measured(stage, tmp_path):
    speech, rate = espeak(tmp_path / "raw.wav", "en-us+f3")
    from stages.acoustics.signal import resample

    mono = resample(padded(speech, rate, 0.5), rate, 96000)
    data = np.zeros((len(mono), 8), np.float32)
    data[:, 0], data[:, 3] = mono, mono
    meta, attributes = one(stage, write(tmp_path / "eight.wav", data, 96000))
    assert 170 < meta["pitch_mean_hz"] < 260
    assert meta["speech_duration_s"] == pytest.approx(len(speech) / rate, abs=0.2)
    assert "Pitch" in attributes


def test_clipping_and_dc_offset_are_recorded_not_fatal(stage, tmp_path):
    t = np.arange(32000) / 16000
    clipped = np.clip(1.5 * np.sin(2 * np.pi * 220 * t), -1, 1).astype(np.float32)
    offset = (0.3 + 0.2 * np.sin(2 * np.pi * 150 * t)).astype(np.float32)
    (a, _), (b, _) = measure(stage, (write(tmp_path / "clip.wav", clipped, 16000), "sound", None, {}),
                             (write(tmp_path / "dc.wav", offset, 16000), "sound", None, {}))  # fmt: skip
    assert a["clipped_fraction"] > 0.3 and b["dc_offset"] == pytest.approx(0.3, abs=0.01)
    assert b["volume_dbfs"] == pytest.approx(20 * np.log10(0.2 / np.sqrt(2)), abs=0.2)  # DC removed
    assert tone_pitch(tmp_path / "clip.wav") == pytest.approx(220, rel=0.03)
    assert tone_pitch(tmp_path / "dc.wav") == pytest.approx(150, rel=0.03)


def test_missing_file_gives_missing_values(stage, tmp_path):
    meta, attributes = one(stage, tmp_path / "nope.wav")
    assert meta["pitch_missing"].startswith("audio not decodable")
    assert attributes == {}


# ---- precedence, domains, pass-through --------------------------------------------------------------


def test_source_labels_win_over_measured_words(stage, tmp_path):
    speech, rate = espeak(tmp_path / "raw.wav")
    path = write(tmp_path / "s.wav", padded(speech, rate), rate)  # a pause: the measured words have their basis
    meta, attributes = one(stage, path, attributes={"pitch": "high", "snr": 12.5, "speaking_rate": "slow"})
    assert attributes["pitch"] == "high" and "Pitch" not in attributes  # the label stays as the source wrote it
    assert "Noise level" not in attributes and "Speaking speed" not in attributes
    assert meta["attribute_sources"]["Pitch"] == "label" and meta["attribute_sources"]["Noise level"] == "label"
    assert meta["attribute_sources"]["Volume"] == "measured"
    assert "pitch_mean_hz" in meta and "snr_db" in meta  # the numbers are still kept


def test_sound_and_music_get_volume_only(stage, tmp_path):
    path = sox(tmp_path / "tone.wav", "sine", "440", "vol", "0.5")
    for domain in ("sound", "music"):
        meta, attributes = one(stage, path, domain=domain, transcript=None)
        assert set(attributes) == {"Volume"} and meta["volume_dbfs"] == pytest.approx(-9.0, abs=0.2)
        assert not any(key.startswith(("pitch", "snr", "speech", "c50")) for key in meta)


def test_configured_words_only(tmp_path):
    stage = MeasureAcoustics(AcousticsConfig(words=("Pitch",)))
    path = write(tmp_path / "s.wav", *espeak(tmp_path / "raw.wav"))
    _, attributes = one(stage, path)
    assert set(attributes) == {"Pitch"}


def test_other_columns_pass_through(stage, tmp_path):
    path = sox(tmp_path / "tone.wav", "sine", "440", "vol", "0.5")
    rows = [{c.CLIP_ID: f"s/{i}", c.AUDIO_URI: path, c.START_S: 0.5 if i else None, c.END_S: 1.0 if i else None,
             c.DOMAIN: "sound", c.TRANSCRIPT: None, c.ATTRIBUTES: None} for i in range(2)]  # fmt: skip
    out = stage(pa.Table.from_pylist(rows, schema=schema_of((c.CLIP_ID, *INPUTS))))
    assert out[c.CLIP_ID].to_pylist() == ["s/0", "s/1"]
    assert [json.loads(m)["bins_version"] for m in out[c.METADATA].to_pylist()] == ["v2", "v2"]


def test_word_count():
    assert levels.word_count("Don't stop, it's 5 o'clock!") == 5
    assert levels.word_count("你好世界") == 4 and levels.word_count(None) == 0


def test_describe_renders_measured_words_and_keeps_the_numbers(stage, tmp_path):
    from stages.describe_clip import DescribeClip

    speech, rate = espeak(tmp_path / "raw.wav")
    path = write(tmp_path / "s.wav", padded(speech, rate), rate)  # a pause: every measure has its basis
    rows = [{c.AUDIO_URI: path, c.START_S: None, c.END_S: None, c.DOMAIN: "speech", c.TRANSCRIPT: TEXT,
             c.ATTRIBUTES: json.dumps({"gender": "m", "emotion": "neu"}), c.DURATION_S: 3.4, c.LABELS: [], c.CAPTION: None}]  # fmt: skip
    table = pa.Table.from_pylist(rows, schema=schema_of((*INPUTS, c.DURATION_S, c.LABELS, c.CAPTION)))
    out = DescribeClip(measured=True)(stage(table)).to_pylist()[0]
    text = out[c.SEED_DESCRIPTION]
    assert text.startswith(f"[00:00-00:03] {TEXT} (Gender: Male, Emotion: Neutral, Pitch: ")
    for name in ("Volume: ", "Speaking speed: ", "Noise level: ", "Reverberation: "):
        assert name in text
    metadata = json.loads(out[c.METADATA])
    assert metadata["Gender"] == "Male" and metadata["Pitch"] in LEVELS and isinstance(metadata["pitch_mean_hz"], float)
    assert metadata["attribute_sources"]["Gender"] == "label" and metadata["bins_version"] == "v2"
    assert c.METADATA in DescribeClip(measured=True).inputs and c.METADATA not in DescribeClip().inputs


def test_long_clips_are_analysed_on_a_bounded_window(tmp_path):
    """An hour of 8-channel 96 kHz audio is never decoded whole: the read stops at MAX_ANALYSIS_S."""
    from stages.acoustics.signal import MAX_ANALYSIS_S, read_segment

    path = tmp_path / "long.wav"
    rate = 8000
    with sf.SoundFile(path, "w", samplerate=rate, channels=2, subtype="PCM_16") as out:
        block = np.zeros((rate * 60, 2), dtype="float32")
        for _ in range(int(MAX_ANALYSIS_S // 60) + 3):  # three minutes longer than the window
            out.write(block)
    data, got_rate = read_segment(str(path), None, None)
    assert got_rate == rate and data.shape == (int(MAX_ANALYSIS_S * rate), 2)
    data, _ = read_segment(str(path), 60.0, None)  # a window from the segment's start
    assert data.shape[0] == int(MAX_ANALYSIS_S * rate)


# ---- the batched fast paths equal their plain definitions --------------------------------------------


def test_measures_do_not_depend_on_the_batch(stage, tmp_path):
    """VAD and pitch run over a whole batch at once: a clip's numbers are the same alone or in company."""
    paths = [write(tmp_path / f"{voice}.wav", *espeak(tmp_path / f"raw_{voice}.wav", voice)) for voice in ("en-us+m3", "en-us+f3")]
    paths.append(sox(tmp_path / "tone.wav", "sine", "220", "vol", "0.5"))
    clips = [(p, "speech", TEXT, {}) for p in paths] + [(paths[2], "sound", None, {})]
    together = measure(stage, *clips)
    assert together == [measure(stage, clip)[0] for clip in clips]
    assert together == measure(stage, *reversed(clips))[::-1]


def test_vectorised_hysteresis_equals_the_streamed_rule():
    from stages.acoustics.vad import speech_mask

    def streamed(probs, on=0.5, off=0.35):
        mask, active = np.zeros(len(probs), bool), False
        for i, p in enumerate(probs):
            active = p >= on or (active and p >= off)
            mask[i] = active
        return mask

    rng = np.random.default_rng(0)
    for n in (0, 1, 5, 300):
        for _ in range(50):
            probs = np.clip(np.cumsum(rng.normal(0, 0.15, n)) % 1.0, 0, 1).astype(np.float32)
            # no gap bridging or island removal: the hysteresis alone
            assert np.array_equal(speech_mask(probs, min_gap_s=0, min_speech_s=0), streamed(probs))


def test_fast_order_statistics_equal_numpy():
    from stages.acoustics.stats import median, percentile

    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 10, 401):
        for dtype in (np.float32, np.float64):
            values = rng.standard_normal(n).astype(dtype)
            assert median(values) == np.median(values) and median(values).dtype == np.median(values).dtype
        values = np.round(rng.standard_normal(n) * 10, 1)
        for q in (0, 5, 10, 50, 100):
            assert percentile(values, q) == np.percentile(values, q)


def test_yin_over_many_clips_equals_yin_per_clip():
    rng = np.random.default_rng(2)
    t = np.arange(8000 * 2) / 8000
    signals = [np.sin(2 * np.pi * hz * t).astype(np.float32) + 0.01 * rng.standard_normal(len(t)).astype(np.float32) for hz in (110, 220, 330)]
    every = pitch.frame_starts(len(t))
    starts = [every, every[::3], np.zeros(0, int)]
    for x, s, f0 in zip(signals, starts, pitch.yin_many(signals, starts)):
        np.testing.assert_allclose(f0, pitch.yin(x, s)[0], rtol=1e-6)


def test_an_mp4_clip_measures_as_its_wav_source(stage, tmp_path):
    """Containers libsndfile cannot read (MELD's MP4) are decoded by FFmpeg and measured the same way."""
    import shutil

    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is needed (make install installs it)")
    speech, rate = espeak(tmp_path / "s.wav", voice="en-us+f3")
    wav = write(tmp_path / "clip.wav", padded(speech, rate, 0.5), rate)
    mp4 = str(tmp_path / "clip.mp4")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", wav, "-c:a", "aac", "-b:a", "128k", mp4], check=True)
    (from_wav, _), (from_mp4, _) = measure(stage, (wav, "speech", TEXT, {}), (mp4, "speech", TEXT, {}))
    assert from_mp4["volume_dbfs"] == pytest.approx(from_wav["volume_dbfs"], abs=0.5)
    assert from_mp4["pitch_mean_hz"] == pytest.approx(from_wav["pitch_mean_hz"], rel=0.03)
    assert from_mp4["speech_duration_s"] == pytest.approx(from_wav["speech_duration_s"], abs=0.1)
