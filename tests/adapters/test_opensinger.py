"""OpenSinger in its native layout: {ManRaw,WomanRaw}/<singer>_<song>/<singer>_<song>_<n>.{wav,txt,lab}."""

from __future__ import annotations

from adapters.opensinger import OpenSinger
from schemas import columns as c
from tests.adapters.conftest import read_source


def make_opensinger(root, audio):
    clips = [
        ("ManRaw", "0_光年之外", "0_光年之外_0", "缘分让我们相遇乱世以外", "en-us+m3"),
        ("ManRaw", "0_光年之外", "0_光年之外_1", "命运却要我们危难中相爱\n", "en-us+m3"),
        ("WomanRaw", "4_默", "4_默_28", "我被爱判处终身孤寂", "en-us+f3"),
        ("WomanRaw", "4_默", "4_默_30", None, "en-us+f3"),  # no lyrics file
    ]
    for folder, song, name, lyrics, voice in clips:
        audio.speech(root / folder / song / f"{name}.wav", "la la la", voice=voice)
        if lyrics is not None:
            (root / folder / song / f"{name}.txt").write_text(lyrics, encoding="utf-8")
            (root / folder / song / f"{name}.lab").write_text("la la la", encoding="utf-8")
    (root / "WomanRaw" / "4_默" / "4_默_29.txt").write_text("不还手不放手", encoding="utf-8")  # its .wav is absent
    audio.speech(root / "WomanRaw" / "4_默" / "take2.wav")  # not an OpenSinger name
    audio.speech(root / "ManRaw" / "0_光年之外" / "3_别的歌_2.wav")  # another song's name in this song's folder


def test_records_ids_lyrics_and_attributes(tmp_path, audio):
    make_opensinger(tmp_path, audio)
    read = read_source("opensinger", tmp_path, name="OpenSinger")
    clips = read.by_id()
    assert sorted(clips) == ["ManRaw_0_光年之外_0", "ManRaw_0_光年之外_1", "WomanRaw_4_默_28", "WomanRaw_4_默_30"]
    first = clips["ManRaw_0_光年之外_0"]
    assert first[c.CLIP_ID] == "OpenSinger/ManRaw_0_光年之外_0"
    assert first[c.AUDIO_PATH] == "ManRaw/0_光年之外/0_光年之外_0.wav"
    assert first[c.TRANSCRIPT] == "缘分让我们相遇乱世以外"
    assert first[c.ATTRIBUTES] == {"Speaker": "Man_0", "Gender": "Male", "Song": "光年之外", "Language": "Chinese"}
    assert clips["ManRaw_0_光年之外_1"][c.TRANSCRIPT] == "命运却要我们危难中相爱"
    assert clips["WomanRaw_4_默_28"][c.ATTRIBUTES] == {"Speaker": "Woman_4", "Gender": "Female", "Song": "默", "Language": "Chinese"}
    assert clips["WomanRaw_4_默_28"][c.TRANSCRIPT] == "我被爱判处终身孤寂"
    assert clips["WomanRaw_4_默_30"][c.TRANSCRIPT] is None
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_bad_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_opensinger(tmp_path, audio)
    read = read_source("opensinger", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_file_name"]
    assert any(r["reason"] == "audio_missing" and r["input_ref"].endswith("WomanRaw/4_默/4_默_29.wav") for r in read.rejects)
    details = " ".join(r["detail"] for r in read.rejects if r["reason"] == "bad_file_name")
    assert "take2.wav" in details and "3_别的歌_2.wav" in details


def test_missing_layout_is_reported(tmp_path):
    assert OpenSinger(str(tmp_path)).missing() == ["ManRaw", "WomanRaw"]
    (tmp_path / "WomanRaw").mkdir()
    assert OpenSinger(str(tmp_path)).missing() == []
