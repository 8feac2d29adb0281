"""IEMOCAP in its native layout: Session*/sentences/wav + Session*/dialog/{EmoEvaluation,transcriptions,wav}."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

EVALUATION = (
    "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n"
    "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]\n"
    "C-E2:\tNeutral;\t()\nA-E3:\tval 3; act 2; dom  2;\t()\n\n"
    "[1.0100 - 3.5000]\tSes01F_impro01_M000\tang\t[1.5000, 4.0000, 4.5000]\n"
    "C-E1:\tAnger;\t()\n\n"
    "[10.0000 - 12.0000]\tSes01F_impro01_F001\txxx\t[3.0000, 3.0000, 3.0000]\n\n"
    "[12.5000 - 13.0000]\tSes01F_impro01_M001\thappy-ish\t[3.0000, 3.0000, 3.0000]\n\n"
    "[13.0000 - 14.0000 Ses01F_impro01_M002 neu\n\n"
    "[14.0000 - 15.0000]\tSes01F_impro02_M000\tneu\t[3.0000, 3.0000, 3.0000]\n"
)
TRANSCRIPTIONS = (
    "Ses01F_impro01_M000 [001.0100-003.5000]: Did you get the mail?\n"
    "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.\n"
    "Ses01F_impro01_F001 [010.0000-012.0000]: Yeah.\n"
)


def make_iemocap(root, audio):
    dialog = root / "Session1" / "dialog"
    (dialog / "EmoEvaluation" / "Categorical").mkdir(parents=True)
    (dialog / "EmoEvaluation" / "Ses01F_impro01.txt").write_text(EVALUATION, encoding="utf-8")
    (dialog / "EmoEvaluation" / "._Ses01F_impro01.txt").write_bytes(b"\x00\x05\x16\x07 mac resource fork")
    (dialog / "EmoEvaluation" / "Categorical" / "Ses01F_impro01_e1_cat.txt").write_text("Ses01F_impro01_F000 :Neutral state; ()\n")
    (dialog / "transcriptions").mkdir()
    (dialog / "transcriptions" / "Ses01F_impro01.txt").write_text(TRANSCRIPTIONS, encoding="utf-8")
    wav = root / "Session1" / "sentences" / "wav" / "Ses01F_impro01"
    audio.speech(wav / "Ses01F_impro01_F000.wav", "Excuse me.", voice="en-us+f3")
    audio.speech(wav / "Ses01F_impro01_M000.wav", "Did you get the mail?", voice="en-us+m3")
    # Ses01F_impro01_F001 has a summary line but no sentence file
    audio.speech(dialog / "wav" / "Ses01F_impro01.wav", "Did you get the mail? Excuse me. Yeah. " * 2, voice="en-us+f3")


def test_utterances_with_transcripts_emotions_and_ratings(tmp_path, audio):
    make_iemocap(tmp_path, audio)
    read = read_source("iemocap", tmp_path, name="IEMOCAP")
    clips = read.by_id()
    assert sorted(clips) == ["Ses01F_impro01_F000", "Ses01F_impro01_M000"]
    female = clips["Ses01F_impro01_F000"]
    assert female[c.CLIP_ID] == "IEMOCAP/Ses01F_impro01_F000"
    assert female[c.AUDIO_PATH] == "Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F000.wav"
    assert female[c.TRANSCRIPT] == "Excuse me."
    assert female[c.START_S] is None and female[c.END_S] is None
    assert female[c.ATTRIBUTES] == {
        "Speaker": "Ses01F", "Gender": "Female", "Emotion": "Neutral", "Valence": "2.5/5.0", "Activation": "2.5/5.0", "Dominance": "2.5/5.0",
    }  # fmt: skip
    male = clips["Ses01F_impro01_M000"]
    assert male[c.TRANSCRIPT] == "Did you get the mail?"
    assert male[c.ATTRIBUTES] == {
        "Speaker": "Ses01M", "Gender": "Male", "Emotion": "Angry", "Valence": "1.5/5.0", "Activation": "4.0/5.0", "Dominance": "4.5/5.0",
    }  # fmt: skip
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_lines_and_missing_sentence_files_are_quarantined(tmp_path, audio):
    make_iemocap(tmp_path, audio)
    read = read_source("iemocap", tmp_path)
    # unknown emotion code, a summary line that does not parse, an utterance of another dialog; F001's file is absent
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata", "bad_metadata"]
    refs = {r["input_ref"].rsplit("/", 1)[1]: r for r in read.rejects}
    assert "happy-ish" in refs["Ses01F_impro01.txt:12"]["detail"]
    assert "Ses01F_impro01.txt:14" in refs and "Ses01F_impro01.txt:16" in refs
    missing = refs["Ses01F_impro01.txt:10"]
    assert missing["reason"] == "audio_missing" and missing["stage"] == "probe"


def test_dialog_clips_carry_time_ordered_turns(tmp_path, audio):
    make_iemocap(tmp_path, audio)
    read = read_source("iemocap", tmp_path, {"clips": "dialogs"})
    assert list(read.by_id()) == ["Ses01F_impro01"]
    dialog = read.records[0]
    assert dialog[c.AUDIO_PATH] == "Session1/dialog/wav/Ses01F_impro01.wav"
    assert dialog[c.TURNS] == [
        {"start": 1.01, "end": 3.5, "transcript": "Did you get the mail?", "Speaker": "Ses01M", "Gender": "Male", "Emotion": "Angry"},
        {"start": 6.2901, "end": 8.2357, "transcript": "Excuse me.", "Speaker": "Ses01F", "Gender": "Female", "Emotion": "Neutral"},
        {"start": 10.0, "end": 12.0, "transcript": "Yeah.", "Speaker": "Ses01F", "Gender": "Female"},
    ]
    assert dialog[c.TRANSCRIPT] == "Did you get the mail? Excuse me. Yeah."
    assert read.reasons() == ["bad_metadata", "bad_metadata", "bad_metadata"]


def test_every_session_is_read_by_default_and_sessions_can_be_picked(tmp_path, audio):
    make_iemocap(tmp_path, audio)
    dialog = tmp_path / "Session2" / "dialog"
    (dialog / "EmoEvaluation").mkdir(parents=True)
    (dialog / "EmoEvaluation" / "Ses02M_script01.txt").write_text("[0.5000 - 1.5000]\tSes02M_script01_F000\tsad\t[2.0000, 2.0000, 2.0000]\n")
    audio.speech(tmp_path / "Session2" / "sentences" / "wav" / "Ses02M_script01" / "Ses02M_script01_F000.wav", "Oh no.", voice="en-us+f3")
    assert {"Ses01F_impro01_F000", "Ses02M_script01_F000"} <= set(read_source("iemocap", tmp_path).by_id())
    second = read_source("iemocap", tmp_path, {"sessions": [2]})
    assert list(second.by_id()) == ["Ses02M_script01_F000"] and second.rejects == []
    assert second.records[0][c.ATTRIBUTES]["Emotion"] == "Sad"
