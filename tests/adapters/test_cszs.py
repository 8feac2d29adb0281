"""CSZS in its Hub form (ky552/cszs_<track>), read offline from a local copy of the Hub's Parquet files."""

from __future__ import annotations

import pytest

from adapters.cszs import CSZS
from schemas import columns as c
from tests.adapters.conftest import read_source, write_hub_parquet

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, Features, Value  # noqa: E402

SIDE = {"audio": Audio(sampling_rate=16000), "transcription": Value("string"), "file": Value("string")}
FEATURES = Features({f"{side}_{k}": v for side in ("correct", "wrong") for k, v in SIDE.items()})


def make_hub_copy(root, audio, split="train"):
    def clip(name, text):
        return str(audio.speech(root.parent / "src" / f"{name}.wav", text, voice="en-us+f3"))

    rows = {
        "correct_audio": [clip("zh_en_c_001", "artist"), clip("zh_en_c_002", "computer"), None],
        "correct_transcription": ["他们自称 artist.", "我买了一台 computer.", "缺少音频"],
        "correct_file": ["zh_en_c_001", "zh_en_c_002", "zh_en_c_003"],
        "wrong_audio": [clip("zh_en_w_001", "tasty"), clip("zh_en_w_002", "computer"), clip("zh_en_w_003", "missing")],
        "wrong_transcription": ["他们自称 tasty.", "我 computer 买了一台.", "音频缺少"],
        "wrong_file": ["zh_en_w_001", "zh_en_w_002", "zh_en_w_003"],
    }
    write_hub_parquet(Dataset.from_dict(rows, features=FEATURES), root, split)
    held_out = {  # the dev split: one pair
        "correct_audio": [clip("zh_en_c_901", "dev")], "correct_transcription": ["这是 dev."], "correct_file": ["zh_en_c_901"],
        "wrong_audio": [clip("zh_en_w_901", "dev")], "wrong_transcription": ["dev 这是."], "wrong_file": ["zh_en_w_901"],
    }  # fmt: skip
    write_hub_parquet(Dataset.from_dict(held_out, features=FEATURES), root, "dev")


def test_correct_side_of_each_pair_with_its_language_pair(tmp_path, audio):
    root = tmp_path / "cszs_zh_en"
    make_hub_copy(root, audio)
    read = read_source("cszs", root, name="CSZS")
    clips = read.by_id()
    assert sorted(clips) == ["zh_en_c_001", "zh_en_c_002"]
    first = clips["zh_en_c_001"]
    assert first[c.CLIP_ID] == "CSZS/zh_en_c_001"
    assert first[c.AUDIO_PATH] == "audio/train/00000000-zh_en_c_001.wav"
    assert first[c.TRANSCRIPT] == "他们自称 artist."
    assert first[c.ATTRIBUTES] == {"Language": "Mandarin-English code-switching"}
    assert read.reasons() == ["audio_missing"]


def test_wrong_side_track_and_hub_id(tmp_path, audio):
    root = tmp_path / "copy"
    make_hub_copy(root, audio)
    read = read_source("cszs", root, {"side": "wrong"})
    assert sorted(read.by_id()) == ["zh_en_w_001", "zh_en_w_002", "zh_en_w_003"]
    assert read.by_id()["zh_en_w_001"][c.TRANSCRIPT] == "他们自称 tasty."
    assert read.reasons() == []
    assert CSZS(str(root), {"tracks": ["es_en"]}).options.dataset == "ky552/cszs_es_en"
    assert CSZS(str(root), {"tracks": ["fr_en"]}).options.audio_column == "correct_audio"
    spanish = read_source("cszs", root, {"tracks": ["es_en"]})
    assert spanish.records[0][c.ATTRIBUTES] == {"Language": "Spanish-English code-switching"}


def test_the_default_reads_train_and_dev_or_test_only_when_named(tmp_path, audio):
    root = tmp_path / "cszs_zh_en"
    make_hub_copy(root, audio)
    assert sorted(read_source("cszs", root).by_id()) == ["zh_en_c_001", "zh_en_c_002"]
    dev = read_source("cszs", root, {"splits": ["dev"]})
    assert list(dev.by_id()) == ["zh_en_c_901"] and dev.rejects == []
    assert dev.records[0][c.AUDIO_PATH] == "audio/dev/00000000-zh_en_c_901.wav"
    both = read_source("cszs", root, {"splits": ["train", "dev"]})
    assert sorted(both.by_id()) == ["zh_en_c_001", "zh_en_c_002", "zh_en_c_901"]
    problem = CSZS(str(root), {"splits": ["test"], "dataset": None}).check()  # a local copy only: no Hub fallback
    assert "cannot read split 'test'" in problem and "(Parquet splits there: dev, train)" in problem


def test_several_tracks_each_from_its_own_folder(tmp_path, audio):
    root = tmp_path / "CSZS"
    make_hub_copy(root / "zh_en", audio)
    make_hub_copy(root / "cszs_es_en", audio)  # the same rows stand in for the Spanish-English copy
    adapter = CSZS(str(root), {"tracks": ["zh_en", "es_en"]})
    assert adapter.options.dataset is None and not adapter.root_required and adapter.check() is None
    entries = [entry for _, entry in adapter.entries() if isinstance(entry, dict)]
    assert [(e["audio"], e["Language"]) for e in entries if e["id"] == "zh_en_c_001"] == [
        ("zh_en/audio/train/00000000-zh_en_c_001.wav", "Mandarin-English code-switching"),
        ("cszs_es_en/audio/train/00000000-zh_en_c_001.wav", "Spanish-English code-switching"),
    ]
    assert (root / "cszs_es_en" / "audio" / "train" / "00000000-zh_en_c_001.wav").is_file()
    with pytest.raises(ValueError, match="one Hub id cannot serve several tracks"):
        CSZS(str(root), {"tracks": ["zh_en", "fr_en"], "dataset": "someone/else"})
