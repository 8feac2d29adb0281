"""ESD in its native layout: <spk>/<spk>.txt (tab-separated, per-speaker encoding) + <spk>/<Emotion>/[<split>/]*.wav."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


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
    read = read_source("esd", tmp_path, name="ESD")
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
    read = read_source("esd", tmp_path)
    assert read.reasons() == ["audio_undecodable", "bad_file_name", "bad_file_name", "bad_metadata"]
    assert any(r["input_ref"].endswith("0011/0011.txt:3") for r in read.rejects)
    assert any("Excited/0016_000702.wav" in r["input_ref"] for r in read.rejects)
    assert any("Happy/0011_000702.wav" in r["input_ref"] for r in read.rejects)


def test_a_folder_without_speakers_is_reported(tmp_path):
    from adapters.esd import ESD

    assert "0001" in ESD(str(tmp_path)).check()
