"""ESC-50 in its native layout: audio/<fold>-<clip_id>-<take>-<target>.wav + meta/esc50.csv."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

HEADER = "filename,fold,target,category,esc10,src_file,take\n"


def make_esc50(root, audio):
    audio.noise(root / "audio" / "1-100032-A-0.wav", seconds=1.0)
    audio.tone(root / "audio" / "1-100038-A-14.wav", frequency=2000, seconds=1.0)
    audio.noise(root / "audio" / "3-120644-A-30.wav", seconds=1.0)
    (root / "meta").mkdir(parents=True, exist_ok=True)
    (root / "meta" / "esc50.csv").write_text(
        HEADER
        + "1-100032-A-0.wav,1,0,dog,True,100032,A\n"
        + "1-100038-A-14.wav,1,14,chirping_birds,False,100038,A\n"
        + "3-120644-A-30.wav,3,30,door_wood_knock,False,120644,A\n"
        + "2-109505-B-31.wav,2,31,mouse_click,False,109505,B\n"  # listed, but the file is absent
        + "dog_bark.wav,1,0,dog,True,1,A\n"  # not an ESC-50 file name
        + "4-1234-A-7.wav,4,8,cow,False,1234,A\n"  # target disagrees with the file name
        + "5-1-A-1.wav,5,1,rooster\n",  # too few cells
        encoding="utf-8",
    )


def test_records_ids_and_labels(tmp_path, audio):
    make_esc50(tmp_path, audio)
    read = read_source("esc50", tmp_path, name="ESC-50")
    clips = read.by_id()
    assert sorted(clips) == ["1-100032-A-0", "1-100038-A-14", "3-120644-A-30"]
    knock = clips["3-120644-A-30"]
    assert knock[c.CLIP_ID] == "ESC-50/3-120644-A-30"
    assert knock[c.AUDIO_PATH] == "audio/3-120644-A-30.wav"
    assert knock[c.LABELS] == ["door wood knock"]
    assert knock[c.ATTRIBUTES] == {} and knock[c.TRANSCRIPT] is None
    assert clips["1-100038-A-14"][c.LABELS] == ["chirping birds"]
    assert all(r[c.DOMAIN] == "sound" and r[c.DURATION_S] > 0.9 for r in read.records)


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_esc50(tmp_path, audio)
    read = read_source("esc50", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata", "bad_metadata"]
    by_reason = {r["reason"]: r for r in read.rejects}
    assert by_reason["bad_file_name"]["input_ref"].endswith("meta/esc50.csv:6")
    assert by_reason["audio_missing"]["stage"] == "probe"
    assert any(r["input_ref"].endswith("meta/esc50.csv:7") for r in read.rejects)
    assert any(r["input_ref"].endswith("meta/esc50.csv:8") for r in read.rejects)


def test_an_empty_root_reads_nothing(tmp_path):
    from adapters.esc50 import ESC50

    adapter = ESC50(str(tmp_path))
    assert adapter.missing() == ["audio", "meta/esc50.csv"]
    assert list(adapter.entries()) == []


def test_every_fold_is_read_by_default_and_folds_can_be_picked(tmp_path, audio):
    make_esc50(tmp_path, audio)
    assert sorted(read_source("esc50", tmp_path).by_id()) == ["1-100032-A-0", "1-100038-A-14", "3-120644-A-30"]
    third = read_source("esc50", tmp_path, {"folds": [3]})
    assert list(third.by_id()) == ["3-120644-A-30"]
    assert "audio_missing" not in third.reasons()  # fold 2's absent file is not read
