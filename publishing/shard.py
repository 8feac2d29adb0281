"""`desta-data shard`: a built output -> Hub-named shards, a train/validation split by clip, a card.

DIR2/data/train-00000-of-00003.parquet ... and validation-..., DIR2/manifest.json (the run's manifest
plus the splits), DIR2/README.md (the dataset card) and DIR2/plots/*.png (its key plots, from `report`). Rows are written in id order; a clip's rows
all go to one split, chosen from a hash of (split seed, clip id), so a clip keeps its split when other
sources are added. The same input and settings give byte-identical files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from publishing.built_output import (
    HUB_SHARD, OutputError, check_unique_ids, data_files, read_columns, read_json, read_manifest, read_schema,
)  # fmt: skip
from publishing.card import dataset_stats, render_card
from pipeline.config import CardConfig, ShardConfig
from publishing.report import KEY_PLOTS, PLOTS, collect, draw, words
from publishing.shard_writer import SplitWriter, WrittenShard
from pipeline.storage import filesystem, join, write_json_atomic, write_text_atomic
from schemas import columns as c

SPLITS = ("train", "validation")
INDEX_COLUMNS = [c.ID, c.CLIP_ID, c.SOURCE, c.DOMAIN, c.DURATION_S, c.FINISH_REASON]


@dataclass
class ShardSummary:
    output_dir: str
    splits: dict[str, dict]  # split -> {rows, clips, files: [name], bytes: [n]}

    @property
    def rows(self) -> int:
        return sum(split["rows"] for split in self.splits.values())


def clip_fraction(clip_id: str, seed: int) -> float:
    """A clip's place in [0, 1), stable across processes and machines."""
    digest = hashlib.blake2b(f"{seed}\x1f{clip_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def validation_clips(clip_ids: list[str], fraction: float, seed: int) -> set[str]:
    """Clips of the validation split: those placed below `fraction`; when that picks none although
    fraction > 0 and there are at least two clips, the one placed lowest (tiny datasets still get one)."""
    if fraction <= 0 or not clip_ids:
        return set()
    placed = sorted((clip_fraction(clip, seed), clip) for clip in set(clip_ids))
    chosen = {clip for place, clip in placed if place < fraction}
    if not chosen and len(placed) >= 2:
        chosen = {placed[0][1]}
    return chosen


def is_sorted(values: pa.ChunkedArray | pa.Array) -> bool:
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if len(array) < 2:
        return True
    return not pc.any(pc.less(array.slice(1), array.slice(0, len(array) - 1))).as_py()


def rows_in_id_order(urls: list[str], schema: pa.Schema, index: pa.Table, batch_rows: int) -> Iterator[pa.Table]:
    """All rows, in id order: streamed file by file when the files already are (a run writes them so),
    else read whole and sorted."""
    if is_sorted(index[c.ID]):
        for url in urls:
            fs, path = filesystem(url)
            with fs.open(path, "rb") as handle:
                for batch in pq.ParquetFile(handle).iter_batches(batch_size=batch_rows):
                    yield pa.Table.from_batches([batch]).cast(schema)
        return
    table = pa.concat_tables(read_columns([url], schema.names, schema) for url in urls)
    table = table.take(pc.sort_indices(table, [(c.ID, "ascending")]))
    for start in range(0, table.num_rows, batch_rows):
        yield table.slice(start, batch_rows)


def prepare_output_folder(input_dir: str, output_dir: str) -> None:
    """Refuse to write over the input or over files that are not ours; clear our leftovers."""
    in_fs, in_root = filesystem(input_dir)
    out_fs, out_root = filesystem(output_dir)
    if in_fs.protocol == out_fs.protocol and in_root.rstrip("/") == out_root.rstrip("/"):
        raise OutputError(f"--output {output_dir} is the input folder; choose another folder for the shards")
    data = join(out_root, "data")
    for path in out_fs.glob(f"{data}/*") if out_fs.exists(data) else []:
        name = path.rsplit("/", 1)[-1]
        if name.startswith("."):
            out_fs.rm(path)  # a partial shard or temporary file of an interrupted shard run
        elif not HUB_SHARD.match(name):
            raise OutputError(f"{join(output_dir, 'data', name)} is not a shard of ours; choose an empty --output folder")


def commit_shards(output_dir: str, written: dict[str, list[WrittenShard]]) -> dict[str, list[str]]:
    """Rename the partial files to their Hub names (now that the totals are known); drop stale shards."""
    fs, root = filesystem(join(output_dir, "data"))
    names = {split: [f"{split}-{i:05d}-of-{len(shards):05d}.parquet" for i in range(len(shards))] for split, shards in written.items()}
    keep = {name for split_names in names.values() for name in split_names}
    for path in fs.glob(f"{root}/*.parquet") if fs.exists(root) else []:
        if path.rsplit("/", 1)[-1] not in keep:
            fs.rm(path)
    for split, shards in written.items():
        for written_shard, name in zip(shards, names[split]):
            fs.mv(written_shard.path, join(root, name))
    return {split: [f"data/{name}" for name in split_names] for split, split_names in names.items()}


def shard(input_dir: str, output_dir: str, settings: ShardConfig, card: CardConfig | None = None, repo_id: str | None = None) -> ShardSummary:
    """Rewrite a built output as Hub-named shards with a card; see the module docstring."""
    urls = data_files(input_dir)
    manifest = read_manifest(input_dir)
    run_config = read_json(join(input_dir, "config.json"), required=False)
    schema = read_schema(urls)
    index = read_columns(urls, INDEX_COLUMNS, schema)
    if not index.num_rows:
        raise OutputError(f"{join(input_dir, 'data')}: the Parquet files hold no rows")
    check_unique_ids(index, urls)
    held_out = validation_clips(pc.unique(index[c.CLIP_ID]).to_pylist(), settings.validation_fraction, settings.split_seed)
    held_out_array = pa.array(sorted(held_out), pa.string())
    prepare_output_folder(input_dir, output_dir)

    writers = {split: SplitWriter(join(output_dir, "data"), split, schema, settings) for split in SPLITS}
    try:
        for table in rows_in_id_order(urls, schema, index, settings.row_group_rows):
            in_validation = pc.is_in(table[c.CLIP_ID], value_set=held_out_array)
            writers["validation"].add(table.filter(in_validation))
            writers["train"].add(table.filter(pc.invert(in_validation)))
        written = {split: writer.finish() for split, writer in writers.items()}
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    files = commit_shards(output_dir, {split: shards for split, shards in written.items() if shards})

    split_of = pc.if_else(pc.is_in(index[c.CLIP_ID], value_set=held_out_array), "validation", "train")
    stats = dataset_stats(index.append_column("split", split_of))
    splits = {}
    for split, names in files.items():
        splits[split] = {**stats["splits"][split], "files": names, "bytes": [w.bytes for w in written[split]]}
    out_manifest = {
        **manifest,
        "shards": [name for names in files.values() for name in names],
        "splits": splits,
        "sharding": settings.model_dump(exclude={"output"}),
    }
    write_json_atomic(out_manifest, join(output_dir, "manifest.json"))
    name = repo_id.split("/")[-1] if repo_id else output_dir.rstrip("/").rsplit("/", 1)[-1]
    figures = collect(input_dir)  # the key plots of `desta-data report`, drawn into the card
    plots = [(f"plots/{file}", PLOTS[file.removesuffix(".png")], caption) for file, caption in
             zip(draw(figures, join(output_dir, "plots"), only=KEY_PLOTS), [words(figures.summary())[k] for k in KEY_PLOTS])]  # fmt: skip
    text = render_card(out_manifest, run_config, stats, card or CardConfig(), name=name, repo_id=repo_id, plots=plots)
    write_text_atomic(text, join(output_dir, "README.md"))
    return ShardSummary(output_dir, splits)
