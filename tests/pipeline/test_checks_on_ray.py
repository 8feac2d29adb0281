"""Response checks and retry rounds on a real run (local Ray, the vLLM CPU engine, SmolLM2): every row
ends up exactly once, in the shards or in flagged/, with the seed of its attempt, also when the run is
killed in the middle of a retry round and resumed."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli_helpers import run_cli, start_cli
from pipeline.storage import SLOW_COMMIT_ENV
from stages.sample_prompts import sampling_seed

pytestmark = pytest.mark.slow
FILTERS = {"retries": 1, "retry_temperature": 1.0}  # a 16-token budget cuts every answer: retried, then flagged


def rows(output: Path, folder: str) -> pa.Table | None:
    """The rows of data/ or flagged/, by id; None when the run wrote none there (a folder may exist empty)."""
    has_rows = any((output / folder).rglob("*.parquet")) if (output / folder).exists() else False
    return pq.read_table(output / folder).sort_by("id") if has_rows else None


def retry_parts(output: Path) -> list[Path]:
    folder = output / "retries" / "attempt-02"
    return sorted(p for p in folder.glob("*.parquet")) if folder.exists() else []


def test_retry_rounds_are_exactly_once_and_resume_to_the_clean_result(small_config, tmp_path):
    config = small_config(clips=3, per_clip=2, max_tokens=16, filters=FILTERS)
    clean = tmp_path / "clean"
    result = run_cli("run", "--config", str(config), "--output", str(clean), timeout=1800)  # two engine starts: main pass and retry
    assert result.returncode == 0, result.stderr[-3000:]
    kept, flagged = rows(clean, "data"), rows(clean, "flagged")
    ids = (kept["id"].to_pylist() if kept else []) + (flagged["id"].to_pylist() if flagged else [])
    assert len(ids) == len(set(ids)) == 6
    manifest = json.loads((clean / "manifest.json").read_text())
    checks = manifest["checks"]
    assert checks["retries"] == 1 and checks["rounds"][0]["attempt"] == 2
    assert checks["rounds"][0]["retried"] == sum(checks["flagged_first_pass"].values()) >= 1
    assert manifest["flagged_total"] == (flagged.num_rows if flagged else 0)
    for row in flagged.to_pylist() if flagged else []:  # still flagged after its retry: attempt 2, its own seed and temperature
        assert row["attempt"] == 2 and row["sampling_seed"] == sampling_seed(1234, row["id"], 2) and row["temperature"] == 1.0
        assert row["flag"] and row["flag_detail"]
        if row["flag"] == "truncated":
            assert row["finish_reason"] == "length"
    rescued = [r for r in (kept.to_pylist() if kept else []) if r["sampling_seed"] == sampling_seed(1234, r["id"], 2)]
    assert len(rescued) == checks["rescued"]
    assert not (clean / "retries").exists() and not (clean / "parts").exists()
    assert "retries: " in result.stdout and "flagged " in result.stdout

    # Killed while the retry round commits its parts, then resumed: the same rows, none twice.
    resumed = tmp_path / "resumed"
    process = start_cli("run", "--config", str(config), "--output", str(resumed), log=tmp_path / "kill.log", env={SLOW_COMMIT_ENV: "1"})
    deadline = time.monotonic() + 1500
    try:
        while process.poll() is None and time.monotonic() < deadline and not retry_parts(resumed):
            time.sleep(0.05)
        assert process.poll() is None, f"the run ended before its retry round committed: {(tmp_path / 'kill.log').read_text()[-2000:]}"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert retry_parts(resumed) and not (resumed / "manifest.json").exists()
    result = run_cli("run", "--config", str(config), "--output", str(resumed), timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the main pass was complete" in result.stdout + result.stderr  # only the retry round's engine starts
    for folder in ("data", "flagged"):
        before, after = rows(clean, folder), rows(resumed, folder)
        assert (before is None) == (after is None), folder
        if before is not None:
            assert after.to_pylist() == before.to_pylist(), folder
