"""Atomic writes through fsspec: a file is written under a hidden temporary name beside its target and
renamed when complete, so a reader (or a resumed run) never sees a partial file."""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from typing import IO

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq


def filesystem(path: str) -> tuple[fsspec.AbstractFileSystem, str]:
    fs, root = fsspec.core.url_to_fs(path)
    return fs, root


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


# Fault injection for the crash tests: seconds to hold a written Parquet file under its temporary name
# before the rename, so a test can kill the run while a shard is being written.
SLOW_COMMIT_ENV = "DESTA_FAULT_SLOW_COMMIT_S"


def _write_atomic(path: str, mode: str, write: Callable[[IO], None], pause: float = 0.0) -> None:
    with open_atomic(path, mode) as handle:
        write(handle)
        if pause:
            time.sleep(pause)


def write_parquet_atomic(table: pa.Table, path: str, compression: str = "zstd") -> None:
    codec = None if compression == "none" else compression
    pause = float(os.environ.get(SLOW_COMMIT_ENV, "0") or 0)
    _write_atomic(path, "wb", lambda handle: pq.write_table(table, handle, compression=codec), pause)


def write_text_atomic(text: str, path: str) -> None:
    _write_atomic(path, "w", lambda handle: handle.write(text))


def write_json_atomic(data: dict, path: str) -> None:
    write_text_atomic(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", path)


def arrow_filesystem(path: str):
    """The pyarrow filesystem for a path (None for local paths), for readers that take one."""
    import pyarrow.fs

    if is_local(path):
        return None
    return pyarrow.fs.PyFileSystem(pyarrow.fs.FSSpecHandler(filesystem(path)[0]))


@contextlib.contextmanager
def open_atomic(path: str, mode: str = "wb") -> Iterator[IO]:
    """A handle on a hidden temporary file beside `path` (any fsspec URL), renamed to `path` when the
    block ends; removed instead when the block raises, so `path` is either complete or untouched."""
    fs, target = filesystem(path)
    folder, name = os.path.split(target)
    fs.makedirs(folder, exist_ok=True)
    scratch = f"{folder}/.{name}.tmp-{uuid.uuid4().hex[:8]}"  # hidden: globs and dataset loaders skip it
    try:
        with fs.open(scratch, mode) as handle:
            yield handle
    except BaseException:
        if fs.exists(scratch):
            fs.rm(scratch)
        raise
    fs.mv(scratch, target)


def is_local(path: str) -> bool:
    fs, _ = filesystem(path)
    return "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
