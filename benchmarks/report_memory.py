"""Bounded memory of `desta-data report`: peak RSS on a 10,000-row and a 100,000-row built output.

Each output is synthetic but in the real output schema (every column filled, metadata JSON with measured
attributes and labels, responses of a few hundred characters), written as parts of 5,000 rows like a
run writes them. The report runs in its own process (the real CLI); its peak RSS comes from
getrusage(RUSAGE_CHILDREN). Goal: the 100k peak close to the 10k peak (the rows stream).

    python benchmarks/report_memory.py [--sizes 10000 100000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from schemas.tables import OUTPUT_SCHEMA  # noqa: E402

PER_CLIP, PART_ROWS = 2, 5000


def synthetic_part(start: int, rows: int, rng: np.random.Generator) -> pa.Table:
    clips = [(start + i) // PER_CLIP for i in range(rows)]
    sources = [f"source{c % 4}" for c in clips]
    genders = rng.choice(["Female", "Male"], rows)
    metadata = [json.dumps({"Gender": g, "Emotion": ["neutral", "happy", "sad"][c % 3], "Language": "English",
                            "pitch_mean_hz": round(float(rng.normal(210 if g == "Female" else 120, 20)), 1),
                            "volume_dbfs": round(float(rng.normal(-24, 5)), 1), "speaking_rate_sps": round(float(rng.normal(4, 0.8)), 2),
                            "snr_db": round(float(rng.normal(30, 8)), 1), "c50_db": round(float(rng.normal(15, 6)), 1)})
                for c, g in zip(clips, genders)]  # fmt: skip
    message = [{"role": "user", "content": "What is said? <|AUDIO|>", "audios": [{"audio": "a.wav", "text": "t"}]}]
    columns = {
        "id": [f"{s}/clip{c:07d}#{(start + i) % PER_CLIP}" for i, (s, c) in enumerate(zip(sources, clips))],
        "dataset": sources, "seed_description": ["[00:00-00:04] words of the clip (Gender: x)"] * rows,
        "prompt": ["What is said?"] * rows, "response": ["A reply of a few sentences about the clip. " * 6] * rows,
        "messages": [message] * rows, "clip_id": [f"{s}/clip{c:07d}" for s, c in zip(sources, clips)],
        "domain": ["speech"] * rows, "audio_path": ["a.wav"] * rows, "start_s": [None] * rows, "end_s": [None] * rows,
        "duration_s": [float(1 + c % 20) for c in clips], "metadata": metadata,
        "prompt_id": [f"speech-{c % 40:04d}" for c in clips], "model": ["m"] * rows, "temperature": [0.05] * rows,
        "top_p": [1.0] * rows, "max_tokens": [256] * rows, "sampling_seed": list(range(start, start + rows)),
        "finish_reason": ["length" if c % 9 == 0 else "stop" for c in clips], "prompt_tokens": [40] * rows,
        "completion_tokens": rng.integers(5, 256, rows).tolist(),
    }  # fmt: skip
    return pa.table(columns, schema=OUTPUT_SCHEMA)


def build(folder: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    (folder / "data").mkdir(parents=True)
    for index, start in enumerate(range(0, rows, PART_ROWS)):
        pq.write_table(synthetic_part(start, min(PART_ROWS, rows - start), rng), folder / "data" / f"part-{index:05d}.parquet")
    (folder / "manifest.json").write_text(json.dumps({"complete": True, "rows": rows, "quarantined": {"audio_missing": 3}}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="desta-report-bench-"))
    print(f"{'rows':>8}  {'parquet MB':>10}  {'seconds':>8}  {'peak RSS MB':>11}  plots")
    try:
        for size in args.sizes:
            built, out = scratch / f"built-{size}", scratch / f"report-{size}"
            build(built, size)
            megabytes = sum(p.stat().st_size for p in (built / "data").iterdir()) / 2**20
            code = ("import resource, sys; from pipeline.cli import app; sys.argv = ['desta-data', 'report', '--input', sys.argv[1], "
                    "'--output', sys.argv[2]]\ntry:\n    app()\nexcept SystemExit:\n    pass\n"
                    "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")  # fmt: skip
            started = time.monotonic()
            result = subprocess.run([sys.executable, "-c", code, str(built), str(out)], capture_output=True, text=True,
                                    cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
            seconds = time.monotonic() - started
            if result.returncode != 0 or "PEAK" not in result.stdout:
                sys.exit(f"report failed on {size} rows:\n{result.stderr[-2000:]}")
            peak_mb = int(result.stdout.rsplit("PEAK", 1)[1]) / 1024
            print(f"{size:>8,}  {megabytes:>10.1f}  {seconds:>8.1f}  {peak_mb:>11.0f}  {len(list(out.glob('*.png')))}")
            print("          " + json.loads((out / "report.json").read_text())["captions"]["rows_per_source"])
    finally:
        if args.keep:
            print(f"kept: {scratch}")
        else:
            shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
