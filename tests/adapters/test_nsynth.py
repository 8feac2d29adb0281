"""NSynth in its native json/wav layout: nsynth-<split>/examples.json + nsynth-<split>/audio/<note_str>.wav."""

from __future__ import annotations

import json

from adapters.nsynth import NSynth
from schemas import columns as c
from tests.adapters.conftest import read_source


def note(note_str, family, source, pitch, velocity, qualities=()):
    instrument = note_str.rsplit("-", 2)[0]
    names = ["bright", "dark", "distortion", "fast_decay", "long_release", "multiphonic", "nonlinear_env", "percussive", "reverb", "tempo-synced"]
    return {
        "note": 1, "note_str": note_str, "instrument": 7, "instrument_str": instrument, "pitch": pitch,
        "velocity": velocity, "sample_rate": 16000, "qualities": [int(q in qualities) for q in names],
        "qualities_str": list(qualities), "instrument_family": 0, "instrument_family_str": family,
        "instrument_source": 1, "instrument_source_str": source,
    }  # fmt: skip


def make_nsynth(root, audio):
    examples = {
        "bass_electronic_018-022-100": note("bass_electronic_018-022-100", "bass", "electronic", 22, 100, ["dark"]),
        "keyboard_acoustic_004-060-025": note("keyboard_acoustic_004-060-025", "keyboard", "acoustic", 60, 25),
        "synth_lead_synthetic_000-105-127": note("synth_lead_synthetic_000-105-127", "synth_lead", "synthetic", 105, 127, ["bright", "fast_decay"]),
        "guitar_acoustic_010-050-075": note("guitar_acoustic_010-050-075", "guitar", "acoustic", 50, 75),  # audio missing
        "kazoo_acoustic_001-060-100": note("kazoo_acoustic_001-060-100", "kazoo", "acoustic", 60, 100),  # unknown family
        "not-a-note": note("not-a-note", "bass", "electronic", 22, 100),  # key is no note_str
    }
    folder = root / "nsynth-test"
    for key, pitch in [("bass_electronic_018-022-100", 55.0), ("keyboard_acoustic_004-060-025", 261.6), ("synth_lead_synthetic_000-105-127", 3520.0)]:
        audio.tone(folder / "audio" / f"{key}.wav", frequency=pitch, seconds=1.0)
    (folder / "examples.json").write_text(json.dumps(examples, indent=4), encoding="utf-8")
    train = root / "nsynth-train"  # the training split: one note
    audio.tone(train / "audio" / "flute_synthetic_000-070-050.wav", frequency=466.2, seconds=1.0)
    (train / "examples.json").write_text(json.dumps({"flute_synthetic_000-070-050": note("flute_synthetic_000-070-050", "flute", "synthetic", 70, 50)}), encoding="utf-8")


def test_records_ids_and_attributes(tmp_path, audio):
    make_nsynth(tmp_path, audio)
    read = read_source("nsynth", tmp_path, {"splits": ["test"]}, name="NSynth")
    clips = read.by_id()
    assert sorted(clips) == ["bass_electronic_018-022-100", "keyboard_acoustic_004-060-025", "synth_lead_synthetic_000-105-127"]
    bass = clips["bass_electronic_018-022-100"]
    assert bass[c.CLIP_ID] == "NSynth/bass_electronic_018-022-100"
    assert bass[c.AUDIO_PATH] == "nsynth-test/audio/bass_electronic_018-022-100.wav"
    assert bass[c.ATTRIBUTES] == {"Instrument family": "Bass", "Instrument source": "Electronic", "MIDI note": "022"}
    assert bass[c.TRANSCRIPT] is None and bass[c.LABELS] == []
    assert clips["synth_lead_synthetic_000-105-127"][c.ATTRIBUTES] == {"Instrument family": "Synth lead", "Instrument source": "Synthetic", "MIDI note": "105"}
    assert clips["keyboard_acoustic_004-060-025"][c.ATTRIBUTES]["Instrument source"] == "Acoustic"
    assert all(0.9 < r[c.DURATION_S] < 1.1 for r in read.records)


def test_bad_notes_and_missing_audio_are_quarantined(tmp_path, audio):
    make_nsynth(tmp_path, audio)
    read = read_source("nsynth", tmp_path, {"splits": ["test"]})
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    details = " ".join(r["detail"] for r in read.rejects)
    assert "kazoo" in details and "not-a-note" in details
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert missing["stage"] == "probe" and "guitar_acoustic_010-050-075.wav" in missing["input_ref"]


def test_qualities_as_labels_splits_and_bad_json(tmp_path, audio):
    make_nsynth(tmp_path, audio)
    (tmp_path / "nsynth-valid").mkdir()
    (tmp_path / "nsynth-valid" / "examples.json").write_text('{"bass_electronic_018-022-100": {', encoding="utf-8")
    read = read_source("nsynth", tmp_path, options={"qualities": True, "splits": ["valid", "test"]})
    clips = read.by_id()
    assert clips["synth_lead_synthetic_000-105-127"][c.LABELS] == ["bright", "fast decay"]
    assert clips["keyboard_acoustic_004-060-025"][c.LABELS] == []
    assert any("nsynth-valid/examples.json" in r["input_ref"] and r["reason"] == "bad_metadata" for r in read.rejects)
    only_train = read_source("nsynth", tmp_path, options={"splits": ["train"]})
    assert list(only_train.by_id()) == ["flute_synthetic_000-070-050"] and only_train.rejects == []


def test_missing_layout_is_reported(tmp_path):
    assert NSynth(str(tmp_path)).missing() == ["nsynth-train/examples.json"]
    every = {"splits": ["train", "valid", "test"]}
    assert NSynth(str(tmp_path), every).missing() == ["nsynth-train/examples.json", "nsynth-valid/examples.json", "nsynth-test/examples.json"]
    (tmp_path / "nsynth-test").mkdir()
    (tmp_path / "nsynth-test" / "examples.json").write_text("{}", encoding="utf-8")
    assert NSynth(str(tmp_path), every).missing() == []
    assert NSynth(str(tmp_path)).missing() == ["nsynth-train/examples.json"]  # the test split does not stand in for train


def test_the_default_reads_the_train_split_and_held_out_splits_when_named(tmp_path, audio):
    make_nsynth(tmp_path, audio)
    train = read_source("nsynth", tmp_path)
    assert list(train.by_id()) == ["flute_synthetic_000-070-050"] and train.rejects == []
    assert train.records[0][c.AUDIO_PATH] == "nsynth-train/audio/flute_synthetic_000-070-050.wav"
    both = read_source("nsynth", tmp_path, {"splits": ["train", "test"]})
    assert len(both.records) == 4 and "nsynth-test/audio/bass_electronic_018-022-100.wav" in {r[c.AUDIO_PATH] for r in both.records}
