"""Shard, export and card written through fsspec to non-local filesystems: memory:// and a real S3
protocol server on loopback (moto's server mode). The bytes must equal those of a local run."""

from __future__ import annotations

import json
import uuid

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from fake_hub import TOKEN, FakeHub
from pipeline.cli import app
from pipeline.config import ShardConfig
from publishing.export import export_jsonl
from publishing.publish import local_folder, push, upload_plan
from publishing.shard import shard
from publishing.trainer_format import trainer_problems
from publish_fixtures import canonical_rows, digests, make_rows, write_output

SETTINGS = ShardConfig(max_rows=16, row_group_rows=8, validation_fraction=0.2)


@pytest.fixture
def memory_root():
    root = f"memory://desta-{uuid.uuid4().hex[:8]}"
    yield root
    fs = fsspec.filesystem("memory")
    if fs.exists(root.removeprefix("memory:/")):
        fs.rm(root.removeprefix("memory:/"), recursive=True)


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        # What a user sets for an S3-compatible store; s3fs (botocore) reads them. No region: moto's
        # bucket creation fails with one (NOTES.md).
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_ENDPOINT_URL": f"http://{host}:{port}"}.items():  # fmt: skip
            patch.setenv(name, value)
        for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
            patch.delenv(name, raising=False)
        import s3fs

        s3fs.S3FileSystem.clear_instance_cache()
        yield f"http://{host}:{port}"
        s3fs.S3FileSystem.clear_instance_cache()
    server.stop()


@pytest.fixture
def bucket(s3_server):
    name = f"desta-{uuid.uuid4().hex[:10]}"
    fsspec.filesystem("s3").mkdir(name)
    return f"s3://{name}"


def test_shard_export_and_card_to_memory_match_a_local_run(tmp_path, memory_root):
    rows = make_rows(clips=8)
    write_output(str(tmp_path / "built"), rows)
    shard(str(tmp_path / "built"), str(tmp_path / "local" / "shards"), SETTINGS)

    built = write_output(f"{memory_root}/built", rows)
    summary = shard(built, f"{memory_root}/out/shards", SETTINGS)
    remote = digests(f"{memory_root}/out/shards")
    assert remote == digests(str(tmp_path / "local" / "shards"))  # same bytes, card and manifest included
    assert {"README.md", "manifest.json"} <= set(remote) and summary.rows == len(rows)

    exported = export_jsonl(f"{memory_root}/out/shards", f"{memory_root}/jsonl", rows_per_file=20)
    fs = fsspec.filesystem("memory")
    lines = [json.loads(line) for split in exported.files.values() for name in split
             for line in fs.cat_file(f"{memory_root.removeprefix('memory:/')}/jsonl/{name}").decode().splitlines()]  # fmt: skip
    assert len(lines) == len(rows) and all(trainer_problems(record) == [] for record in lines)

    plan = upload_plan(f"{memory_root}/out/shards")
    assert [item.repo_path for item in plan][:2] == ["README.md", "manifest.json"] and len(plan) == len(remote)


def test_push_from_a_remote_folder_uploads_a_local_copy(memory_root):
    built = write_output(f"{memory_root}/built", make_rows(clips=4))
    shard(built, f"{memory_root}/shards", SETTINGS)
    hub = FakeHub()
    try:
        with local_folder(f"{memory_root}/shards") as local:
            push(local, "org/remote", TOKEN, endpoint=hub.url)
        expected = {path: data for path, data in _files(f"{memory_root}/shards").items()}
        assert hub.commits[0]["added"] == expected
    finally:
        hub.close()


def _files(url: str) -> dict[str, bytes]:
    fs, root = fsspec.core.url_to_fs(url)
    return {path[len(root.rstrip("/")) + 1 :]: fs.cat_file(path) for path in sorted(fs.find(root))}


def test_cli_shard_and_export_to_s3(tmp_path, bucket):
    rows = make_rows(clips=8)
    built = write_output(str(tmp_path / "built"), rows)
    options = ["--rows-per-shard", "16", "--validation-fraction", "0.2"]
    result = CliRunner().invoke(app, ["shard", "-i", built, "-o", f"{bucket}/shards", *options])
    assert result.exit_code == 0, result.output
    local_run = CliRunner().invoke(app, ["shard", "-i", built, "-o", str(tmp_path / "local" / "shards"), *options])
    assert local_run.exit_code == 0, local_run.output
    remote = _files(f"{bucket}/shards")
    assert remote == _files(str(tmp_path / "local" / "shards"))  # byte for byte, card and manifest included
    assert "data/validation-00000-of-00001.parquet" in remote and "README.md" in remote
    fs, root = fsspec.core.url_to_fs(f"{bucket}/shards")
    tables = [pq.read_table(f"{root}/{path}", filesystem=fs) for path in remote if path.endswith(".parquet")]
    assert canonical_rows(pa.concat_tables(tables)) == canonical_rows(pa.Table.from_pylist(rows, schema=tables[0].schema))
    assert all(name.startswith(("data/", "plots/")) or name in ("README.md", "manifest.json") for name in remote)
    assert not [path for path in fs.find(root) if "/." in path]  # no temporary or partial file left

    exported = CliRunner().invoke(app, ["export", "-i", f"{bucket}/shards", "-o", f"{bucket}/jsonl"])
    assert exported.exit_code == 0, exported.output
    jsonl = _files(f"{bucket}/jsonl")
    assert sorted(jsonl) == ["train.jsonl", "validation.jsonl"]
    records = [json.loads(line) for data in jsonl.values() for line in data.decode().splitlines()]
    assert len(records) == len(rows) and all(trainer_problems(r) == [] for r in records)


def test_input_on_s3_gives_the_same_bytes_as_a_local_input(tmp_path, bucket):
    rows = make_rows(clips=6)
    write_output(str(tmp_path / "built"), rows)
    write_output(f"{bucket}/built", rows)
    shard(str(tmp_path / "built"), str(tmp_path / "a" / "shards"), SETTINGS)
    shard(f"{bucket}/built", str(tmp_path / "b" / "shards"), SETTINGS)
    assert digests(str(tmp_path / "a" / "shards")) == digests(str(tmp_path / "b" / "shards"))
