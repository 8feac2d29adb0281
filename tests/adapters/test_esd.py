"""ESD in its native layout: <spk>/<spk>.txt (tab-separated, per-speaker encoding) + <spk>/<Emotion>/[<split>/]*.wav."""

from __future__ import annotations

from adapters.esd import split_by_number
from schemas import columns as c
from tests.adapters.conftest import read_source

EVERY_SPLIT = {"splits": ["train", "evaluation", "test"]}


def make_esd(root, audio):
    # a Mandarin speaker, flat layout, transcripts in UTF-16 with a BOM (as several ESD speakers ship)
    audio.speech(root / "0001" / "Angry" / "0001_000351.wav", "Ni hao.", voice="en-us+f3")
    (root / "0001" / "0001.txt").write_bytes(
        "0001_000351\t我每个月打一次电话。\t生气\n0001_000352\t今天天气很好。\t生气\n".encode("utf-16")
    )
    # an English speaker in the original archive's split folders, UTF-8, one malformed line
    audio.speech(root / "0011" / "Surprise" / "train" / "0011_001401.wav", "Author of the danger trail.", voice="en-us+m3")
    audio.speech(root / "0011" / "Neutral" / "test" / "0011_000001.wav", "The nine the eggs.", voice="en-us+m3")
    (root / "0011" / "0011.txt").write_text(
        "0011_000001\tThe nine the eggs, I keep.\tNeutral\n"
        "0011_001401\tAuthor of the danger trail, Philip Steels, etc.\tSurprise\n"
        "0011_000002 I know the way without a tab\n",
        encoding="utf-8",
    )
    # an English speaker whose file is Latin-1 (no valid UTF-8)
    audio.speech(root / "0016" / "Happy" / "0016_000701.wav", "A cafe.", voice="en-us+f3")
    (root / "0016" / "0016.txt").write_bytes("0016_000701\tA café, please.\tHappy\n".encode("latin-1"))
    audio.speech(root / "0016" / "Excited" / "0016_000702.wav")  # not an ESD emotion folder
    audio.speech(root / "0016" / "Happy" / "0011_000702.wav")  # another speaker's utterance id
    (root / "0016" / "Sad").mkdir()
    (root / "0016" / "Sad" / "0016_001051.wav").write_bytes(b"")  # an empty (undecodable) file


def test_records_ids_transcripts_and_attributes(tmp_path, audio):
    make_esd(tmp_path, audio)
    read = read_source("esd", tmp_path, EVERY_SPLIT, name="ESD")
    clips = read.by_id()
    assert sorted(clips) == ["0001_000351", "0011_000001", "0011_001401", "0016_000701"]
    first = clips["0001_000351"]
    assert first[c.CLIP_ID] == "ESD/0001_000351"
    assert first[c.AUDIO_PATH] == "0001/Angry/0001_000351.wav"
    assert first[c.TRANSCRIPT] == "我每个月打一次电话。"
    assert first[c.ATTRIBUTES] == {"Speaker": "0001", "Gender": "Female", "Language": "Mandarin", "Emotion": "Angry"}
    english = clips["0011_001401"]
    assert english[c.AUDIO_PATH] == "0011/Surprise/train/0011_001401.wav"
    assert english[c.TRANSCRIPT] == "Author of the danger trail, Philip Steels, etc."
    assert english[c.ATTRIBUTES] == {"Speaker": "0011", "Gender": "Male", "Language": "English", "Emotion": "Surprised"}
    assert clips["0011_000001"][c.ATTRIBUTES]["Emotion"] == "Neutral"
    assert clips["0016_000701"][c.TRANSCRIPT] == "A café, please."
    assert clips["0016_000701"][c.ATTRIBUTES]["Gender"] == "Female"
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_lines_names_and_audio_are_quarantined(tmp_path, audio):
    make_esd(tmp_path, audio)
    read = read_source("esd", tmp_path, EVERY_SPLIT)
    assert read.reasons() == ["audio_undecodable", "bad_file_name", "bad_file_name", "bad_metadata"]
    assert any(r["input_ref"].endswith("0011/0011.txt:3") for r in read.rejects)
    assert any("Excited/0016_000702.wav" in r["input_ref"] for r in read.rejects)
    assert any("Happy/0011_000702.wav" in r["input_ref"] for r in read.rejects)


def test_a_folder_without_speakers_is_reported(tmp_path):
    from adapters.esd import ESD

    assert "0001" in ESD(str(tmp_path)).check()


def test_splits_come_from_the_folders_or_else_the_utterance_number(tmp_path, audio):
    make_esd(tmp_path, audio)
    audio.speech(tmp_path / "0001" / "Angry" / "0001_000401.wav", "Ni hao.", voice="en-us+f3")  # the 51st Angry utterance
    audio.speech(tmp_path / "0001" / "Angry" / "0001_000372.wav", "Ni hao.", voice="en-us+f3")  # the 22nd
    assert sorted(read_source("esd", tmp_path).by_id()) == ["0001_000401", "0011_001401"]  # training only by default
    assert sorted(read_source("esd", tmp_path, {"splits": ["test"]}).by_id()) == ["0001_000372", "0011_000001"]
    assert sorted(read_source("esd", tmp_path, {"splits": ["evaluation"]}).by_id()) == ["0001_000351", "0016_000701"]
    places = {1: "evaluation", 20: "evaluation", 21: "test", 50: "test", 51: "train", 350: "train", 351: "evaluation", 1420: "evaluation", 1750: "train"}
    assert {n: split_by_number(n) for n in places} == places
