"""Exactly-once bookkeeping: committed parts, a per-unit index of their row ids, and the skip filter.

A unit of work is one manifest chunk (`<source>/<chunk>`). Generated rows are committed in parts:
`parts/<digest>.parquet`, written under a temporary name and renamed, so a part is either complete or
absent. Before a part is renamed into place, the ids it holds are listed per unit in
`progress/<unit>/<digest>.ids`; an index file counts only while its part exists. A crash between the
two leaves an index without a part (ignored), never a part without an index (which would be redone and
duplicated). On resume, each unit's committed ids are read when that unit comes by, so memory holds
one unit's ids at a time, never the whole dataset's.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import json

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import ConfigError, RunConfig, changed_keys
from pipeline.storage import filesystem, join, write_json_atomic, write_parquet_atomic, write_text_atomic
from schemas import columns as c
from schemas.tables import CHECKED_COLUMNS, CHECKED_SCHEMA

PARTS, PROGRESS, RETRIES, FLAGGED = "parts", "progress", "retries", "flagged"
PLAN = "plan"  # rows each source will give, recorded by ingest (pipeline/run_status.py)
RUN_STATE = "run.json"  # the fingerprint and decisive config of the run this folder holds
# Written when the main pass has committed every row it will: a resumed run goes straight on to the retry
# rounds and the shards, without starting an engine for nothing.
MAIN_PASS = "main_pass.json"
RUN_FILES = ("data", PARTS, PROGRESS, RETRIES, FLAGGED, "quarantine", PLAN, "manifest.json", "config.json", RUN_STATE, MAIN_PASS)


def unit_name(source: str, chunk: int) -> str:
    return f"{source}/{chunk:06d}"


def commit_part(batch: pa.Table, output_dir: str, compression: str = "zstd") -> pa.Table:
    """Commit one batch of finished rows, passing and flagged alike (the checks' verdict is in the part);
    returns per source its rows, generated tokens and flagged rows (for the progress display)."""
    if batch.num_rows == 0:
        return pa.table({c.SOURCE: pa.array([], pa.string()), "rows": pa.array([], pa.int64()),
                         "tokens": pa.array([], pa.int64()), "flagged": pa.array([], pa.int64())})  # fmt: skip
    ids = batch[c.ID].to_pylist()
    digest = hashlib.blake2b("\n".join(sorted(ids)).encode(), digest_size=12).hexdigest()
    by_unit: dict[str, list[str]] = collections.defaultdict(list)
    for unit, row_id in zip(batch[c.UNIT].to_pylist(), ids):
        by_unit[unit].append(row_id)
    for unit, unit_ids in sorted(by_unit.items()):
        write_text_atomic("\n".join(unit_ids) + "\n", join(output_dir, PROGRESS, unit, f"{digest}.ids"))
    write_parquet_atomic(batch.select(list(CHECKED_COLUMNS)).cast(CHECKED_SCHEMA), join(output_dir, PARTS, f"{digest}.parquet"), compression)
    figures = batch.group_by(c.SOURCE, use_threads=False).aggregate([(c.ID, "count"), (c.COMPLETION_TOKENS, "sum")])
    flagged = collections.Counter(s for s, f in zip(batch[c.SOURCE].to_pylist(), batch[c.FLAG].to_pylist()) if f) if c.FLAG in batch.column_names else {}
    sources = figures[c.SOURCE].to_pylist()
    return pa.table({c.SOURCE: pa.array(sources, pa.string()), "rows": figures[f"{c.ID}_count"].cast(pa.int64()),
                     "tokens": pc.fill_null(figures[f"{c.COMPLETION_TOKENS}_sum"], 0).cast(pa.int64()),
                     "flagged": pa.array([flagged.get(s, 0) for s in sources], pa.int64())})  # fmt: skip


@functools.lru_cache(maxsize=32)
def committed_ids(output_dir: str, unit: str, run_token: str) -> frozenset[str]:
    """Ids of one unit already committed (run_token keys the cache to one run of the pipeline)."""
    fs, folder = filesystem(join(output_dir, PROGRESS, unit))
    if not fs.exists(folder):
        return frozenset()
    _, parts = filesystem(join(output_dir, PARTS))
    done: set[str] = set()
    for index in fs.glob(f"{folder}/*.ids"):
        digest = index.rsplit("/", 1)[1].removesuffix(".ids")
        if fs.exists(f"{parts}/{digest}.parquet"):
            done.update(line for line in fs.cat_file(index).decode().splitlines() if line)
    return frozenset(done)


def skip_committed(batch: pa.Table, output_dir: str, run_token: str, per_clip: int, per_source: dict[str, int] | None = None) -> pa.Table:
    """Drop work already committed: whole clips (before probing) or single rows (after prompting).
    A clip has `per_source[source]` rows when its source sets its own count, else `per_clip`."""
    if batch.num_rows == 0:
        return batch
    units = batch[c.UNIT].to_pylist()
    if c.ID in batch.column_names:
        keys = batch[c.ID].to_pylist()
        pending = [key not in committed_ids(output_dir, unit, run_token) for unit, key in zip(units, keys)]
    else:
        pending, counts = [], per_source or {}
        for unit, clip, source in zip(units, batch[c.CLIP_ID].to_pylist(), batch[c.SOURCE].to_pylist()):
            done = committed_ids(output_dir, unit, run_token)
            pending.append(any(f"{clip}#{i}" not in done for i in range(counts.get(source, per_clip))))
    return batch if all(pending) else batch.filter(pa.array(pending, pa.bool_()))


def committed_parts(output_dir: str) -> list[str]:
    fs, folder = filesystem(join(output_dir, PARTS))
    return sorted(fs.glob(f"{folder}/*.parquet")) if fs.exists(folder) else []


def prepare_output(config: RunConfig, restart: bool) -> dict | None:
    """Claim the output folder for this config; returns the manifest when the run is already complete.

    A folder holding (part of) a run of another config is refused, naming what changed, so a resume
    can never mix rows of two configs. `restart` clears the folder's run first.
    """
    output_dir = config.output.dir
    fs, root = filesystem(output_dir)
    if restart:
        for name in RUN_FILES:
            if fs.exists(join(root, name)):
                fs.rm(join(root, name), recursive=True)
    fs.makedirs(root, exist_ok=True)
    state_path, decisive = join(output_dir, RUN_STATE), config.decisive()
    if fs.exists(filesystem(state_path)[1]):
        state = json.loads(fs.cat_file(filesystem(state_path)[1]))
        if state["fingerprint"] != config.fingerprint():
            changes = "; ".join(changed_keys(state["decisive"], decisive)[:5]) or "unknown keys"
            raise ConfigError(
                f"{output_dir} holds a run of another config (changed: {changes}); resuming would mix rows: "
                "use --restart to start over there, or another --output"
            )
    else:
        write_json_atomic({"fingerprint": config.fingerprint(), "decisive": decisive}, state_path)
    write_json_atomic(json.loads(config.model_dump_json()), join(output_dir, "config.json"))
    manifest_path = filesystem(join(output_dir, "manifest.json"))[1]
    if fs.exists(manifest_path):
        manifest = json.loads(fs.cat_file(manifest_path))
        if manifest.get("complete") and manifest.get("config_fingerprint") == config.fingerprint():
            return manifest
    return None
