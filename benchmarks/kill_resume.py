"""Kill and resume: SIGKILL a real run at N random moments, resume it each time, then compare the
result with a clean run of the same config. Prints lost and duplicated row counts (goal: 0 / 0).

    python benchmarks/kill_resume.py [--config configs/demo.yaml] [--kills 10] [--seed 0]

The config is run with small commits (`output.rows_per_commit`) so that kills land between commits,
inside them (each Parquet commit is held a second under its temporary name) and in the final shard write.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import yaml

REPO = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("desta-data"))
ENV = {**os.environ, "RAY_AUTH_MODE": "disabled", "DESTA_PROGRESS": "0"}


def run(config: Path, output: Path, kill_after: float | None = None, slow_commits: bool = False) -> str:
    """Run the CLI; with kill_after, SIGKILL its process group then. Returns how it ended."""
    env = {**ENV, "DESTA_FAULT_SLOW_COMMIT_S": "1"} if slow_commits else ENV
    with open(output.with_suffix(".log"), "a") as log:
        process = subprocess.Popen([CLI, "run", "--config", str(config), "--output", str(output)], stdout=log,
                                   stderr=subprocess.STDOUT, env=env, cwd=REPO, start_new_session=True)  # fmt: skip
        try:
            process.wait(timeout=kill_after)
            return f"finished (exit {process.returncode})"
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return f"killed at {kill_after:.1f}s"


def derived_config(source: Path, folder: Path) -> Path:
    config = yaml.safe_load(source.read_text())
    base = source.resolve().parent
    for key in ("data_root",):
        config[key] = str((base / config.get(key, ".")).resolve())
    config["generation"]["model"] = str((base / config["generation"]["model"]).resolve())
    if isinstance(config.get("attributes"), dict) and config["attributes"].get("bins"):
        config["attributes"]["bins"] = str((base / config["attributes"]["bins"]).resolve())
    config["generation"]["batch_size"] = 4
    config["output"] = {**config.get("output", {}), "rows_per_commit": 4}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def ids(output: Path) -> list[str]:
    return pq.read_table(output / "data", columns=["id"])["id"].to_pylist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=str(REPO / "configs/demo.yaml"))
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="desta-kill-resume-"))
    config = derived_config(Path(args.config), folder)

    started = time.monotonic()
    print(f"clean run: {run(config, folder / 'clean')}")
    clean_seconds = time.monotonic() - started
    expected = ids(folder / "clean")

    rng = random.Random(args.seed)
    resumed = folder / "resumed"
    for kill in range(args.kills):
        moment = rng.uniform(5.0, clean_seconds)  # from engine start-up to the final shard write
        print(f"kill {kill + 1}/{args.kills}: {run(config, resumed, kill_after=moment, slow_commits=True)}")
        if (resumed / "manifest.json").exists():
            print("  (the run had already completed; later kills only test the no-op rerun)")
    print(f"final resume: {run(config, resumed)}")

    got = ids(resumed)
    counts = collections.Counter(got)
    lost = len(set(expected) - set(got))
    duplicated = sum(n - 1 for n in counts.values() if n > 1)
    extra = len(set(got) - set(expected))
    same = pq.read_table(resumed / "data").sort_by("id").equals(pq.read_table(folder / "clean" / "data").sort_by("id"))
    print(f"rows: clean {len(expected)}, resumed {len(got)}; lost {lost}, duplicated {duplicated}, unexpected {extra}")
    print(f"resumed rows equal the clean run's, column for column: {same}")
    print(f"(work folder: {folder})")


if __name__ == "__main__":
    main()
