"""VCTK+MUSAN in a Hub form (no public native layout): a local Parquet copy with a release-style description column."""

from __future__ import annotations

import pytest

from adapters.vctk_musan import VCTKMusan, parse_description
from schemas import columns as c
from tests.adapters.conftest import read_source, write_hub_parquet

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, Features, Value  # noqa: E402

FEATURES = Features({"audio": Audio(sampling_rate=16000), "file": Value("string"), "text": Value("string"), "description": Value("string"),
                     "noise": Value("string")})  # fmt: skip


def make_copy(root, audio):
    def mixture(name):
        return str(audio.speech(root.parent / "src" / f"{name}.wav", "Please call Stella.", voice="en-us+m3"))

    rows = {
        "audio": [mixture("p225_001_mix"), mixture("p226_002_mix"), mixture("p227_003_mix")],
        "file": ["p225_001_mix", "p226_002_mix", "p227_003_mix"],
        "text": ["Please call Stella.", "Please call Stella.", None],
        "description": ["(4 speakers talking) (Noise Level: Noisy, Signal-to-Noise Ratio: 10db)",
                        "(1 speaker talking) (Noise Level: Clean, Signal-to-Noise Ratio: 20dB)", "mixture"],
        "noise": ["music", "noise", "speech"],
    }  # fmt: skip
    write_hub_parquet(Dataset.from_dict(rows, features=FEATURES), root)


OPTIONS = {"id_column": "file", "transcript_column": "text", "description_column": "description", "attribute_columns": {"Noise type": "noise"}}


def test_release_style_descriptions_become_attributes(tmp_path, audio):
    root = tmp_path / "vctk_musan"
    make_copy(root, audio)
    read = read_source("vctk_musan", root, OPTIONS, name="VCTK+MUSAN")
    clips = read.by_id()
    assert sorted(clips) == ["p225_001_mix", "p226_002_mix"]
    assert clips["p225_001_mix"][c.CLIP_ID] == "VCTK+MUSAN/p225_001_mix"
    assert clips["p225_001_mix"][c.TRANSCRIPT] == "Please call Stella."
    assert clips["p225_001_mix"][c.ATTRIBUTES] == {"Noise type": "music", "Speaker count": 4, "Noise level": "Noisy", "SNR": "10 dB"}
    assert clips["p226_002_mix"][c.ATTRIBUTES] == {"Noise type": "noise", "Speaker count": 1, "Noise level": "Clean", "SNR": "20 dB"}
    # a description that says none of it is a bad metadata row
    assert read.reasons() == ["bad_metadata"]
    assert read.rejects[0]["input_ref"].endswith("[train][2]") and "'mixture'" in read.rejects[0]["detail"]


def test_description_parsing_and_no_default_source(tmp_path):
    assert parse_description("(2 speakers talking) (Noise Level: Slightly noisy, Signal-to-Noise Ratio: -5db)") == {
        "Speaker count": 2, "Noise level": "Slightly noisy", "SNR": "-5 dB",
    }  # fmt: skip
    assert parse_description("(Noise Level: Noisy)") == {"Noise level": "Noisy"}
    problem = VCTKMusan(str(tmp_path)).check()
    assert problem and "neither a save_to_disk folder nor Parquet files" in problem


def test_the_default_reads_train_and_a_held_out_split_only_when_named(tmp_path, audio):
    root = tmp_path / "vctk_musan"
    make_copy(root, audio)
    make_copy(tmp_path / "other", audio)
    (tmp_path / "other" / "data" / "train-00000-of-00001.parquet").rename(root / "data" / "test-00000-of-00001.parquet")
    train = read_source("vctk_musan", root, OPTIONS)
    assert {r[c.AUDIO_PATH].split("/")[1] for r in train.records} == {"train"}
    test = read_source("vctk_musan", root, {**OPTIONS, "splits": ["test"]})
    assert sorted(test.by_id()) == ["p225_001_mix", "p226_002_mix"] and {r[c.AUDIO_PATH].split("/")[1] for r in test.records} == {"test"}
