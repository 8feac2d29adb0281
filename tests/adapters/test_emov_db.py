"""EmoV-DB in its native layouts: <spk>/<Emotion>/*.wav (sorted) or <spk>_<Emotion>/*.wav, + cmuarctic.data."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

ARCTIC = (
    '( arctic_a0001 "Author of the danger trail, Philip Steels, etc." )\n'
    '( arctic_a0002 "Not at this particular case, Tom, apologized Whittemore." )\n'
    '( arctic_a0011 "And you always want to see it in the superlative degree." )\n'
    "arctic_a0012 a line without its brackets\n"
)


def make_emov_db(root, audio):
    audio.speech(root / "bea" / "Amused" / "amused_1-15_0001.wav", "Author of the danger trail.", voice="en-us+f3")
    audio.speech(root / "sam" / "Angry" / "anger_1-28_0011.wav", "And you always want to see it.", voice="en-us+m3")
    audio.speech(root / "bea" / "Amused" / "amused_141_168_0141.wav", "Hello.", voice="en-us+f3")  # `_` in the range
    audio.speech(root / "josh_Sleepy" / "sleepiness_1-28_0002.wav", "Not at this particular case.", voice="en-us+m3")
    audio.speech(root / "bob" / "Amused" / "amused_1-15_0003.wav")  # no such speaker
    audio.speech(root / "jenie" / "Bored" / "bored_1-15_0003.wav")  # no such emotion
    audio.speech(root / "jenie" / "Neutral" / "notes.wav")  # not an EmoV-DB file name
    (root / "cmuarctic.data").write_text(ARCTIC, encoding="utf-8")


def test_records_ids_transcripts_and_attributes(tmp_path, audio):
    make_emov_db(tmp_path, audio)
    read = read_source("emov_db", tmp_path, name="EmoV-DB")
    clips = read.by_id()
    assert sorted(clips) == ["bea_amused_1-15_0001", "bea_amused_141_168_0141", "josh_sleepiness_1-28_0002", "sam_anger_1-28_0011"]
    first = clips["bea_amused_1-15_0001"]
    assert first[c.CLIP_ID] == "EmoV-DB/bea_amused_1-15_0001"
    assert first[c.AUDIO_PATH] == "bea/Amused/amused_1-15_0001.wav"
    assert first[c.TRANSCRIPT] == "Author of the danger trail, Philip Steels, etc."
    assert first[c.ATTRIBUTES] == {"Speaker": "bea", "Gender": "Female", "Language": "English", "Emotion": "Amused"}
    assert clips["sam_anger_1-28_0011"][c.TRANSCRIPT] == "And you always want to see it in the superlative degree."
    assert clips["sam_anger_1-28_0011"][c.ATTRIBUTES] == {"Speaker": "sam", "Gender": "Male", "Language": "English", "Emotion": "Angry"}
    openslr = clips["josh_sleepiness_1-28_0002"]
    assert openslr[c.AUDIO_PATH] == "josh_Sleepy/sleepiness_1-28_0002.wav"
    assert openslr[c.ATTRIBUTES]["Emotion"] == "Sleepy" and openslr[c.TRANSCRIPT].startswith("Not at this particular case")
    assert clips["bea_amused_141_168_0141"][c.TRANSCRIPT] is None  # sentence 0141 is not in this prompt list


def test_bad_names_and_prompt_lines_are_quarantined(tmp_path, audio):
    make_emov_db(tmp_path, audio)
    read = read_source("emov_db", tmp_path)
    assert read.reasons() == ["bad_file_name"] * 3 + ["bad_metadata"]
    assert any(r["input_ref"].endswith("cmuarctic.data:4") for r in read.rejects)
    bad = sorted(r["input_ref"].split(str(tmp_path) + "/")[1] for r in read.rejects if r["reason"] == "bad_file_name")
    assert bad == ["bob/Amused/amused_1-15_0003.wav", "jenie/Bored/bored_1-15_0003.wav", "jenie/Neutral/notes.wav"]


def test_without_prompt_list_clips_have_no_transcript(tmp_path, audio):
    audio.speech(tmp_path / "jenie" / "Disgusted" / "disgust_1-28_0001.wav", voice="en-us+f3")
    read = read_source("emov_db", tmp_path)
    assert [(r[c.TRANSCRIPT], r[c.ATTRIBUTES]["Emotion"]) for r in read.records] == [(None, "Disgusted")]
