"""Fair-Speech in its native layout: asr_fairness_audio/<hash_name>.wav + a tab-separated metadata file."""

from __future__ import annotations

from adapters.fair_speech import FairSpeech
from schemas import columns as c
from tests.adapters.conftest import read_source

A, B, C, D, E = "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ffeeddccbbaa99887766554433221100", "1" * 32, "2" * 32, "3" * 32
HEADER = "hash_name\ttranscription\tage\tgender\tfirst_language\tsocioeconomic_bkgd\tethnicity\n"
ROWS = (
    f"{A}\they facebook answer the call\t31 - 45\tmale\tEnglish\tMedium\tBlack or African American\n"
    f"{B}\tplay some jazz music\t18 - 22\tfemale\tSpanish\tAffluent\tHispanic / Latino / Spanish\n"
    f"{C}\tcall mom\t46 - 65\tfemale\tEnglish\tLow\tWhite\n"  # its wav is absent
    f"{D}\tset an alarm\t23 - 30\tperson\tEnglish\tLow\tWhite\n"  # unknown gender
    f"{E}\tread my messages\t23 - 30\n"  # too few cells
)


def make_fair_speech(root, audio, metadata="downloaded_file.tsv"):
    audio.speech(root / "asr_fairness_audio" / f"{A}.wav", "Hey facebook, answer the call.", voice="en-us+m3")
    audio.speech(root / "asr_fairness_audio" / f"{B}.wav", "Play some jazz music.", voice="en-us+f3")
    (root / metadata).write_text(HEADER + ROWS, encoding="utf-8")


def test_records_ids_transcripts_and_demographics(tmp_path, audio):
    make_fair_speech(tmp_path, audio)
    read = read_source("fair_speech", tmp_path, name="Fair-Speech")
    clips = read.by_id()
    assert sorted(clips) == sorted([A, B])
    first = clips[A]
    assert first[c.CLIP_ID] == f"Fair-Speech/{A}"
    assert first[c.AUDIO_PATH] == f"asr_fairness_audio/{A}.wav"
    assert first[c.TRANSCRIPT] == "hey facebook answer the call"
    assert first[c.ATTRIBUTES] == {
        "Gender": "Male", "Age": "31 - 45", "Native language": "English", "Socioeconomic background": "Medium",
        "Ethnicity": "Black or African American",
    }  # fmt: skip
    assert clips[B][c.ATTRIBUTES]["Gender"] == "Female"
    assert clips[B][c.ATTRIBUTES]["Native language"] == "Spanish"
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_fair_speech(tmp_path, audio)
    read = read_source("fair_speech", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("downloaded_file.tsv:5") for r in read.rejects)
    assert any(r["input_ref"].endswith("downloaded_file.tsv:6") for r in read.rejects)
    assert any(f"{C}.wav" in r["detail"] for r in read.rejects if r["reason"] == "audio_missing")


def test_metadata_file_name_is_found_or_given(tmp_path, audio):
    make_fair_speech(tmp_path, audio, metadata="asr_fairness_metadata.tsv")
    assert sorted(read_source("fair_speech", tmp_path).by_id()) == sorted([A, B])
    (tmp_path / "asr_fairness_metadata.tsv").rename(tmp_path / "my_copy.txt")
    assert "a metadata .tsv not found" in FairSpeech(str(tmp_path)).check()
    assert sorted(read_source("fair_speech", tmp_path, {"metadata": "my_copy.txt"}).by_id()) == sorted([A, B])
