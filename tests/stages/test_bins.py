"""Bins: the shipped v2 file, value -> word lookup, gender-relative pitch, and bad files refused."""

from __future__ import annotations

import json

import pytest

from stages.acoustics.binning import DEFAULT_BINS, Bins, words_for


@pytest.fixture(scope="module")
def bins():
    return Bins.load()


def test_the_shipped_default_is_v2_with_five_levels(bins):
    assert DEFAULT_BINS.name == "v2.json" and bins.version == "v2"
    assert set(bins.spec) == {"Pitch", "Volume", "Speaking speed", "Noise level", "Reverberation"}
    assert all(len(entry["words"]) == 5 for entry in bins.spec.values())


@pytest.mark.parametrize("value,word", [(-60, "Very low"), (-40.0, "Low"), (-39.9, "Low"), (-28, "Medium"), (-24.0, "High"), (-3, "Very high")])
def test_volume_words_value_on_an_edge_takes_the_upper_bin(bins, value, word):
    assert bins.word("Volume", value) == word


@pytest.mark.parametrize("gender,word", [("Male", "Very high"), ("Female", "Medium"), (None, "High"), ("Nonbinary", "High")])
def test_pitch_is_binned_relative_to_gender_pooled_when_unknown(bins, gender, word):
    assert bins.word("Pitch", 205.0, gender) == word


def test_noise_level_and_reverberation_run_against_their_metric(bins):
    assert bins.word("Noise level", 0.0) == "Very high" and bins.word("Noise level", 60.0) == "Very low"
    assert bins.word("Reverberation", -2.0) == "Very high" and bins.word("Reverberation", 15.0) == "Very low"


def test_speaking_speed_words_in_syllables_per_second(bins):
    assert bins.spec["Speaking speed"]["metric"] == "speaking_rate_sps"
    assert [bins.word("Speaking speed", v) for v in (3.0, 4.0, 5.0, 6.0, 7.5)] == ["Very slow", "Slow", "Medium", "Fast", "Very fast"]


def test_words_skips_unmeasured_unwanted_and_withheld(bins):
    values = {"pitch_mean_hz": 100.0, "volume_dbfs": -20.0, "pitch_missing": "x", "snr_db": 13.6, "snr_word_withheld": "no pause"}
    assert bins.words(values, "Male", ["Pitch", "Volume", "Noise level"]) == {"Pitch": "Low", "Volume": "High"}
    assert bins.words({"snr_db": 13.6}, None, ["Noise level"]) == {"Noise level": "High"}
    assert bins.words(values, "Male", ["Volume"]) == {"Volume": "High"}
    assert bins.word("Pitch", None) is None


def test_seven_level_words():
    assert words_for("Pitch", 7)[3] == "Medium" and len(words_for("Pitch", 7)) == 7
    assert words_for("Noise level", 5) == ["Very high", "High", "Medium", "Low", "Very low"]
    with pytest.raises(ValueError):
        words_for("Pitch", 6)


def test_a_file_with_wrong_edges_is_refused(tmp_path):
    raw = json.loads(DEFAULT_BINS.read_text())
    raw["attributes"]["Volume"]["edges"] = [-10.0, -20.0, -30.0, -40.0]
    (tmp_path / "v9.json").write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="Volume"):
        Bins.load(tmp_path / "v9.json")


def test_a_file_for_a_measure_no_longer_made_is_refused():
    """v1 bins speaking speed in words per second; the stage now measures syllables per second."""
    with pytest.raises(ValueError, match="Speaking speed: reads speaking_rate_wps, which is no longer measured"):
        Bins.load(DEFAULT_BINS.with_name("v1.json"))
