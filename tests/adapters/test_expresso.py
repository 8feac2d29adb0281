"""Expresso in its native layout: audio_48khz/read/<spk>/<style>/{base,longform}/*.wav + read_transcriptions.txt,
audio_48khz/conversational/<spk1>-<spk2>/<styles>/*.wav + VAD_segments.txt."""

from __future__ import annotations

from adapters.expresso import Expresso
from schemas import columns as c
from tests.adapters.conftest import read_source

TRANSCRIPTS = (
    "ex01_happy_00001\tWe won the *whole* thing!\n"
    "ex01_default_emphasis_00010\tI said the *red* one.\n"
    "ex02_whisper_00003\tDon't wake the baby.\n"
    "ex02_sad_00004\tShe never came back.\n"  # no audio
    "a line without a tab\n"
    "ex02_happy_00002\tThe test set has this one.\n"
)
SPLITS = {  # the paper's split: whole base files, time ranges of longform and dialogue files
    "train": "ex01_happy_00001\nex01_default_emphasis_00010\nex02_whisper_00003\nex01_default_longform_00001\t(0.0, 1.5)\n"
             "ex01-ex02_angry-sad_001/channel1\t(0.0, 0.9)\n",
    "dev": "# dev\nex01-ex02_angry-sad_001/channel2\t(1.0, 2.0)\n",
    "test": "ex02_happy_00002\n",
}
VAD = (
    '#VAD segments of Expresso long files (longform and conversational). Format: "{filename/channel}\\t{vad segments}"\n'
    "#MODEL: pyannote/voice-activity-detection\n"
    "ex01-ex02_angry-sad_001/channel1\t(0.0, 0.9) (2.1, 2.8)\n"
    "ex01-ex02_angry-sad_001/channel2\t(1.0, 2.0)\n"
    "ex01_default_longform_00001\t(0.0, 1.5)\n"
    "ex01-ex02_angry-sad_002/channel3\t(0.0, 1.0)\n"
)


def make_expresso(root, audio):
    read = root / "audio_48khz" / "read"
    audio.speech(read / "ex01" / "happy" / "base" / "ex01_happy_00001.wav", "We won the whole thing!", voice="en-us+m3", rate=48000)
    audio.speech(read / "ex01" / "default" / "base" / "ex01_default_emphasis_00010.wav", "I said the red one.", voice="en-us+m3", rate=48000)
    audio.speech(read / "ex01" / "default" / "longform" / "ex01_default_longform_00001.wav", "Once upon a time.", voice="en-us+m3", rate=48000)
    audio.speech(read / "ex02" / "whisper" / "base" / "ex02_whisper_00003.wav", "Don't wake the baby.", voice="en-us+f3", rate=48000)
    audio.speech(read / "ex02" / "happy" / "base" / "ex02_sad_00005.wav", "Wrong folder.", voice="en-us+f3")  # style != folder
    dialogue = root / "audio_48khz" / "conversational" / "ex01-ex02" / "angry-sad"
    audio.speech(dialogue / "ex01-ex02_angry-sad_001.wav", "Why did you do that? I did not mean it.", voice="en-us+m3", rate=48000, channels=2)
    (root / "read_transcriptions.txt").write_text(TRANSCRIPTS, encoding="utf-8")
    (root / "VAD_segments.txt").write_text(VAD, encoding="utf-8")
    (root / "README.txt").write_text("The Expresso dataset\n", encoding="utf-8")
    audio.speech(read / "ex02" / "happy" / "base" / "ex02_happy_00002.wav", "The test set has this one.", voice="en-us+f3", rate=48000)
    (root / "splits").mkdir()
    for split, text in SPLITS.items():
        (root / "splits" / f"{split}.txt").write_text(text, encoding="utf-8")


def test_read_clips_transcripts_speaker_and_style(tmp_path, audio):
    make_expresso(tmp_path, audio)
    read = read_source("expresso", tmp_path, name="Expresso")
    clips = read.by_id()
    assert sorted(clips) == ["ex01_default_emphasis_00010", "ex01_default_longform_00001", "ex01_happy_00001", "ex02_whisper_00003"]
    happy = clips["ex01_happy_00001"]
    assert happy[c.CLIP_ID] == "Expresso/ex01_happy_00001"
    assert happy[c.AUDIO_PATH] == "audio_48khz/read/ex01/happy/base/ex01_happy_00001.wav"
    assert happy[c.TRANSCRIPT] == "We won the *whole* thing!"
    assert happy[c.ATTRIBUTES] == {"Speaker": "ex01", "Speaking style": "happy", "Emotion": "Happy"}
    assert clips["ex01_default_emphasis_00010"][c.ATTRIBUTES] == {"Speaker": "ex01", "Speaking style": "default", "Emotion": "Neutral"}
    assert clips["ex02_whisper_00003"][c.ATTRIBUTES] == {"Speaker": "ex02", "Speaking style": "whisper"}  # not an emotion
    longform = clips["ex01_default_longform_00001"]
    assert longform[c.AUDIO_PATH] == "audio_48khz/read/ex01/default/longform/ex01_default_longform_00001.wav"
    assert longform[c.TRANSCRIPT] is None and longform[c.TURNS] == []
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_bad_lines_bad_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_expresso(tmp_path, audio)
    read = read_source("expresso", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata"]
    assert any(r["input_ref"].endswith("read_transcriptions.txt:5") for r in read.rejects)
    assert any("happy/base/ex02_sad_00005.wav" in r["detail"] for r in read.rejects)
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert missing["input_ref"].endswith("read_transcriptions.txt:4") and "read/ex02/sad/base/ex02_sad_00004.wav" in missing["detail"]


def test_dialogues_become_turns_per_channel(tmp_path, audio):
    make_expresso(tmp_path, audio)
    read = read_source("expresso", tmp_path, {"subsets": ["conversational"], "splits": ["train", "dev", "test"]})
    assert list(read.by_id()) == ["ex01-ex02_angry-sad_001"]
    clip = read.records[0]
    assert clip[c.AUDIO_PATH] == "audio_48khz/conversational/ex01-ex02/angry-sad/ex01-ex02_angry-sad_001.wav"
    assert clip[c.TRANSCRIPT] is None
    assert clip[c.TURNS] == [
        {"start": 0.0, "end": 0.9, "transcript": "", "Speaker": "ex01", "Speaking style": "angry", "Emotion": "Angry"},
        {"start": 1.0, "end": 2.0, "transcript": "", "Speaker": "ex02", "Speaking style": "sad", "Emotion": "Sad"},
        {"start": 2.1, "end": 2.8, "transcript": "", "Speaker": "ex01", "Speaking style": "angry", "Emotion": "Angry"},
    ]
    assert read.reasons() == ["bad_metadata"]  # VAD_segments.txt: channel3
    assert read.rejects[0]["input_ref"].endswith("VAD_segments.txt:6")
    assert "audio_48khz" in Expresso(str(tmp_path / "elsewhere")).check()


def test_the_default_follows_the_train_list_and_held_out_files_are_read_when_named(tmp_path, audio):
    make_expresso(tmp_path, audio)
    assert Expresso(str(tmp_path)).check() is None
    assert "ex02_happy_00002" not in read_source("expresso", tmp_path).by_id()
    test = read_source("expresso", tmp_path, {"splits": ["test"]})
    assert list(test.by_id()) == ["ex02_happy_00002"] and "audio_missing" not in test.reasons()
    assert test.records[0][c.TRANSCRIPT] == "The test set has this one."
    # the dialogue has ranges in train and dev: a whole-file clip of it is read only with both
    assert read_source("expresso", tmp_path, {"subsets": ["conversational"]}).records == []
    assert list(read_source("expresso", tmp_path, {"subsets": ["conversational"], "splits": ["train", "dev"]}).by_id()) == ["ex01-ex02_angry-sad_001"]
    for split in ("dev", "test"):
        (tmp_path / "splits" / f"{split}.txt").unlink()
    assert "splits/dev.txt, splits/test.txt not found" in Expresso(str(tmp_path)).check()
    assert Expresso(str(tmp_path), {"splits": ["train", "dev", "test"]}).check() is None
