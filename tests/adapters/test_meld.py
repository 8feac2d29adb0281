"""MELD in its native layout (MELD.Raw): <split>_sent_emo.csv + the split's clip folder of MP4 clips."""

from __future__ import annotations

import pytest

from adapters.meld import MELD
from schemas import columns as c
from tests.adapters.conftest import read_source

HEADER = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime\n"
TRAIN = (
    HEADER
    + '1,"Oh my God, he\x92s lost it. He\x92s totally lost it.",Phoebe,sadness,negative,0,0,4,7,"00:20:57,256","00:21:00,049"\n'
    + '2,What?,Monica,surprise,negative,0,1,4,7,"00:21:01,927","00:21:03,261"\n'
    + '3,"Or! Or, we could go to the bank.",Ross,neutral,neutral,1,0,4,4,"00:12:24,660","00:12:30,915"\n'
    + '4,Hmm.,Joey,boredom,neutral,1,1,4,4,"00:12:31,000","00:12:32,000"\n'
    + '5,Too short a row,Joey,joy,positive\n'
    + '6,I know!,Rachel,joy,positive,1,2,4,4,"00:12:33,000","00:12:34,000"\n'
)


def make_meld(root, audio):
    root.mkdir(parents=True, exist_ok=True)
    (root / "train_sent_emo.csv").write_text(TRAIN, encoding="utf-8")
    clips = root / "train_splits"
    for name, text, voice in [("dia0_utt0", "Oh my God, he is lost it.", "en-us+f3"), ("dia0_utt1", "What?", "en-us+f3"),
                              ("dia1_utt0", "Or, we could go to the bank.", "en-us+m3")]:  # fmt: skip
        audio.speech(clips / f"{name}.mp4", text, voice=voice)
    (clips / "dia1_utt2.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 a download cut short")


def test_train_split_records_with_restored_punctuation(tmp_path, audio):
    make_meld(tmp_path, audio)
    read = read_source("meld", tmp_path, name="MELD")
    clips = read.by_id()
    assert sorted(clips) == ["train_dia0_utt0", "train_dia0_utt1", "train_dia1_utt0"]
    first = clips["train_dia0_utt0"]
    assert first[c.CLIP_ID] == "MELD/train_dia0_utt0"
    assert first[c.AUDIO_PATH] == "train_splits/dia0_utt0.mp4"
    assert first[c.TRANSCRIPT] == "Oh my God, he’s lost it. He’s totally lost it."
    assert first[c.ATTRIBUTES] == {"Speaker": "Phoebe", "Gender": "Female", "Emotion": "Sad", "Sentiment": "Negative"}
    assert clips["train_dia0_utt1"][c.ATTRIBUTES] == {"Speaker": "Monica", "Gender": "Female", "Emotion": "Surprised", "Sentiment": "Negative"}
    assert clips["train_dia1_utt0"][c.ATTRIBUTES]["Gender"] == "Male"  # Ross
    assert clips["train_dia1_utt0"][c.TRANSCRIPT] == "Or! Or, we could go to the bank."
    assert clips["train_dia1_utt0"][c.ATTRIBUTES]["Emotion"] == "Neutral"
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_rows_and_broken_clips_are_quarantined(tmp_path, audio):
    make_meld(tmp_path, audio)
    read = read_source("meld", tmp_path)
    assert read.reasons() == ["audio_undecodable", "bad_metadata", "bad_metadata"]
    by_line = {r["input_ref"].rsplit(":", 1)[1]: r for r in read.rejects}
    assert "boredom" in by_line["5"]["detail"]
    assert "fewer cells" in by_line["6"]["detail"]
    assert by_line["7"]["reason"] == "audio_undecodable" and "dia1_utt2.mp4" in by_line["7"]["detail"]


def test_split_folders_and_audio_options(tmp_path, audio):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "dev_sent_emo.csv").write_text(HEADER + '1,Hi.,Chandler,joy,positive,3,0,2,1,"00:00:01,000","00:00:02,000"\n', encoding="utf-8")
    audio.speech(dev / "dev_splits_complete" / "dia3_utt0.mp4", "Hi.", voice="en-us+m3")
    read = read_source("meld", tmp_path, {"splits": ["dev"]})
    assert [(r[c.CLIP_ID], r[c.AUDIO_PATH]) for r in read.records] == [("src/dev_dia3_utt0", "dev/dev_splits_complete/dia3_utt0.mp4")]
    audio.speech(tmp_path / "audio" / "dev" / "dia3_utt0.flac", "Hi.", voice="en-us+m3")
    read = read_source("meld", tmp_path, {"splits": ["dev"], "audio_dir": "audio/dev", "audio_suffix": ".flac"})
    assert [r[c.AUDIO_PATH] for r in read.records] == ["audio/dev/dia3_utt0.flac"]
    assert read.records[0][c.ATTRIBUTES] == {"Speaker": "Chandler", "Gender": "Male", "Emotion": "Happy", "Sentiment": "Positive"}



def test_the_default_reads_train_and_dev_or_test_only_when_named(tmp_path, audio):
    make_meld(tmp_path, audio)
    (tmp_path / "dev_sent_emo.csv").write_text(HEADER + '1,Hi.,Chandler,joy,positive,0,0,2,1,"00:00:01,000","00:00:02,000"\n', encoding="utf-8")
    audio.speech(tmp_path / "dev_splits_complete" / "dia0_utt0.mp4", "Hi.", voice="en-us+m3")
    assert sorted(read_source("meld", tmp_path).by_id()) == ["train_dia0_utt0", "train_dia0_utt1", "train_dia1_utt0"]
    both = read_source("meld", tmp_path, {"splits": ["train", "dev"]}).by_id()
    assert both["dev_dia0_utt0"][c.AUDIO_PATH] == "dev_splits_complete/dia0_utt0.mp4"  # dialogue numbers restart per split
    assert both["train_dia0_utt0"][c.AUDIO_PATH] == "train_splits/dia0_utt0.mp4"
    audio.speech(tmp_path / "audio" / "dev" / "dia0_utt0.flac", "Hi.", voice="en-us+m3")
    audio.speech(tmp_path / "audio" / "train" / "dia0_utt0.flac", "Oh my God.", voice="en-us+f3")
    extracted = read_source("meld", tmp_path, {"splits": ["train", "dev"], "audio_dir": "audio/{split}", "audio_suffix": ".flac"}).by_id()
    assert extracted["dev_dia0_utt0"][c.AUDIO_PATH] == "audio/dev/dia0_utt0.flac"
    assert extracted["train_dia0_utt0"][c.AUDIO_PATH] == "audio/train/dia0_utt0.flac"
    with pytest.raises(ValueError, match=r"audio_dir: must contain \{split\}"):
        MELD(str(tmp_path), {"splits": ["train", "dev"], "audio_dir": "audio"})


def test_only_the_main_characters_get_a_gender(tmp_path, audio):
    rows = [("Mr. Geller", 0), ("Rachel", 1), ("All", 2)]
    (tmp_path / "train_sent_emo.csv").write_text(
        HEADER + "".join(f'{n + 1},Hi.,{who},neutral,neutral,0,{n},1,1,"00:00:01,000","00:00:02,000"\n' for who, n in rows), encoding="utf-8"
    )
    for _, n in rows:
        audio.speech(tmp_path / "train_splits" / f"dia0_utt{n}.mp4", "Hi.", voice="en-us+m3")
    genders = {r[c.ATTRIBUTES]["Speaker"]: r[c.ATTRIBUTES].get("Gender") for r in read_source("meld", tmp_path).records}
    assert genders == {"Mr. Geller": None, "Rachel": "Female", "All": None}
