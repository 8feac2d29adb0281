"""LibriSpeech-c in LibriSpeech's native layout: <subset>/<spk>/<chapter>/<spk>-<chapter>-<utt>.flac + trans.txt + SPEAKERS.TXT."""

from __future__ import annotations

from adapters.librispeech_c import LibriSpeechC
from schemas import columns as c
from tests.adapters.conftest import read_source

SPEAKERS = (
    "; Some pipe(|) separated metadata about all LibriVox readers, whose work was used\n"
    ";ID  |SEX| SUBSET           |MINUTES| NAME\n"
    "84   | F | dev-clean        | 8.02  | Christie Nowak\n"
    "60   | M | train-clean-100  | 20.18 | |CBW|Simon\n"
    "174  | ? | dev-clean        | 8.04  | Peter Eastman\n"
)


def make_librispeech(root, audio, extension="flac"):
    chapter = root / "dev-clean" / "84" / "121123"
    for utt, text in [("84-121123-0000", "GO DO YOU HEAR"), ("84-121123-0001", "BUT IN LESS THAN FIVE MINUTES")]:
        audio.speech(chapter / f"{utt}.{extension}", text.lower(), voice="en-us+f3")
    (chapter / "84-121123.trans.txt").write_text(
        "84-121123-0000 GO DO YOU HEAR\n84-121123-0001 BUT IN LESS THAN FIVE MINUTES\n"
        "84-121123-0002 THE STAIRCASE CREAKED\n"  # no audio
        "84-121124-0003 WRONG CHAPTER\n",
        encoding="utf-8",
    )
    audio.speech(root / "dev-clean" / "84" / "121123" / "84-121123-0000-noisy.flac")  # not a LibriSpeech name
    other = root / "train-clean-100" / "60" / "121082"
    audio.speech(other / f"60-121082-0000.{extension}", "and it was", voice="en-us+m3")
    (other / "60-121082.trans.txt").write_text("60-121082-0000 AND IT WAS\n", encoding="utf-8")
    (root / "SPEAKERS.TXT").write_text(SPEAKERS, encoding="utf-8")


def test_records_transcripts_and_gender(tmp_path, audio):
    make_librispeech(tmp_path, audio)
    read = read_source("librispeech_c", tmp_path, {"splits": ["train-clean-100", "dev-clean"]}, name="LibriSpeech-c")
    clips = read.by_id()
    assert sorted(clips) == ["60-121082-0000", "84-121123-0000", "84-121123-0001"]
    first = clips["84-121123-0000"]
    assert first[c.CLIP_ID] == "LibriSpeech-c/84-121123-0000"
    assert first[c.AUDIO_PATH] == "dev-clean/84/121123/84-121123-0000.flac"
    assert first[c.TRANSCRIPT] == "GO DO YOU HEAR"
    assert first[c.ATTRIBUTES] == {"Speaker": "84", "Gender": "Female", "Speaker count": 1}
    assert clips["60-121082-0000"][c.ATTRIBUTES] == {"Speaker": "60", "Gender": "Male", "Speaker count": 1}  # name `|CBW|Simon` splits once
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_lines_bad_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_librispeech(tmp_path, audio)
    read = read_source("librispeech_c", tmp_path, {"splits": ["dev-clean"]})
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("SPEAKERS.TXT:5") for r in read.rejects)
    assert any(r["input_ref"].endswith("84-121123.trans.txt:4") for r in read.rejects)
    assert any("84-121123-0000-noisy.flac" in r["detail"] for r in read.rejects)
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert missing["input_ref"].endswith("84-121123.trans.txt:3")


def test_subsets_and_a_re_encoded_copy_are_options(tmp_path, audio):
    make_librispeech(tmp_path, audio, extension="wav")
    read = read_source("librispeech_c", tmp_path, {"splits": ["train-clean-100"], "audio_extension": "wav"})
    assert list(read.by_id()) == ["60-121082-0000"]
    assert read.records[0][c.AUDIO_PATH] == "train-clean-100/60/121082/60-121082-0000.wav"
    assert "none of train-clean-100, train-clean-360, train-other-500 holds" in LibriSpeechC(str(tmp_path / "nothing")).check()


def test_the_default_reads_the_train_subsets_and_held_out_ones_only_when_named(tmp_path, audio):
    make_librispeech(tmp_path, audio)
    train = read_source("librispeech_c", tmp_path)
    assert list(train.by_id()) == ["60-121082-0000"] and train.reasons() == ["bad_metadata"]  # SPEAKERS.TXT:5
    dev = read_source("librispeech_c", tmp_path, {"splits": ["dev-clean"]})
    assert sorted(dev.by_id()) == ["84-121123-0000", "84-121123-0001"]
    # a corrupted copy that only holds held-out subsets says so before the run, naming what is there
    (tmp_path / "train-clean-100").rename(tmp_path / "unused")
    problem = LibriSpeechC(str(tmp_path)).check()
    assert "(subsets there: dev-clean, unused; name them in `splits`)" in problem
