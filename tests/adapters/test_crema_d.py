"""CREMA-D in its native layout: AudioWAV/<actor>_<sentence>_<emotion>_<level>.wav + VideoDemographics.csv."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def make_crema_d(root, audio):
    for name, voice in [("1001_DFA_ANG_XX", "en-us+m3"), ("1001_IEO_HAP_HI", "en-us+m3"), ("1002_TSI_NEU_XX", "en-us+f3")]:
        audio.speech(root / "AudioWAV" / f"{name}.wav", "Don't forget a jacket.", voice=voice)
    audio.speech(root / "AudioWAV" / "1002_XYZ_ANG_XX.wav")  # unknown sentence code
    audio.speech(root / "AudioWAV" / "notes.wav")  # not a CREMA-D name
    (root / "VideoDemographics.csv").write_text(
        "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\n"
        "1003,44,Unknown,Caucasian,Not Hispanic\n",
        encoding="utf-8",
    )


def test_records_ids_and_normalised_attributes(tmp_path, audio):
    make_crema_d(tmp_path, audio)
    read = read_source("crema_d", tmp_path, name="CREMA-D")
    clips = read.by_id()
    assert sorted(clips) == ["1001_DFA_ANG_XX", "1001_IEO_HAP_HI", "1002_TSI_NEU_XX"]
    first = clips["1001_DFA_ANG_XX"]
    assert first[c.CLIP_ID] == "CREMA-D/1001_DFA_ANG_XX"
    assert first[c.AUDIO_PATH] == "AudioWAV/1001_DFA_ANG_XX.wav"
    assert first[c.TRANSCRIPT] == "Don't forget a jacket."
    assert first[c.ATTRIBUTES] == {
        "Emotion": "Angry", "Gender": "Male", "Age": "51", "Speaker": "1001", "Race": "Caucasian", "Ethnicity": "Not Hispanic",
    }  # fmt: skip
    assert clips["1001_IEO_HAP_HI"][c.ATTRIBUTES]["Emotion intensity"] == "High"
    assert clips["1001_IEO_HAP_HI"][c.TRANSCRIPT] == "It's eleven o'clock."
    assert clips["1002_TSI_NEU_XX"][c.ATTRIBUTES]["Gender"] == "Female"
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_bad_names_and_metadata_lines_are_quarantined(tmp_path, audio):
    make_crema_d(tmp_path, audio)
    read = read_source("crema_d", tmp_path)
    assert read.reasons() == ["bad_file_name", "bad_file_name", "bad_metadata"]
    assert any(r["input_ref"].endswith("VideoDemographics.csv:4") for r in read.rejects)
    assert any("1002_XYZ_ANG_XX.wav" in r["detail"] for r in read.rejects)
