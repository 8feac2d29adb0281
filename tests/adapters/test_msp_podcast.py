"""MSP-Podcast in its release layout: Labels/labels_consensus.csv + Audios/<FileName> + Transcripts/<stem>.txt."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

EVERY_SPLIT = {"splits": ["Train", "Development", "Test1", "Test2", "Test3"]}

LABELS = """\
FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set
MSP-PODCAST_0001_0008.wav,N,3.0,3.6,4.0,Unknown,Unknown,Train
MSP-PODCAST_0002_0033.wav,A,5.2,2.0,5.6,127,Female,Development
MSP-PODCAST_0003_0001.wav,X,4.0,4.0,4.0,12,Male,Test1
MSP-PODCAST_0004_0001.wav,Z,4.0,4.0,4.0,12,Male,Test1
MSP-PODCAST_0005_0001.wav,H,high,4.0,4.0,12,Male,Train
MSP-PODCAST_0006_0001.wav,H,4.0,4.0,4.0,12,Male,Train,extra
"""


def make_msp_podcast(root, audio, labels="labels_consensus.csv"):
    audio.speech(root / "Audios" / "MSP-PODCAST_0001_0008.wav", "Yeah. So we're going to end this.", voice="en-us+m3")
    audio.speech(root / "Audios" / "MSP-PODCAST_0002_0033.wav", "I can't believe it.", voice="en-us+f3")
    (root / "Labels").mkdir()
    (root / "Labels" / labels).write_text(LABELS, encoding="utf-8")
    (root / "Transcripts").mkdir()
    (root / "Transcripts" / "MSP-PODCAST_0001_0008.txt").write_text("yeah. so we're going to end this\n", encoding="utf-8")


def test_records_ids_transcripts_and_dimensions(tmp_path, audio):
    make_msp_podcast(tmp_path, audio)
    read = read_source("msp_podcast", tmp_path, EVERY_SPLIT, name="MSP-Podcast")
    clips = read.by_id()
    assert sorted(clips) == ["MSP-PODCAST_0001_0008", "MSP-PODCAST_0002_0033"]
    first = clips["MSP-PODCAST_0001_0008"]
    assert first[c.CLIP_ID] == "MSP-Podcast/MSP-PODCAST_0001_0008"
    assert first[c.AUDIO_PATH] == "Audios/MSP-PODCAST_0001_0008.wav"
    assert first[c.TRANSCRIPT] == "yeah. so we're going to end this"
    assert first[c.ATTRIBUTES] == {"Emotion": "Neutral", "Activation": "3.0/7.0", "Valence": "3.6/7.0", "Dominance": "4.0/7.0"}
    second = clips["MSP-PODCAST_0002_0033"]
    assert second[c.TRANSCRIPT] is None
    assert second[c.ATTRIBUTES] == {
        "Speaker": "127", "Gender": "Female", "Emotion": "Angry", "Activation": "5.2/7.0", "Valence": "2.0/7.0", "Dominance": "5.6/7.0",
    }  # fmt: skip


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_msp_podcast(tmp_path, audio)
    read = read_source("msp_podcast", tmp_path, EVERY_SPLIT)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata", "bad_metadata"]
    lines = sorted(r["input_ref"].rsplit(":", 1)[1] for r in read.rejects if r["reason"] == "bad_metadata")
    assert lines == ["5", "6", "7"]
    assert any("Audios/MSP-PODCAST_0003_0001.wav" in r["detail"] for r in read.rejects if r["reason"] == "audio_missing")


def test_split_filter_and_the_older_label_file_name(tmp_path, audio):
    make_msp_podcast(tmp_path, audio, labels="labels_concensus.csv")
    read = read_source("msp_podcast", tmp_path, {"splits": ["Development"]})
    assert [r[c.CLIP_ID] for r in read.records] == ["src/MSP-PODCAST_0002_0033"]
    assert read.reasons() == ["bad_metadata"]  # a row that cannot be split into cells has no known split


def test_a_folder_without_labels_is_reported(tmp_path):
    from adapters.msp_podcast import MSPPodcast

    assert "Labels/labels_consensus.csv" in MSPPodcast(str(tmp_path)).check()


def test_the_default_reads_train_only(tmp_path, audio):
    make_msp_podcast(tmp_path, audio)
    read = read_source("msp_podcast", tmp_path)
    assert list(read.by_id()) == ["MSP-PODCAST_0001_0008"]
    assert read.reasons() == ["bad_metadata", "bad_metadata"]  # the Train rows 6 and 7; the Test1 rows are not read
