"""LibriTTS-R in its native layout: <subset>/<spk>/<chapter>/<utt>.wav + <spk>_<chapter>.trans.tsv + speakers.tsv."""

from __future__ import annotations

from adapters.libritts_r import LibriTTSR
from schemas import columns as c
from tests.adapters.conftest import read_source

HELD_OUT = {"splits": ["dev-clean", "test-clean"]}

SPEAKERS_TSV = "READER\tGENDER\tSUBSET\tNAME\n84\tF\tdev-clean\tChristie Nowak\n174\tM\tdev-clean\tPeter Eastman\n251\tX\tdev-clean\n"
SPEAKERS_TXT = (
    "; Some pipe(|) separated metadata about all LibriVox readers\n"
    ";ID  |SEX| SUBSET           |MINUTES| NAME\n"
    "84   | F | dev-clean        | 8.02  | Christie Nowak\n"
    "174  | M | dev-clean        | 8.04  | |CBW|Peter\n"
)


def make_libritts_r(root, audio, speakers="tsv"):
    chapter = root / "dev-clean" / "84" / "121123"
    for utt, text, voice in [("84_121123_000007_000001", "Maximilian.", "en-us+f3"),
                             ("84_121123_000008_000000", "Villefort rose, half ashamed.", "en-us+f3")]:  # fmt: skip
        audio.speech(chapter / f"{utt}.wav", text, voice=voice, rate=24000)
        (chapter / f"{utt}.normalized.txt").write_text(text, encoding="utf-8")
        (chapter / f"{utt}.original.txt").write_text(text.upper(), encoding="utf-8")
    (chapter / "84_121123.trans.tsv").write_text(
        "84_121123_000007_000001\tMAXIMILIAN.\tMaximilian.\n"
        "84_121123_000008_000000\tVILLEFORT ROSE, \"HALF\" ASHAMED.\tVillefort rose, \"half\" ashamed.\n"
        "84_121123_000009_000000\tGONE.\tGone.\n"  # dropped from LibriTTS-R: no wav
        "84_121123_000010_000000 only two cells\tx\n",
        encoding="utf-8",
    )
    other = root / "dev-clean" / "174" / "50561"
    audio.speech(other / "174_50561_000024_000000.wav", "Not a transcript line.", voice="en-us+m3", rate=24000)
    (other / "174_50561_000024_000000.normalized.txt").write_text("Not a trans line.", encoding="utf-8")
    audio.speech(other / "._174_50561_000024_000000.wav")  # macOS resource fork, not an utterance
    audio.speech(root / "test-clean" / "174" / "50561" / "174_50561_000001_000000.wav", "Test.", voice="en-us+m3", rate=24000)
    train = root / "train-clean-100" / "19" / "198"  # the training split: one utterance
    audio.speech(train / "19_198_000000_000000.wav", "Northanger Abbey.", voice="en-us+f3", rate=24000)
    (train / "19_198.trans.tsv").write_text("19_198_000000_000000\tNORTHANGER ABBEY.\tNorthanger Abbey.\n", encoding="utf-8")
    if speakers == "tsv":
        (root / "speakers.tsv").write_text(SPEAKERS_TSV, encoding="utf-8")
    else:
        (root / "SPEAKERS.txt").write_text(SPEAKERS_TXT, encoding="utf-8")


def test_records_transcripts_and_gender(tmp_path, audio):
    make_libritts_r(tmp_path, audio)
    read = read_source("libritts_r", tmp_path, HELD_OUT, name="LibriTTS-R")
    clips = read.by_id()
    assert sorted(clips) == ["174_50561_000001_000000", "174_50561_000024_000000", "84_121123_000007_000001", "84_121123_000008_000000"]
    first = clips["84_121123_000007_000001"]
    assert first[c.CLIP_ID] == "LibriTTS-R/84_121123_000007_000001"
    assert first[c.AUDIO_PATH] == "dev-clean/84/121123/84_121123_000007_000001.wav"
    assert first[c.TRANSCRIPT] == "Maximilian."
    assert first[c.ATTRIBUTES] == {"Speaker": "84", "Gender": "Female"}
    assert clips["84_121123_000008_000000"][c.TRANSCRIPT] == 'Villefort rose, "half" ashamed.'  # quotes kept as written
    # not in a trans.tsv: the .normalized.txt next to the wav
    assert clips["174_50561_000024_000000"][c.TRANSCRIPT] == "Not a trans line."
    assert clips["174_50561_000024_000000"][c.ATTRIBUTES] == {"Speaker": "174", "Gender": "Male"}
    assert clips["174_50561_000001_000000"][c.TRANSCRIPT] is None
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_original_text_subsets_and_speakers_txt(tmp_path, audio):
    make_libritts_r(tmp_path, audio, speakers="txt")
    read = read_source("libritts_r", tmp_path, {"text": "original", "splits": ["dev-clean"]})
    clips = read.by_id()
    assert "174_50561_000001_000000" not in clips
    assert clips["84_121123_000008_000000"][c.TRANSCRIPT] == 'VILLEFORT ROSE, "HALF" ASHAMED.'
    assert clips["174_50561_000024_000000"][c.ATTRIBUTES] == {"Speaker": "174", "Gender": "Male"}  # name `|CBW|Peter` splits once


def test_bad_lines_bad_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_libritts_r(tmp_path, audio)
    read = read_source("libritts_r", tmp_path, HELD_OUT)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("speakers.tsv:4") for r in read.rejects)
    assert any(r["input_ref"].endswith("84_121123.trans.tsv:4") for r in read.rejects)
    assert any("._174_50561_000024_000000.wav" in r["detail"] for r in read.rejects)
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert missing["input_ref"].endswith("84_121123.trans.tsv:3")


def test_an_empty_folder_is_reported(tmp_path):
    assert "none of train-clean-100, train-clean-360, train-other-500" in LibriTTSR(str(tmp_path)).check()
    (tmp_path / "dev-clean").mkdir()
    assert "none of train-clean-100" in LibriTTSR(str(tmp_path)).check()  # a held-out subset does not stand in for training data
    assert LibriTTSR(str(tmp_path), {"splits": ["dev-clean"]}).check() is None
    (tmp_path / "train-other-500").mkdir()
    assert LibriTTSR(str(tmp_path)).check() is None


def test_the_default_reads_the_train_subsets_and_dev_or_test_only_when_named(tmp_path, audio):
    make_libritts_r(tmp_path, audio)
    train = read_source("libritts_r", tmp_path)
    assert list(train.by_id()) == ["19_198_000000_000000"] and train.reasons() == ["bad_metadata"]  # speakers.tsv:4
    assert train.records[0][c.TRANSCRIPT] == "Northanger Abbey."
    test = read_source("libritts_r", tmp_path, {"splits": ["test-clean"]})
    assert list(test.by_id()) == ["174_50561_000001_000000"]
