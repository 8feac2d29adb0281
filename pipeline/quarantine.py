"""Quarantine: rows a stage marked keep=False leave the pipeline here, with their reason, and are counted.

Each batch's rejects go to `DIR/quarantine/<stage>-<digest>.parquet`, named by a digest of their
input references, so a rerun rewrites the same file instead of adding a duplicate.
"""

from __future__ import annotations

import collections
import hashlib

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.storage import filesystem, join, write_parquet_atomic
from schemas import columns as c
from schemas.tables import QUARANTINE_SCHEMA

FILTER_COLUMNS = (c.KEEP, c.DROP_REASON, c.DROP_DETAIL, c.DROP_STAGE)


def split_rejects(table: pa.Table, output_dir: str) -> pa.Table:
    """Write the rows marked keep=False to quarantine; return the kept rows without the filter columns."""
    if c.KEEP not in table.column_names:
        return table
    keep = pc.fill_null(table[c.KEEP], False)
    rejected = table.filter(pc.invert(keep))
    if rejected.num_rows:
        _write_rejects(rejected, output_dir)
    kept = table.filter(keep)
    return kept.drop_columns([name for name in FILTER_COLUMNS if name in kept.column_names])


def _write_rejects(rejected: pa.Table, output_dir: str) -> None:
    rows = rejected.num_rows
    refs = rejected[c.INPUT_REF].to_pylist() if c.INPUT_REF in rejected.column_names else [""] * rows
    ids = rejected[c.CLIP_ID].to_pylist() if c.CLIP_ID in rejected.column_names else [None] * rows
    # Generated rows share their clip's input reference: the row id tells them apart.
    if c.ID in rejected.column_names:
        ids = [row_id or clip for row_id, clip in zip(rejected[c.ID].to_pylist(), ids)]
    table = pa.table(
        {
            c.CLIP_ID: pa.array(ids, pa.string()),
            c.SOURCE: rejected[c.SOURCE],
            c.INPUT_REF: pa.array(refs, pa.string()),
            c.DROP_STAGE: rejected[c.DROP_STAGE],
            c.DROP_REASON: rejected[c.DROP_REASON],
            c.DROP_DETAIL: rejected[c.DROP_DETAIL],
        },
        schema=QUARANTINE_SCHEMA,
    )
    stage = table[c.DROP_STAGE][0].as_py() or "unknown"
    digest = hashlib.blake2b("\n".join(f"{r}|{i}" for r, i in zip(refs, ids)).encode(), digest_size=8).hexdigest()
    write_parquet_atomic(table, join(output_dir, "quarantine", f"{stage}-{digest}.parquet"))


def read_quarantine(output_dir: str) -> pa.Table:
    fs, root = filesystem(join(output_dir, "quarantine"))
    files = sorted(f for f in fs.glob(f"{root}/*.parquet")) if fs.exists(root) else []
    tables = [pq.read_table(f, filesystem=fs) for f in files]
    if not tables:
        return QUARANTINE_SCHEMA.empty_table()
    # A resumed run may reject the same input again (in another batch, so another file): count it once.
    table = pa.concat_tables(tables)
    keys = [c.INPUT_REF, c.CLIP_ID, c.SOURCE, c.DROP_STAGE, c.DROP_REASON]
    return table.group_by(keys, use_threads=False).aggregate([(c.DROP_DETAIL, "first")]).rename_columns(
        keys + [c.DROP_DETAIL]
    ).select(list(QUARANTINE_SCHEMA.names)).sort_by([(c.INPUT_REF, "ascending"), (c.CLIP_ID, "ascending")])


def count_reasons(quarantine: pa.Table) -> dict[str, int]:
    return dict(sorted(collections.Counter(quarantine[c.DROP_REASON].to_pylist()).items()))


