"""Ingest: a generic manifest (JSONL or CSV, one clip per line) -> clip records.

This is the adapter every dataset adapter maps to. A bad line never stops the read: it becomes a
row with keep=False and the reason, so the pipeline can quarantine and count it.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

import fsspec
import pyarrow as pa
from pydantic import ValidationError

from schemas import columns as c
from schemas.records import MANIFEST_FIELDS, ManifestEntry
from schemas.tables import CLIP_COLUMNS, COLUMN_TYPES

STAGE = "ingest"
CSV_LIST_SEPARATOR = ";"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # `labels` in a CSV cell: "dog bark;rain"


@dataclass(frozen=True)
class ManifestSource:
    """What ingest needs to know about one source (a plain-data slice of the run config)."""

    name: str
    manifest: str  # local path or fsspec URL
    domain: str
    audio_prefix: str  # prefix of `audio_path` in the output: the source's folder under the data root
    allow_outside_root: bool = False


def is_url(path: str) -> bool:
    return "://" in path


def manifest_format(path: str) -> str:
    return "csv" if path.lower().removesuffix(".gz").endswith((".csv", ".tsv")) else "jsonl"


class IngestManifest:
    """Reads one source's manifest and yields Arrow tables of clip records, `chunk_rows` at a time."""

    name = STAGE
    outputs = {name: "" for name in CLIP_COLUMNS}

    def __init__(self, chunk_rows: int = 1024):
        self.chunk_rows = chunk_rows

    def read(self, source: ManifestSource) -> Iterator[pa.Table]:
        root = posixpath.dirname(source.manifest)
        rows: list[dict] = []
        first_line: dict[str, str] = {}  # one manifest's clip ids: bounded by the manifest, not the dataset
        for line_number, parsed in self._lines(source.manifest):
            row = self._record(source, root, line_number, parsed)
            if row[c.KEEP]:
                clip = row[c.CLIP_ID]
                if clip in first_line:
                    detail = f"{row[c.INPUT_REF]}: clip {clip} already appears at line {first_line[clip]}"
                    row.update(_drop("duplicate_clip", detail))
                else:
                    first_line[clip] = row[c.INPUT_REF].rsplit(":", 1)[1]
            rows.append(row)
            if len(rows) >= self.chunk_rows:
                yield _to_table(rows)
                rows = []
        if rows:
            yield _to_table(rows)

    def _lines(self, manifest: str) -> Iterator[tuple[int, dict | Exception]]:
        """(line number, parsed object or the error) for every non-blank line."""
        with fsspec.open(manifest, "rb", compression="infer") as handle:
            raw = handle.read()
        if manifest_format(manifest) == "csv":
            yield from _csv_lines(raw, delimiter="\t" if ".tsv" in manifest.lower() else ",")
            return
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield number, ValueError(f"invalid_utf8: {error}")
            except json.JSONDecodeError as error:
                yield number, ValueError(f"bad_json: {error}")

    def _record(self, source: ManifestSource, root: str, line_number: int, parsed: dict | Exception) -> dict:
        ref = f"{source.manifest}:{line_number}"
        base = {c.SOURCE: source.name, c.DOMAIN: source.domain, c.INPUT_REF: ref, c.LABELS: []}
        if isinstance(parsed, Exception):
            reason, _, detail = str(parsed).partition(": ")
            return {**base, **_drop(reason, f"{ref}: {detail}")}
        if not isinstance(parsed, dict):
            return {**base, **_drop("bad_json", f"{ref}: a line must be a JSON object, got {type(parsed).__name__}")}
        try:
            entry = ManifestEntry.model_validate(parsed)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in error.errors())
            return {**base, **_drop("invalid_entry", f"{ref}: {problems}")}
        audio_uri, audio_rel, problem = _resolve_audio(root, entry.audio, source.allow_outside_root)
        if problem:
            return {**base, c.AUDIO_PATH: entry.audio, **_drop("audio_outside_root", f"{ref}: {problem}")}
        segment = "" if entry.start is None and entry.end is None else f"@{entry.start or 0:.3f}-{_end_text(entry.end)}"
        return {
            **base,
            c.DOMAIN: entry.domain or source.domain,
            c.CLIP_ID: f"{source.name}/{entry.id or audio_rel + segment}",
            c.AUDIO_PATH: posixpath.join(source.audio_prefix, audio_rel) if source.audio_prefix else audio_rel,
            c.AUDIO_URI: audio_uri,
            c.START_S: entry.start,
            c.END_S: entry.end,
            c.TRANSCRIPT: clean_text(entry.transcript) or None,
            c.LABELS: [label for label in map(clean_text, entry.labels) if label],
            c.CAPTION: clean_text(entry.caption) or None,
            c.ATTRIBUTES: json.dumps(
                {k: clean_text(v) if isinstance(v, str) else v for k, v in entry.attributes().items()},
                ensure_ascii=False,
                sort_keys=True,
            ),
            c.KEEP: True,
        }


def clean_text(text: str | None) -> str:
    """Control characters (NUL, escape sequences, stray line breaks) become spaces; runs of space fold."""
    return " ".join(_CONTROL.sub(" ", text).split()) if text else ""


def _resolve_audio(root: str, audio: str, allow_outside_root: bool) -> tuple[str, str, str | None]:
    """(URI to open, path relative to the source root, problem). Sources read only below their root."""
    if audio.startswith("file://"):
        audio = audio.removeprefix("file://")  # a local file: the folder rule applies as to any path
    elif is_url(audio):
        return audio, audio.split("://", 1)[1], None
    joined = posixpath.normpath(posixpath.join(root, audio))
    if is_url(root):
        scheme, rest = root.split("://", 1)
        joined = f"{scheme}://{posixpath.normpath(posixpath.join(rest, audio))}"
    relative = posixpath.relpath(joined, root) if not is_url(root) else joined[len(root) + 1 :]
    inside = relative != ".." and not relative.startswith(("../", "/"))
    if not inside and not allow_outside_root:
        return joined, audio, f"audio path {audio!r} leaves the source folder {root!r}"
    return joined, relative if inside else audio, None


def _end_text(end: float | None) -> str:
    return "end" if end is None else f"{end:.3f}"


def _csv_lines(raw: bytes, delimiter: str) -> Iterator[tuple[int, dict | Exception]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield 1, ValueError(f"invalid_utf8: the CSV is not UTF-8 ({error})")
        return
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        parsed: dict = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
        if None in row:
            yield reader.line_num, ValueError(f"bad_csv: more cells than header columns ({row[None]!r})")
            continue
        if "labels" in parsed:
            parsed["labels"] = [t.strip() for t in parsed["labels"].split(CSV_LIST_SEPARATOR) if t.strip()]
        for key in ("start", "end"):
            if key in parsed:
                parsed[key] = _number_or_text(parsed[key])
        yield reader.line_num, parsed


def _number_or_text(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value  # validation reports it with the key's name


def _drop(reason: str, detail: str) -> dict:
    return {c.KEEP: False, c.DROP_REASON: reason, c.DROP_DETAIL: detail, c.DROP_STAGE: STAGE}


_TABLE_COLUMNS = CLIP_COLUMNS + (c.KEEP, c.DROP_REASON, c.DROP_DETAIL, c.DROP_STAGE)
_TABLE_SCHEMA = pa.schema([(name, COLUMN_TYPES[name]) for name in _TABLE_COLUMNS])


def _to_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=_TABLE_SCHEMA)


__all__ = ["IngestManifest", "ManifestSource", "MANIFEST_FIELDS"]
