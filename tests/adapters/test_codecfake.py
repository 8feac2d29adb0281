"""CodecFake in its Hub form: Parquet `data/train-*.parquet` (audio, label, speaker_id, codec_name), read offline."""

from __future__ import annotations

import pytest

from adapters.codecfake import CodecFake
from schemas import columns as c
from tests.adapters.conftest import read_source

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, Features, Value  # noqa: E402

CODEC_A, CODEC_B = "funcodec-funcodec_zh_en_general_16k_nq32ds640", "encodec_24k_6bps"


def make_hub_copy(tmp_path, audio, bad_bytes=False):
    clips = {name: audio.speech(tmp_path / "src" / f"{name}.wav", text, voice=voice)
             for name, text, voice in [("p225_001", "Please call Stella.", "en-us+f3"), ("p226_002", "Ask her to bring these things.", "en-us+m3")]}  # fmt: skip
    rows = [
        {"audio": {"bytes": clips["p225_001"].read_bytes(), "path": "p225_001.wav"}, "label": "spoofing", "speaker_id": "p225", "codec_name": CODEC_A},
        {"audio": {"bytes": clips["p225_001"].read_bytes(), "path": "p225_001.wav"}, "label": "spoofing", "speaker_id": "p225", "codec_name": CODEC_B},
        {"audio": {"bytes": clips["p226_002"].read_bytes(), "path": "p226_002.wav"}, "label": "spoofing", "speaker_id": "p226", "codec_name": CODEC_A},
    ]
    if bad_bytes:
        rows.append({"audio": {"bytes": b"RIFF but not audio", "path": "p227_003.wav"}, "label": "spoofing", "speaker_id": "p227", "codec_name": CODEC_A})
    features = Features({"audio": Audio(decode=False), "label": Value("string"), "speaker_id": Value("string"), "codec_name": Value("string")})
    root = tmp_path / "CodecFake"
    (root / "data").mkdir(parents=True)
    Dataset.from_list(rows, features=features).to_parquet(str(root / "data" / "train-00000-of-00001.parquet"))
    return root


def test_hub_parquet_copy_is_read_offline_with_the_preset_mapping(tmp_path, audio):
    root = make_hub_copy(tmp_path, audio)
    read = read_source("codecfake", root, name="CodecFake")
    clips = read.by_id()
    assert sorted(clips) == [f"{CODEC_B}/p225_001", f"{CODEC_A}/p225_001", f"{CODEC_A}/p226_002"]
    first = clips[f"{CODEC_A}/p225_001"]
    assert first[c.CLIP_ID] == f"CodecFake/{CODEC_A}/p225_001"
    assert first[c.AUDIO_PATH] == "audio/train/00000000-p225_001.wav"
    assert first[c.ATTRIBUTES] == {"Spoofing": "Spoofed", "Codec": CODEC_A, "Speaker": "p225"}
    assert clips[f"{CODEC_A}/p226_002"][c.ATTRIBUTES]["Speaker"] == "p226"
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_vctk_speaker_info_under_the_root_gives_gender_age_and_accent(tmp_path, audio):
    root = make_hub_copy(tmp_path, audio)
    (root / "speaker-info.txt").write_text(
        "ID  AGE  GENDER  ACCENTS  REGION COMMENTS \np225  23  F    English    Southern  England\np226  22  M    Scottish   Fife\n"
        "p999  old  F    English\n",
        encoding="utf-8",
    )
    read = read_source("codecfake", root)
    clips = read.by_id()
    assert clips[f"{CODEC_A}/p225_001"][c.ATTRIBUTES] == {
        "Spoofing": "Spoofed", "Codec": CODEC_A, "Speaker": "p225", "Gender": "Female", "Age": 23, "Accent": "England English",
    }  # fmt: skip
    assert clips[f"{CODEC_A}/p226_002"][c.ATTRIBUTES]["Accent"] == "Scottish English"
    # a line of the speaker table that does not parse is reported, the clips are still read
    assert read.reasons() == ["bad_metadata"] and read.rejects[0]["input_ref"].endswith("speaker-info.txt:4")


def test_bytes_that_are_not_audio_are_quarantined(tmp_path, audio):
    read = read_source("codecfake", make_hub_copy(tmp_path, audio, bad_bytes=True))
    assert len(read.records) == 3
    assert read.reasons() == ["audio_undecodable"]


def test_the_preset_points_at_the_hub_dataset():
    adapter = CodecFake("/tmp/nowhere")
    assert adapter.options.dataset == "rogertseng/CodecFake" and not adapter.root_required
    assert CodecFake("/tmp/nowhere", {"revision": "abc"}).options.attribute_columns["Codec"] == "codec_name"
    assert adapter.options.splits == ["train"]  # the dataset's one split: it holds nothing out
