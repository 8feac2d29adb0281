"""Clotho v2.1 in its native layout: <split>/<file>.wav + clotho_captions_<split>.csv + clotho_metadata_<split>.csv."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

CAPTIONS_HEADER = "file_name,caption_1,caption_2,caption_3,caption_4,caption_5\n"
METADATA_HEADER = "file_name,keywords,sound_id,sound_link,start_end_samples,manufacturer,license\n"


def make_clotho(root, audio):
    audio.noise(root / "development" / " Ambience Birds.wav", seconds=1.0)  # a real Clotho name: leading space
    audio.tone(root / "development" / "Café bell.wav", frequency=880, seconds=1.0)
    audio.noise(root / "clotho_audio_evaluation" / "evaluation" / "Rain_on_roof.wav", seconds=1.0)
    (root / "clotho_captions_development.csv").write_text(
        CAPTIONS_HEADER
        + " Ambience Birds.wav,A wild assortment of birds are chirping.,Several birds are tweeting.,"
        '"Birds tweeting and chirping happily, engine in the distance.",Wild birds call out.,Birds are chirping loudly.\n'
        + "Café bell.wav,A bell rings twice.,A small bell is struck.,,,\n"
        + "Gone.wav,Wind blows.,Wind howls.,Air moves.,A gust.,Breeze.\n"  # listed, audio absent
        + "notes.txt,A.,B.,C.,D.,E.\n"  # not a wav
        + "Short row.wav,Only one caption\n",  # too few cells
        encoding="utf-8",
    )
    (root / "clotho_metadata_development.csv").write_bytes(
        (
            METADATA_HEADER
            + ' Ambience Birds.wav,Ambience;outside;Birds;night,327673,https://freesound.org/people/x/sounds/327673,"[11162624, 11932169]",x,http://creativecommons.org/licenses/by-nc/3.0/\n'
            + 'Café bell.wav,bell;café,1,https://freesound.org/s/1,"[0, 1]",y,http://creativecommons.org/publicdomain/zero/1.0/\n'
        ).encode("iso-8859-1")
    )
    (root / "clotho_captions_evaluation.csv").write_text(
        CAPTIONS_HEADER + "Rain_on_roof.wav,Rain falls on a roof.,Raindrops patter.,Rain.,Steady rain.,It rains.\n",
        encoding="utf-8",
    )


def test_each_caption_is_an_entry_with_its_keywords(tmp_path, audio):
    make_clotho(tmp_path, audio)
    read = read_source("clotho", tmp_path, {"splits": ["development", "evaluation"]}, name="Clotho")
    clips = read.by_id()
    birds = [clips[f"development/ Ambience Birds#{k}"] for k in range(1, 6)]
    assert [b[c.CAPTION] for b in birds][:3] == [
        "A wild assortment of birds are chirping.", "Several birds are tweeting.",
        "Birds tweeting and chirping happily, engine in the distance.",
    ]  # fmt: skip
    assert {b[c.AUDIO_PATH] for b in birds} == {"development/ Ambience Birds.wav"}
    assert birds[0][c.ATTRIBUTES] == {"Keywords": ["Ambience", "outside", "Birds", "night"]}
    assert birds[0][c.LABELS] == [] and birds[0][c.TRANSCRIPT] is None
    bell = [k for k in clips if k.startswith("development/Café bell")]
    assert sorted(bell) == ["development/Café bell#1", "development/Café bell#2"]  # empty captions skipped
    assert clips["development/Café bell#1"][c.ATTRIBUTES] == {"Keywords": ["bell", "café"]}  # ISO-8859-1 decoded
    rain = clips["evaluation/Rain_on_roof#1"]
    assert rain[c.AUDIO_PATH] == "clotho_audio_evaluation/evaluation/Rain_on_roof.wav"
    assert rain[c.ATTRIBUTES] == {}  # no metadata file for this split
    assert len(read.records) == 5 + 2 + 5


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_clotho(tmp_path, audio)
    read = read_source("clotho", tmp_path)
    assert read.reasons() == ["audio_missing"] * 5 + ["bad_file_name", "bad_metadata"]
    assert any(r["reason"] == "bad_file_name" and r["input_ref"].endswith("clotho_captions_development.csv:5") for r in read.rejects)
    assert any(r["reason"] == "bad_metadata" and r["input_ref"].endswith("clotho_captions_development.csv:6") for r in read.rejects)


def test_first_caption_only(tmp_path, audio):
    make_clotho(tmp_path, audio)
    read = read_source("clotho", tmp_path, options={"captions": "first", "splits": ["development"]})
    clips = read.by_id()
    assert sorted(clips) == ["development/ Ambience Birds", "development/Café bell"]
    assert clips["development/Café bell"][c.CAPTION] == "A bell rings twice."


def test_the_default_reads_development_only_and_held_out_splits_when_named(tmp_path, audio):
    make_clotho(tmp_path, audio)
    default = read_source("clotho", tmp_path, {"captions": "first"})
    assert sorted(default.by_id()) == ["development/ Ambience Birds", "development/Café bell"]
    evaluation = read_source("clotho", tmp_path, {"captions": "first", "splits": ["evaluation"]})
    assert list(evaluation.by_id()) == ["evaluation/Rain_on_roof"] and evaluation.rejects == []
