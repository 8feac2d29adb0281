"""Helpers for tests that run the real CLI (local Ray, vLLM CPU build, the SmolLM2 demo model)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml


REPO = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).with_name("desta-data"))
CLI_ENV = {"DESTA_PROGRESS": "0", "RAY_AUTH_MODE": "disabled"}


def run_cli(*args: str, timeout: int = 900, env: dict[str, str] | None = None, **popen) -> subprocess.CompletedProcess:
    env = {**os.environ, **CLI_ENV, **(env or {})}
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO, **popen)


def start_cli(*args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """The CLI in its own process group (Ray's processes too), so a test can SIGKILL all of it at once."""
    env = {**os.environ, **CLI_ENV, **(env or {})}
    handle = log.open("w")
    return subprocess.Popen([CLI, *args], stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=REPO, start_new_session=True)


def write_small_config(folder: Path, clips: int = 6, per_clip: int = 2, max_tokens: int = 16, name: str = "config.yaml", **overrides) -> Path:
    """A copy of the demo config over `clips` demo speech clips in `folder`, with a small token budget and many
    small units and batches (many commits); returns the path of the written config."""
    lines = [x for x in (REPO / "demo/manifest.jsonl").read_text().splitlines() if '"domain": "speech"' in x]
    manifest = folder / "data" / "manifest.jsonl"
    manifest.parent.mkdir(exist_ok=True)
    manifest.write_text("\n".join(lines[:clips]).replace('"audio/', f'"{REPO}/demo/audio/') + "\n")
    config = yaml.safe_load((REPO / "configs/demo.yaml").read_text())
    config["data_root"] = str(folder / "data")
    config["sources"] = [{"name": "small", "manifest": "manifest.jsonl", "domain": "speech", "allow_outside_root": True}]
    config["prompts"]["per_clip"] = per_clip
    config["generation"]["model"] = str(REPO / ".models/SmolLM2-135M-Instruct")
    if isinstance(config.get("attributes"), dict) and config["attributes"].get("bins"):
        config["attributes"]["bins"] = str(REPO / "configs" / config["attributes"]["bins"])
    config["generation"]["sampling"]["max_tokens"] = max_tokens
    config["generation"]["batch_size"] = 2
    config["ingest"] = {"batch_size": 2}
    config["output"] = {"dir": str(folder / "out"), "rows_per_shard": 5, "rows_per_commit": 2}
    # A 16-token budget cuts every response, so the response checks would flag every row; the tests
    # that use this config are about other things (tests/pipeline/test_checks_on_ray.py turns them on).
    config["filters"] = {"enabled": False}
    config["ray"]["include_dashboard"] = False  # nothing here reads it: a few seconds less per run
    for key, value in overrides.items():
        section, _, field = key.partition("__")
        if field:
            config[section][field] = value
        else:
            config[section] = value
    path = folder / name
    path.write_text(yaml.safe_dump(config))
    return path
