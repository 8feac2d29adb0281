"""Retries of flagged rows, in rounds, and the flagged rows that remain.

A Ray Data stream cannot loop back, so retries run as rounds after the main pass. The main pass commits
every row (passing or flagged, with its attempt, 1) to `parts/`. Round k (attempt k + 1, for k up to
`filters.retries`) reads the rows flagged in the previous attempt's parts, gives each a new engine seed
derived from (seed, row id, attempt), generates, checks and commits them to
`retries/attempt-NN/<digest>.parquet` (atomic, named by a digest of the ids). Rows a round already
committed are skipped when the round runs again, so an interrupted run resumes each round where it
stopped and no row is generated twice for one attempt. The shards take every passing row of every
attempt; `flagged/` takes the rows still flagged after the last one.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import hashlib
import logging

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import steps
from pipeline.checks import check_step, count_flags
from pipeline.config import RunConfig, StepResources
from pipeline.progress import FLAGGED, PARTS, RETRIES, committed_parts
from pipeline.storage import arrow_filesystem, filesystem, join, write_parquet_atomic
from schemas import columns as c
from schemas.tables import CHECKED_COLUMNS, CHECKED_SCHEMA, COLUMN_TYPES, OUTPUT_COLUMNS
from stages.build_messages import generation_messages
from stages.sample_prompts import sampling_seed

log = logging.getLogger("desta_data")
ENGINE_OUTPUTS = (c.RESPONSE, c.FINISH_REASON, c.MODEL, c.TEMPERATURE, c.TOP_P, c.MAX_TOKENS, c.PROMPT_TOKENS, c.COMPLETION_TOKENS)


def attempt_parts(output_dir: str, attempt: int) -> list[str]:
    """The committed parts of one attempt: attempt 1 is the main pass."""
    if attempt == 1:
        return committed_parts(output_dir)
    fs, folder = filesystem(join(output_dir, RETRIES, f"attempt-{attempt:02d}"))
    return sorted(p for p in fs.glob(f"{folder}/*.parquet") if not p.rsplit("/", 1)[-1].startswith(".")) if fs.exists(folder) else []


def all_parts(output_dir: str, attempts: int) -> list[str]:
    return [part for attempt in range(1, attempts + 1) for part in attempt_parts(output_dir, attempt)]


def read_columns(output_dir: str, parts: list[str], columns: list[str]) -> pa.Table:
    """Some columns of committed parts (paths as the output folder's filesystem lists them)."""
    if not parts:
        return CHECKED_SCHEMA.empty_table().select(columns)
    fs, _ = filesystem(output_dir)
    return pa.concat_tables(pq.read_table(part, columns=columns, filesystem=fs) for part in parts)


def flagged_ids(output_dir: str, parts: list[str]) -> pa.Array:
    table = read_columns(output_dir, parts, [c.ID, c.FLAG])
    return table.filter(pc.is_valid(table[c.FLAG]))[c.ID].combine_chunks()


def commit_retry_part(batch: pa.Table, folder: str, compression: str) -> pa.Table:
    if batch.num_rows:
        digest = hashlib.blake2b("\n".join(sorted(batch[c.ID].to_pylist())).encode(), digest_size=12).hexdigest()
        write_parquet_atomic(batch.select(list(CHECKED_COLUMNS)).cast(CHECKED_SCHEMA), join(folder, f"{digest}.parquet"), compression)
    return pa.table({"rows": [batch.num_rows]})


def prepare_retry(batch: pa.Table, pending: pa.Array, seed: int, attempt: int, tokenize=None) -> pa.Table:
    """The pending rows of a batch, ready for the engine again: a new seed, the LLM's messages rebuilt
    (and tokenized by `tokenize`, the describe step's stage), the previous answer and verdict dropped."""
    batch = batch.filter(pc.is_in(batch[c.ID], value_set=pending))
    seeds = [sampling_seed(seed, row_id, attempt) for row_id in batch[c.ID].to_pylist()]
    seen = [generation_messages(m, s) for m, s in zip(batch[c.MESSAGES].to_pylist(), batch[c.SEED_DESCRIPTION].to_pylist())]
    # The previous answer goes, with everything the engine wrote: ray.data.llm would read a `model` column
    # as the name of a LoRA adapter to apply.
    gone = (c.FLAG, c.FLAG_DETAIL, c.ATTEMPT, c.SAMPLING_SEED, *ENGINE_OUTPUTS)
    batch = batch.drop_columns([name for name in gone if name in batch.column_names])
    batch = batch.append_column(c.SAMPLING_SEED, pa.array(seeds, pa.int64()))
    batch = batch.append_column(pa.field(c.LLM_MESSAGES, COLUMN_TYPES[c.LLM_MESSAGES]), pa.array(seen, COLUMN_TYPES[c.LLM_MESSAGES]))
    return tokenize(batch) if tokenize and batch.num_rows else batch


def run_retries(config: RunConfig, output_dir: str) -> None:
    """Every retry round in turn; each resumes from what it already committed."""
    import ray

    filters = config.filters
    generation = config.generation.model_copy(deep=True)
    if filters.retry_temperature is not None:
        generation.sampling.temperature = filters.retry_temperature
    for attempt in range(2, filters.retries + 2):
        previous = attempt_parts(output_dir, attempt - 1)
        done = read_columns(output_dir, attempt_parts(output_dir, attempt), [c.ID])[c.ID].combine_chunks()
        pending = flagged_ids(output_dir, previous)
        pending = pending.filter(pc.invert(pc.is_in(pending, value_set=done)))
        if not len(pending):
            continue
        log.info("desta-data: retry %d of %d: regenerating %d flagged row(s)", attempt - 1, filters.retries, len(pending))
        folder = join(output_dir, RETRIES, f"attempt-{attempt:02d}")
        ds = ray.data.read_parquet(previous, filesystem=arrow_filesystem(output_dir), schema=CHECKED_SCHEMA)
        placement = config.placement
        prepare = partial(prepare_retry, pending=pending, seed=config.seed, attempt=attempt, tokenize=steps.tokenize_stage(config))
        ds = steps.apply(ds, steps.Step("retry", "tasks", placement.describe, prepare), config)
        ds = steps.apply(ds, steps.Step("engine", "engine", placement.engine_helpers), config, generation)
        ds = check_step(config, output_dir, attempt)(ds)
        commit_retry = partial(commit_retry_part, folder=folder, compression=config.output.compression)
        ds = steps.apply(ds, steps.Step("commit", "tasks", steps.commit_resources(config), commit_retry), config)
        for _ in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            pass


def retry_summary(output_dir: str, retries: int) -> dict:
    """Per-reason counts of the first pass, rows retried and rescued per attempt, and what stayed flagged."""
    first = read_columns(output_dir, attempt_parts(output_dir, 1), [c.FLAG])[c.FLAG]
    rounds = []
    for attempt in range(2, retries + 2):
        flags = read_columns(output_dir, attempt_parts(output_dir, attempt), [c.FLAG])[c.FLAG]
        rounds.append({"attempt": attempt, "retried": len(flags), "rescued": flags.null_count, "still_flagged": count_flags(flags)})
    return {
        "flagged_first_pass": count_flags(first),
        "retries": retries,
        "rounds": rounds,
        "rescued": sum(r["rescued"] for r in rounds),
    }


def _rows(batch: pa.Table, flagged: bool) -> pa.Table:
    rows = batch.filter(pc.is_valid(batch[c.FLAG]) if flagged else pc.is_null(batch[c.FLAG]))
    return rows if flagged else rows.select(list(OUTPUT_COLUMNS))


# Up to this many committed rows, the final id order is sorted in the driver's memory (a few hundred MB at
# most): Ray Data's distributed sort costs tens of seconds of task start-up however few the rows are.
LOCAL_SORT_ROWS = 200_000


def checked_rows(parts: list[str], output_dir: str, flagged: bool, batch_size: int, placement: StepResources | None = None) -> Iterator[pa.Table]:
    """The passing rows (output columns) or the flagged rows (plus flag, flag_detail, attempt) of the given
    parts, sorted by id, `batch_size` rows a batch (the last one shorter). A large output is sorted on Ray,
    its tasks placed as `placement` (the commit step's) says."""
    fs = filesystem(output_dir)[0]  # parts: paths as the output folder's filesystem lists them
    if sum(pq.read_metadata(part, filesystem=fs).num_rows for part in parts) > LOCAL_SORT_ROWS:
        import ray

        ds = ray.data.read_parquet(parts, filesystem=arrow_filesystem(output_dir), schema=CHECKED_SCHEMA)
        kwargs = {**steps.ray_arguments(placement or StepResources(), "tasks"), "batch_size": None}
        ds = ds.map_batches(_rows, fn_kwargs={"flagged": flagged}, batch_format="pyarrow", **kwargs).sort(c.ID)
        yield from ds.iter_batches(batch_size=batch_size, batch_format="pyarrow")
        return
    tables = [_rows(pq.read_table(part, filesystem=fs).select(list(CHECKED_COLUMNS)).cast(CHECKED_SCHEMA), flagged) for part in parts]
    if not tables:
        return
    rows = pa.concat_tables(tables).sort_by(c.ID).combine_chunks()
    for offset in range(0, rows.num_rows, batch_size):
        yield rows.slice(offset, batch_size)


def write_flagged(output_dir: str, retries: int, rows_per_file: int, compression: str, placement: StepResources | None = None) -> dict[str, int]:
    """DIR/flagged/part-NNNNN.parquet: the rows still flagged after the last attempt, in id order; returns
    counts per reason."""
    fs, root = filesystem(join(output_dir, FLAGGED))
    if fs.exists(root):
        fs.rm(root, recursive=True)  # an earlier finalize that was cut short
    parts = attempt_parts(output_dir, retries + 1)
    if not parts or not len(flagged_ids(output_dir, parts)):
        return {}
    flags = []
    for index, batch in enumerate(checked_rows(parts, output_dir, flagged=True, batch_size=rows_per_file, placement=placement)):
        write_parquet_atomic(batch, join(output_dir, FLAGGED, f"part-{index:05d}.parquet"), compression)
        flags.append(batch[c.FLAG])
    return count_flags(pa.chunked_array(flags, pa.string()))


JOURNALS = (PARTS, RETRIES)
