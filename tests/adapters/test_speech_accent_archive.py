"""Speech Accent Archive in its Kaggle layout: recordings/recordings/<filename>.mp3 + speakers_all.csv."""

from __future__ import annotations

from adapters.speech_accent_archive import PASSAGE, title
from schemas import columns as c
from tests.adapters.conftest import read_source

HEADER = "age,age_onset,birthplace,filename,native_language,sex,speakerid,country,file_missing?,,\n"
ROWS = (
    '27.0,9.0,"virginia, south africa",afrikaans1,afrikaans,female,1,south africa,FALSE,,\n'
    '40.0,5.0,"pittsburgh, pennsylvania, usa",english2,english,male,62,usa,FALSE,,\n'
    '19.0,6.0,"taipei, taiwan",mandarin3,mandarin,famale,1102,taiwan,FALSE,,\n'
    '35.0,12.0,"lima, peru",spanish9,spanish,male,700,peru,TRUE,,\n'  # the release marks its recording as missing
    '30.0,10.0,"oslo, norway",norwegian1,norwegian,unknown,900,norway,FALSE,,\n'  # unknown sex
    '30.0,10.0,"bergen, norway",norwegian2,norwegian,male\n'  # too few cells
)


def make_archive(root, audio, nested=True, passage=True):
    recordings = root / "recordings" / "recordings" if nested else root / "recordings"
    audio.speech(recordings / "afrikaans1.mp3", "Please call Stella.", voice="en-us+f3", rate=44100)
    audio.speech(recordings / "english2.mp3", "Please call Stella.", voice="en-us+m3", rate=44100)
    audio.speech(recordings / "mandarin3.mp3", "Please call Stella.", voice="en-us+f3", rate=44100)
    (root / "speakers_all.csv").write_text(HEADER + ROWS, encoding="utf-8")
    if passage:
        (root / "reading-passage.txt").write_text(PASSAGE.replace(". ", ".  ") + "\n", encoding="utf-8")


def test_records_ids_transcript_and_speaker_attributes(tmp_path, audio):
    make_archive(tmp_path, audio)
    read = read_source("speech_accent_archive", tmp_path, name="Speech Accent Archive")
    clips = read.by_id()
    assert sorted(clips) == ["afrikaans1", "english2", "mandarin3"]
    first = clips["afrikaans1"]
    assert first[c.CLIP_ID] == "Speech Accent Archive/afrikaans1"
    assert first[c.AUDIO_PATH] == "recordings/recordings/afrikaans1.mp3"
    assert first[c.TRANSCRIPT] == PASSAGE
    assert first[c.TRANSCRIPT].startswith("Please call Stella. Ask her to bring these things")
    assert first[c.ATTRIBUTES] == {
        "Gender": "Female", "Age": 27, "Native language": "Afrikaans", "Country": "South Africa",
        "Birthplace": "Virginia, South Africa", "Age of English onset": 9, "Speaker": "1",
    }  # fmt: skip
    assert clips["english2"][c.ATTRIBUTES]["Country"] == "USA"
    assert clips["english2"][c.ATTRIBUTES]["Birthplace"] == "Pittsburgh, Pennsylvania, USA"
    assert clips["mandarin3"][c.ATTRIBUTES]["Gender"] == "Female"  # `famale` in the release
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_bad_rows_and_missing_recordings_are_quarantined(tmp_path, audio):
    make_archive(tmp_path, audio)
    read = read_source("speech_accent_archive", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("speakers_all.csv:6") for r in read.rejects if r["reason"] == "bad_metadata")
    assert any(r["input_ref"].endswith("speakers_all.csv:7") for r in read.rejects if r["reason"] == "bad_metadata")
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert "spanish9.mp3" in missing["detail"] and missing["stage"] == "probe"


def test_flat_recordings_folder_and_built_in_passage(tmp_path, audio):
    make_archive(tmp_path, audio, nested=False, passage=False)
    clips = read_source("speech_accent_archive", tmp_path).by_id()
    assert clips["english2"][c.AUDIO_PATH] == "recordings/english2.mp3"
    assert clips["english2"][c.TRANSCRIPT] == PASSAGE


def test_title_case_of_places():
    assert title("south africa") == "South Africa"
    assert title("guinea-bissau") == "Guinea-Bissau"
    assert title("") is None
