"""Kill and resume: N trials, each SIGKILLs a real run at a random moment, resumes it to the end and
compares the result with a clean run of the same config. Prints lost and duplicated row counts per
trial and in total (goal: 0 / 0).

    python benchmarks/kill_resume.py [--config configs/demo.yaml] [--clips 12] [--kills 10] [--seed 0]

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


def run(config: Path, output: Path, kill_after: float | None = None, slow_commits: bool = False) -> tuple[str, float | None]:
    """Run the CLI; with kill_after, SIGKILL its process group then. Returns how it ended and when the
    first part was committed (None if none was)."""
    env = {**ENV, "DESTA_FAULT_SLOW_COMMIT_S": "1"} if slow_commits else ENV
    started, first_commit = time.monotonic(), None
    with open(output.with_suffix(".log"), "a") as log:
        process = subprocess.Popen([CLI, "run", "--config", str(config), "--output", str(output)], stdout=log,
                                   stderr=subprocess.STDOUT, env=env, cwd=REPO, start_new_session=True)  # fmt: skip
        while process.poll() is None:
            elapsed = time.monotonic() - started
            if first_commit is None and any((output / "parts").glob("*.parquet")):
                first_commit = elapsed
            if kill_after is not None and elapsed >= kill_after:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return f"killed at {kill_after:.1f}s", first_commit
            time.sleep(0.05)
        return f"finished (exit {process.returncode})", first_commit


def derived_config(source: Path, folder: Path, clips: int) -> Path:
    """The config over its first source's first `clips` clips, with small commits."""
    config = yaml.safe_load(source.read_text())
    base = source.resolve().parent
    config["data_root"] = str((base / config.get("data_root", ".")).resolve())
    first = config["sources"][0]
    manifest = Path(config["data_root"]) / first["manifest"]
    lines = [line for line in manifest.read_text().splitlines() if line.strip()][:clips]
    # The copy's audio paths point back at the original folder.
    text = "\n".join(lines).replace('"audio": "', f'"audio": "{manifest.parent}/') + "\n"
    (folder / manifest.name).write_text(text)
    config["sources"] = [{**first, "manifest": str(folder / manifest.name), "allow_outside_root": True}]
    config["generation"]["model"] = str((base / config["generation"]["model"]).resolve())
    if isinstance(config.get("attributes"), dict) and config["attributes"].get("bins"):
        config["attributes"]["bins"] = str((base / config["attributes"]["bins"]).resolve())
    config["generation"]["batch_size"] = 4
    config["output"] = {**config.get("output", {}), "rows_per_commit": 4}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def ids(output: Path) -> list[str]:
    """Every row of a finished run: the shards' and flagged/'s (a row the checks flagged is not lost)."""
    folders = [output / "data"] + ([output / "flagged"] if (output / "flagged").exists() else [])
    return [row_id for folder in folders for row_id in pq.read_table(folder, columns=["id"])["id"].to_pylist()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=str(REPO / "configs/demo.yaml"))
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="desta-kill-resume-"))
    config = derived_config(Path(args.config), folder, args.clips)

    started = time.monotonic()
    ended, first_commit = run(config, folder / "clean", slow_commits=True)
    clean_seconds = time.monotonic() - started
    print(f"clean run: {ended} in {clean_seconds:.0f}s, first commit at {first_commit:.0f}s")
    expected = ids(folder / "clean")
    clean_table = pq.read_table(folder / "clean" / "data").sort_by("id")

    rng = random.Random(args.seed)
    total_lost = total_duplicated = 0
    for trial in range(args.kills):
        output = folder / f"trial-{trial}"
        # Between the first commit and the end (start-up alone is uninteresting: nothing is committed yet).
        moment = rng.uniform(max(first_commit - 2.0, 1.0), clean_seconds)
        ended, _ = run(config, output, kill_after=moment, slow_commits=True)
        committed = len(list((output / "parts").glob("*.parquet"))) if (output / "parts").exists() else 0
        resumed, _ = run(config, output)
        got = ids(output)
        counts = collections.Counter(got)
        lost = len(set(expected) - set(got))
        duplicated = sum(n - 1 for n in counts.values() if n > 1)
        same = pq.read_table(output / "data").sort_by("id").equals(clean_table)
        total_lost, total_duplicated = total_lost + lost, total_duplicated + duplicated
        print(f"trial {trial + 1}: {ended}, {committed} part(s) committed; resume {resumed}: "
              f"{len(got)} rows, lost {lost}, duplicated {duplicated}, equal to clean run: {same}")  # fmt: skip
    print(f"clean run: {len(expected)} rows in {clean_seconds:.0f}s; {args.kills} kills: "
          f"lost {total_lost}, duplicated {total_duplicated}")  # fmt: skip
    print(f"(work folder: {folder})")


if __name__ == "__main__":
    main()
