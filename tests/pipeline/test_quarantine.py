"""Quarantine: rejected rows go to DIR/quarantine/*.parquet with their reasons, once per batch."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.quarantine import FILTER_COLUMNS, count_reasons, read_quarantine, split_rejects
from schemas import columns as c
from schemas.tables import QUARANTINE_COLUMNS, QUARANTINE_SCHEMA
from stages.ingest_manifest import IngestManifest, SourceSpec


def ingest(write_manifest, tmp_path, lines) -> pa.Table:
    manifest = write_manifest(tmp_path / "src" / "manifest.jsonl", lines)
    (table,) = IngestManifest().read(SourceSpec.for_manifest("src", str(manifest), "speech", ""))
    return table


LINES = [
    {"audio": "a.wav", "id": "a"},
    "{broken",
    {"audio": "b.wav", "id": "b"},
    {"audio": "../../etc/passwd"},
    {"audio": "c.wav", "id": "a"},
    {"id": "no-audio"},
]


def test_split_rejects_writes_rejects_and_returns_clean_kept_rows(write_manifest, tmp_path):
    table = ingest(write_manifest, tmp_path, LINES)
    out = tmp_path / "out"
    kept = split_rejects(table, str(out))
    assert kept[c.CLIP_ID].to_pylist() == ["src/a", "src/b"]
    assert not set(FILTER_COLUMNS) & set(kept.column_names)
    assert kept.column_names == [n for n in table.column_names if n not in FILTER_COLUMNS]

    files = sorted((out / "quarantine").glob("*.parquet"))
    assert len(files) == 1
    assert files[0].name.startswith("ingest-")
    written = pq.read_table(files[0])
    assert written.schema.names == list(QUARANTINE_COLUMNS)
    rows = written.to_pylist()
    manifest = tmp_path / "src" / "manifest.jsonl"
    assert [r[c.INPUT_REF] for r in rows] == [f"{manifest}:{n}" for n in (2, 4, 5, 6)]
    assert [r[c.DROP_REASON] for r in rows] == ["bad_json", "audio_outside_root", "duplicate_clip", "invalid_entry"]
    assert {r[c.DROP_STAGE] for r in rows} == {"ingest"}
    assert {r[c.SOURCE] for r in rows} == {"src"}
    assert rows[2][c.CLIP_ID] == "src/a"
    assert all(r[c.DROP_DETAIL] for r in rows)
    assert "src/a" in rows[2][c.DROP_DETAIL]


def test_no_rejects_write_nothing(write_manifest, tmp_path):
    table = ingest(write_manifest, tmp_path, [{"audio": "a.wav"}, {"audio": "b.wav"}])
    kept = split_rejects(table, str(tmp_path / "out"))
    assert kept.num_rows == 2
    assert not (tmp_path / "out" / "quarantine").exists()
    empty = read_quarantine(str(tmp_path / "out"))
    assert empty.num_rows == 0 and empty.schema.equals(QUARANTINE_SCHEMA)
    assert count_reasons(empty) == {}


def test_table_without_keep_column_passes_through(tmp_path):
    table = pa.table({c.CLIP_ID: ["s/a"], c.SOURCE: ["s"]})
    assert split_rejects(table, str(tmp_path)) is table
    assert not (tmp_path / "quarantine").exists()


def test_same_batch_twice_makes_one_file(write_manifest, tmp_path):
    table = ingest(write_manifest, tmp_path, LINES)
    out = str(tmp_path / "out")
    first = split_rejects(table, out)
    second = split_rejects(table, out)
    assert first.equals(second)
    files = list((tmp_path / "out" / "quarantine").iterdir())
    assert len(files) == 1  # no second file, no leftover temporary file
    assert read_quarantine(out).num_rows == 4


def test_different_batches_make_different_files(write_manifest, tmp_path):
    out = str(tmp_path / "out")
    split_rejects(ingest(write_manifest, tmp_path / "one", ["{broken", {"audio": "a.wav"}]), out)
    split_rejects(ingest(write_manifest, tmp_path / "two", [{"id": "x"}]), out)
    assert len(list((tmp_path / "out" / "quarantine").glob("*.parquet"))) == 2
    assert count_reasons(read_quarantine(out)) == {"bad_json": 1, "invalid_entry": 1}


def test_generated_rows_are_told_apart_by_row_id(tmp_path):
    table = pa.table(
        {
            c.ID: ["s/a#0", "s/a#1", "s/b#0"],
            c.CLIP_ID: ["s/a", "s/a", "s/b"],
            c.SOURCE: ["s", "s", "s"],
            c.INPUT_REF: ["m.jsonl:1", "m.jsonl:1", "m.jsonl:2"],
            c.KEEP: [False, False, True],
            c.DROP_REASON: ["empty_response", "engine_error", None],
            c.DROP_DETAIL: ["the model returned no text", "boom", None],
            c.DROP_STAGE: ["generate", "generate", None],
        }
    )
    kept = split_rejects(table, str(tmp_path))
    assert kept[c.ID].to_pylist() == ["s/b#0"]
    (file,) = (tmp_path / "quarantine").glob("generate-*.parquet")
    rows = pq.read_table(file).to_pylist()
    assert [r[c.CLIP_ID] for r in rows] == ["s/a#0", "s/a#1"]
    assert count_reasons(read_quarantine(str(tmp_path))) == {"empty_response": 1, "engine_error": 1}


def test_null_keep_counts_as_rejected(tmp_path):
    table = pa.table(
        {
            c.CLIP_ID: ["s/a", "s/b"],
            c.SOURCE: ["s", "s"],
            c.INPUT_REF: ["m:1", "m:2"],
            c.KEEP: pa.array([None, True], pa.bool_()),
            c.DROP_REASON: ["unknown", None],
            c.DROP_DETAIL: ["?", None],
            c.DROP_STAGE: ["probe", None],
        }
    )
    kept = split_rejects(table, str(tmp_path))
    assert kept[c.CLIP_ID].to_pylist() == ["s/b"]
    assert read_quarantine(str(tmp_path))[c.CLIP_ID].to_pylist() == ["s/a"]


def test_count_reasons_counts_per_reason_sorted(write_manifest, tmp_path):
    out = str(tmp_path / "out")
    lines = ["{bad", "[1]", {"id": "x"}, {"audio": "../x.wav"}, {"audio": "a.wav"}, {"audio": "a.wav"}, "nope"]
    split_rejects(ingest(write_manifest, tmp_path, lines), out)
    counts = count_reasons(read_quarantine(out))
    assert counts == {"audio_outside_root": 1, "bad_json": 3, "duplicate_clip": 1, "invalid_entry": 1}
    assert list(counts) == sorted(counts)
