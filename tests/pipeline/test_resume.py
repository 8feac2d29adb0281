"""Crash safety: SIGKILL a real run at several points, resume it, and compare with a clean run."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cli_helpers import run_cli, start_cli, write_small_config
from pipeline.storage import SLOW_COMMIT_ENV

pytestmark = pytest.mark.slow
COMPARED = ("id", "dataset", "clip_id", "seed_description", "prompt", "prompt_id", "messages", "sampling_seed", "response")


def rows(output: Path) -> list[dict]:
    table = pq.read_table(output / "data")
    return sorted(table.select(list(COMPARED)).to_pylist(), key=lambda row: row["id"])


def visible_files(output: Path) -> list[Path]:
    return [p for p in output.rglob("*") if p.is_file() and not p.name.startswith(".")]


def assert_no_partial_file(output: Path) -> None:
    for path in visible_files(output):
        if path.suffix == ".parquet":
            pq.read_table(path)  # raises on a partial file
        elif path.suffix == ".json":
            json.loads(path.read_text())


def kill_when(config: Path, output: Path, ready, log: Path, timeout: float = 600) -> None:
    """Start a run; SIGKILL its whole process group as soon as ready(output) holds."""
    # Each Parquet commit holds its temporary file for a second: time enough to be caught mid-write.
    process = start_cli("run", "--config", str(config), "--output", str(output), log=log, env={SLOW_COMMIT_ENV: "1"})
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if ready(output):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return
            time.sleep(0.02)
        pytest.fail(f"the run ended (or timed out) before the kill point: {log.read_text()[-2000:]}")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def parts(output: Path) -> list[Path]:
    return sorted((output / "parts").glob("*.parquet")) if (output / "parts").exists() else []


def part_being_written(output: Path) -> bool:
    return (output / "parts").exists() and any(p.name.startswith(".") for p in (output / "parts").iterdir())


def finalizing(output: Path) -> bool:
    return (output / "data").exists() and any(p.name.startswith(".") for p in (output / "data").iterdir())


def test_killed_runs_resume_to_exactly_the_clean_result(small_run, tmp_path):
    config, clean, _ = small_run
    expected = rows(clean)
    assert len(expected) == 12 and len({r["id"] for r in expected}) == 12

    resumed = tmp_path / "resumed"
    kill_points = [  # each kill starts the engine again: two points, the second after a whole main pass
        ("while a part is being written, after at least one commit", lambda out: len(parts(out)) >= 1 and part_being_written(out)),
        ("while the final shards are written", finalizing),
    ]
    committed_before = []
    for name, ready in kill_points:
        kill_when(config, resumed, ready, tmp_path / f"kill-{len(committed_before)}.log")
        assert_no_partial_file(resumed)
        assert not (resumed / "manifest.json").exists(), f"killed {name}, yet the run claims to be complete"
        committed_before.append(len(parts(resumed)))
    assert committed_before[0] >= 1

    result = run_cli("run", "--config", str(config), "--output", str(resumed))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the main pass was complete" in result.stdout + result.stderr  # killed while finalizing: no engine started again
    got = rows(resumed)
    assert [r["id"] for r in got] == [r["id"] for r in expected]  # none lost, none duplicated
    assert got == expected
    manifest = json.loads((resumed / "manifest.json").read_text())
    assert manifest["complete"] and manifest["rows"] == 12
    assert not (resumed / "parts").exists() and not (resumed / "progress").exists()
    assert [p.name for p in sorted((resumed / "data").iterdir())] == [p.name for p in sorted((clean / "data").iterdir())]

    # Complete: a rerun has nothing to do; a changed config is refused and named; --restart starts over.
    again = run_cli("run", "--config", str(config), "--output", str(resumed))
    assert again.returncode == 0 and "already complete" in again.stderr + again.stdout
    changed = write_small_config(config.parent, name="changed.yaml", seed=7, prompts={"per_clip": 2})
    refused = run_cli("run", "--config", str(changed), "--output", str(resumed))
    assert refused.returncode == 2
    assert "seed (1234 -> 7)" in refused.stderr and "--restart" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
