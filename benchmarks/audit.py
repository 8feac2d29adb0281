"""Response checks and `desta-data audit`: quality on the labelled set, speed and memory at scale.

    python benchmarks/audit.py [--rows 1000000] [--skip-scale]

1. Precision and recall per reason on the team's labelled set (tests/data/response_checks_labelled.jsonl),
   per split (dev: written with the rules; heldout: written after them, scored, then the rules were
   generalised; fresh: written last) and overall, against the goals of issue 11.
2. A synthetic JSONL of `--rows` rows in the released DeSTA-AQA5M format (id, dataset, seed_description,
   prompt, response, messages; no provenance columns), drawn with a fixed seed from the labelled rows, is
   audited by the real CLI in its own process (one process: one core), with the demo model's tokenizer
   for too_long_for_trainer: rows/s of wall time, rows per CPU-second, and the peak RSS of the process
   (about 850 MiB of it is transformers and torch, loaded for the tokenizer). A tenth of the rows is
   audited too, to show that memory does not grow with the input.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import labelled_checks as labelled  # noqa: E402  (tests/labelled_checks.py: the set and its scoring)


def quality() -> None:
    print("precision / recall per reason on the labelled set (goal: P >= 0.95, R >= 0.9; contradiction P >= 0.9)")
    print(f"{'split':<8} {'reason':<21} {'rows':>5} {'flagged':>8} {'precision':>10} {'recall':>7}")
    for split in ("dev", "heldout", "fresh", None):
        rows = labelled.load(split)
        scores = labelled.scores(rows, labelled.predict(rows))
        for reason, score in scores.items():
            if reason == "clean":
                print(f"{split or 'all':<8} {'clean kept':<21} {score['labelled']:>5} {score['kept']:>8}")
                continue
            p, r = (f"{score[k]:.3f}" if score[k] is not None else "n/a" for k in ("precision", "recall"))
            print(f"{split or 'all':<8} {reason:<21} {score['labelled']:>5} {score['flagged']:>8} {p:>10} {r:>7}")


def synthetic_jsonl(path: Path, rows: int, seed: int = 0) -> None:
    """`rows` lines in the release's format, drawn from the labelled rows (ids made unique)."""
    source = labelled.load()
    table = labelled.as_table(source)
    messages = table["messages"].to_pylist()
    templates = [{"dataset": r["dataset"], "seed_description": r["seed_description"], "prompt": r["prompt"], "response": r["response"],
                  "messages": m} for r, m in zip(source, messages)]  # fmt: skip
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(rows):
            record = templates[rng.randrange(len(templates))]
            handle.write(json.dumps({"id": f"synthetic/{i:08d}.wav", **record}, ensure_ascii=False) + "\n")


# The CLI in-process, reporting its own CPU time and peak RSS when it exits (typer ends with SystemExit).
CHILD = """
import resource, runpy, sys
sys.argv = ["desta-data", *sys.argv[1:]]
try:
    runpy.run_module("pipeline.cli", run_name="__main__")
except SystemExit as end:
    if end.code:
        raise
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"RUSAGE {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}", file=sys.stderr)
"""


def audit_process(source: Path, output: Path) -> dict:
    """The CLI in a child process: wall seconds, CPU seconds and peak RSS of that process alone."""
    started = time.monotonic()
    command = [sys.executable, "-c", CHILD, "audit", "--input", str(source), "--output", str(output), "--tokenizer", str(labelled.DEMO_TOKENIZER)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    wall = time.monotonic() - started
    if result.returncode:
        raise SystemExit(f"audit failed ({result.returncode}): {result.stderr[-2000:]}")
    cpu, rss_kib = result.stderr.rsplit("RUSAGE ", 1)[1].split()
    record = json.loads((output / "audit.json").read_text())
    return {"rows": record["rows"], "wall": wall, "cpu": float(cpu), "rss_mib": int(rss_kib) / 1024, "per_reason": record["per_reason"],
            "table": result.stdout}  # fmt: skip


def scale(rows: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="desta-audit-bench-"))
    try:
        results = []
        for n in (rows // 10, rows):
            source = folder / f"release-{n}.jsonl"
            started = time.monotonic()
            synthetic_jsonl(source, n)
            print(f"\nwrote {n:,} rows ({source.stat().st_size / 2**20:,.0f} MiB of JSONL) in {time.monotonic() - started:.0f}s")
            result = audit_process(source, folder / f"out-{n}")
            results.append(result)
            print(f"audit of {n:,} rows: {result['wall']:.0f}s wall, {result['rows'] / result['wall']:,.0f} rows/s, "
                  f"{result['rows'] / result['cpu']:,.0f} rows per CPU-second (one process), peak RSS {result['rss_mib']:,.0f} MiB")  # fmt: skip
            source.unlink()
        print("\nper reason (1M-row run):", results[-1]["per_reason"])
        print(results[-1]["table"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-scale", action="store_true", help="only the labelled-set table")
    args = parser.parse_args()
    quality()
    if not args.skip_scale:
        scale(args.rows)


if __name__ == "__main__":
    main()
