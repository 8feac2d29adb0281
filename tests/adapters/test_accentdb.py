"""AccentDB (accentdb_extended) in its native layout: data/<accent>/speaker_<NN>/<accent>_s<NN>_<NNN>.wav."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def make_accentdb(root, audio):
    data = root / "data"
    audio.speech(data / "american" / "speaker_01" / "american_s01_001.wav", "The hogs were fed chopped corn and garbage.", voice="en-us+f3")
    audio.speech(data / "bangla" / "speaker_02" / "bangla_s02_713.wav", "Rice is often served in round bowls.", voice="en-us+m3")
    audio.speech(data / "welsh" / "speaker_01" / "welsh_s01_010.wav", "The birch canoe slid on the smooth planks.", voice="en-us+m3")
    audio.speech(data / "american" / "speaker_01" / "american_s02_002.wav")  # speaker number disagrees with its folder
    audio.speech(data / "klingon" / "speaker_01" / "klingon_s01_001.wav")  # not an AccentDB accent


def test_records_ids_and_accent_attributes(tmp_path, audio):
    make_accentdb(tmp_path, audio)
    read = read_source("accentdb", tmp_path, name="AccentDB")
    clips = read.by_id()
    assert sorted(clips) == ["american_s01_001", "bangla_s02_713", "welsh_s01_010"]
    first = clips["american_s01_001"]
    assert first[c.CLIP_ID] == "AccentDB/american_s01_001"
    assert first[c.AUDIO_PATH] == "data/american/speaker_01/american_s01_001.wav"
    assert first[c.TRANSCRIPT] is None
    assert first[c.ATTRIBUTES] == {"Accent": "American English", "Speaker": "american_s01"}
    assert clips["bangla_s02_713"][c.ATTRIBUTES] == {"Accent": "Bengali-accented English", "Native language": "Bengali", "Speaker": "bangla_s02"}
    assert clips["welsh_s01_010"][c.ATTRIBUTES] == {"Accent": "Welsh English", "Speaker": "welsh_s01"}
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_bad_file_names_are_quarantined(tmp_path, audio):
    make_accentdb(tmp_path, audio)
    read = read_source("accentdb", tmp_path)
    assert read.reasons() == ["bad_file_name", "bad_file_name"]
    assert any("american_s02_002.wav" in r["detail"] for r in read.rejects)
    assert any("klingon_s01_001.wav" in r["detail"] for r in read.rejects)
