"""GTZAN in its native layout: genres/<genre>/<genre>.<NNNNN>.wav|au, and Kaggle's Data/genres_original/."""

from __future__ import annotations

from adapters.gtzan import GTZAN
from schemas import columns as c
from tests.adapters.conftest import read_source


def make_gtzan(root, audio, folder="genres"):
    base = root / folder
    audio.tone(base / "blues" / "blues.00000.wav", frequency=196.0, rate=22050)
    audio.tone(base / "blues" / "blues.00001.au", frequency=247.0, rate=22050)
    audio.noise(base / "hiphop" / "hiphop.00042.wav", rate=22050)
    audio.tone(base / "classical" / "classical.00099.wav", frequency=440.0, rate=22050)
    audio.tone(base / "blues" / "rock.00003.wav", rate=22050)  # another genre's file in blues/
    audio.tone(base / "polka" / "polka.00001.wav", rate=22050)  # not a GTZAN genre
    (base / "jazz").mkdir(parents=True)
    (base / "jazz" / "jazz.00054.wav").write_bytes(b"RIFF\x00\x00\x00\x00not audio at all")  # Kaggle's broken file


def test_records_ids_and_genres(tmp_path, audio):
    make_gtzan(tmp_path, audio)
    read = read_source("gtzan", tmp_path, name="GTZAN")
    clips = read.by_id()
    assert sorted(clips) == ["blues.00000", "blues.00001", "classical.00099", "hiphop.00042"]
    assert clips["blues.00000"][c.CLIP_ID] == "GTZAN/blues.00000"
    assert clips["blues.00000"][c.AUDIO_PATH] == "genres/blues/blues.00000.wav"
    assert clips["blues.00001"][c.AUDIO_PATH] == "genres/blues/blues.00001.au"
    assert clips["blues.00000"][c.ATTRIBUTES] == {"Genre": "Blues"}
    assert clips["hiphop.00042"][c.ATTRIBUTES] == {"Genre": "Hip-Hop"}
    assert clips["classical.00099"][c.ATTRIBUTES] == {"Genre": "Classical"}
    assert all(r[c.SAMPLE_RATE] == 22050 and 0.9 < r[c.DURATION_S] < 1.1 for r in read.records)


def test_bad_names_and_undecodable_audio_are_quarantined(tmp_path, audio):
    make_gtzan(tmp_path, audio)
    read = read_source("gtzan", tmp_path)
    assert read.reasons() == ["audio_undecodable", "bad_file_name", "bad_file_name"]
    assert any(r["reason"] == "audio_undecodable" and r["input_ref"].endswith("jazz/jazz.00054.wav") for r in read.rejects)
    details = " ".join(r["detail"] for r in read.rejects)
    assert "blues/rock.00003.wav" in details and "polka/polka.00001.wav" in details


def test_kaggle_layout(tmp_path, audio):
    make_gtzan(tmp_path, audio, folder="Data/genres_original")
    (tmp_path / "Data" / "features_30_sec.csv").write_text("filename,length,label\nblues.00000.wav,661794,blues\n", encoding="utf-8")
    clips = read_source("gtzan", tmp_path).by_id()
    assert sorted(clips) == ["blues.00000", "blues.00001", "classical.00099", "hiphop.00042"]
    assert clips["hiphop.00042"][c.AUDIO_PATH] == "Data/genres_original/hiphop/hiphop.00042.wav"
    assert GTZAN(str(tmp_path), {"folder": "genres"}).missing() == ["genres"]
    assert GTZAN(str(tmp_path / "Data")).missing() == []


def test_missing_layout_is_reported(tmp_path):
    assert GTZAN(str(tmp_path)).missing() == ["genres", "genres_original", "Data/genres_original"]
