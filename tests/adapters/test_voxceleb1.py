"""VoxCeleb1 in its native layout: wav/<id>/<youtube id>/<NNNNN>.wav + vox1_meta.csv (tab-separated)."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

META = (
    "VoxCeleb1 ID\tVGGFace1 ID\tGender\tNationality\tSet\n"
    "id10001\tA.J._Buckley\tm\tIreland\tdev\n"
    "id10270\tEliza_Taylor\tf\tAustralia\ttest\n"
    "id10002\tAJ_Cook\tx\tCanada\tdev\n"  # unknown gender code
    "id10003\tAaron_Tveit\tm\n"  # too few cells
)


def make_voxceleb1(root, audio):
    audio.speech(root / "wav" / "id10001" / "1zcIwhmdeo4" / "00001.wav", "It is all what side of the coin you are looking at.", voice="en-us+m3")
    audio.speech(root / "wav" / "id10001" / "7gWzIy6yIIk" / "00002.wav", "I was there.", voice="en-us+m3")
    audio.speech(root / "wav" / "id10270" / "x6uYqmx31kE" / "00001.wav", "Good evening.", voice="en-us+f3")
    audio.speech(root / "wav" / "id10999" / "5r0dWxy17C8" / "00003.wav", "No metadata for me.")  # speaker not in the table
    audio.speech(root / "wav" / "id10001" / "1zcIwhmdeo4" / "first.wav")  # not an NNNNN file name
    (root / "vox1_meta.csv").write_text(META, encoding="utf-8")


def test_records_ids_and_speaker_attributes(tmp_path, audio):
    make_voxceleb1(tmp_path, audio)
    read = read_source("voxceleb1", tmp_path, {"splits": ["dev", "test"]}, name="VoxCeleb1")
    clips = read.by_id()
    assert sorted(clips) == ["id10001/1zcIwhmdeo4/00001", "id10001/7gWzIy6yIIk/00002", "id10270/x6uYqmx31kE/00001", "id10999/5r0dWxy17C8/00003"]
    first = clips["id10001/1zcIwhmdeo4/00001"]
    assert first[c.CLIP_ID] == "VoxCeleb1/id10001/1zcIwhmdeo4/00001"
    assert first[c.AUDIO_PATH] == "wav/id10001/1zcIwhmdeo4/00001.wav"
    assert first[c.TRANSCRIPT] is None
    assert first[c.ATTRIBUTES] == {"Speaker": "id10001", "Gender": "Male", "Nationality": "Ireland"}
    assert clips["id10270/x6uYqmx31kE/00001"][c.ATTRIBUTES] == {"Speaker": "id10270", "Gender": "Female", "Nationality": "Australia"}
    assert clips["id10999/5r0dWxy17C8/00003"][c.ATTRIBUTES] == {"Speaker": "id10999"}
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_metadata_lines_and_file_names_are_quarantined(tmp_path, audio):
    make_voxceleb1(tmp_path, audio)
    read = read_source("voxceleb1", tmp_path)
    assert read.reasons() == ["bad_file_name", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("vox1_meta.csv:4") for r in read.rejects)
    assert any(r["input_ref"].endswith("vox1_meta.csv:5") for r in read.rejects)
    assert any("first.wav" in r["detail"] for r in read.rejects)


def test_the_default_is_the_dev_set_and_the_test_speakers_are_read_when_named(tmp_path, audio):
    make_voxceleb1(tmp_path, audio)
    test_set = read_source("voxceleb1", tmp_path, {"splits": ["test"]})
    assert sorted(test_set.by_id()) == ["id10270/x6uYqmx31kE/00001"]
    dev = read_source("voxceleb1", tmp_path)
    # id10999 is not in the table: placed by the id range of the test speakers (id10270-id10309), so dev
    assert sorted(dev.by_id()) == ["id10001/1zcIwhmdeo4/00001", "id10001/7gWzIy6yIIk/00002", "id10999/5r0dWxy17C8/00003"]
    audio.speech(tmp_path / "wav" / "id10300" / "aaaaaaaaaaa" / "00001.wav", "Unlisted test speaker.")
    assert "id10300/aaaaaaaaaaa/00001" in read_source("voxceleb1", tmp_path, {"splits": ["test"]}).by_id()
    assert "id10300/aaaaaaaaaaa/00001" not in read_source("voxceleb1", tmp_path).by_id()
