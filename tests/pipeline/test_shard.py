"""`desta-data shard`: Hub-named shards, a clean split by clip, same bytes on every run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from publishing.built_output import HUB_SHARD, OutputError
from pipeline.cli import app
from pipeline.config import ShardConfig
from publishing.shard import clip_fraction, shard, validation_clips
from publish_fixtures import canonical_rows, digests, make_rows, write_output

REPO = Path(__file__).resolve().parents[2]
SMALL = ShardConfig(max_rows=25, row_group_rows=10, validation_fraction=0.2, split_seed=5)


def shard_files(folder: Path) -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {}
    for path in sorted((folder / "data").iterdir()):
        files.setdefault(HUB_SHARD.match(path.name)["split"], []).append(path)
    return files


def test_validation_clips_are_a_stable_hash_share_of_clips():
    clips = [f"src/clip{i:05d}" for i in range(4000)]
    chosen = validation_clips(clips, 0.1, seed=1)
    assert 320 < len(chosen) < 480  # ~400 expected
    assert chosen == validation_clips(list(reversed(clips)), 0.1, seed=1)  # order does not matter
    assert chosen != validation_clips(clips, 0.1, seed=2)
    assert all(clip_fraction(clip, 1) < 0.1 for clip in chosen)
    # Adding clips never moves a clip that was already placed.
    grown = validation_clips(clips + [f"new/clip{i}" for i in range(1000)], 0.1, seed=1)
    assert chosen == {clip for clip in grown if clip.startswith("src/")}
    assert validation_clips(clips, 0.0, seed=1) == set()


def test_tiny_datasets_still_get_one_validation_clip():
    assert len(validation_clips(["a", "b", "c"], 0.001, seed=0)) == 1
    assert validation_clips(["only"], 0.001, seed=0) == set()  # train keeps the only clip


def test_shard_keeps_every_row_and_splits_cleanly_by_clip(tmp_path):
    rows = make_rows(clips=12, per_clip=3)
    built = write_output(str(tmp_path / "built"), rows, rows_per_part=17)
    summary = shard(built, str(tmp_path / "shards"), SMALL)
    files = shard_files(tmp_path / "shards")

    assert set(files) == {"train", "validation"}
    for split, paths in files.items():
        total = len(paths)
        assert [p.name for p in paths] == [f"{split}-{i:05d}-of-{total:05d}.parquet" for i in range(total)]
        assert summary.splits[split]["files"] == [f"data/{p.name}" for p in paths]
    tables = {split: [pq.read_table(p) for p in paths] for split, paths in files.items()}
    everything = [t for split_tables in tables.values() for t in split_tables]
    combined = pa.concat_tables(everything)
    assert canonical_rows(combined) == canonical_rows(pq.read_table(tmp_path / "built" / "data"))
    train_clips = {clip for t in tables["train"] for clip in t["clip_id"].to_pylist()}
    validation = {clip for t in tables["validation"] for clip in t["clip_id"].to_pylist()}
    assert train_clips and validation and not train_clips & validation
    assert validation == validation_clips([r["clip_id"] for r in rows], 0.2, 5)
    for split_tables in tables.values():  # id order within and across the shards of a split
        ids = [i for t in split_tables for i in t["id"].to_pylist()]
        assert ids == sorted(ids)
    # max_rows=25, row groups of 10: 10 + 10 + 5 per full shard.
    first = pq.ParquetFile(files["train"][0])
    assert first.metadata.num_rows == 25
    assert [first.metadata.row_group(i).num_rows for i in range(first.num_row_groups)] == [10, 10, 5]
    assert first.metadata.row_group(0).column(0).compression == "ZSTD"
    assert summary.splits["train"]["rows"] + summary.splits["validation"]["rows"] == len(rows) == summary.rows
    assert summary.splits["validation"]["clips"] == len(validation)

    manifest = json.loads((tmp_path / "shards" / "manifest.json").read_text())
    assert manifest["shards"] == [f"data/{p.name}" for split in ("train", "validation") for p in files[split]]
    assert manifest["splits"]["train"]["rows"] == combined.num_rows - manifest["splits"]["validation"]["rows"]
    assert manifest["sharding"]["max_rows"] == 25 and manifest["config_fingerprint"] == "0123456789abcdef"


def test_resharding_gives_identical_bytes_however_the_input_was_batched(tmp_path):
    rows = make_rows(clips=10)
    write_output(str(tmp_path / "sorted"), rows, rows_per_part=20)
    write_output(str(tmp_path / "shuffled"), rows, rows_per_part=7, shuffle=True)
    shard(str(tmp_path / "sorted"), str(tmp_path / "a" / "out"), SMALL)
    first = digests(str(tmp_path / "a" / "out"))
    shard(str(tmp_path / "sorted"), str(tmp_path / "a" / "out"), SMALL)  # again, over its own output
    shard(str(tmp_path / "shuffled"), str(tmp_path / "b" / "out"), SMALL)  # unsorted parts: sorted in memory
    assert {"README.md", "manifest.json", "data/train-00002-of-00003.parquet"} <= set(first), sorted(first)
    assert digests(str(tmp_path / "a" / "out")) == first
    assert digests(str(tmp_path / "b" / "out")) == first


def test_shards_are_cut_by_compressed_bytes(tmp_path):
    built = write_output(str(tmp_path / "built"), make_rows(clips=30, per_clip=2))
    settings = ShardConfig(max_bytes=12_000, row_group_rows=8, validation_fraction=0.0)
    summary = shard(built, str(tmp_path / "small"), settings)
    sizes = [p.stat().st_size for p in shard_files(tmp_path / "small")["train"]]
    assert len(sizes) >= 3 and "validation" not in summary.splits
    assert all(size >= 12_000 for size in sizes[:-1])  # a shard closes once it has reached the target
    assert summary.splits["train"]["bytes"] == sizes
    one = shard(built, str(tmp_path / "big"), ShardConfig(validation_fraction=0.0))  # default: 500 MB
    assert one.splits["train"]["files"] == ["data/train-00000-of-00001.parquet"]


def test_a_second_shard_run_replaces_the_first_and_foreign_files_are_refused(tmp_path):
    built = write_output(str(tmp_path / "built"))
    out = tmp_path / "out"
    shard(built, str(out), ShardConfig(max_rows=5))
    assert len(list((out / "data").iterdir())) > 5
    (out / "data" / ".train-00003.parquet.partial").write_bytes(b"left by a killed run")
    shard(built, str(out), ShardConfig(max_rows=1000, validation_fraction=0.0))
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train-00000-of-00001.parquet"]

    (out / "data" / "notes.parquet").write_bytes(b"not ours")
    with pytest.raises(OutputError, match="notes.parquet is not a shard of ours"):
        shard(built, str(out), ShardConfig())
    with pytest.raises(OutputError, match="is the input folder"):
        shard(built, built, ShardConfig())


def test_bad_inputs_are_named(tmp_path):
    rows = make_rows(clips=3)
    with pytest.raises(OutputError, match="no Parquet files"):
        shard(str(tmp_path / "nothing"), str(tmp_path / "o1"), ShardConfig())
    write_output(str(tmp_path / "dup"), rows + rows[:1])
    with pytest.raises(OutputError, match=f"row id '{rows[0]['id']}' appears more than once"):
        shard(str(tmp_path / "dup"), str(tmp_path / "o2"), ShardConfig())
    write_output(str(tmp_path / "mixed"), rows, rows_per_part=10)
    pq.write_table(pq.read_table(tmp_path / "mixed" / "data" / "part-00001.parquet").drop_columns(["metadata"]),
                   tmp_path / "mixed" / "data" / "part-00001.parquet")  # fmt: skip
    with pytest.raises(OutputError, match=r"part-00001.parquet: schema differs from .*part-00000.parquet \(missing: metadata\)"):
        shard(str(tmp_path / "mixed"), str(tmp_path / "o3"), ShardConfig())
    write_output(str(tmp_path / "running"), rows, manifest_extra={"complete": False})
    with pytest.raises(OutputError, match="the run is not complete"):
        shard(str(tmp_path / "running"), str(tmp_path / "o4"), ShardConfig())


def test_cli_shard_takes_its_defaults_from_the_config(tmp_path):
    built = write_output(str(tmp_path / "run"))
    config = yaml.safe_load((REPO / "configs/demo.yaml").read_text())
    config["output"] = {"dir": "run"}
    config["publish"] = {"shard": {"output": "published", "max_rows": 30, "validation_fraction": 0.25}}
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config))
    result = CliRunner().invoke(app, ["shard", "--config", str(tmp_path / "c.yaml")])
    assert result.exit_code == 0, result.output
    files = shard_files(tmp_path / "published")
    assert len(files["train"]) >= 2 and all(pq.ParquetFile(p).metadata.num_rows <= 30 for p in files["train"])
    assert "validation:" in result.output and str(tmp_path / "published") in result.output

    override = CliRunner().invoke(app, ["shard", "-c", str(tmp_path / "c.yaml"), "-i", built, "-o", str(tmp_path / "o"), "--rows-per-shard", "1000"])
    assert override.exit_code == 0, override.output
    assert [p.name for p in shard_files(tmp_path / "o")["train"]] == ["train-00000-of-00001.parquet"]

    bad = CliRunner().invoke(app, ["shard", "-i", built, "-o", str(tmp_path / "x"), "--validation-fraction", "0.9"])
    assert bad.exit_code == 2 and "validation_fraction" in bad.output
    missing = CliRunner().invoke(app, ["shard", "-i", str(tmp_path / "absent"), "-o", str(tmp_path / "y")])
    assert missing.exit_code == 2 and "no Parquet files" in missing.output


@pytest.mark.skipif(not (REPO / "runs/demo/manifest.json").exists(), reason="runs/demo not built (make demo)")
def test_shard_of_the_demo_output(tmp_path):
    demo = tmp_path / "demo"
    shutil.copytree(REPO / "runs/demo", demo, ignore=shutil.ignore_patterns("quarantine"))
    first, second = shard(str(demo), str(tmp_path / "s1"), ShardConfig()), shard(str(demo), str(tmp_path / "s2"), ShardConfig())
    assert digests(str(tmp_path / "s1"))["data/train-00000-of-00001.parquet"] == digests(str(tmp_path / "s2"))["data/train-00000-of-00001.parquet"]
    assert first.rows == second.rows == pq.read_table(demo / "data").num_rows
