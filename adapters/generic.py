"""The generic manifest: a JSONL or CSV file, one clip per line, in the fields of `ManifestEntry`.

Every other adapter yields what a line of this manifest holds, so this is also the format to convert a
dataset to when no adapter exists yet. CSV cells hold `labels` as `dog bark;rain`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

import fsspec
from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, EntryError

CSV_LIST_SEPARATOR = ";"


def manifest_format(path: str) -> str:
    return "csv" if path.lower().removesuffix(".gz").endswith((".csv", ".tsv")) else "jsonl"


class ManifestOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    manifest: str = Field(description="The manifest file: a path or fsspec URL; audio paths are relative to its folder.")


class GenericManifest(Adapter):
    name = "generic"
    dataset = "(any)"
    domain = "speech"
    yields = ("audio", "id", "transcript", "start/end", "labels", "caption", "turns", "any attribute")
    layout = "a JSONL/CSV/TSV manifest (optionally .gz), one clip per line; set `manifest:` instead of `root:`"
    Options = ManifestOptions

    def entries(self) -> Iterator[Entry]:
        manifest = self.options.manifest
        with fsspec.open(manifest, "rb", compression="infer") as handle:
            if manifest_format(manifest) == "csv":
                lines = _csv_lines(handle.read(), delimiter="\t" if ".tsv" in manifest.lower() else ",")
            else:
                lines = _jsonl_lines(handle)  # line by line: a manifest of millions of lines is never held whole
            for number, parsed in lines:
                ref = f"{manifest}:{number}"
                yield ref, EntryError(parsed.reason, f"{ref}: {parsed.detail}") if isinstance(parsed, EntryError) else parsed


def _jsonl_lines(lines: Iterable[bytes]) -> Iterator[tuple[int, dict | EntryError]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            parsed = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield number, EntryError("invalid_utf8", str(error))
            continue
        except json.JSONDecodeError as error:
            yield number, EntryError("bad_json", str(error))
            continue
        if not isinstance(parsed, dict):
            yield number, EntryError("bad_json", f"a line must be a JSON object, got {type(parsed).__name__}")
            continue
        yield number, parsed


def _csv_lines(raw: bytes, delimiter: str) -> Iterator[tuple[int, dict | EntryError]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield 1, EntryError("invalid_utf8", f"the CSV is not UTF-8 ({error})")
        return
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        parsed: dict = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
        if None in row:
            yield reader.line_num, EntryError("bad_csv", f"more cells than header columns ({row[None]!r})")
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
