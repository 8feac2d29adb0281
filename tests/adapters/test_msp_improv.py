"""MSP-IMPROV in its release layout: Evaluation.txt + session<k>/S<ss><E>/<C>/MSP-IMPROV-<utt>.wav (+ Text/)."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

EVALUATION = """\
UTD-IMPROV-S01A-F01-P-FM01.avi; A; A:2.400000; V:3.000000; D:2.600000 ; N:3.400000;
Evaluator-01; Angry; Frustrated; A:2.0; V:3.0; D:2.0; N:3.0;
Evaluator-02; Angry; ; A:3.0; V:3.0; D:3.0; N:4.0;

UTD-IMPROV-S02H-M01-R-MF02.avi; X; A:3.000000; V:4.200000; D:NaN ; N:4.000000;
Evaluator-03; Happy; ; A:3.0; V:4.0; D:NaN; N:4.0;

UTD-IMPROV-S03S-F02-T-FM03.avi; S; A:1.800000; V:1.600000; D:2.000000 ; N:4.200000;

UTD-IMPROV-S04N-M02-S-MF04.avi; Q; A:3.000000; V:3.000000; D:3.000000 ; N:3.000000;
UTD-IMPROV-S04N-M02-S-MF05.avi; N; A:three; V:3.0; D:3.0 ; N:3.0;
"""


def make_msp_improv(root, audio):
    audio.speech(root / "session1" / "S01A" / "P" / "MSP-IMPROV-S01A-F01-P-FM01.wav", "Yeah, well I'm going to go to class.", voice="en-us+f3")
    audio.speech(root / "session1" / "S02H" / "R" / "MSP-IMPROV-S02H-M01-R-MF02.wav", "I got the job.", voice="en-us+m3")
    audio.speech(root / "session2" / "S05N" / "T" / "MSP-IMPROV-S05N-M02-T-MF05.wav", "Okay.", voice="en-us+m3")  # not labelled
    audio.speech(root / "session1" / "S01A" / "P" / "notes.wav")  # not an MSP-IMPROV name
    (root / "Evaluation.txt").write_text(EVALUATION, encoding="utf-8")
    (root / "Text").mkdir()
    (root / "Text" / "MSP-IMPROV-S01A-F01-P-FM01.txt").write_text("Yeah, well I'm going\nto go to class.\n", encoding="utf-8")


def test_records_ids_labels_and_dimensions(tmp_path, audio):
    make_msp_improv(tmp_path, audio)
    read = read_source("msp_improv", tmp_path, name="MSP-IMPROV")
    clips = read.by_id()
    assert sorted(clips) == ["MSP-IMPROV-S01A-F01-P-FM01", "MSP-IMPROV-S02H-M01-R-MF02", "MSP-IMPROV-S05N-M02-T-MF05"]
    first = clips["MSP-IMPROV-S01A-F01-P-FM01"]
    assert first[c.CLIP_ID] == "MSP-IMPROV/MSP-IMPROV-S01A-F01-P-FM01"
    assert first[c.AUDIO_PATH] == "session1/S01A/P/MSP-IMPROV-S01A-F01-P-FM01.wav"
    assert first[c.TRANSCRIPT] == "Yeah, well I'm going to go to class."
    assert first[c.ATTRIBUTES] == {
        "Speaker": "F01", "Gender": "Female", "Language": "English", "Emotion": "Angry",
        "Activation": "2.4/5.0", "Valence": "3.0/5.0", "Dominance": "2.6/5.0", "Naturalness": "3.4/5.0",
    }  # fmt: skip
    # no agreement (X): no emotion; NaN dominance: left out
    assert clips["MSP-IMPROV-S02H-M01-R-MF02"][c.ATTRIBUTES] == {
        "Speaker": "M01", "Gender": "Male", "Language": "English", "Activation": "3.0/5.0", "Valence": "4.2/5.0", "Naturalness": "4.0/5.0",
    }  # fmt: skip
    assert clips["MSP-IMPROV-S02H-M01-R-MF02"][c.TRANSCRIPT] is None
    assert clips["MSP-IMPROV-S05N-M02-T-MF05"][c.ATTRIBUTES] == {"Speaker": "M02", "Gender": "Male", "Language": "English"}


def test_bad_lines_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_msp_improv(tmp_path, audio)
    read = read_source("msp_improv", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata", "bad_metadata"]
    assert {r["input_ref"].rsplit("/", 1)[1] for r in read.rejects if r["reason"] == "bad_metadata"} == {"Evaluation.txt:10", "Evaluation.txt:11"}
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert "session2/S03S/T/MSP-IMPROV-S03S-F02-T-FM03.wav" in missing["detail"]  # F02: session 2


def test_audio_under_an_audio_folder(tmp_path, audio):
    audio.speech(tmp_path / "Audio" / "session1" / "S01A" / "P" / "MSP-IMPROV-S01A-F01-P-FM01.wav", voice="en-us+f3")
    (tmp_path / "Evaluation.txt").write_text(EVALUATION.split("\n\n")[0] + "\n", encoding="utf-8")
    read = read_source("msp_improv", tmp_path)
    assert [r[c.AUDIO_PATH] for r in read.records] == ["Audio/session1/S01A/P/MSP-IMPROV-S01A-F01-P-FM01.wav"]
    assert read.rejects == []


def test_every_session_is_read_by_default_and_sessions_can_be_picked(tmp_path, audio):
    make_msp_improv(tmp_path, audio)
    assert "MSP-IMPROV-S05N-M02-T-MF05" in read_source("msp_improv", tmp_path).by_id()
    second = read_source("msp_improv", tmp_path, {"sessions": [2]})
    assert list(second.by_id()) == ["MSP-IMPROV-S05N-M02-T-MF05"]
    assert second.reasons()[0] == "audio_missing"  # S03S-F02's labelled turn has no audio
    assert "session2/S03S/T/MSP-IMPROV-S03S-F02-T-FM03.wav" in " ".join(r["detail"] for r in second.rejects)
