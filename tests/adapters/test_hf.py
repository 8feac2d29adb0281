"""adapter: hf over local copies (save_to_disk folder, Hub-layout Parquet) read offline in streaming mode."""

from __future__ import annotations

import pytest

from adapters.hf import HuggingFaceDataset
from schemas import columns as c
from tests.adapters.conftest import read_source, write_hub_parquet

datasets = pytest.importorskip("datasets")
from datasets import Audio, ClassLabel, Dataset, DatasetDict, Features, List, Value  # noqa: E402


def build(tmp_path, audio, bad_bytes=False) -> Dataset:
    clips = [audio.speech(tmp_path / "src" / f"{name}.wav", text, voice=voice)
             for name, text, voice in [("u1", "Hello there.", "en-us+m3"), ("u2", "Good morning.", "en-us+f3"),
                                       ("u3", "See you.", "en-us+f3")]]  # fmt: skip
    features = Features({
        "audio": Audio(), "utt": Value("string"), "text": Value("string"),
        "gender": ClassLabel(names=["male", "female"]), "accent": Value("string"),
        "tags": List(ClassLabel(names=["laughter", "music", "noise"])),
    })  # fmt: skip
    data = {
        "audio": [str(p) for p in clips], "utt": ["spk1-001", "spk2-001", "spk2-002"],
        "text": ["Hello there.", "Good morning.", ""], "gender": [0, 1, 1], "accent": ["us", "scot", None],
        "tags": [[0], [], [1, 2]],
    }  # fmt: skip
    ds = Dataset.from_dict(data, features=features)
    if bad_bytes:  # the third clip's bytes are not audio
        ds = ds.cast_column("audio", Audio(decode=False))
        rows = ds.to_list()
        for row in rows:
            row["audio"] = {"bytes": open(row["audio"]["path"], "rb").read(), "path": row["audio"]["path"].rsplit("/", 1)[1]}
        rows[2]["audio"]["bytes"] = b"RIFF not really a wave file"
        ds = Dataset.from_list(rows, features=features)
    return ds


OPTIONS = {
    "id_column": "utt", "transcript_column": "text", "labels_column": "tags",
    "attribute_columns": {"Gender": "gender", "Accent": "accent"},
    "value_maps": {"Accent": {"us": "American English", "scot": "Scottish English"}},
}  # fmt: skip


def test_save_to_disk_dataset_dict_split_and_column_mapping(tmp_path, audio):
    root = tmp_path / "saved"
    DatasetDict({"train": build(tmp_path, audio), "validation": build(tmp_path, audio).select([0])}).save_to_disk(str(root))
    read = read_source("hf", root, OPTIONS, name="mine", domain="speech")
    clips = read.by_id()
    assert sorted(clips) == ["spk1-001", "spk2-001", "spk2-002"]
    assert clips["spk1-001"][c.ATTRIBUTES] == {"Gender": "male", "Accent": "American English"}
    assert clips["spk2-001"][c.ATTRIBUTES] == {"Gender": "female", "Accent": "Scottish English"}
    assert clips["spk2-002"][c.ATTRIBUTES] == {"Gender": "female"}
    assert clips["spk2-002"][c.TRANSCRIPT] is None
    assert clips["spk1-001"][c.TRANSCRIPT] == "Hello there."
    assert [clips[k][c.LABELS] for k in sorted(clips)] == [["laughter"], [], ["music", "noise"]]
    # audio held as bytes is written once under the root and referred to by a relative path
    assert clips["spk1-001"][c.AUDIO_PATH] == "audio/train/00000000-u1.wav"
    assert (root / "audio" / "train" / "00000000-u1.wav").stat().st_size > 1000
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)
    validation = read_source("hf", root, {**OPTIONS, "splits": ["validation"]})
    assert list(validation.by_id()) == ["spk1-001"]
    both = read_source("hf", root, {**OPTIONS, "splits": ["train", "validation"]})
    assert [r[c.AUDIO_PATH] for r in both.records if r[c.CLIP_ID] == "src/spk1-001"] == ["audio/train/00000000-u1.wav"]
    assert both.reasons() == ["duplicate_clip"]  # the id column repeats across the two splits: the first is kept


def test_hub_layout_parquet_is_streamed_and_a_rerun_rewrites_nothing(tmp_path, audio):
    root = tmp_path / "hub"
    write_hub_parquet(build(tmp_path, audio), root)
    first = read_source("hf", root, OPTIONS)
    written = root / "audio" / "train" / "00000001-u2.wav"
    stamp = written.stat().st_mtime_ns
    second = read_source("hf", root, OPTIONS)
    assert [r[c.CLIP_ID] for r in first.records] == [r[c.CLIP_ID] for r in second.records]
    assert written.stat().st_mtime_ns == stamp
    assert first.by_id()["spk2-001"][c.ATTRIBUTES]["Gender"] == "female"


def test_bytes_that_are_not_audio_are_quarantined_and_the_rest_kept(tmp_path, audio):
    root = tmp_path / "saved"
    build(tmp_path, audio, bad_bytes=True).save_to_disk(str(root))
    read = read_source("hf", root, OPTIONS)
    assert sorted(read.by_id()) == ["spk1-001", "spk2-001"]
    assert read.reasons() == ["audio_undecodable"]


def test_missing_split_and_missing_audio_column_are_clear(tmp_path, audio):
    root = tmp_path / "saved"
    DatasetDict({"train": build(tmp_path, audio)}).save_to_disk(str(root))
    with pytest.raises(ValueError, match="no split 'test'"):
        list(HuggingFaceDataset(str(root), {"splits": ["test"]}).entries())
    read = read_source("hf", root, {"audio_column": "sound"})
    assert read.records == [] and read.reasons() == ["bad_metadata"]
    assert "no audio column 'sound'" in read.rejects[0]["detail"]


def test_a_dataset_adapter_can_preset_the_mapping():
    class Preset(HuggingFaceDataset):
        name = "preset_example"
        preset = {"dataset": "org/name", "transcript_column": "sentence"}

    adapter = Preset("/tmp/x", {"splits": ["test"]})
    assert (adapter.options.dataset, adapter.options.transcript_column, adapter.options.splits) == ("org/name", "sentence", ["test"])


def test_parquet_splits_are_read_in_turn_and_an_absent_one_names_those_there(tmp_path, audio):
    root = tmp_path / "hub"
    write_hub_parquet(build(tmp_path, audio), root)
    write_hub_parquet(build(tmp_path, audio).select([2]), root, "test")
    assert sorted(read_source("hf", root, OPTIONS).by_id()) == ["spk1-001", "spk2-001", "spk2-002"]  # train only
    test = read_source("hf", root, {**OPTIONS, "splits": ["test"]})
    assert [r[c.AUDIO_PATH] for r in test.records] == ["audio/test/00000000-u3.wav"]
    assert test.reasons() == [] and test.records[0][c.CLIP_ID] == "src/spk2-002"
    problem = HuggingFaceDataset(str(root), {"splits": ["train", "dev"]}).check()
    assert "cannot read split 'dev'" in problem and "(Parquet splits there: test, train)" in problem
