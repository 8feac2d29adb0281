"""WavCaps in its Hub layout: json_files/<Source>/<x>_final.json + unzipped <id>.flac per source."""

from __future__ import annotations

import json

from schemas import columns as c
from tests.adapters.conftest import read_source

DEEP = "Zip_files/SoundBible/mnt/fast/nobackup/scratch4weeks/xm00178/WavCaps/data/waveforms/SoundBible_flac"


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value), encoding="utf-8")


def make_wavcaps(root, audio):
    audio.noise(root / "Audio" / "FreeSound" / "180913.flac", seconds=1.0)
    audio.tone(root / DEEP / "2219.flac", frequency=300, seconds=1.0)  # left where the zip puts it
    audio.noise(root / "as_audio" / "Y--0w1YA1Hm4_30.000.flac", seconds=1.0)
    write_json(
        root / "json_files" / "FreeSound" / "fsd_final.json",
        {"num_captions_per_audio": 1, "data": [
            {"id": "180913", "file_name": "UK Mello.wav", "href": "/people/x/sounds/180913/", "tags": ["mello"],
             "description": "raw text", "author": "x", "duration": 3.5, "download_link": "https://x", "caption": "A gentle tune plays."},
            {"id": "180914", "caption": "Someone knocks on a door.", "duration": 2.0},  # audio absent
            {"id": "180915", "duration": 2.0},  # no caption
        ]},
    )  # fmt: skip
    write_json(
        root / "json_files" / "SoundBible" / "sb_final.json",
        [{"title": "Airplane Landing Airport", "description": "Large airplane landing.", "author": "Daniel Simion",
          "href": "2219-Airplane-Landing-Airport.html", "caption": "An airplane is landing.", "id": "2219", "duration": 14.1}],
    )  # fmt: skip
    write_json(
        root / "json_files" / "AudioSet_SL" / "as_final.json",
        {"num_captions_per_audio": 1, "data": [{"id": "Y--0w1YA1Hm4_30.000.wav", "caption": "A man speaks and a car passes.", "audio": "wav_path", "duration": 10.0}]},
    )
    (root / "json_files" / "BBC_Sound_Effects").mkdir(parents=True)
    (root / "json_files" / "BBC_Sound_Effects" / "bbc_final.json").write_text('{"data": [', encoding="utf-8")  # truncated


def test_records_per_source(tmp_path, audio):
    make_wavcaps(tmp_path, audio)
    read = read_source("wavcaps", tmp_path, name="WavCaps", options={"audio_dirs": {"AudioSet_SL": "as_audio"}})
    clips = read.by_id()
    assert sorted(clips) == ["AudioSet_SL/Y--0w1YA1Hm4_30.000", "FreeSound/180913", "SoundBible/2219"]
    fsd = clips["FreeSound/180913"]
    assert fsd[c.CLIP_ID] == "WavCaps/FreeSound/180913"
    assert fsd[c.AUDIO_PATH] == "Audio/FreeSound/180913.flac"
    assert fsd[c.CAPTION] == "A gentle tune plays."
    assert fsd[c.ATTRIBUTES] == {} and fsd[c.LABELS] == []
    assert clips["SoundBible/2219"][c.AUDIO_PATH] == f"{DEEP}/2219.flac"
    assert clips["SoundBible/2219"][c.CAPTION] == "An airplane is landing."
    assert clips["AudioSet_SL/Y--0w1YA1Hm4_30.000"][c.AUDIO_PATH] == "as_audio/Y--0w1YA1Hm4_30.000.flac"


def test_bad_items_and_missing_audio_are_quarantined(tmp_path, audio):
    make_wavcaps(tmp_path, audio)
    read = read_source("wavcaps", tmp_path, options={"subsets": ["FreeSound", "BBC_Sound_Effects"]})
    assert sorted(read.by_id()) == ["FreeSound/180913"]
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    refs = {r["input_ref"].rsplit("/", 1)[1] for r in read.rejects}
    assert refs == {"fsd_final.json[1]", "fsd_final.json[2]", "bbc_final.json:1"}
