"""BIIC-Podcast in Hugging Face form (its native layout is not public): a local save_to_disk copy or Parquet."""

from __future__ import annotations

import pytest

from schemas import columns as c
from tests.adapters.conftest import read_source

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, DatasetDict, Features, Value  # noqa: E402

FEATURES = Features({
    "audio": Audio(), "FileName": Value("string"), "EmoClass": Value("string"), "EmoAct": Value("float64"),
    "EmoVal": Value("float64"), "EmoDom": Value("float64"), "SpkrID": Value("string"), "Gender": Value("string"),
    "Transcript": Value("string"),
})  # fmt: skip


def build(tmp_path, audio) -> Dataset:
    wavs = [audio.speech(tmp_path / "src" / f"{name}.wav", "Ni hao.", voice=voice)
            for name, voice in [("BIIC_0001_0001", "en-us+f3"), ("BIIC_0002_0007", "en-us+m3"), ("BIIC_0003_0002", "en-us+m3")]]  # fmt: skip
    data = {
        "audio": [str(p) for p in wavs], "FileName": [p.name for p in wavs], "EmoClass": ["H", "X", "A"],
        "EmoAct": [4.2, 3.0, 5.8], "EmoVal": [5.6, 4.0, 1.4], "EmoDom": [4.4, 4.0, 5.0],
        "SpkrID": ["17", "Unknown", "3"], "Gender": ["Female", "Unknown", "Male"],
        "Transcript": ["這個連結只有在現場才感受的到", "", "不要再說了"],
    }  # fmt: skip
    return Dataset.from_dict(data, features=FEATURES)


def test_save_to_disk_copy_with_msp_style_columns(tmp_path, audio):
    root = tmp_path / "biic"
    DatasetDict({"train": build(tmp_path, audio)}).save_to_disk(str(root))
    read = read_source("biic_podcast", root, name="BIIC-Podcast")
    clips = read.by_id()
    assert sorted(clips) == ["BIIC_0001_0001", "BIIC_0002_0007", "BIIC_0003_0002"]
    first = clips["BIIC_0001_0001"]
    assert first[c.CLIP_ID] == "BIIC-Podcast/BIIC_0001_0001"
    assert first[c.TRANSCRIPT] == "這個連結只有在現場才感受的到"
    assert first[c.ATTRIBUTES] == {
        "Emotion": "Happy", "Activation": "4.2/7.0", "Valence": "5.6/7.0", "Dominance": "4.4/7.0", "Gender": "Female", "Speaker": "17",
        "Language": "Mandarin", "Accent": "Taiwanese Mandarin",
    }  # fmt: skip
    # no agreement (X) and Unknown speaker/gender are left out
    assert clips["BIIC_0002_0007"][c.ATTRIBUTES] == {
        "Activation": "3.0/7.0", "Valence": "4.0/7.0", "Dominance": "4.0/7.0", "Language": "Mandarin", "Accent": "Taiwanese Mandarin",
    }  # fmt: skip
    assert clips["BIIC_0002_0007"][c.TRANSCRIPT] is None
    assert clips["BIIC_0003_0002"][c.ATTRIBUTES]["Emotion"] == "Angry"
    assert read.rejects == []


def test_parquet_copy_and_a_missing_audio_file(tmp_path, audio):
    root = tmp_path / "biic"
    (root / "clips").mkdir(parents=True)
    ds = build(tmp_path, audio).cast_column("audio", Audio(decode=False))
    rows = ds.to_list()
    for row in rows:  # audio files kept beside the Parquet, referred to by path
        target = root / "clips" / row["FileName"]
        target.write_bytes(open(row["audio"]["path"], "rb").read())
        row["audio"] = {"bytes": None, "path": str(target)}
    Dataset.from_list(rows, features=ds.features).to_parquet(str(root / "data" / "train-00000-of-00001.parquet"))
    (root / "clips" / "BIIC_0002_0007.wav").unlink()
    read = read_source("biic_podcast", root)
    assert sorted(read.by_id()) == ["BIIC_0001_0001", "BIIC_0003_0002"]
    assert read.by_id()["BIIC_0001_0001"][c.AUDIO_PATH] == "clips/BIIC_0001_0001.wav"
    assert read.reasons() == ["audio_missing"]


def test_an_empty_folder_is_reported(tmp_path):
    from adapters.biic_podcast import BIICPodcast

    assert str(tmp_path) in BIICPodcast(str(tmp_path)).check()


def test_the_default_reads_train_and_a_held_out_split_only_when_named(tmp_path, audio):
    root = tmp_path / "biic"
    DatasetDict({"train": build(tmp_path, audio), "test": build(tmp_path, audio).select([2])}).save_to_disk(str(root))
    assert sorted(read_source("biic_podcast", root).by_id()) == ["BIIC_0001_0001", "BIIC_0002_0007", "BIIC_0003_0002"]
    test = read_source("biic_podcast", root, {"splits": ["test"]})
    assert list(test.by_id()) == ["BIIC_0003_0002"] and test.records[0][c.AUDIO_PATH].startswith("audio/test/")
