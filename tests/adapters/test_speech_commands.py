"""Speech Commands v0.02 in its native layout: <word>/<hash>_nohash_<n>.wav + validation/testing lists."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def make_speech_commands(root, audio):
    audio.speech(root / "right" / "bb05582b_nohash_3.wav", "right", voice="en-us+m3")
    audio.speech(root / "right" / "0a7c2a8d_nohash_0.wav", "right", voice="en-us+f3")
    audio.speech(root / "yes" / "0a7c2a8d_nohash_1.wav", "yes", voice="en-us+f3")
    audio.speech(root / "backward" / "c1d39ce8_nohash_0.wav", "backward", voice="en-us+m3")
    audio.speech(root / "yes" / "recording.wav", "yes")  # not <hash>_nohash_<n>
    audio.noise(root / "_background_noise_" / "white_noise.wav", seconds=2.0)
    (root / "validation_list.txt").write_text("right/0a7c2a8d_nohash_0.wav\n", encoding="utf-8")
    (root / "testing_list.txt").write_text("yes/0a7c2a8d_nohash_1.wav\nno/ffffffff_nohash_0.wav\n", encoding="utf-8")


def test_records_ids_words_and_speakers(tmp_path, audio):
    make_speech_commands(tmp_path, audio)
    read = read_source("speech_commands", tmp_path, {"splits": ["train", "validation", "test"]}, name="Speech Commands")
    clips = read.by_id()
    assert sorted(clips) == ["backward/c1d39ce8_nohash_0", "right/0a7c2a8d_nohash_0", "right/bb05582b_nohash_3", "yes/0a7c2a8d_nohash_1"]
    first = clips["right/bb05582b_nohash_3"]
    assert first[c.CLIP_ID] == "Speech Commands/right/bb05582b_nohash_3"
    assert first[c.AUDIO_PATH] == "right/bb05582b_nohash_3.wav"
    assert first[c.TRANSCRIPT] == "right"
    assert first[c.ATTRIBUTES] == {"Speaker": "bb05582b", "Command": "right"}
    assert clips["backward/c1d39ce8_nohash_0"][c.TRANSCRIPT] == "backward"
    assert all(r[c.DURATION_S] > 0.2 for r in read.records)
    assert read.reasons() == ["bad_file_name"]
    assert "yes/recording.wav" in read.rejects[0]["detail"]


def test_official_splits_follow_the_lists(tmp_path, audio):
    make_speech_commands(tmp_path, audio)
    assert list(read_source("speech_commands", tmp_path, {"splits": ["validation"]}).by_id()) == ["right/0a7c2a8d_nohash_0"]
    assert list(read_source("speech_commands", tmp_path, {"splits": ["test"]}).by_id()) == ["yes/0a7c2a8d_nohash_1"]
    train = read_source("speech_commands", tmp_path)  # the default: training clips only
    assert sorted(train.by_id()) == ["backward/c1d39ce8_nohash_0", "right/bb05582b_nohash_3"]
    assert sorted(read_source("speech_commands", tmp_path, {"splits": ["train", "test"]}).by_id()) == [
        "backward/c1d39ce8_nohash_0", "right/bb05582b_nohash_3", "yes/0a7c2a8d_nohash_1",
    ]  # fmt: skip
    assert "_background_noise_/white_noise" not in read_source("speech_commands", tmp_path, {"splits": ["test"], "background_noise": True}).by_id()


def test_background_noise_is_opt_in_and_a_sound_clip(tmp_path, audio):
    make_speech_commands(tmp_path, audio)
    read = read_source("speech_commands", tmp_path, {"background_noise": True})
    noise = read.by_id()["_background_noise_/white_noise"]
    assert noise[c.DOMAIN] == "sound"
    assert noise[c.LABELS] == ["white noise"]
    assert noise[c.TRANSCRIPT] is None
    assert noise[c.DURATION_S] > 1.5
