"""FMA in its native layout: fma_<subset>/<NNN>/<NNNNNN>.mp3 + fma_metadata/tracks.csv (3 header rows) + genres.csv."""

from __future__ import annotations

import csv

from adapters.fma import FMA
from schemas import columns as c
from tests.adapters.conftest import read_source

COLUMNS = [
    ("album", ["comments", "date_created", "date_released", "engineer", "favorites", "id", "information", "listens",
               "producer", "tags", "title", "tracks", "type"]),
    ("artist", ["active_year_begin", "active_year_end", "associated_labels", "bio", "comments", "date_created",
                "favorites", "id", "latitude", "location", "longitude", "members", "name", "related_projects", "tags",
                "website", "wikipedia_page"]),
    ("set", ["split", "subset"]),
    ("track", ["bit_rate", "comments", "composer", "date_created", "date_recorded", "duration", "favorites", "genre_top",
               "genres", "genres_all", "information", "interest", "language_code", "license", "listens", "lyricist",
               "number", "publisher", "tags", "title"]),
]  # fmt: skip
HEADER = [(group, column) for group, columns in COLUMNS for column in columns]


def track(tid, subset, genre_top, genres, title, bio="", split="training"):
    values = {("set", "subset"): subset, ("set", "split"): split, ("track", "genre_top"): genre_top,
              ("track", "genres"): genres, ("track", "genres_all"): genres, ("track", "title"): title,
              ("artist", "name"): "AWOL", ("artist", "bio"): bio, ("track", "tags"): "[]", ("album", "tags"): "[]",
              ("artist", "tags"): "[]", ("track", "license"): "Attribution-NonCommercial-ShareAlike 3.0 International"}  # fmt: skip
    return [str(tid)] + [values.get(key, "") for key in HEADER]


def make_fma(root, audio):
    meta = root / "fma_metadata"
    meta.mkdir(parents=True)
    with open(meta / "tracks.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([""] + [group for group, _ in HEADER])
        writer.writerow([""] + [column for _, column in HEADER])
        writer.writerow(["track_id"] + [""] * len(HEADER))
        writer.writerow(track(2, "small", "Hip-Hop", "[21]", "Food", bio="<p>A Way Of Life,\nhip-hop from NY</p>"))
        writer.writerow(track(5, "small", "Hip-Hop", "[21]", "This World"))
        writer.writerow(track(140, "small", "Folk", "[17]", "Queen Of The Wires"))  # its mp3 is missing
        writer.writerow(track(1482, "medium", "Rock", "[12, 25]", "Raw"))  # not in fma_small
        writer.writerow(track(3, "large", "", "[76, 103]", "Electric Ave"))  # no genre_top: genres.csv titles
        writer.writerow(track(20, "tiny", "Pop", "[10]", "?"))  # unknown subset
        writer.writerow(["21", "too", "few", "cells"])
        writer.writerow(track(10, "small", "Pop", "[10]", "Held Out", split="test"))
        writer.writerow(track(11, "small", "Pop", "[10]", "Unsplit", split=""))  # no split: quarantined, never guessed
    (meta / "genres.csv").write_text(
        "genre_id,#tracks,parent,title,top_level\n12,32923,0,Rock,12\n17,12706,0,Folk,17\n21,8389,0,Hip-Hop,21\n"
        "25,9261,12,Punk,12\n76,1,2,Experimental Pop,10\n103,1,10,Indie-Rock,12\n",
        encoding="utf-8",
    )  # fmt: skip
    for tid, frequency in [(2, 220.0), (5, 330.0), (1482, 440.0), (3, 550.0), (10, 660.0)]:
        name = f"{tid:06d}"
        for subset in ("fma_small", "fma_medium", "fma_large") if tid != 1482 else ("fma_medium", "fma_large"):
            if subset == "fma_large" or tid != 3:
                audio.tone(root / subset / name[:3] / f"{name}.mp3", frequency=frequency, seconds=1.0, rate=44100)
    audio.tone(root / "fma_small" / "000" / "track 7.mp3", seconds=0.5, rate=44100)  # not a track file name
    audio.tone(root / "fma_small" / "001" / "000011.mp3", seconds=0.5, rate=44100)  # in the wrong folder


def test_small_set_records_and_genres(tmp_path, audio):
    make_fma(tmp_path, audio)
    read = read_source("fma", tmp_path, name="FMA")
    clips = read.by_id()
    assert sorted(clips) == ["000002", "000005"]
    first = clips["000002"]
    assert first[c.CLIP_ID] == "FMA/000002"
    assert first[c.AUDIO_PATH] == "fma_small/000/000002.mp3"
    assert first[c.ATTRIBUTES] == {"Genre": "Hip-Hop"}
    assert first[c.TRANSCRIPT] is None
    assert all(0.9 < r[c.DURATION_S] < 1.2 for r in read.records)


def test_bad_rows_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_fma(tmp_path, audio)
    read = read_source("fma", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_file_name", "bad_metadata", "bad_metadata", "bad_metadata"]
    refs = {r["reason"] + " " + r["input_ref"] for r in read.rejects}
    assert any(ref.startswith("audio_missing") and ref.endswith("tracks.csv:7") for ref in refs)  # track 140 (after a 2-line bio)
    assert any(ref.startswith("bad_metadata") and ref.endswith("tracks.csv:10") for ref in refs)  # unknown subset
    assert any(ref.startswith("bad_metadata") and ref.endswith("tracks.csv:11") for ref in refs)  # too few cells
    assert any(ref.startswith("bad_metadata") and ref.endswith("tracks.csv:13") for ref in refs)  # no split
    details = " ".join(r["detail"] for r in read.rejects)
    assert "track 7.mp3" in details and "001/000011.mp3" in details


def test_larger_sets_nest_and_fall_back_to_genre_titles(tmp_path, audio):
    make_fma(tmp_path, audio)
    medium = read_source("fma", tmp_path, options={"subset": "medium"}).by_id()
    assert sorted(medium) == ["000002", "000005", "001482"]
    assert medium["001482"][c.AUDIO_PATH] == "fma_medium/001/001482.mp3"
    assert medium["001482"][c.ATTRIBUTES] == {"Genre": "Rock"}
    large = read_source("fma", tmp_path, options={"subset": "large"}).by_id()
    assert sorted(large) == ["000002", "000003", "000005", "001482"]
    assert large["000003"][c.ATTRIBUTES] == {"Genre": ["Experimental Pop", "Indie-Rock"]}


def test_missing_layout_is_reported(tmp_path):
    assert FMA(str(tmp_path)).missing() == ["fma_metadata/tracks.csv", "fma_small"]
    assert FMA(str(tmp_path), {"subset": "large"}).missing() == ["fma_metadata/tracks.csv", "fma_large"]


def test_the_default_reads_the_training_split_and_held_out_tracks_when_named(tmp_path, audio):
    make_fma(tmp_path, audio)
    assert "000010" not in read_source("fma", tmp_path).by_id()
    test = read_source("fma", tmp_path, options={"splits": ["test"]})
    assert list(test.by_id()) == ["000010"] and test.records[0][c.AUDIO_PATH] == "fma_small/000/000010.mp3"
    assert "not in fma_metadata/tracks.csv" not in " ".join(r["detail"] for r in read_source("fma", tmp_path).rejects)
    assert sorted(read_source("fma", tmp_path, options={"splits": ["training", "test"]}).by_id()) == ["000002", "000005", "000010"]
