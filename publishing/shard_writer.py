"""Streaming Parquet writer for one split: rows in, shard files of a target size out.

Row groups hold exactly `row_group_rows` rows (the last of a shard may be shorter); a shard closes
when it reaches `max_rows`, or, cutting by bytes, after the row group that brings its compressed size
to `max_bytes`. Every row group is written from one contiguous Arrow table, so the bytes depend only on
the rows and the settings, never on how the input was batched: the same rows give the same files.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import ShardConfig
from pipeline.storage import filesystem, join


@dataclass(frozen=True)
class WrittenShard:
    path: str  # fs path of the hidden partial file
    rows: int
    bytes: int


def partial_name(split: str, index: int) -> str:
    return f".{split}-{index:05d}.parquet.partial"  # hidden: loaders and globs skip it


def writer_options(settings: ShardConfig) -> dict:
    codec = None if settings.compression == "none" else settings.compression
    options = {"compression": codec, "write_page_index": True, "use_content_defined_chunking": settings.content_defined_chunking}
    if settings.compression_level is not None:
        options["compression_level"] = settings.compression_level
    return options


class SplitWriter:
    def __init__(self, folder_url: str, split: str, schema: pa.Schema, settings: ShardConfig):
        self.fs, self.folder = filesystem(folder_url)
        self.folder_url, self.split, self.schema, self.settings = folder_url, split, schema, settings
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.shards: list[WrittenShard] = []
        self._handle = self._writer = None
        self._shard_rows = 0

    def add(self, table: pa.Table) -> None:
        if table.num_rows:
            self.pending.append(table)
            self.pending_rows += table.num_rows
        while self.pending_rows >= self._group_rows():
            self._write_group(self._group_rows())

    def finish(self) -> list[WrittenShard]:
        while self.pending_rows:
            self._write_group(min(self.pending_rows, self._group_rows()))
        self._close_shard()
        return self.shards

    def _group_rows(self) -> int:
        limit = self.settings.row_group_rows
        if self.settings.max_rows is not None:
            limit = min(limit, self.settings.max_rows - self._shard_rows)
        return limit

    def _write_group(self, rows: int) -> None:
        pending = pa.concat_tables(self.pending)
        group = pending.slice(0, rows).combine_chunks()
        rest = pending.slice(rows)
        self.pending, self.pending_rows = ([rest] if rest.num_rows else []), rest.num_rows
        if self._writer is None:
            self._open_shard()
        self._writer.write_table(group, row_group_size=rows)
        self._shard_rows += rows
        if self.settings.max_rows is not None:
            full = self._shard_rows >= self.settings.max_rows
        else:
            full = self._handle.tell() >= self.settings.max_bytes
        if full:
            self._close_shard()

    def _open_shard(self) -> None:
        path = join(self.folder, partial_name(self.split, len(self.shards)))
        self.fs.makedirs(self.folder, exist_ok=True)
        self._handle = self.fs.open(path, "wb")
        self._writer = pq.ParquetWriter(self._handle, self.schema, **writer_options(self.settings))
        self._path = path

    def _close_shard(self) -> None:
        if self._writer is None:
            return
        self._writer.close()
        self._handle.close()
        self.shards.append(WrittenShard(self._path, self._shard_rows, self.fs.size(self._path)))
        self._handle = self._writer = None
        self._shard_rows = 0

    def abort(self) -> None:
        """Close an open shard after a failure, without committing it (the next run clears it)."""
        for closable in (self._writer, self._handle):
            try:
                if closable is not None:
                    closable.close()
            except Exception:
                pass
        self._handle = self._writer = None
