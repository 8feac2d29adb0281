"""EMOVO in its native layout: <actor>/<emotion>-<actor>-<sentence>.wav."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def make_emovo(root, audio):
    audio.speech(root / "f1" / "dis-f1-l4.wav", "Vorrei il numero telefonico del Signor Piatti.", voice="it+f3")
    audio.speech(root / "m2" / "gio-m2-b1.wav", "Gli operai si alzano presto.", voice="it+m3", rate=48000)
    audio.speech(root / "m3" / "tri-m3-d1.wav", "Sabato sera cosa farà?", voice="it+m3")
    audio.speech(root / "f2" / "xyz-f2-b1.wav")  # unknown emotion code
    audio.speech(root / "f2" / "neu-m1-b1.wav")  # actor in the name differs from its folder
    audio.speech(root / "f3" / "neu-f3-q9.wav")  # unknown sentence code
    (root / "f3" / "rab-f3-b2.wav").write_bytes(b"RIFF\x00\x00")  # a cut-off file


def test_records_ids_transcripts_and_attributes(tmp_path, audio):
    make_emovo(tmp_path, audio)
    read = read_source("emovo", tmp_path, name="EMOVO")
    clips = read.by_id()
    assert sorted(clips) == ["dis-f1-l4", "gio-m2-b1", "tri-m3-d1"]
    first = clips["dis-f1-l4"]
    assert first[c.CLIP_ID] == "EMOVO/dis-f1-l4"
    assert first[c.AUDIO_PATH] == "f1/dis-f1-l4.wav"
    assert first[c.TRANSCRIPT] == "Vorrei il numero telefonico del Signor Piatti."
    assert first[c.ATTRIBUTES] == {"Speaker": "f1", "Gender": "Female", "Age": 28, "Language": "Italian", "Emotion": "Disgusted"}
    assert clips["gio-m2-b1"][c.ATTRIBUTES] == {"Speaker": "m2", "Gender": "Male", "Age": 27, "Language": "Italian", "Emotion": "Happy"}
    assert clips["gio-m2-b1"][c.SAMPLE_RATE] == 48000
    assert clips["tri-m3-d1"][c.TRANSCRIPT] == "Sabato sera cosa farà?"
    assert clips["tri-m3-d1"][c.ATTRIBUTES]["Emotion"] == "Sad"


def test_bad_names_and_audio_are_quarantined(tmp_path, audio):
    make_emovo(tmp_path, audio)
    read = read_source("emovo", tmp_path)
    assert read.reasons() == ["audio_undecodable", "bad_file_name", "bad_file_name", "bad_file_name"]
    bad = sorted(r["input_ref"].rsplit("/", 2)[-2:][1] for r in read.rejects if r["reason"] == "bad_file_name")
    assert bad == ["neu-f3-q9.wav", "neu-m1-b1.wav", "xyz-f2-b1.wav"]
