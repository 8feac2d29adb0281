"""GLOBE in its Hub form, read offline: data/<split>-*.parquet (audio, speaker_id, transcript, accent, duration, age, gender)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from adapters.globe import GLOBE
from schemas import columns as c
from tests.adapters.conftest import read_source

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, Features, Value  # noqa: E402

FEATURES = Features({
    "audio": Audio(sampling_rate=24000), "speaker_id": Value("string"), "transcript": Value("string"), "accent": Value("string"),
    "duration": Value("float64"), "age": Value("string"), "gender": Value("string"),
})  # fmt: skip


def make_globe(root, audio, split="train"):
    rows = []
    for name, text, voice, speaker, accent, age, gender in [
        ("common_voice_en_100", "Hello from Texas.", "en-us+m3", "S_001", "United States English", "teens", "male"),
        ("common_voice_en_200", "Good day from Sydney.", "en-us+f3", "S_002", "Australian English", "fourties", "female"),
    ]:
        wav = audio.speech(root.parent / "src" / f"{name}.wav", text, voice=voice, rate=24000)
        rows.append({"audio": {"bytes": wav.read_bytes(), "path": f"{name}.wav"}, "speaker_id": speaker, "transcript": text,
                     "accent": accent, "duration": 1.5, "age": age, "gender": gender})  # fmt: skip
    # the audio is neither held as bytes nor present under the root
    rows.append({"audio": {"bytes": None, "path": "clips/common_voice_en_300.wav"}, "speaker_id": "S_003", "transcript": "Gone.",
                 "accent": "Scottish English", "duration": 1.0, "age": "thirties", "gender": "male"})  # fmt: skip
    (root / "data").mkdir(parents=True, exist_ok=True)
    table = Dataset.from_list(rows, features=FEATURES).data.table  # keeps the features in the schema metadata, as the Hub's files do
    pq.write_table(table, root / "data" / f"{split}-00000-of-00001.parquet")


def test_hub_parquet_rows_become_clips_with_normalised_attributes(tmp_path, audio):
    root = tmp_path / "GLOBE"
    make_globe(root, audio)
    read = read_source("globe", root, name="GLOBE")
    clips = read.by_id()
    assert sorted(clips) == ["common_voice_en_100", "common_voice_en_200"]
    first = clips["common_voice_en_100"]
    assert first[c.CLIP_ID] == "GLOBE/common_voice_en_100"
    assert first[c.AUDIO_PATH] == "audio/train/00000000-common_voice_en_100.wav"  # bytes written once under the root
    assert first[c.TRANSCRIPT] == "Hello from Texas."
    assert first[c.ATTRIBUTES] == {"Speaker": "S_001", "Accent": "United States English", "Age": "teens", "Gender": "Male"}
    assert clips["common_voice_en_200"][c.ATTRIBUTES] == {"Speaker": "S_002", "Accent": "Australian English", "Age": "forties", "Gender": "Female"}
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_a_row_whose_audio_is_missing_is_quarantined(tmp_path, audio):
    root = tmp_path / "GLOBE"
    make_globe(root, audio)
    read = read_source("globe", root)
    assert read.reasons() == ["audio_missing"]
    assert "clips/common_voice_en_300.wav" in read.rejects[0]["detail"]


def test_the_split_is_an_option_and_the_hub_id_is_preset(tmp_path, audio):
    root = tmp_path / "GLOBE"
    make_globe(root, audio, split="val")
    assert sorted(read_source("globe", root, {"splits": ["val"]}).by_id()) == ["common_voice_en_100", "common_voice_en_200"]
    adapter = GLOBE(str(root), {"dataset": "MushanW/GLOBE_V2"})
    assert adapter.options.dataset == "MushanW/GLOBE_V2" and adapter.options.transcript_column == "transcript"
    assert not GLOBE(str(root)).root_required  # streams from the Hub when there is no local copy


def test_the_default_reads_train_and_the_held_out_splits_only_when_named(tmp_path, audio):
    root = tmp_path / "GLOBE"
    make_globe(root, audio)
    make_globe(root, audio, split="test")
    train = read_source("globe", root)
    assert {r[c.AUDIO_PATH].split("/")[1] for r in train.records} == {"train"}
    test = read_source("globe", root, {"splits": ["test"]})
    assert sorted(r[c.AUDIO_PATH] for r in test.records) == ["audio/test/00000000-common_voice_en_100.wav", "audio/test/00000001-common_voice_en_200.wav"]
    assert GLOBE(str(root)).options.splits == ["train"]
