"""`desta-data audit` over the released format (JSONL), Parquet folders and a run's output folder: the
same checks as the run, streamed, with kept/ and flagged/ written and counted per reason and dataset."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import labelled_checks as labelled
from pipeline.audit import AuditError, audit, format_table
from pipeline.config import FiltersConfig
from schemas import columns as c
from schemas.tables import CHECKED_SCHEMA, OUTPUT_SCHEMA

from cli_helpers import run_cli

RELEASE_KEYS = ("id", "dataset", "seed_description", "prompt", "response", "messages")


def release_lines(rows: list[dict]) -> list[str]:
    """The labelled rows as the released DeSTA-AQA5M writes them: six keys, no provenance columns."""
    table = labelled.as_table(rows)
    messages = table[c.MESSAGES].to_pylist()
    lines = []
    for row, message in zip(rows, messages):
        record = {"id": row["id"], "dataset": row["dataset"], "seed_description": row["seed_description"],
                  "prompt": row["prompt"], "response": row["response"], "messages": message}  # fmt: skip
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


@pytest.fixture(scope="module")
def labelled_rows():
    return labelled.load()


def read(folder) -> pa.Table | None:
    files = sorted(folder.glob("*.parquet"))
    return pa.concat_tables(pq.read_table(f) for f in files) if files else None


def test_audit_of_release_jsonl_flags_what_the_checks_flag_and_skips_bad_lines(tmp_path, labelled_rows):
    lines = release_lines(labelled_rows)
    lines.insert(5, "{not json")
    lines.insert(9, "[1, 2]")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "audio.0.jsonl").write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    (tmp_path / "in" / "speech.0.jsonl").write_text("\n".join(lines[200:]) + "\n", encoding="utf-8")

    summary = audit(str(tmp_path / "in"), str(tmp_path / "out"), FiltersConfig(), None, batch_rows=50, rows_per_file=100)

    # without finish_reason in the input, a row the set labels by its finish_reason alone may be kept: compare with
    # the checks run directly on the same columns
    stripped = [{**row, "finish_reason": None} for row in labelled_rows]
    expected = dict(zip((row["id"] for row in labelled_rows), labelled.predict(stripped, tokenizer=None)))
    kept, flagged = read(tmp_path / "out" / "kept"), read(tmp_path / "out" / "flagged")
    assert kept.column_names == list(RELEASE_KEYS)  # finish_reason absent in the input: not invented
    assert flagged.column_names == [*RELEASE_KEYS, "flag", "flag_detail"]
    assert sorted(kept["id"].to_pylist()) == sorted(i for i, p in expected.items() if p == "clean")
    assert dict(zip(flagged["id"].to_pylist(), flagged["flag"].to_pylist())) == {i: p for i, p in expected.items() if p != "clean"}
    assert all(flagged["flag_detail"].to_pylist())
    assert summary.rows == len(labelled_rows) and summary.kept == kept.num_rows and summary.skipped == 2
    assert len(list((tmp_path / "out" / "kept").glob("*.parquet"))) == -(-kept.num_rows // 100)  # files of 100 rows
    skipped = [json.loads(x) for x in (tmp_path / "out" / "skipped.jsonl").read_text().splitlines()]
    assert [(s["file"].rsplit("/", 1)[1], s["line"]) for s in skipped] == [("audio.0.jsonl", 6), ("audio.0.jsonl", 10)]
    assert "not an object" in skipped[1]["reason"]
    record = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert record["per_reason"] == summary.per_reason and "too_long_for_trainer" not in record["checks"]
    per_dataset = summary.per_dataset["GTZAN"]
    assert per_dataset["rows"] == sum(row["dataset"] == "GTZAN" for row in labelled_rows)


def test_the_cli_prints_a_table_per_dataset_and_reason(tmp_path, labelled_rows):
    source = tmp_path / "release.jsonl"
    source.write_text("\n".join(release_lines(labelled_rows[:60])) + "\n", encoding="utf-8")
    result = run_cli("audit", "--input", str(source), "--output", str(tmp_path / "out"), timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["dataset", "rows", "kept"] and "refusal" in lines[0]
    total = next(line for line in lines if line.startswith("total"))
    assert total.split()[1] == "60"
    assert "too_long_for_trainer: not run (no tokenizer" in result.stdout
    assert "desta-data: audited 60 rows" in lines[-1]


def test_a_run_folder_is_audited_from_its_rows_not_its_verdict(tmp_path):
    rows = [{name: None for name in OUTPUT_SCHEMA.names} | {
        "id": f"demo/c{i}#0", "dataset": "demo", "seed_description": "[00:00-00:02] Hi. (Gender: Female, Duration: 2s)",
        "prompt": "Who speaks?", "response": response, "finish_reason": "stop"} for i, response in
        enumerate(["She says hi.", "He says hi.", "As an AI language model, I cannot listen to audio."])]  # fmt: skip
    (tmp_path / "run" / "data").mkdir(parents=True)
    (tmp_path / "run" / "flagged").mkdir()
    pq.write_table(pa.Table.from_pylist(rows[:1], schema=OUTPUT_SCHEMA), tmp_path / "run" / "data" / "part-00000.parquet")
    verdict = [{**row, "flag": "leak", "flag_detail": "a stale verdict", "attempt": 3} for row in rows[1:]]
    pq.write_table(pa.Table.from_pylist(verdict, schema=CHECKED_SCHEMA), tmp_path / "run" / "flagged" / "part-00000.parquet")

    summary = audit(str(tmp_path / "run"), str(tmp_path / "out"), FiltersConfig(), None)
    flagged = read(tmp_path / "out" / "flagged")
    assert flagged.column_names == [*OUTPUT_SCHEMA.names, "flag", "flag_detail"]
    assert dict(zip(flagged["id"].to_pylist(), flagged["flag"].to_pylist())) == {"demo/c1#0": "contradiction", "demo/c2#0": "refusal"}
    assert read(tmp_path / "out" / "kept")["id"].to_pylist() == ["demo/c0#0"]
    assert summary.per_reason == {"refusal": 1, "contradiction": 1}
    table = format_table(summary)
    assert table[2].split() == ["demo", "3", "1", "1", "1"] and table[-1].split() == ["total", "3", "1", "1", "1"]


def test_bad_inputs_are_named(tmp_path):
    with pytest.raises(AuditError, match="not found"):
        audit(str(tmp_path / "absent"), str(tmp_path / "out"), FiltersConfig(), None)
    (tmp_path / "empty").mkdir()
    with pytest.raises(AuditError, match="no Parquet or JSONL files"):
        audit(str(tmp_path / "empty"), str(tmp_path / "out"), FiltersConfig(), None)
    (tmp_path / "typed.jsonl").write_text(json.dumps({"id": "x", "response": 7, "seed_description": "s"}) + "\n")
    with pytest.raises(AuditError, match=r"typed.jsonl \(lines up to 1\): a field has the wrong type"):
        audit(str(tmp_path / "typed.jsonl"), str(tmp_path / "out"), FiltersConfig(), None)
    result = run_cli("audit", "--input", str(tmp_path / "absent"), "--output", str(tmp_path / "out"), timeout=300)
    assert result.returncode == 2 and result.stderr.strip().startswith("desta-data: error: --input")
