"""`desta-data plan` on a 1M-line manifest: wall time and peak RSS (goal: under a minute and under 1 GB).

The manifest is a generic JSONL of `--lines` clips over a few demo WAVs copied into a temp folder, every line
with its own id, a transcript, two attributes and a declared `duration` (seconds), as large manifests
usually carry: plan then takes hours from the metadata and reads audio headers only for its sample (32
clips), never for the million. The source has a budget (max_clips and max_hours, both binding), so the
pass holds the selection's (hash, duration) pairs, not the source. The demo config is planned too
("answers in seconds"). Each plan is the real CLI in its own process; this process samples its RSS
every 0.05 s and
reads the kernel's CPU time and peak RSS of it once it has exited.

    python benchmarks/plan.py [--lines 1000000] [--keep]

Measured on the shared 2-core box (2026-12-01, load average 10-45 from other work): 1M lines 80 s of CPU
(748 s wall), peak RSS 485 MB; the demo config 5 s of CPU, 245 MB. The CPU time is ingest's (JSON,
validation, ids: ~75 us a line, the same a run spends); the budget pass adds little.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

REPO = Path(__file__).resolve().parents[1]
CLIPS = ("speech_01.wav", "speech_02.wav", "speech_03.wav", "speech_04.wav")
TRANSCRIPTS = (
    "The weather is supposed to be sunny and warm all weekend.",
    "Could you please pass me the salt and pepper?",
    "I have never seen such a beautiful sunset over the harbour.",
)
MB = 1 << 20


def write_data(folder: Path, lines: int) -> None:
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    for clip in CLIPS:
        shutil.copy(REPO / "demo" / "audio" / clip, folder / "audio" / clip)
    with (folder / "manifest.jsonl").open("w") as out:
        for i in range(lines):
            line = {"audio": f"audio/{CLIPS[i % len(CLIPS)]}", "id": f"clip_{i:07d}", "transcript": TRANSCRIPTS[i % len(TRANSCRIPTS)],
                    "gender": "M" if i % 2 else "F", "emotion": "neutral", "duration": round(1.0 + (i * 7919 % 1000) / 100, 2)}  # fmt: skip
            out.write(json.dumps(line) + "\n")


def write_config(folder: Path) -> Path:
    config = yaml.safe_load((REPO / "configs" / "demo.yaml").read_text())
    config["data_root"] = str(folder)
    config["sources"] = [{"name": "big", "manifest": "manifest.jsonl", "domain": "speech", "budget": {"max_clips": 250_000, "max_hours": 300.0}}]
    config["generation"]["model"] = str(REPO / ".models" / "SmolLM2-135M-Instruct")
    config["attributes"] = {"enabled": False}
    config["output"] = {"dir": str(folder / "out")}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def measure(args: list[str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB of the CLI and its children, stdout)."""
    cli = str(Path(sys.executable).with_name("desta-data"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    handle, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            rss = handle.memory_info().rss + sum(child.memory_info().rss for child in handle.children(recursive=True))
            peak = max(peak, rss)
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.05)
    out, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"plan failed ({process.returncode}): {err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if after.ru_maxrss > before.ru_maxrss:  # the kernel's peak of the largest child so far (KB on Linux): this one's
        peak = max(peak, after.ru_maxrss * 1024)
    return time.monotonic() - started, cpu, peak / MB, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Keep the generated folder.")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="desta-plan-bench-"))
    try:
        started = time.monotonic()
        write_data(folder, options.lines)
        config = write_config(folder)
        print(f"wrote {options.lines:,} manifest lines ({(folder / 'manifest.jsonl').stat().st_size / MB:.0f} MB) in {time.monotonic() - started:.1f}s")
        seconds, cpu, peak, out = measure(["plan", "--config", str(config), "--json"])
        plan = json.loads(out)
        big = plan["sources"][0]
        print(f"plan, {options.lines:,} lines: {seconds:.1f}s wall, {cpu:.1f}s CPU, peak RSS {peak:.0f} MB; read {big['read']:,} clips, "
              f"selected {big['clips']:,} ({big['hours']:.1f} h, from {big['hours_from']}), {big['rows']:,} rows, "
              f"{big['prompt_tokens']:,} prompt tokens ({plan['tokenizer']})")  # fmt: skip
        seconds, cpu, peak, _ = measure(["plan", "--config", str(REPO / "configs" / "demo.yaml")])
        print(f"plan, demo config: {seconds:.1f}s wall, {cpu:.1f}s CPU, peak RSS {peak:.0f} MB")
        print(f"load average during the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time stretches with other work)")
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
