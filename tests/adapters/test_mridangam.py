"""The Mridangam Stroke dataset in its native layout: mridangam_stroke_1.5/<tonic>/<id>__<author>__<stroke>-<tonic>-<NNN>.wav."""

from __future__ import annotations

from adapters.mridangam import Mridangam
from schemas import columns as c
from tests.adapters.conftest import read_source


def make_mridangam(root, audio, folder="mridangam_stroke_1.5"):
    base = root / folder if folder else root
    for tonic, name, frequency in [("B", "224030__akshaylaya__bheem-b-001", 123.5), ("C#", "226874__akshaylaya__ta-csh-094", 138.6),
                                   ("D#", "229274__akshaylaya__tha-dsh-001", 155.6)]:  # fmt: skip
        audio.tone(base / tonic / f"{name}.wav", frequency=frequency, seconds=0.5, rate=44100)
    audio.tone(base / "B" / "224999__akshaylaya__dhom-b-001.wav", seconds=0.5, rate=44100)  # unknown stroke
    audio.tone(base / "F" / "230001__akshaylaya__ta-f-001.wav", seconds=0.5, rate=44100)  # unknown tonic
    audio.tone(base / "E" / "stroke.wav", seconds=0.5, rate=44100)  # not a dataset name
    (base / "E" / "229900__akshaylaya__num-e-001.wav").write_bytes(b"")  # an empty download


def test_records_ids_and_attributes(tmp_path, audio):
    make_mridangam(tmp_path, audio)
    read = read_source("mridangam", tmp_path, name="Mridangam")
    clips = read.by_id()
    assert sorted(clips) == ["224030__akshaylaya__bheem-b-001", "226874__akshaylaya__ta-csh-094", "229274__akshaylaya__tha-dsh-001"]
    bheem = clips["224030__akshaylaya__bheem-b-001"]
    assert bheem[c.CLIP_ID] == "Mridangam/224030__akshaylaya__bheem-b-001"
    assert bheem[c.AUDIO_PATH] == "mridangam_stroke_1.5/B/224030__akshaylaya__bheem-b-001.wav"
    assert bheem[c.ATTRIBUTES] == {"Instrument": "Mridangam", "Stroke": "Bheem", "Tonic": "B"}
    assert clips["226874__akshaylaya__ta-csh-094"][c.ATTRIBUTES] == {"Instrument": "Mridangam", "Stroke": "Ta", "Tonic": "C#"}
    assert clips["229274__akshaylaya__tha-dsh-001"][c.ATTRIBUTES]["Tonic"] == "D#"
    assert all(r[c.SAMPLE_RATE] == 44100 and 0.4 < r[c.DURATION_S] < 0.6 for r in read.records)


def test_bad_names_and_empty_audio_are_quarantined(tmp_path, audio):
    make_mridangam(tmp_path, audio)
    read = read_source("mridangam", tmp_path)
    assert read.reasons() == ["audio_undecodable", "bad_file_name", "bad_file_name", "bad_file_name"]
    details = " ".join(r["detail"] for r in read.rejects)
    assert "dhom-b-001.wav" in details and "F/230001" in details and "E/stroke.wav" in details
    assert any(r["stage"] == "probe" and r["input_ref"].endswith("num-e-001.wav") for r in read.rejects)


def test_root_may_be_the_release_folder(tmp_path, audio):
    make_mridangam(tmp_path, audio, folder="")
    clips = read_source("mridangam", tmp_path).by_id()
    assert clips["226874__akshaylaya__ta-csh-094"][c.AUDIO_PATH] == "C#/226874__akshaylaya__ta-csh-094.wav"
    assert Mridangam(str(tmp_path)).missing() == []


def test_missing_layout_is_reported(tmp_path):
    assert Mridangam(str(tmp_path)).missing() == ["mridangam_stroke_1.5"]
