"""Fixtures for tests that run the real CLI, or Ray in the test's own process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from cli_helpers import REPO, run_cli


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def small_config(tmp_path):
    """A copy of the demo config over `clips` demo speech clips, with a small token budget and many small
    units and batches (many commits). Returns a function: (**overrides) -> path of the written config."""

    def make(clips: int = 6, per_clip: int = 2, max_tokens: int = 16, name: str = "config.yaml", **overrides) -> Path:
        lines = [x for x in (REPO / "demo/manifest.jsonl").read_text().splitlines() if '"domain": "speech"' in x]
        manifest = tmp_path / "data" / "manifest.jsonl"
        manifest.parent.mkdir(exist_ok=True)
        manifest.write_text("\n".join(lines[:clips]).replace('"audio/', f'"{REPO}/demo/audio/') + "\n")
        config = yaml.safe_load((REPO / "configs/demo.yaml").read_text())
        config["data_root"] = str(tmp_path / "data")
        config["sources"] = [{"name": "small", "manifest": "manifest.jsonl", "domain": "speech", "allow_outside_root": True}]
        config["prompts"]["per_clip"] = per_clip
        config["generation"]["model"] = str(REPO / ".models/SmolLM2-135M-Instruct")
        if isinstance(config.get("attributes"), dict) and config["attributes"].get("bins"):
            config["attributes"]["bins"] = str(REPO / "configs" / config["attributes"]["bins"])
        config["generation"]["sampling"]["max_tokens"] = max_tokens
        config["generation"]["batch_size"] = 2
        config["ingest"] = {"batch_size": 2}
        config["output"] = {"dir": str(tmp_path / "out"), "rows_per_shard": 5, "rows_per_commit": 2}
        # A 16-token budget cuts every response, so the response checks would flag every row; the tests
        # that use this config are about other things (tests/pipeline/test_checks_on_ray.py turns them on).
        config["filters"] = {"enabled": False}
        for key, value in overrides.items():
            section, _, field = key.partition("__")
            if field:
                config[section][field] = value
            else:
                config[section] = value
        path = tmp_path / name
        path.write_text(yaml.safe_dump(config))
        return path

    return make


@pytest.fixture(scope="module")
def local_ray():
    """Ray in this process (2 CPUs, no dashboard); its workers import the repository and the test helpers."""
    ray = pytest.importorskip("ray")
    paths = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "pipeline"), os.environ.get("PYTHONPATH", "")]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env={"env_vars": {"PYTHONPATH": ":".join(paths)}})
    yield
    ray.shutdown()
