"""Bounded memory: peak RSS of a whole pipeline run on 10,000 and on 100,000 manifest rows.

Each size is a real `desta-data run` (the CLI, in its own session) over a generated JSONL manifest whose
lines point at a few demo clips copied into a temp folder, with the LLM replaced by a tiny random local
Llama (benchmarks/tiny_model.py) and the acoustic stage off (measured in benchmarks/attributes.py).
Every 0.5 s this process sums the RSS of the CLI and all its descendants (Ray's GCS, raylet, workers,
the vLLM engine) and, separately, of the CLI driver alone. Goal: peak at 100k <= 1.2 x peak at 10k.

RSS counts shared pages (Ray's object store in /dev/shm, shared libraries) once per process that maps
them, so the all-processes figure overstates the machine's real use; the ratio is what matters.

    python benchmarks/scale.py [--sizes 10000 100000] [--max-tokens 2] [--keep]

On the shared 2-core box with --max-tokens 1 the two runs took about 4 and 8.5 minutes. After the table
it prints, per run, what each Ray Data operator did (tasks, output blocks, rows, task seconds), read
from the run's ray-data.log: where the time went, and how many blocks the rows travelled in.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.tiny_model import tiny_model  # noqa: E402

CLIPS = ("speech_01.wav", "speech_02.wav", "speech_03.wav", "speech_04.wav")
TRANSCRIPTS = (
    "The weather is supposed to be sunny and warm all weekend.",
    "Could you please pass me the salt and pepper?",
    "I have never seen such a beautiful sunset over the harbour.",
    "What time does the last train to Manchester leave tonight?",
    "We walked along the loch until the rain finally stopped.",
)
SAMPLE_EVERY_S = 0.5
MB = 1 << 20
LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})")
OPERATOR_DONE = re.compile(r"Operator \w+\[(.*)\] completed\. Operator Metrics:")
METRIC = re.compile(r"'(task_completion_time_s|num_tasks_finished|num_task_outputs_generated|rows_task_outputs_generated)': ([\d.]+)")


@dataclass
class RunResult:
    rows_in: int
    rows_written: int
    wall_s: float
    peak_driver_mb: float
    peak_all_mb: float
    peak_processes: int
    exit_code: int
    log: Path
    ray_data_log: Path | None


# ---- inputs ----------------------------------------------------------------------------------------


def write_data(folder: Path, rows: int) -> Path:
    """`rows` manifest lines over a few copied demo clips, each with a unique id, a transcript and a gender."""
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    for clip in CLIPS:
        shutil.copy(REPO / "demo" / "audio" / clip, folder / "audio" / clip)
    manifest = folder / "manifest.jsonl"
    with manifest.open("w") as out:
        for i in range(rows):
            line = {
                "audio": f"audio/{CLIPS[i % len(CLIPS)]}",
                "id": f"clip_{i:07d}",
                "transcript": TRANSCRIPTS[i % len(TRANSCRIPTS)],
                "gender": "M" if i % 2 else "F",
            }
            out.write(json.dumps(line) + "\n")
    return manifest


def write_config(folder: Path, data_root: Path, model: Path, max_tokens: int) -> Path:
    """configs/demo.yaml over the generated manifest, with the tiny model and a tiny token budget."""
    config = yaml.safe_load((REPO / "configs" / "demo.yaml").read_text())
    config["data_root"] = str(data_root)
    config["sources"] = [{"name": "scale", "manifest": "manifest.jsonl", "domain": "speech"}]
    config["prompts"]["per_clip"] = 1
    config["attributes"] = {"enabled": False}
    generation = config["generation"]
    generation["model"] = str(model)
    generation["sampling"]["max_tokens"] = max_tokens
    generation["engine"]["max_model_len"] = 512
    generation["batch_size"] = 256
    config["probe"] = {"batch_size": 512}
    config["describe"] = {"batch_size": 512}
    config["output"] = {"dir": str(folder / "out"), "rows_per_shard": 50_000, "rows_per_commit": 5_000}
    config["filters"] = {"retries": 0}  # the tiny model's text gets flagged; retry rounds would measure something else
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


# ---- measuring -------------------------------------------------------------------------------------


def run_processes(cli: psutil.Process) -> list[psutil.Process]:
    """The CLI and everything it started: its descendants, plus any process left in its session (reparented)."""
    found = {cli.pid: cli}
    try:
        found.update({p.pid: p for p in cli.children(recursive=True)})
    except psutil.NoSuchProcess:
        pass
    for process in psutil.process_iter():
        try:
            if process.pid not in found and os.getsid(process.pid) == cli.pid:
                found[process.pid] = process
        except (ProcessLookupError, PermissionError, psutil.NoSuchProcess):
            pass
    return list(found.values())


def rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return 0


def ray_session_dir(processes: list[psutil.Process]) -> Path | None:
    """The Ray session folder of this run, read off a Ray process's command line (--session_dir=...)."""
    for process in processes:
        try:
            for arg in process.cmdline():
                if arg.startswith(("--session_dir=", "--session-dir=")):
                    return Path(arg.split("=", 1)[1])
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            pass
    return None


def stop_leftovers(session: int) -> None:
    """Ray processes of the run still alive after the CLI exited (there should be none): end them by id."""
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == session:
                process.send_signal(signal.SIGTERM)
        except (ProcessLookupError, PermissionError, psutil.NoSuchProcess):
            pass


@dataclass
class Peaks:
    """The largest values seen over a run's samples."""

    driver_mb: float = 0.0
    all_mb: float = 0.0
    processes: int = 0
    ray_session: Path | None = None

    def sample(self, cli: psutil.Process) -> None:
        processes = run_processes(cli)
        self.driver_mb = max(self.driver_mb, rss(cli) / MB)
        self.all_mb = max(self.all_mb, sum(rss(p) for p in processes) / MB)
        self.processes = max(self.processes, len(processes))
        self.ray_session = self.ray_session or ray_session_dir(processes)


def run_and_measure(config: Path, output: Path, log: Path) -> tuple[int, float, Peaks]:
    """Run the CLI in its own session, sampling RSS until it exits; returns (exit code, wall s, peaks)."""
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "DESTA_PROGRESS": "0"}
    command = [str(REPO / ".venv" / "bin" / "desta-data"), "run", "--config", str(config), "--output", str(output)]
    peaks = Peaks()
    started = time.monotonic()
    with log.open("w") as log_file:
        child = subprocess.Popen(command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            cli = psutil.Process(child.pid)
            while child.poll() is None:
                peaks.sample(cli)
                time.sleep(SAMPLE_EVERY_S)
        finally:  # also on Ctrl-C here: the CLI's own session does not get the signal
            if child.poll() is None:
                child.terminate()
                child.wait()
            stop_leftovers(child.pid)
    return child.returncode, time.monotonic() - started, peaks


def rows_written(output: Path) -> int:
    manifest = output / "manifest.json"
    return json.loads(manifest.read_text())["rows"] if manifest.is_file() else 0


def ray_data_log(session: Path | None) -> Path | None:
    if session is None:
        return None
    nested = session / "logs" / "ray-data" / "ray-data.log"
    return nested if nested.is_file() else session / "logs" / "ray-data.log"


def measure(rows: int, workdir: Path, model: Path, max_tokens: int, keep: bool) -> RunResult:
    folder = workdir / f"rows-{rows}"
    data = folder / "data"
    write_data(data, rows)
    config = write_config(folder, data, model, max_tokens)
    output, log = folder / "out", folder / "run.log"
    code, wall, peaks = run_and_measure(config, output, log)
    result = RunResult(
        rows, rows_written(output), wall, peaks.driver_mb, peaks.all_mb, peaks.processes, code, log, ray_data_log(peaks.ray_session)
    )
    if not keep:  # the log stays; data and output go (a 100k-row run writes some MB)
        shutil.rmtree(data, ignore_errors=True), shutil.rmtree(output, ignore_errors=True)
    return result


def operator_breakdown(ray_data_log: Path) -> list[dict]:
    """Per finished Ray Data operator (from the DEBUG metrics in ray-data.log): its dataset's number, tasks,
    output blocks, rows out, summed task seconds, and when it finished (s after its dataset started)."""
    operators, started, dataset, lines = [], None, 0, ray_data_log.read_text(errors="replace").splitlines()
    for line, following in zip(lines, lines[1:] + [""]):
        stamp = LOG_TIME.match(line)
        seconds = time.mktime(time.strptime(stamp[1], "%Y-%m-%d %H:%M:%S")) + int(stamp[2]) / 1000 if stamp else None
        if "Starting execution of Dataset" in line:
            started, dataset = seconds, dataset + 1
        elif (done := OPERATOR_DONE.search(line)) and started is not None:
            metrics = {key: float(value) for key, value in METRIC.findall(following)}
            parts = done[1].split("->")
            name = done[1] if len(parts) <= 2 else f"{parts[0]}->...->{parts[-1]}"
            operators.append({"dataset": dataset, "operator": name, "finished_s": seconds - started, **metrics})
    return operators


def print_breakdown(result: RunResult) -> None:
    if not (result.ray_data_log and result.ray_data_log.is_file()):
        return
    print(f"\n{result.rows_in} rows, Ray Data operators (dataset 1: the pipeline; 2: the sort into shards):")
    print(f"{'ds':>2} {'operator':<62} {'tasks':>5} {'blocks':>6} {'rows':>7} {'task s':>7} {'done at s':>9}")
    for op in operator_breakdown(result.ray_data_log):
        if op.get("num_tasks_finished") or op.get("rows_task_outputs_generated"):  # not the input buffers
            print(f"{op['dataset']:>2} {op['operator'][:62]:<62} {op.get('num_tasks_finished', 0):>5.0f} "
                  f"{op.get('num_task_outputs_generated', 0):>6.0f} {op.get('rows_task_outputs_generated', 0):>7.0f} "
                  f"{op['task_completion_time_s']:>7.1f} {op['finished_s']:>9.1f}")  # fmt: skip


# ---- report ----------------------------------------------------------------------------------------


def print_report(results: list[RunResult], max_tokens: int) -> None:
    print(f"\nmodel: tiny random Llama (benchmarks/tiny_model.py), max_tokens {max_tokens}, prompts per clip 1, attributes off")
    print(f"{'rows':>8} | {'written':>8} | {'wall s':>7} | {'peak RSS driver MB':>18} | {'peak RSS all processes MB':>25} | {'procs':>5} | exit")
    for r in results:
        print(f"{r.rows_in:>8} | {r.rows_written:>8} | {r.wall_s:>7.1f} | {r.peak_driver_mb:>18.0f} | "
              f"{r.peak_all_mb:>25.0f} | {r.peak_processes:>5} | {r.exit_code}")  # fmt: skip
    if len(results) >= 2:
        small, large = results[0], results[-1]
        print(f"ratio {large.rows_in}/{small.rows_in} rows: driver {large.peak_driver_mb / small.peak_driver_mb:.2f}, "
              f"all processes {large.peak_all_mb / small.peak_all_mb:.2f} (goal <= 1.2)")  # fmt: skip
    for r in results:
        print(f"{r.rows_in} rows: CLI log {r.log}; Ray Data log {r.ray_data_log}")
    for r in results:
        print_breakdown(r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--max-tokens", type=int, default=2, help="response tokens per row (1 if 100k rows is too slow)")
    parser.add_argument("--keep", action="store_true", help="keep each run's data and output (logs are always kept)")
    args = parser.parse_args()
    model = tiny_model()
    workdir = Path(tempfile.mkdtemp(prefix="desta-scale-"))
    print(f"work folder: {workdir}")
    results = []
    for rows in args.sizes:
        result = measure(rows, workdir, model, args.max_tokens, args.keep)
        print(f"{rows} rows: {result.rows_written} written in {result.wall_s:.0f}s, exit {result.exit_code}, "
              f"peak RSS driver {result.peak_driver_mb:.0f} MB, all {result.peak_all_mb:.0f} MB", flush=True)  # fmt: skip
        results.append(result)
    print_report(results, args.max_tokens)


if __name__ == "__main__":
    main()
