"""Reading a built output folder (local path or fsspec URL) for shard, export and the dataset card.

A built folder holds `data/*.parquet` (run parts `part-NNNNN.parquet`, or Hub-named shards
`train-00000-of-00012.parquet`), `manifest.json` and `config.json`.
"""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.storage import filesystem, join
from schemas import columns as c

HUB_SHARD = re.compile(r"^(?P<split>train|validation|test)-(?P<index>\d{5})-of-(?P<total>\d{5})\.parquet$")
REQUIRED = (c.ID, c.SOURCE, c.CLIP_ID, c.DOMAIN, c.DURATION_S, c.MESSAGES, c.RESPONSE)


class OutputError(Exception):
    """A built output that cannot be used as it is; the message names the file and the problem."""


def data_files(output_dir: str) -> list[str]:
    """URLs of `DIR/data/*.parquet`, sorted by name (hidden temporary files excluded)."""
    fs, root = filesystem(join(output_dir, "data"))
    names = sorted(path.rsplit("/", 1)[-1] for path in fs.glob(f"{root}/*.parquet"))
    names = [name for name in names if not name.startswith(".")]
    if not names:
        raise OutputError(f"{join(output_dir, 'data')}: no Parquet files (is {output_dir} a built output? run `desta-data run` first)")
    return [join(output_dir, "data", name) for name in names]


def split_files(output_dir: str) -> dict[str, list[str]]:
    """{split: file URLs}: Hub-named shards by their split; run parts (`part-*`) are all `train`."""
    files = data_files(output_dir)
    hub = {url: HUB_SHARD.match(url.rsplit("/", 1)[-1]) for url in files}
    if all(hub.values()):
        splits: dict[str, list[str]] = {}
        for url, match in hub.items():
            splits.setdefault(match["split"], []).append(url)
        return dict(sorted(splits.items(), key=lambda item: ("train", "validation", "test").index(item[0])))
    if any(hub.values()):
        other = next(url for url, match in hub.items() if not match)
        raise OutputError(f"{other}: Hub-named shards and other Parquet files are mixed in {join(output_dir, 'data')}")
    return {"train": files}


def read_json(url: str, required: bool = True) -> dict:
    fs, path = filesystem(url)
    if not fs.exists(path):
        if required:
            raise OutputError(f"{url} not found (is it a built output folder?)")
        return {}
    try:
        return json.loads(fs.cat_file(path))
    except ValueError as error:
        raise OutputError(f"{url}: not valid JSON ({error})") from None


def read_manifest(output_dir: str) -> dict:
    manifest = read_json(join(output_dir, "manifest.json"))
    if manifest.get("complete") is False:
        raise OutputError(f"{join(output_dir, 'manifest.json')}: the run is not complete; finish it with `desta-data run` first")
    return manifest


def read_schema(urls: list[str]) -> pa.Schema:
    """The schema all files share (metadata dropped); OutputError naming the first file that differs."""
    schema = None
    for url in urls:
        fs, path = filesystem(url)
        with fs.open(path, "rb") as handle:
            found = pq.read_schema(handle).remove_metadata()
        if schema is None:
            schema, first = found, url
            missing = [name for name in REQUIRED if name not in found.names]
            if missing:
                raise OutputError(f"{url}: missing column(s) {', '.join(missing)}; not a desta-data output")
        elif not found.equals(schema):
            raise OutputError(f"{url}: schema differs from {first} ({_schema_difference(schema, found)})")
    return schema


def _schema_difference(expected: pa.Schema, found: pa.Schema) -> str:
    missing = [n for n in expected.names if n not in found.names]
    extra = [n for n in found.names if n not in expected.names]
    typed = [n for n in expected.names if n in found.names and expected.field(n).type != found.field(n).type]
    parts = [f"missing: {', '.join(missing)}" if missing else "", f"extra: {', '.join(extra)}" if extra else "",
             f"other type: {', '.join(typed)}" if typed else ""]  # fmt: skip
    return "; ".join(p for p in parts if p) or "column order"


def read_columns(urls: list[str], columns: list[str], schema: pa.Schema) -> pa.Table:
    """The given columns of every file, concatenated in file order."""
    tables = []
    for url in urls:
        fs, path = filesystem(url)
        with fs.open(path, "rb") as handle:
            tables.append(pq.read_table(handle, columns=columns).cast(pa.schema([schema.field(n) for n in columns])))
    return pa.concat_tables(tables)


def check_unique_ids(index: pa.Table, urls: list[str]) -> None:
    counts = pc.value_counts(index[c.ID]).flatten() if index.num_rows else None
    if counts is not None:
        repeated = pc.filter(counts[0], pc.greater(counts[1], 1))
        if len(repeated):
            raise OutputError(f"row id {repeated[0].as_py()!r} appears more than once in {urls[0].rsplit('/', 2)[0]}/data")
