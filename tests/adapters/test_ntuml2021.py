"""NTUML2021 in its Hub form (ky552/ML2021_ASR_ST), read offline from a local copy of the Hub's Parquet files."""

from __future__ import annotations

import pytest

from adapters.ntuml2021 import NTUML2021
from schemas import columns as c
from tests.adapters.conftest import read_source, write_hub_parquet

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, Features, Value  # noqa: E402

FEATURES = Features({"audio": Audio(sampling_rate=16000), "transcription": Value("string"), "translation": Value("string"), "file": Value("string")})


def make_hub_copy(root, audio, split="train"):
    clips = [audio.speech(root.parent / "src" / f"{name}.wav", text, voice="en-us+m3")
             for name, text in [("ml2021_0001", "gradient descent"), ("ml2021_0002", "transformer")]]  # fmt: skip
    rows = {
        "audio": [str(clips[0]), str(clips[1]), None],
        "transcription": ["我們用 gradient descent 來更新參數", "這就是 transformer", "沒有聲音"],
        "translation": ["We use gradient descent to update the parameters", "This is the transformer", "No audio"],
        "file": ["ml2021_0001", "ml2021_0002", "ml2021_0003"],
    }
    write_hub_parquet(Dataset.from_dict(rows, features=FEATURES), root, split)


def test_hub_parquet_copy_becomes_code_switched_clips(tmp_path, audio):
    root = tmp_path / "ML2021_ASR_ST"
    make_hub_copy(root, audio)
    read = read_source("ntuml2021", root, name="NTUML2021")
    clips = read.by_id()
    assert sorted(clips) == ["ml2021_0001", "ml2021_0002"]
    first = clips["ml2021_0001"]
    assert first[c.CLIP_ID] == "NTUML2021/ml2021_0001"
    assert first[c.AUDIO_PATH] == "audio/train/00000000-ml2021_0001.wav"
    assert first[c.TRANSCRIPT] == "我們用 gradient descent 來更新參數"
    assert first[c.ATTRIBUTES] == {
        "English translation": "We use gradient descent to update the parameters", "Language": "Mandarin-English code-switching",
    }  # fmt: skip
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)
    # a row without audio is quarantined, not fatal
    assert read.reasons() == ["audio_missing"]
    assert read.rejects[0]["input_ref"].endswith("[train][2]")


def test_split_option_and_preset(tmp_path, audio):
    root = tmp_path / "copy"
    make_hub_copy(root, audio, split="dev")
    assert NTUML2021(str(root)).options.dataset == "ky552/ML2021_ASR_ST"
    read = read_source("ntuml2021", root, {"splits": ["dev"]})
    assert sorted(read.by_id()) == ["ml2021_0001", "ml2021_0002"]
    assert read.records[0][c.AUDIO_PATH].startswith("audio/dev/")
    problem = NTUML2021(str(root), {"dataset": None}).check()  # the default reads train; this copy holds dev only
    assert "cannot read split 'train'" in problem and "(Parquet splits there: dev)" in problem


def test_the_default_reads_train_and_dev_or_test_only_when_named(tmp_path, audio):
    root = tmp_path / "copy"
    make_hub_copy(root, audio)
    make_hub_copy(root, audio, split="test")
    train = read_source("ntuml2021", root)
    assert {r[c.AUDIO_PATH].split("/")[1] for r in train.records} == {"train"} and len(train.records) == 2
    test = read_source("ntuml2021", root, {"splits": ["test"]})
    assert {r[c.AUDIO_PATH].split("/")[1] for r in test.records} == {"test"} and len(test.records) == 2
