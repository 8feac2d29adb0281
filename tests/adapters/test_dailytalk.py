"""DailyTalk in its native layout: metadata.json + data/<dialog>/<turn>_<speaker>_d<dialog>.wav (+ .txt)."""

from __future__ import annotations

import json

from schemas import columns as c
from tests.adapters.conftest import read_source

METADATA = {
    "0": {
        "0": {"index": 0, "turn": 0, "speaker": 0, "text": "Can I help you?", "emotion": "no emotion", "act": "question", "topic": "ordinary life"},
        "1": {"index": 1, "turn": 1, "speaker": 1, "text": "Yes, I am so happy!", "emotion": "happiness", "act": "inform", "topic": "ordinary life"},
    },
    "1": {
        "0": {"index": 2, "turn": 0, "speaker": 1, "text": "Hmm.", "emotion": "sarcasm", "act": "inform", "topic": "work"},
        "1": {"index": 3, "turn": 1, "speaker": 2, "text": "Who?", "emotion": "surprise", "act": "question", "topic": "work"},
        "2": {"index": 4, "turn": 2, "speaker": 0, "text": "Never mind.", "emotion": "sadness", "act": "directive", "topic": "work"},
    },
}


def make_dailytalk(root, audio):
    root.mkdir(parents=True, exist_ok=True)
    (root / "metadata.json").write_text(json.dumps(METADATA), encoding="utf-8")
    for dialog, name, text, voice in [("0", "0_0_d0", "Can I help you?", "en-us+m3"), ("0", "1_1_d0", "Yes, I am so happy!", "en-us+f3"),
                                      ("1", "0_1_d1", "Hmm.", "en-us+f3"), ("1", "3_0_d1", "Goodbye.", "en-us+m3")]:  # fmt: skip
        audio.speech(root / "data" / dialog / f"{name}.wav", text, voice=voice)
        (root / "data" / dialog / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    # 1/2_0_d1.wav (turn 2 of dialog 1) was never recorded; a stray file does not follow the naming
    audio.speech(root / "data" / "1" / "take2.wav", "Again.")


def test_turn_records_with_dialog_metadata(tmp_path, audio):
    make_dailytalk(tmp_path, audio)
    read = read_source("dailytalk", tmp_path, name="DailyTalk")
    clips = read.by_id()
    assert sorted(clips) == ["0_0_d0", "1_1_d0", "3_0_d1"]
    first = clips["0_0_d0"]
    assert first[c.CLIP_ID] == "DailyTalk/0_0_d0"
    assert first[c.AUDIO_PATH] == "data/0/0_0_d0.wav"
    assert first[c.TRANSCRIPT] == "Can I help you?"
    assert first[c.ATTRIBUTES] == {"Speaker": "0", "Gender": "Male", "Emotion": "Neutral", "Dialogue act": "question", "Topic": "ordinary life"}
    assert clips["1_1_d0"][c.ATTRIBUTES] == {"Speaker": "1", "Gender": "Female", "Emotion": "Happy", "Dialogue act": "inform", "Topic": "ordinary life"}
    # a turn file the metadata does not list still becomes a clip, with its .txt
    assert clips["3_0_d1"][c.TRANSCRIPT] == "Goodbye."
    assert clips["3_0_d1"][c.ATTRIBUTES] == {"Speaker": "0", "Gender": "Male"}
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_turns_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_dailytalk(tmp_path, audio)
    read = read_source("dailytalk", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata", "bad_metadata"]
    by_ref = {r["input_ref"].rsplit("/", 1)[1]: r for r in read.rejects}
    assert "sarcasm" in by_ref["metadata.json[1][0]"]["detail"]
    assert "speaker 2" in by_ref["metadata.json[1][1]"]["detail"]
    assert by_ref["metadata.json[1][2]"]["reason"] == "audio_missing" and "data/1/2_0_d1.wav" in by_ref["metadata.json[1][2]"]["detail"]
    assert by_ref["take2.wav"]["reason"] == "bad_file_name"


def test_numeric_dailydialog_codes_and_broken_metadata(tmp_path, audio):
    audio.speech(tmp_path / "data" / "5" / "0_1_d5.wav", "Hello.", voice="en-us+f3")
    (tmp_path / "metadata.json").write_text(json.dumps({"5": {"0": {"speaker": 1, "text": "Hello.", "emotion": 4, "act": 2, "topic": 6}}}))
    read = read_source("dailytalk", tmp_path)
    assert read.records[0][c.ATTRIBUTES] == {"Speaker": "1", "Gender": "Female", "Emotion": "Happy", "Dialogue act": "question", "Topic": "tourism"}
    (tmp_path / "metadata.json").write_text('{"5": {"0": ')
    read = read_source("dailytalk", tmp_path)
    assert read.reasons() == ["bad_metadata"]
    assert [r[c.TRANSCRIPT] for r in read.records] == [None]  # the file still becomes a clip, without metadata
