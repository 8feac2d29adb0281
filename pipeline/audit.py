"""`desta-data audit`: the response checks of a run, over data that already exists, streamed.

Inputs: a run's output folder or a sharded folder (`data/*.parquet`, and a run's `flagged/` too), a folder
of Parquet or JSONL files, or one file; the released DeSTA-AQA5M JSONL (`id, dataset, seed_description,
prompt, response, messages`) included. Columns a check reads only when present (`finish_reason`) are
null when absent, and each check says what it can from the rest. Rows are read `batch_rows` at a time and
written as they go (`DIR/kept/`, `DIR/flagged/` with `flag`, `flag_detail`), so memory stays bounded
whatever the input's size. Lines that are not JSON objects are skipped, counted and listed in
`DIR/skipped.jsonl` with their file and line.
"""

from __future__ import annotations

import collections
import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.checks import REASONS, build_checks, run_checks
from pipeline.config import FiltersConfig
from pipeline.storage import filesystem, join, open_atomic, write_json_atomic
from schemas import columns as c
from schemas.tables import COLUMN_TYPES, schema_of

RELEASE_COLUMNS = (c.ID, c.SOURCE, c.SEED_DESCRIPTION, c.PROMPT, c.RESPONSE, c.MESSAGES)
OPTIONAL_JSON = (c.FINISH_REASON,)  # read from JSONL when a line has it
VERDICT = (c.FLAG, c.FLAG_DETAIL, c.ATTEMPT)  # a run's own verdict: audit forms its own
JSON_SUFFIXES = (".jsonl", ".json", ".jsonl.gz", ".json.gz", ".jsonl.zst")


class AuditError(Exception):
    """An input that cannot be audited; the message names the path and the problem."""


@dataclass
class AuditSummary:
    output_dir: str
    rows: int = 0
    kept: int = 0
    per_reason: dict[str, int] = field(default_factory=dict)
    per_dataset: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: int = 0
    checks: list[str] = field(default_factory=list)
    seconds: float = 0.0


def input_files(path: str) -> list[str]:
    """The files to audit, in a fixed order; AuditError when there are none."""
    fs, root = filesystem(path)
    if not fs.exists(root):
        raise AuditError(f"--input {path} not found")
    if fs.isfile(root):
        return [path]
    base = path.rstrip("/")
    if fs.exists(f"{root}/data"):  # a run's output (data/ + flagged/) or a sharded folder
        folders = ["data"] + (["flagged"] if fs.exists(f"{root}/flagged") else [])
        files = [f"{base}/{folder}/{p.rsplit('/', 1)[-1]}" for folder in folders for p in sorted(fs.glob(f"{root}/{folder}/*.parquet"))]
    else:
        names = sorted(p.rsplit("/", 1)[-1] for p in fs.ls(root, detail=False))
        parquet = [n for n in names if n.endswith(".parquet")]
        files = [f"{base}/{n}" for n in (parquet or [n for n in names if n.endswith(JSON_SUFFIXES)])]
    files = [f for f in files if not f.rsplit("/", 1)[-1].startswith(".")]
    if not files:
        raise AuditError(f"--input {path}: no Parquet or JSONL files (expected a run's output folder, a folder of shards, or a file)")
    return files


def parquet_batches(url: str, batch_rows: int) -> Iterator[pa.Table]:
    fs, path = filesystem(url)
    with fs.open(path, "rb") as handle:
        reader = pq.ParquetFile(handle)
        columns = [name for name in reader.schema_arrow.names if name not in VERDICT]
        for batch in reader.iter_batches(batch_size=batch_rows, columns=columns):
            yield pa.Table.from_batches([batch])


def json_batches(url: str, batch_rows: int, skipped: list[dict]) -> Iterator[pa.Table]:
    fs, path = filesystem(url)
    names = list(RELEASE_COLUMNS) + list(OPTIONAL_JSON)
    schema = schema_of(names)
    with fs.open(path, "rb", compression="infer") as handle:
        rows, number = [], 0
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError(f"a JSON {type(record).__name__}, not an object")
                rows.append({name: record.get(name) for name in names})
            except ValueError as error:
                skipped.append({"file": url, "line": number, "reason": str(error)[:200]})
                continue
            if len(rows) >= batch_rows:
                yield _typed(rows, schema, url, number)
                rows = []
        if rows:
            yield _typed(rows, schema, url, number)


def _typed(rows: list[dict], schema: pa.Schema, url: str, line: int) -> pa.Table:
    try:
        table = pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise AuditError(f"{url} (lines up to {line}): a field has the wrong type for the DeSTA format ({error})") from None
    return table if any(v is not None for v in table[c.FINISH_REASON].to_pylist()) else table.drop_columns([c.FINISH_REASON])


def batches(url: str, batch_rows: int, skipped: list[dict]) -> Iterator[pa.Table]:
    if url.endswith(".parquet"):
        return parquet_batches(url, batch_rows)
    return json_batches(url, batch_rows, skipped)


class RotatingWriter:
    """Parquet files of `rows_per_file` rows, `part-NNNNN.parquet`, each written under a temporary name."""

    def __init__(self, folder: str, rows_per_file: int, compression: str = "zstd"):
        self.folder, self.rows_per_file, self.compression = folder, rows_per_file, compression
        self.index, self.rows, self.schema = 0, 0, None
        self.stack: contextlib.ExitStack | None = None
        self.writer = None

    def add(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        if self.schema is None:
            self.schema = table.schema
        table = table.select(self.schema.names).cast(self.schema)
        while table.num_rows:
            if self.writer is None:
                self.stack = contextlib.ExitStack()
                handle = self.stack.enter_context(open_atomic(join(self.folder, f"part-{self.index:05d}.parquet")))
                self.writer = pq.ParquetWriter(handle, self.schema, compression=self.compression)
            room = self.rows_per_file - self.rows
            self.writer.write_table(table.slice(0, room))
            self.rows += min(room, table.num_rows)
            table = table.slice(room)
            if self.rows >= self.rows_per_file:
                self.close()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.stack.close()
            self.writer, self.stack, self.rows = None, None, 0
            self.index += 1


def complete(table: pa.Table) -> pa.Table:
    """Add the columns checks read that this input lacks (null), so every check runs on every input."""
    needed = {c.SEED_DESCRIPTION, c.RESPONSE, c.MESSAGES, c.SOURCE}
    for name in sorted(needed - set(table.column_names)):
        table = table.append_column(pa.field(name, COLUMN_TYPES[name]), pa.nulls(table.num_rows, COLUMN_TYPES[name]))
    return table


def audit(input_path: str, output_dir: str, filters: FiltersConfig, tokenizer: str | None, batch_rows: int = 2048,
          rows_per_file: int = 100_000) -> AuditSummary:  # fmt: skip
    started = time.monotonic()
    files = input_files(input_path)
    fs, root = filesystem(output_dir)
    if filesystem(input_path)[1].rstrip("/") == root.rstrip("/"):
        raise AuditError(f"--output {output_dir} is the input; choose another folder")
    for name in ("kept", "flagged", "skipped.jsonl", "audit.json"):
        if fs.exists(f"{root}/{name}"):
            fs.rm(f"{root}/{name}", recursive=True)
    checks = build_checks(filters, tokenizer)
    summary = AuditSummary(output_dir, checks=[check.name for check in checks])
    kept, flagged = RotatingWriter(join(output_dir, "kept"), rows_per_file), RotatingWriter(join(output_dir, "flagged"), rows_per_file)
    per_dataset: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    skipped: list[dict] = []
    columns: list[str] | None = None
    try:
        for url in files:
            for table in batches(url, batch_rows, skipped):
                if columns is None:
                    columns = table.column_names
                missing = [name for name in columns if name not in table.column_names]
                if missing:
                    raise AuditError(f"{url}: lacks column(s) {', '.join(missing)} that {files[0]} has")
                table = run_checks(complete(table.select(columns)), checks)
                bad = pc.is_valid(table[c.FLAG])
                kept.add(table.filter(pc.invert(bad)).select(columns))
                flagged.add(table.filter(bad).select(columns + [c.FLAG, c.FLAG_DETAIL]))
                for source, flag in zip(table[c.SOURCE].to_pylist(), table[c.FLAG].to_pylist()):
                    per_dataset[source or "(none)"].update(("rows", flag or "kept"))
    finally:
        kept.close()
        flagged.close()
    totals = sum(per_dataset.values(), collections.Counter())
    summary.rows, summary.kept, summary.skipped = totals["rows"], totals["kept"], len(skipped)
    summary.per_reason = {reason: totals[reason] for reason in REASONS if totals[reason]}
    summary.per_dataset = {name: dict(counts) for name, counts in sorted(per_dataset.items())}
    summary.seconds = time.monotonic() - started
    if skipped:
        with open_atomic(join(output_dir, "skipped.jsonl"), "w") as handle:
            handle.write("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in skipped))
    record = {k: v for k, v in vars(summary).items() if k != "output_dir"}
    write_json_atomic({"input": input_path, "files": len(files), **record}, join(output_dir, "audit.json"))
    return summary


def format_table(summary: AuditSummary) -> list[str]:
    """A per-dataset table: rows, kept, and flagged rows per reason (reasons that flagged nothing omitted)."""
    reasons = [r for r in REASONS if summary.per_reason.get(r)]
    width = max([len("dataset"), len("total")] + [len(name) for name in summary.per_dataset])
    head = f"{'dataset':<{width}}  {'rows':>9}  {'kept':>9}" + "".join(f"  {r:>{max(len(r), 6)}}" for r in reasons)
    lines = [head, "-" * len(head)]
    rows = list(summary.per_dataset.items()) + [("total", {"rows": summary.rows, "kept": summary.kept, **summary.per_reason})]
    for name, counts in rows:
        cells = "".join(f"  {counts.get(r, 0):>{max(len(r), 6)}}" for r in reasons)
        lines.append(f"{name:<{width}}  {counts.get('rows', 0):>9}  {counts.get('kept', 0):>9}{cells}")
    return lines
