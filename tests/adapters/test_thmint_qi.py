"""TMHINT-QI in its native layout: train/ and test/ wavs + raw_data.csv with one row per listener rating."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

HEADER = "idx,method,uttr,snr,noise,quality_score,intelligibility_score,file_name\n"
ROWS = (
    "1,Noisy,12,-2,babble,2,6,Noisy_babble_n2_012\n"
    "2,Noisy,12,-2,babble,3,7,Noisy_babble_n2_012\n"
    "3,Noisy,12,-2,babble,,8,Noisy_babble_n2_012\n"  # a listener who gave no quality score
    "4,FCN,40,5,street,4,10,FCN_street_5_040\n"
    "5,MMSE,7,0,pink,5,9,MMSE_pink_0_007\n"  # rated, but its wav is not in the release
    "6,MMSE,8,0,pink,7,9,MMSE_pink_0_008\n"  # quality score out of the 1-5 scale
    "7,MMSE,9,0,pink,3\n"  # too few cells
)


def make_tmhint_qi(root, audio):
    audio.speech(root / "train" / "Noisy_babble_n2_012.wav", "ni hao", voice="cmn")
    audio.speech(root / "test" / "FCN_street_5_040.wav", "zai jian", voice="cmn")
    (root / "raw_data.csv").write_text(HEADER + ROWS, encoding="utf-8")


def test_records_mean_ratings_and_conditions(tmp_path, audio):
    make_tmhint_qi(tmp_path, audio)
    read = read_source("thmint_qi", tmp_path, {"splits": ["train", "test"]}, name="THMINT-QI")
    clips = read.by_id()
    assert sorted(clips) == ["FCN_street_5_040", "Noisy_babble_n2_012"]
    noisy = clips["Noisy_babble_n2_012"]
    assert noisy[c.CLIP_ID] == "THMINT-QI/Noisy_babble_n2_012"
    assert noisy[c.AUDIO_PATH] == "train/Noisy_babble_n2_012.wav"
    assert noisy[c.TRANSCRIPT] is None
    assert noisy[c.ATTRIBUTES] == {
        "Quality score": "2.5/5.0 (Fair)", "Intelligibility score": 7.0, "Ratings": 3, "Noise type": "babble",
        "Signal-to-noise ratio": "-2 dB", "Enhancement method": "Noisy", "Language": "Mandarin Chinese",
    }  # fmt: skip
    enhanced = clips["FCN_street_5_040"]
    assert enhanced[c.AUDIO_PATH] == "test/FCN_street_5_040.wav"
    assert enhanced[c.ATTRIBUTES]["Quality score"] == "4.0/5.0 (Good)"
    assert enhanced[c.ATTRIBUTES]["Ratings"] == 1
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_rating_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_tmhint_qi(tmp_path, audio)
    read = read_source("thmint_qi", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("raw_data.csv:7") for r in read.rejects if r["reason"] == "bad_metadata")
    assert any(r["input_ref"].endswith("raw_data.csv:8") for r in read.rejects if r["reason"] == "bad_metadata")
    assert any("MMSE_pink_0_007.wav" in r["detail"] for r in read.rejects if r["reason"] == "audio_missing")



def test_the_default_reads_the_train_folder_and_test_only_when_named(tmp_path, audio):
    make_tmhint_qi(tmp_path, audio)
    train = read_source("thmint_qi", tmp_path)
    assert list(train.by_id()) == ["Noisy_babble_n2_012"]
    assert "MMSE_pink_0_007.wav" in " ".join(r["detail"] for r in train.rejects)  # in neither folder: taken as training, missing
    test = read_source("thmint_qi", tmp_path, {"splits": ["test"]})
    assert list(test.by_id()) == ["FCN_street_5_040"] and "audio_missing" not in test.reasons()
