"""AudioCaps: the release's {train,val,test}.csv + audio as aac-datasets lays it out (audio_<rate>Hz/<split>/)."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

HEADER = "audiocap_id,youtube_id,start_time,caption\n"


def make_audiocaps(root, audio, audio_dir="audio_32000Hz"):
    audio.noise(root / audio_dir / "train" / "--0w1YA1Hm4_30.flac", seconds=1.0, rate=32000)
    audio.tone(root / audio_dir / "val" / "-_hbPLsZvvo_10.flac", frequency=500, seconds=1.0, rate=32000)
    (root / "train.csv").write_text(
        HEADER
        + "91139,--0w1YA1Hm4,30,A vehicle driving as a man and woman are talking and laughing\n"
        + "58146,r1nicOVtvkQ,130,A woman speaks over the rumble of an engine\n"  # audio never downloaded
        + "12,not-an-id,0,Birds chirp\n"  # malformed youtube id
        + "13,abcdefghijk,1.5,Wind blows\n",  # start time is not whole seconds
        encoding="utf-8",
    )
    (root / "val.csv").write_text(
        HEADER + '97151,-_hbPLsZvvo,10,"A tone beeps, then stops"\n' + "97152,-_hbPLsZvvo,10,A steady electronic beep\n",
        encoding="utf-8",
    )


def test_records_one_per_caption(tmp_path, audio):
    make_audiocaps(tmp_path, audio)
    read = read_source("audiocaps", tmp_path, {"splits": ["train", "val"]}, name="AudioCaps")
    clips = read.by_id()
    assert sorted(clips) == ["91139", "97151", "97152"]
    first = clips["91139"]
    assert first[c.CLIP_ID] == "AudioCaps/91139"
    assert first[c.AUDIO_PATH] == "audio_32000Hz/train/--0w1YA1Hm4_30.flac"
    assert first[c.CAPTION] == "A vehicle driving as a man and woman are talking and laughing"
    assert first[c.ATTRIBUTES] == {} and first[c.LABELS] == [] and first[c.START_S] is None
    assert clips["97151"][c.CAPTION] == "A tone beeps, then stops"
    assert clips["97151"][c.AUDIO_PATH] == clips["97152"][c.AUDIO_PATH] == "audio_32000Hz/val/-_hbPLsZvvo_10.flac"
    assert all(r[c.SAMPLE_RATE] == 32000 for r in read.records)


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_audiocaps(tmp_path, audio)
    read = read_source("audiocaps", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    refs = sorted(r["input_ref"].rsplit("/", 1)[1] for r in read.rejects)
    assert refs == ["train.csv:3", "train.csv:4", "train.csv:5"]


def test_other_audio_folder_and_format(tmp_path, audio):
    audio.noise(tmp_path / "wav16k" / "test" / "abcdefghijk_0.wav", seconds=0.5)
    (tmp_path / "test.csv").write_text(HEADER + "1,abcdefghijk,0,Noise hisses\n", encoding="utf-8")
    read = read_source("audiocaps", tmp_path, options={"splits": ["test"], "audio_dir": "wav16k", "audio_format": "wav"})
    assert [r[c.AUDIO_PATH] for r in read.records] == ["wav16k/test/abcdefghijk_0.wav"] and read.rejects == []


def test_the_default_reads_train_only_and_held_out_splits_when_named(tmp_path, audio):
    make_audiocaps(tmp_path, audio)
    assert sorted(read_source("audiocaps", tmp_path).by_id()) == ["91139"]
    validation = read_source("audiocaps", tmp_path, {"splits": ["val"]})
    assert sorted(validation.by_id()) == ["97151", "97152"] and validation.rejects == []
