"""`desta-data push`: the plan, and the real huggingface_hub upload path (create_repo + upload_folder)
against a Hub-shaped HTTP server on loopback that records every request (fake_hub.py); no internet."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_hub import TOKEN, FakeHub
from publishing.built_output import OutputError
from pipeline.cli import app
from pipeline.config import ShardConfig
from publishing.publish import PublishError, push, upload_plan
from publishing.shard import shard
from publish_fixtures import make_rows, write_output

CLI = str(Path(sys.executable).with_name("desta-data"))


@pytest.fixture
def hub():
    server = FakeHub()
    yield server
    server.close()


@pytest.fixture
def shards(tmp_path):
    built = write_output(str(tmp_path / "built"), make_rows(clips=6))
    shard(built, str(tmp_path / "shards"), ShardConfig(max_rows=10, validation_fraction=0.2))
    return tmp_path / "shards"


@pytest.fixture
def clean_hf_env(tmp_path, monkeypatch):
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "HF_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))


def expected_files(folder: Path) -> dict[str, bytes]:
    plots = sorted(f"plots/{p.name}" for p in (folder / "plots").iterdir())
    paths = ["README.md", "manifest.json", *plots, *sorted(f"data/{p.name}" for p in (folder / "data").iterdir())]
    return {path: (folder / path).read_bytes() for path in paths}


def test_dry_run_prints_exactly_the_files_and_their_repo_paths(shards, clean_hf_env):
    files = expected_files(shards)
    result = CliRunner().invoke(app, ["push", "--input", str(shards), "--repo-id", "org/mini", "--dry-run", "--endpoint", "http://127.0.0.1:9"])
    assert result.exit_code == 0, result.output
    planned = re.findall(r"^  (\S+)\s+->\s+(\S+)\s+\(([\d,]+) bytes\)$", result.output, re.M)
    assert [(Path(local), repo) for local, repo, _ in planned] == [(shards / path, path) for path in files]
    assert [int(size.replace(",", "")) for _, _, size in planned] == [len(data) for data in files.values()]
    assert f"total: {sum(len(d) for d in files.values()):,} bytes" in result.output
    assert "dataset org/mini (public)" in result.output and "dry run: nothing uploaded" in result.output


def test_plan_refuses_a_folder_that_is_not_sharded(tmp_path, clean_hf_env):
    built = write_output(str(tmp_path / "built"), make_rows(clips=2))
    with pytest.raises(OutputError, match="no README.md; push uploads a folder made by `desta-data shard`"):
        upload_plan(built)
    result = CliRunner().invoke(app, ["push", "--input", built, "--repo-id", "not a repo id", "--dry-run"])
    assert result.exit_code == 2 and "--repo-id 'not a repo id'" in result.output


def test_push_creates_the_repo_and_commits_every_planned_file(shards, hub, clean_hf_env):
    url = push(str(shards), "org/mini", TOKEN, private=True, endpoint=hub.url, commit_message="first")
    assert url.startswith(f"{hub.url}/datasets/org/mini/commit/")
    create = json.loads(hub.requests[0]["body"])
    assert (hub.requests[0]["path"], create["name"], create["organization"], create["type"], create["visibility"]) == (
        "/api/repos/create", "mini", "org", "dataset", "private")  # fmt: skip
    assert all(r["auth"] == f"Bearer {TOKEN}" for r in hub.requests)
    validated = next(r for r in hub.requests if r["path"] == "/api/validate-yaml")
    assert json.loads(validated["body"])["content"] == (shards / "README.md").read_text()
    assert len(hub.commits) == 1 and hub.commits[0]["header"]["summary"] == "first"
    assert hub.commits[0]["added"] == expected_files(shards)  # byte for byte, and nothing else
    assert hub.repos["org/mini"] == {".gitattributes": b"*.parquet filter=lfs\n", **expected_files(shards)}


def test_rerun_resumes_skips_committed_files_and_drops_stale_shards(shards, hub, clean_hf_env):
    files = expected_files(shards)
    half = dict(list(files.items())[:3])  # an earlier, interrupted push committed these
    hub.repos["org/mini"] = {**half, "data/train-00007-of-00009.parquet": b"stale"}
    push(str(shards), "org/mini", TOKEN, endpoint=hub.url)
    assert set(hub.commits[0]["added"]) == set(files) - set(half)
    assert hub.commits[0]["deleted"] == ["data/train-00007-of-00009.parquet"]
    assert hub.repos["org/mini"] == files
    push(str(shards), "org/mini", TOKEN, endpoint=hub.url)  # everything up to date: no new commit
    assert len(hub.commits) == 1


def test_cli_push_reads_the_token_from_the_environment_and_never_prints_it(shards, hub, clean_hf_env, monkeypatch, caplog):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    result = CliRunner().invoke(app, ["push", "-i", str(shards), "--repo-id", "org/mini", "--private", "--endpoint", hub.url])
    assert result.exit_code == 0, result.output
    assert f"pushed {len(expected_files(shards))} file(s) to {hub.url}/datasets/org/mini" in result.output
    assert hub.requests[0]["auth"] == f"Bearer {TOKEN}"
    hub.fail_create = True  # the server echoes the token in its error: it must not reach the user
    refused = CliRunner().invoke(app, ["push", "-i", str(shards), "--repo-id", "org/other", "--endpoint", hub.url])
    assert refused.exit_code == 3 and "push to org/other failed" in refused.output and "***" in refused.output
    assert TOKEN not in result.output + refused.output + caplog.text


def test_cli_push_without_a_token_stops_before_any_request(shards, hub, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING_FACE"))}
    env["HF_HOME"] = str(tmp_path / "empty-hf-home")
    result = subprocess.run([CLI, "push", "-i", str(shards), "--repo-id", "org/mini", "--endpoint", hub.url],
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 2
    assert "no Hugging Face token: set HF_TOKEN or run `hf auth login`" in result.stderr
    assert hub.requests == []


def test_push_error_is_a_publish_error_without_the_token(shards, hub, clean_hf_env):
    hub.fail_create = True
    with pytest.raises(PublishError) as error:
        push(str(shards), "org/mini", TOKEN, endpoint=hub.url)
    assert "403" in str(error.value) and TOKEN not in str(error.value)
