"""ASVspoof in its native layouts: 2019 LA (flac + cm/asv protocols) and ASVspoof 5 (flac_X + tsv protocols)."""

from __future__ import annotations

from adapters.asvspoof import ASVspoof
from schemas import columns as c
from tests.adapters.conftest import read_source

CM = "ASVspoof2019_LA_cm_protocols"
ASV = "ASVspoof2019_LA_asv_protocols"


def make_2019(root, audio):
    audio.speech(root / "ASVspoof2019_LA_train" / "flac" / "LA_T_1138215.flac", "I am not worried about the critics.", voice="en-us+m3")
    audio.speech(root / "ASVspoof2019_LA_train" / "flac" / "LA_T_1004644.flac", "Author of the danger trail.", voice="en-us+m3")
    audio.speech(root / "ASVspoof2019_LA_dev" / "flac" / "LA_D_1047731.flac", "We will meet tomorrow.", voice="en-us+f3")
    (root / CM).mkdir(parents=True)
    (root / CM / "ASVspoof2019.LA.cm.train.trn.txt").write_text(
        "LA_0079 LA_T_1138215 - - bonafide\n"
        "LA_0079 LA_T_1004644 - A01 spoof\n"
        "LA_0079 LA_T_9999999 - A02 spoof\n"  # no such flac: quarantined by the probe
        "LA_0079 LA_T_1000001 - - spoof\n"  # a spoof without a system id
        "LA_0079 LA_D_1000002 - - bonafide\n",  # a dev file in the train protocol
        encoding="utf-8",
    )
    (root / CM / "ASVspoof2019.LA.cm.dev.trl.txt").write_text("LA_0069 LA_D_1047731 - - bonafide\n", encoding="utf-8")
    audio.speech(root / "ASVspoof2019_LA_eval" / "flac" / "LA_E_2834763.flac", "Held out for evaluation.", voice="en-us+f3")
    (root / CM / "ASVspoof2019.LA.cm.eval.trl.txt").write_text("LA_0039 LA_E_2834763 - A11 spoof\n", encoding="utf-8")
    (root / ASV).mkdir()
    (root / ASV / "ASVspoof2019.LA.asv.dev.female.trn.txt").write_text("LA_0069 LA_D_1047731,LA_D_1105538\n", encoding="utf-8")
    (root / ASV / "ASVspoof2019.LA.asv.dev.male.trn.txt").write_text("LA_0070 LA_D_1200000,LA_D_1200001\n", encoding="utf-8")


def test_2019_records_ids_and_spoofing_attributes(tmp_path, audio):
    make_2019(tmp_path, audio)
    read = read_source("asvspoof", tmp_path, {"splits": ["train", "dev"]}, name="ASVspoof")
    clips = read.by_id()
    assert sorted(clips) == ["LA_D_1047731", "LA_T_1004644", "LA_T_1138215"]
    genuine = clips["LA_T_1138215"]
    assert genuine[c.CLIP_ID] == "ASVspoof/LA_T_1138215"
    assert genuine[c.AUDIO_PATH] == "ASVspoof2019_LA_train/flac/LA_T_1138215.flac"
    assert genuine[c.ATTRIBUTES] == {"Spoofing": "Bona fide", "Speaker": "LA_0079"}  # train speakers have no gender
    assert clips["LA_T_1004644"][c.ATTRIBUTES] == {"Spoofing": "Spoofed", "Spoofing attack": "A01", "Speaker": "LA_0079"}
    assert clips["LA_D_1047731"][c.ATTRIBUTES] == {"Spoofing": "Bona fide", "Speaker": "LA_0069", "Gender": "Female"}
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_2019_bad_protocol_lines_and_missing_audio_are_quarantined(tmp_path, audio):
    make_2019(tmp_path, audio)
    read = read_source("asvspoof", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("ASVspoof2019.LA.cm.train.trn.txt:4") for r in read.rejects)
    assert any(r["input_ref"].endswith("ASVspoof2019.LA.cm.train.trn.txt:5") for r in read.rejects)
    assert any("LA_T_9999999.flac" in r["detail"] for r in read.rejects if r["reason"] == "audio_missing")
    dev_only = read_source("asvspoof", tmp_path, {"splits": ["dev"]})
    assert list(dev_only.by_id()) == ["LA_D_1047731"] and dev_only.rejects == []


def test_asvspoof5_records_gender_codec_and_attack(tmp_path, audio):
    audio.speech(tmp_path / "flac_T" / "T_0000000001.flac", "A genuine sentence.", voice="en-us+f3")
    audio.speech(tmp_path / "flac_D" / "D_0000000022.flac", "A synthetic sentence.", voice="en-us+m3")
    (tmp_path / "ASVspoof5.train.tsv").write_text(
        "T_4850 T_0000000001 F - - - - bonafide bonafide -\nT_4850 T_0000000002 X - - - - bonafide bonafide -\n", encoding="utf-8"
    )
    (tmp_path / "ASVspoof5.dev.track_1.tsv").write_text("D_0755 D_0000000022 M C05 2 D_0000000021 AC1 A11 spoof -\n", encoding="utf-8")
    assert ASVspoof(str(tmp_path)).check() is not None  # the 2019 layout is not there
    assert ASVspoof(str(tmp_path), {"edition": "5"}).check() is None
    read = read_source("asvspoof", tmp_path, {"edition": "5", "splits": ["train", "dev"]})
    clips = read.by_id()
    assert sorted(clips) == ["D_0000000022", "T_0000000001"]
    assert clips["T_0000000001"][c.AUDIO_PATH] == "flac_T/T_0000000001.flac"
    assert clips["T_0000000001"][c.ATTRIBUTES] == {"Spoofing": "Bona fide", "Speaker": "T_4850", "Gender": "Female"}
    assert clips["D_0000000022"][c.ATTRIBUTES] == {
        "Spoofing": "Spoofed", "Spoofing attack": "A11", "Speaker": "D_0755", "Gender": "Male", "Codec": "C05",
    }  # fmt: skip
    assert read.reasons() == ["bad_metadata"]  # gender X
    assert read.rejects[0]["input_ref"].endswith("ASVspoof5.train.tsv:2")


def test_the_default_is_the_train_protocol_and_held_out_partitions_are_read_when_named(tmp_path, audio):
    make_2019(tmp_path, audio)
    assert sorted(read_source("asvspoof", tmp_path).by_id()) == ["LA_T_1004644", "LA_T_1138215"]
    evaluation = read_source("asvspoof", tmp_path, {"splits": ["eval"]})
    assert list(evaluation.by_id()) == ["LA_E_2834763"] and evaluation.rejects == []
    assert evaluation.records[0][c.ATTRIBUTES] == {"Spoofing": "Spoofed", "Spoofing attack": "A11", "Speaker": "LA_0039"}
    assert sorted(read_source("asvspoof", tmp_path, {"splits": ["dev", "eval"]}).by_id()) == ["LA_D_1047731", "LA_E_2834763"]
