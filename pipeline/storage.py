"""Atomic writes through fsspec: a file is written under a temporary name and renamed when complete,
so a reader (or a resumed run) never sees a partial file."""

from __future__ import annotations

import json
import os
import uuid

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq


def filesystem(path: str) -> tuple[fsspec.AbstractFileSystem, str]:
    fs, root = fsspec.core.url_to_fs(path)
    return fs, root


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def write_parquet_atomic(table: pa.Table, path: str, compression: str = "zstd") -> None:
    fs, target = filesystem(path)
    fs.makedirs(os.path.dirname(target), exist_ok=True)
    scratch = f"{target}.tmp-{uuid.uuid4().hex[:8]}"
    with fs.open(scratch, "wb") as handle:
        pq.write_table(table, handle, compression=None if compression == "none" else compression)
    fs.mv(scratch, target)


def write_json_atomic(data: dict, path: str) -> None:
    fs, target = filesystem(path)
    fs.makedirs(os.path.dirname(target), exist_ok=True)
    scratch = f"{target}.tmp-{uuid.uuid4().hex[:8]}"
    with fs.open(scratch, "w") as handle:
        json.dump(data, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
    fs.mv(scratch, target)
