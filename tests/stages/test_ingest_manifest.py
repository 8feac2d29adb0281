"""IngestManifest.read over JSONL and CSV manifests: ids, paths, attributes, chunking and bad lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from schemas import columns as c
from schemas.tables import CLIP_COLUMNS
from stages.ingest_manifest import IngestManifest, SourceSpec

REPO = Path(__file__).resolve().parents[2]


def read_tables(manifest, name="src", domain="speech", prefix="", allow_outside_root=False, chunk_rows=1024):
    source = SourceSpec.for_manifest(name, str(manifest), domain, prefix, allow_outside_root)
    return list(IngestManifest(chunk_rows=chunk_rows).read(source))


def read_rows(manifest, **kwargs) -> list[dict]:
    return [row for table in read_tables(manifest, **kwargs) for row in table.to_pylist()]


def one_row(write_manifest, tmp_path, line, **kwargs) -> dict:
    manifest = write_manifest(tmp_path / "src" / "manifest.jsonl", [line])
    rows = read_rows(manifest, **kwargs)
    assert len(rows) == 1
    return rows[0]


# ---- ids, paths and fields --------------------------------------------------------------------------


def test_given_id_becomes_source_slash_id(write_manifest, tmp_path):
    manifest = write_manifest(
        tmp_path / "manifest.jsonl",
        [{"audio": "clips/a.wav", "id": "utt-1"}, {"audio": "clips/b.wav", "id": 42}],
    )
    rows = read_rows(manifest, name="libri")
    assert [r[c.CLIP_ID] for r in rows] == ["libri/utt-1", "libri/42"]
    assert all(r[c.KEEP] for r in rows)
    assert [r[c.SOURCE] for r in rows] == ["libri", "libri"]


def test_absent_id_is_derived_from_the_relative_path_and_segment(write_manifest, tmp_path):
    manifest = write_manifest(
        tmp_path / "manifest.jsonl",
        [
            {"audio": "clips/a.wav"},
            {"audio": "clips/a.wav", "start": 1.5, "end": 3.25},
            {"audio": "clips/a.wav", "start": 0, "end": 2},
        ],
    )
    rows = read_rows(manifest, name="src")
    assert [r[c.CLIP_ID] for r in rows] == ["src/clips/a.wav", "src/clips/a.wav@1.500-3.250", "src/clips/a.wav@0.000-2.000"]
    assert all(r[c.KEEP] for r in rows)
    assert (rows[1][c.START_S], rows[1][c.END_S]) == (1.5, 3.25)
    assert (rows[0][c.START_S], rows[0][c.END_S]) == (None, None)


def test_same_file_spelled_two_ways_is_one_clip(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.jsonl", [{"audio": "clips/a.wav"}, {"audio": "./clips/sub/../a.wav"}])
    first, second = read_rows(manifest)
    assert first[c.CLIP_ID] == "src/clips/a.wav"
    assert (second[c.KEEP], second[c.DROP_REASON]) == (False, "duplicate_clip")


def test_open_ended_segment_id_does_not_claim_end_zero(write_manifest, tmp_path):
    row = one_row(write_manifest, tmp_path, {"audio": "a.wav", "start": 1.5})
    assert row[c.KEEP]
    assert row[c.CLIP_ID].startswith("src/a.wav@1.500")
    assert not row[c.CLIP_ID].endswith("-0.000")


def test_audio_uri_is_resolved_against_the_manifest_folder(write_manifest, tmp_path):
    folder = tmp_path / "corpus"
    manifest = write_manifest(folder / "manifest.jsonl", [{"audio": "clips/a.wav"}, {"audio": "./b.flac"}])
    rows = read_rows(manifest)
    assert [r[c.AUDIO_URI] for r in rows] == [str(folder / "clips" / "a.wav"), str(folder / "b.flac")]
    assert [r[c.AUDIO_PATH] for r in rows] == ["clips/a.wav", "b.flac"]


def test_audio_path_carries_the_source_prefix(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "manifest.jsonl", [{"audio": "clips/a.wav"}])
    (row,) = read_rows(manifest, prefix="datasets/corpus")
    assert row[c.AUDIO_PATH] == "datasets/corpus/clips/a.wav"
    assert row[c.AUDIO_URI] == str(tmp_path / "clips" / "a.wav")
    assert row[c.CLIP_ID] == "src/clips/a.wav"  # the id does not depend on where the output puts the audio


def test_absolute_path_inside_the_folder_is_made_relative(write_manifest, tmp_path):
    row = one_row(write_manifest, tmp_path, {"audio": str(tmp_path / "src" / "x" / "a.wav")})
    assert row[c.KEEP]
    assert row[c.AUDIO_PATH] == "x/a.wav"
    assert row[c.CLIP_ID] == "src/x/a.wav"


def test_attributes_hold_every_non_manifest_key_and_fields_are_mapped(write_manifest, tmp_path):
    line = {
        "audio": "a.wav",
        "id": "a",
        "transcript": "  Hello there.  ",
        "labels": ["speech", "laughter"],
        "caption": "A woman laughs.",
        "domain": "sound",
        "gender": "F",
        "Emotion": "neu",
        "snr": 12.5,
        "speaker_id": 7,
        "blank": "",
        "nothing": None,
    }
    row = one_row(write_manifest, tmp_path, line, domain="speech")
    assert row[c.KEEP] is True
    assert json.loads(row[c.ATTRIBUTES]) == {"gender": "F", "Emotion": "neu", "snr": 12.5, "speaker_id": 7}
    assert row[c.TRANSCRIPT] == "Hello there."
    assert row[c.LABELS] == ["speech", "laughter"]
    assert row[c.CAPTION] == "A woman laughs."
    assert row[c.DOMAIN] == "sound"  # a line's domain overrides the source's
    assert row[c.INPUT_REF] == f"{tmp_path / 'src' / 'manifest.jsonl'}:1"
    assert row[c.DROP_REASON] is None and row[c.DROP_DETAIL] is None


def test_line_without_domain_gets_the_source_domain_and_empty_defaults(write_manifest, tmp_path):
    row = one_row(write_manifest, tmp_path, {"audio": "a.wav"}, domain="music")
    assert row[c.DOMAIN] == "music"
    assert row[c.LABELS] == []
    assert row[c.TRANSCRIPT] is None and row[c.CAPTION] is None
    assert json.loads(row[c.ATTRIBUTES]) == {}


def test_tables_have_the_clip_columns_and_filter_columns(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.jsonl", [{"audio": "a.wav"}])
    (table,) = read_tables(manifest)
    assert table.column_names[: len(CLIP_COLUMNS)] == list(CLIP_COLUMNS)
    assert set(table.column_names[len(CLIP_COLUMNS) :]) == {c.KEEP, c.DROP_REASON, c.DROP_DETAIL, c.DROP_STAGE}


def test_csv_fields_labels_segments_and_attributes(write_manifest, tmp_path):
    manifest = write_manifest(
        tmp_path / "extra.csv",
        [
            "audio,id,transcript,gender,start,end,labels",
            'clips/a.wav,utt1,"Hi, you.",F,1.5,3,dog bark; rain ;',
            "clips/b.wav,,,,,,music",
        ],
    )
    first, second = read_rows(manifest, name="csvsrc")
    assert first[c.KEEP] and second[c.KEEP]
    assert first[c.CLIP_ID] == "csvsrc/utt1"
    assert first[c.TRANSCRIPT] == "Hi, you."
    assert (first[c.START_S], first[c.END_S]) == (1.5, 3.0)
    assert first[c.LABELS] == ["dog bark", "rain"]
    assert json.loads(first[c.ATTRIBUTES]) == {"gender": "F"}
    assert first[c.INPUT_REF] == f"{manifest}:2"
    assert second[c.CLIP_ID] == "csvsrc/clips/b.wav"
    assert second[c.LABELS] == ["music"]
    assert second[c.TRANSCRIPT] is None
    assert json.loads(second[c.ATTRIBUTES]) == {}  # empty cells are not attributes
    assert second[c.AUDIO_URI] == str(tmp_path / "clips" / "b.wav")


def test_csv_with_more_cells_than_header_is_bad_csv(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.csv", ["audio,id", "a.wav,x", "b.wav,y,surplus", "c.wav,z"])
    rows = read_rows(manifest)
    assert [r[c.KEEP] for r in rows] == [True, False, True]
    assert rows[1][c.DROP_REASON] == "bad_csv"
    assert rows[1][c.DROP_DETAIL].startswith(f"{manifest}:3:")
    assert rows[1][c.INPUT_REF] == f"{manifest}:3"
    assert rows[2][c.CLIP_ID] == "src/z"


def test_csv_bad_number_is_invalid_entry_naming_the_key(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.csv", ["audio,start", "a.wav,soon"])
    (row,) = read_rows(manifest)
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "invalid_entry")
    assert "start" in row[c.DROP_DETAIL]


def test_csv_that_is_not_utf8_is_one_invalid_utf8_row(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.csv", [b"audio,id", b"caf\xe9.wav,x"])
    rows = read_rows(manifest)
    assert len(rows) == 1
    assert (rows[0][c.KEEP], rows[0][c.DROP_REASON]) == (False, "invalid_utf8")
    assert str(manifest) in rows[0][c.DROP_DETAIL]


def test_gzipped_jsonl_is_read(tmp_path):
    manifest = tmp_path / "m.jsonl.gz"
    manifest.write_bytes(gzip.compress(b'{"audio": "a.wav", "id": "one"}\n{"audio": "b.wav"}\n'))
    rows = read_rows(manifest)
    assert [r[c.CLIP_ID] for r in rows] == ["src/one", "src/b.wav"]
    assert rows[0][c.AUDIO_URI] == str(tmp_path / "a.wav")


def test_crlf_line_endings_are_accepted(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.jsonl", ['{"audio": "a.wav"}\r', '{"audio": "b.wav"}\r'])
    rows = read_rows(manifest)
    assert [r[c.CLIP_ID] for r in rows] == ["src/a.wav", "src/b.wav"]
    assert all(r[c.KEEP] for r in rows)


# ---- chunking and empty input ------------------------------------------------------------------------


def test_chunk_rows_splits_the_output(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.jsonl", [{"audio": f"{i}.wav"} for i in range(5)])
    tables = read_tables(manifest, chunk_rows=2)
    assert [t.num_rows for t in tables] == [2, 2, 1]
    assert [r[c.CLIP_ID] for t in tables for r in t.to_pylist()] == [f"src/{i}.wav" for i in range(5)]


def test_empty_manifest_gives_no_tables(tmp_path):
    manifest = tmp_path / "m.jsonl"
    manifest.write_bytes(b"")
    assert read_tables(manifest) == []
    csv_manifest = tmp_path / "m.csv"
    csv_manifest.write_text("audio,id\n")
    assert sum(t.num_rows for t in read_tables(csv_manifest)) == 0


def test_blank_lines_are_skipped_but_line_numbers_are_physical(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.jsonl", ["", {"audio": "a.wav"}, "   ", "\t", "{not json", ""])
    rows = read_rows(manifest)
    assert len(rows) == 2
    assert rows[0][c.INPUT_REF] == f"{manifest}:2"
    assert rows[1][c.INPUT_REF] == f"{manifest}:5"
    assert rows[1][c.DROP_REASON] == "bad_json"


# ---- bad lines ---------------------------------------------------------------------------------------


BAD_LINES = [
    ('{"audio": "a.wav"', "bad_json", None),
    ("[1, 2, 3]", "bad_json", None),
    ('"just a string"', "bad_json", None),
    ({"id": "no-audio"}, "invalid_entry", "audio"),
    ({"audio": ""}, "invalid_entry", "audio"),
    ({"audio": "a.wav", "labels": 5}, "invalid_entry", "labels"),
    ({"audio": "a.wav", "labels": "dog"}, "invalid_entry", "labels"),
    ({"audio": "a.wav", "transcript": 5}, "invalid_entry", "transcript"),
    ({"audio": 3}, "invalid_entry", "audio"),
    ({"audio": "a.wav", "start": 2.0, "end": 2.0}, "invalid_entry", None),
    ({"audio": "a.wav", "start": 3.0, "end": 1.0}, "invalid_entry", None),
    ({"audio": "a.wav", "start": -1}, "invalid_entry", "start"),
    ({"audio": "a.wav", "domain": "speach"}, "invalid_entry", "domain"),
    (b'{"audio": "caf\xe9.wav"}', "invalid_utf8", None),
]


@pytest.mark.parametrize("line,reason,mentions", BAD_LINES)
def test_bad_line_becomes_a_dropped_row(write_manifest, tmp_path, line, reason, mentions):
    manifest = write_manifest(tmp_path / "m.jsonl", [{"audio": "ok.wav"}, line, {"audio": "ok2.wav"}])
    rows = read_rows(manifest, name="src")
    assert len(rows) == 3
    good1, bad, good2 = rows
    assert good1[c.KEEP] and good2[c.KEEP]
    assert bad[c.KEEP] is False
    assert bad[c.DROP_REASON] == reason
    assert bad[c.DROP_STAGE] == "ingest"
    assert bad[c.DROP_DETAIL].startswith(f"{manifest}:2: ")
    assert bad[c.INPUT_REF] == f"{manifest}:2"
    assert bad[c.SOURCE] == "src"
    assert bad[c.CLIP_ID] is None
    if mentions:
        assert mentions in bad[c.DROP_DETAIL]


def test_end_before_start_detail_names_the_segment(write_manifest, tmp_path):
    row = one_row(write_manifest, tmp_path, {"audio": "a.wav", "start": 3.0, "end": 1.0})
    assert row[c.DROP_REASON] == "invalid_entry"
    assert "3.0" in row[c.DROP_DETAIL] and "1.0" in row[c.DROP_DETAIL]


# ---- paths outside the source folder -----------------------------------------------------------------


@pytest.mark.parametrize("audio", ["../../etc/passwd", "../sibling/a.wav", "sub/../../a.wav"])
def test_relative_path_leaving_the_folder_is_rejected(write_manifest, tmp_path, audio):
    row = one_row(write_manifest, tmp_path, {"audio": audio})
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_outside_root")
    assert row[c.DROP_DETAIL].startswith(f"{tmp_path / 'src' / 'manifest.jsonl'}:1: ")
    assert audio in row[c.DROP_DETAIL]
    assert row[c.CLIP_ID] is None


def test_absolute_path_outside_the_folder_is_rejected(write_manifest, tmp_path):
    outside = str(tmp_path / "elsewhere" / "a.wav")
    row = one_row(write_manifest, tmp_path, {"audio": outside})
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_outside_root")


def test_outside_paths_are_allowed_with_allow_outside_root(write_manifest, tmp_path):
    outside = str(tmp_path / "elsewhere" / "a.wav")
    manifest = write_manifest(tmp_path / "src" / "m.jsonl", [{"audio": "../../etc/passwd"}, {"audio": outside}])
    rows = read_rows(manifest, allow_outside_root=True)
    assert all(r[c.KEEP] for r in rows)
    assert rows[0][c.AUDIO_URI] == str((tmp_path / "src" / "../../etc/passwd").resolve())
    assert rows[1][c.AUDIO_URI] == outside


def test_file_name_starting_with_two_dots_is_inside_the_folder(write_manifest, tmp_path):
    row = one_row(write_manifest, tmp_path, {"audio": "..clip.wav"})
    assert row[c.KEEP] is True
    assert row[c.AUDIO_URI] == str(tmp_path / "src" / "..clip.wav")


def test_file_url_outside_the_folder_is_rejected(write_manifest, tmp_path):
    row = one_row(write_manifest, tmp_path, {"audio": "file:///etc/passwd"})
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_outside_root")


# ---- duplicates --------------------------------------------------------------------------------------


def test_duplicate_clip_ids_keep_the_first(write_manifest, tmp_path):
    manifest = write_manifest(
        tmp_path / "m.jsonl",
        [{"audio": "a.wav", "id": "x", "transcript": "first"}, {"audio": "b.wav", "id": "x", "transcript": "second"}],
    )
    first, second = read_rows(manifest)
    assert first[c.KEEP] and first[c.TRANSCRIPT] == "first"
    assert (second[c.KEEP], second[c.DROP_REASON], second[c.DROP_STAGE]) == (False, "duplicate_clip", "ingest")
    assert "src/x" in second[c.DROP_DETAIL]


def test_duplicate_detail_names_the_manifest_line(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.jsonl", [{"audio": "a.wav", "id": "x"}, {"audio": "b.wav", "id": "x"}])
    _, second = read_rows(manifest)
    assert second[c.DROP_REASON] == "duplicate_clip"
    assert second[c.DROP_DETAIL].startswith(f"{manifest}:2: ")


def test_duplicates_are_found_across_chunks(write_manifest, tmp_path):
    manifest = write_manifest(tmp_path / "m.jsonl", [{"audio": "a.wav"}, {"audio": "b.wav"}, {"audio": "a.wav"}])
    tables = read_tables(manifest, chunk_rows=1)
    assert len(tables) == 3
    assert [t[c.KEEP][0].as_py() for t in tables] == [True, True, False]
    assert tables[2][c.DROP_REASON][0].as_py() == "duplicate_clip"


def test_a_dropped_line_does_not_claim_its_id(write_manifest, tmp_path):
    manifest = write_manifest(
        tmp_path / "m.jsonl", [{"audio": "a.wav", "id": "x", "labels": 5}, {"audio": "a.wav", "id": "x"}]
    )
    first, second = read_rows(manifest)
    assert first[c.DROP_REASON] == "invalid_entry"
    assert second[c.KEEP] is True


# ---- the real demo manifests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,relative,data_lines",
    [("demo", "demo/manifest.jsonl", lambda text: [x for x in text.splitlines() if x.strip()]),
     ("demo-csv", "demo/extra.csv", lambda text: [x for x in text.splitlines()[1:] if x.strip()])],
)  # fmt: skip
def test_demo_manifests_ingest_cleanly(name, relative, data_lines):
    manifest = REPO / relative
    expected = data_lines(manifest.read_text(encoding="utf-8"))
    rows = read_rows(manifest, name=name, prefix="demo")
    assert len(rows) == len(expected) > 0
    assert all(r[c.KEEP] for r in rows), [r[c.DROP_DETAIL] for r in rows if not r[c.KEEP]]
    assert len({r[c.CLIP_ID] for r in rows}) == len(rows)
    assert all(Path(r[c.AUDIO_URI]).is_file() for r in rows)
    assert all(r[c.AUDIO_PATH].startswith("demo/audio/") for r in rows)
    if relative.endswith(".jsonl"):
        ids = [json.loads(x)["id"] for x in expected]
        assert [r[c.CLIP_ID] for r in rows] == [f"demo/{i}" for i in ids]
        assert {r[c.DOMAIN] for r in rows} == {"speech", "sound", "music"}
    else:
        assert [r[c.CLIP_ID] for r in rows] == [f"demo-csv/{x.split(',')[1]}" for x in expected]


def test_control_characters_in_text_become_spaces(write_manifest, tmp_path):
    row = one_row(
        write_manifest,
        tmp_path,
        {"audio": "a.wav", "transcript": "Hello\x00 there\x1b[31m\nfriend", "caption": "\x07beep", "labels": ["dog\x0bbark", "\x00"], "mood": "calm\r"},
    )
    assert row[c.KEEP]
    assert row[c.TRANSCRIPT] == "Hello there [31m friend"
    assert row[c.CAPTION] == "beep"
    assert row[c.LABELS] == ["dog bark"]
    assert json.loads(row[c.ATTRIBUTES]) == {"mood": "calm"}


def test_turns_are_validated_cleaned_and_fill_a_missing_transcript(write_manifest, tmp_path):
    manifest = write_manifest(
        tmp_path / "m.jsonl",
        [
            {"audio": "talk.wav", "start": 10, "end": 16, "turns": [
                {"start": 0, "end": 2.5, "transcript": "Hi\u0007 there.", "speaker": "A", "gender": "F"},
                {"start": 2.5, "end": 6, "transcript": "Hello!", "speaker": "B"}]},
            {"audio": "talk.wav", "start": 20, "end": 30, "turns": [{"start": 3, "end": 1}]},
        ],  # fmt: skip
    )
    good, bad = read_rows(manifest)
    assert json.loads(good[c.TURNS]) == [
        {"start": 0.0, "end": 2.5, "transcript": "Hi there.", "speaker": "A", "gender": "F"},
        {"start": 2.5, "end": 6.0, "transcript": "Hello!", "speaker": "B"},
    ]
    assert good[c.TRANSCRIPT] == "Hi there. Hello!"
    assert (bad[c.KEEP], bad[c.DROP_REASON]) == (False, "invalid_entry")
    assert "turns.0: Value error, turn end (1.0) must be after start (3.0)" in bad[c.DROP_DETAIL]


def test_a_clip_without_turns_has_an_empty_turn_list(write_manifest, tmp_path):
    row = one_row(write_manifest, tmp_path, {"audio": "a.wav"})
    assert row[c.TURNS] == "[]"
