"""Generation throughput and overhead: the pipeline's engine step vs raw vLLM, and where a run's CPU goes.

Part 1, the engine step, side by side on the same rows (the pipeline's own stages build them), the same
engine settings and per-row sampling parameters, one after the other on this machine:
- raw vLLM: `vllm.LLM.chat` over every row at once (one ideal batch);
- pipeline: what a run does: the describe step's chat template + tokenizer (a map task), then
  `ray.data.llm` with token ids in and out (engine replicas only), then the answers decoded a batch at a
  time (the checks step's first stage);
- ray.data.llm stages: the layout before: messages in, ray.data.llm's chat-template, tokenize and
  detokenize actor pools around the engine.
Per side: engine-busy tok/s (generated tokens / (last token - first request scheduled), from the engine's
own per-request timestamps), end-to-end tok/s (generated tokens / wall time, engine start included), and
for the Ray sides the CPU-seconds per 1,000 rows outside the engine (Ray Data's per-operator CPU time of
every operator but the engine's, plus the driver's scheduling loop). Two workloads: the demo's rows, and
multi-speaker meeting clips whose seed descriptions give prompts of ~600 tokens.

Part 2, a whole run (`desta-data run` on the demo config, as a user starts it): seconds from launch to
the first committed part, Ray's start and the engine's start measured on their own, the run's CPU per step
(its manifest's `steps`, from Ray Data's stats), and a digest of the rows (the same config gives the same
rows, before and after a change).

    python benchmarks/generation.py [--config configs/demo.yaml] [--prompts-per-clip 6] [--max-tokens 64]
                                    [--skip-meetings] [--skip-run] [--sides raw,pipeline,stages]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import soundfile as sf
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.config import load_config  # noqa: E402
from pipeline.generation import ENGINE_ENV, EngineRequest, EngineResult, build_generation, engine_kwargs, model_name  # noqa: E402
from pipeline.profile import cpu_outside_engine, profile  # noqa: E402
from pipeline.steps import named, tokenize_stage  # noqa: E402
from pipeline.runner import source_specs, pre_generation_stages  # noqa: E402
from schemas import columns as c  # noqa: E402
from stages.decode_response import DecodeConfig, DecodeResponse  # noqa: E402
from stages.ingest_manifest import IngestManifest  # noqa: E402
from stages.tokenize_prompt import TokenizePrompt  # noqa: E402

SPEAKERS = ("A", "B", "C", "D")


def benchmark_rows(config) -> pa.Table:
    """The rows the engine would see in a real run of this config, made by the pipeline's stages."""
    tables = [t for source in source_specs(config) for t in IngestManifest().read(source)]
    table = pa.concat_tables(tables)
    for stage in pre_generation_stages(config):
        table = stage(table)
    return table.filter(table[c.KEEP]) if c.KEEP in table.column_names else table


def meeting_config(config_path: str, folder: Path, clips: int = 8):
    """The demo config over multi-speaker meeting clips (60 s, 14 turns of 4 speakers): long seed descriptions."""
    demo = [json.loads(line) for line in (REPO / "demo/manifest.jsonl").read_text().splitlines()]
    sentences = [row["transcript"] for row in demo if row.get("transcript")]
    audio = folder / "meeting.wav"
    rate = 16000
    t = np.arange(60 * rate) / rate
    sf.write(audio, (0.1 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 0.5 * t))).astype("float32"), rate)
    lines = []
    for clip in range(clips):
        turns = [{"start": 4.0 * k, "end": 4.0 * k + 3.5, "speaker": SPEAKERS[(k + clip) % 4], "gender": "female" if (k + clip) % 2 else "male",
                  "transcript": sentences[(clip * 7 + k) % len(sentences)]} for k in range(14)]  # fmt: skip
        lines.append(json.dumps({"audio": str(audio), "id": f"meeting_{clip:02d}", "domain": "speech", "turns": turns, "language": "English"}))
    (folder / "meetings.jsonl").write_text("\n".join(lines) + "\n")
    raw = yaml.safe_load(Path(config_path).read_text())
    raw["data_root"] = str(folder)
    raw["sources"] = [{"name": "meetings", "manifest": "meetings.jsonl", "domain": "speech"}]
    raw["generation"]["model"] = str((Path(config_path).parent / raw["generation"]["model"]).resolve())
    raw.pop("attributes", None)  # the 60 s tone says nothing about pitch or SNR worth measuring here
    path = folder / "meetings.yaml"
    path.write_text(yaml.safe_dump(raw))
    return load_config(path)


# ---- part 1: the engine step ----------------------------------------------------------------------------


def busy_window(metrics: list[dict | None]) -> float | None:
    stats = [m for m in metrics if m and m.get("last_token_ts")]
    if len(stats) < len(metrics):
        return None
    return max(m["last_token_ts"] for m in stats) - min(m["scheduled_ts"] for m in stats)


def run_raw(config, rows: list[dict]) -> dict:
    from vllm import LLM, SamplingParams

    os.environ.update(ENGINE_ENV)
    started = time.perf_counter()
    llm = LLM(config.generation.model, **engine_kwargs(config.generation))  # main() turned the engine's stats on
    engine_start = time.perf_counter() - started
    request = EngineRequest(config.generation)
    # vLLM as a user calls it: its own detokenizer on (the pipeline's engine returns ids; its checks step decodes)
    params = [SamplingParams(**{**request(row)["sampling_params"], "detokenize": True}) for row in rows]
    messages = [[{"role": m["role"], "content": m["content"]} for m in row[c.LLM_MESSAGES]] for row in rows]
    generate_started = time.perf_counter()
    outputs = llm.chat(messages, params, use_tqdm=False)
    finished = time.perf_counter()
    tokens = sum(len(o.outputs[0].token_ids) for o in outputs)
    window = busy_window([vars(o.metrics) if o.metrics else None for o in outputs]) or (finished - generate_started)
    texts = [o.outputs[0].text for o in outputs]
    del llm
    return {"tokens": tokens, "busy_s": window, "wall_s": finished - started, "engine_start_s": engine_start, "texts": texts}


class EngineResultWithMetrics(EngineResult):
    """The pipeline's postprocess, also keeping the engine's per-request timestamps for the measurement."""

    def __call__(self, row):
        return {**super().__call__(row), "metrics": row.get("metrics")}


class MessagesRequest(EngineRequest):
    """The request of the layout before: messages for ray.data.llm's chat-template stage, no token ids."""

    def __call__(self, row):
        request = super().__call__({**row, c.LLM_TOKEN_IDS: []})  # the pipeline columns under their private names
        del request["tokenized_prompt"]
        del request["sampling_params"]["detokenize"]  # as before: vLLM detokenized, then so did ray.data.llm's stage
        request["messages"] = [{"role": m["role"], "content": m["content"]} for m in row[c.LLM_MESSAGES]]
        return request


def stages_processor(config):
    """The engine step as it was: ray.data.llm's chat template, tokenize and detokenize actor pools around it."""
    from ray.data.llm import build_processor, vLLMEngineProcessorConfig

    generation = config.generation
    helper = {"num_cpus": 0.25, "concurrency": 1}
    processor_config = vLLMEngineProcessorConfig(
        model_source=generation.model, engine_kwargs=engine_kwargs(generation), batch_size=generation.batch_size,
        concurrency=generation.replicas, max_concurrent_batches=generation.max_concurrent_batches,
        runtime_env={"env_vars": dict(ENGINE_ENV)}, placement_group_config={"bundle_per_worker": {"CPU": generation.cpus_per_replica}},
        log_engine_metrics=False, should_continue_on_error=True,
        chat_template_stage=helper, tokenize_stage=helper, detokenize_stage=helper,
    )  # fmt: skip
    return build_processor(processor_config, preprocess=MessagesRequest(generation),
                           postprocess=EngineResultWithMetrics(generation, model_name(generation)),
                           preprocess_map_kwargs={"num_cpus": 0.25}, postprocess_map_kwargs={"num_cpus": 0.25})  # fmt: skip


def run_on_ray(config, rows: pa.Table, layout: str) -> dict:
    import ray

    ray.init(num_cpus=config.ray.num_cpus, include_dashboard=config.ray.include_dashboard, log_to_driver=False, logging_level=logging.WARNING)
    ray.data.DataContext.get_current().enable_progress_bars = False
    dataset = ray.data.from_arrow(rows.drop_columns([c.LLM_TOKEN_IDS]))
    started, driver_cpu = time.perf_counter(), time.process_time()
    if layout == "pipeline":
        tokenize: TokenizePrompt = tokenize_stage(config)
        dataset = dataset.map_batches(named("describe", tokenize), batch_format="pyarrow", batch_size=64, num_cpus=0.25)
        processor = build_generation(config.generation, result=EngineResultWithMetrics)
        decode = DecodeResponse(DecodeConfig(config.generation.model))  # as the checks step does, a batch at a time
        generated = processor(dataset).map_batches(named("decode", decode), batch_format="pyarrow", batch_size=64, num_cpus=0.25)
    else:
        generated = stages_processor(config)(dataset)
    out_ds = generated.select_columns([c.ID, c.RESPONSE, c.COMPLETION_TOKENS, "metrics"])
    out = out_ds.take_all()
    finished = time.perf_counter()
    figures = profile(out_ds, time.process_time() - driver_cpu)
    ray.shutdown()
    metrics = [row["metrics"] for row in out]
    by_id = {row[c.ID]: row[c.RESPONSE] for row in out}
    return {"tokens": sum(int(row[c.COMPLETION_TOKENS]) for row in out), "busy_s": busy_window(metrics) or (finished - started),
            "wall_s": finished - started, "outside_cpu_s": cpu_outside_engine(figures), "figures": figures,
            "texts": [by_id.get(row_id) for row_id in rows[c.ID].to_pylist()]}  # fmt: skip


SIDES = ("raw", "pipeline", "stages")
SIDE_NAMES = {"raw": "raw vLLM", "pipeline": "pipeline", "stages": "ray.data.llm stages"}


def engine_step(name: str, config, sides: tuple[str, ...] = SIDES) -> dict:
    """Each side's figures printed as soon as it has run (a later side's failure loses nothing)."""
    rows = benchmark_rows(config)
    tokens = [len(ids) for ids in rows[c.LLM_TOKEN_IDS].to_pylist()]
    print(f"\n## engine step: {name}: {rows.num_rows} rows, prompt tokens mean {np.mean(tokens):.0f} (max {max(tokens)}), "
          f"max_tokens {config.generation.sampling.max_tokens}, model {model_name(config.generation)}", flush=True)  # fmt: skip
    print(f"{'':20} {'tokens':>7} {'busy s':>7} {'busy tok/s':>10} {'wall s':>7} {'wall tok/s':>10} {'ratio busy':>10} {'ratio wall':>10} "
          f"{'CPU s/1k rows outside engine':>29}", flush=True)  # fmt: skip
    results: dict[str, dict] = {}
    for side in sides:
        r = run_raw(config, rows.to_pylist()) if side == "raw" else run_on_ray(config, rows, side)
        results[side] = r
        busy, wall = r["tokens"] / r["busy_s"], r["tokens"] / r["wall_s"]
        raw = results.get("raw")
        ratio_busy = f"{busy / (raw['tokens'] / raw['busy_s']):.2f}" if raw else "-"
        ratio_wall = f"{wall / (raw['tokens'] / raw['wall_s']):.2f}" if raw else "-"
        outside = f"{1000 * r['outside_cpu_s'] / rows.num_rows:.1f}" if "outside_cpu_s" in r else "-"
        print(f"{SIDE_NAMES[side]:20} {r['tokens']:>7} {r['busy_s']:>7.1f} {busy:>10.1f} {r['wall_s']:>7.1f} {wall:>10.1f} {ratio_busy:>10} "
              f"{ratio_wall:>10} {outside:>29}", flush=True)  # fmt: skip
    for side in ("pipeline", "stages"):
        if side in results:
            operators = results[side]["figures"].get("operators", {})
            shown = ", ".join(f"{k} {1000 * v['cpu_s'] / rows.num_rows:.1f}" for k, v in operators.items())
            driver = 1000 * results[side]["figures"].get("driver_cpu_s", 0) / rows.num_rows
            print(f"  {SIDE_NAMES[side]}: CPU s/1k rows per operator: {shown}; driver {driver:.1f}")
    if "pipeline" in results and "stages" in results:
        same = sum(a == b for a, b in zip(results["pipeline"]["texts"], results["stages"]["texts"]))
        print(f"  responses identical, pipeline vs ray.data.llm stages: {same}/{rows.num_rows}")
    if "raw" in results:
        print(f"  engine start (raw): {results['raw']['engine_start_s']:.1f} s", flush=True)
    return results


# ---- part 2: a whole run --------------------------------------------------------------------------------


def time_ray_start(config) -> float:
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=config.ray.num_cpus, include_dashboard=config.ray.include_dashboard, log_to_driver=False, logging_level=logging.WARNING)
    elapsed = time.perf_counter() - started
    ray.shutdown()
    return elapsed


def whole_run(config_path: str, folder: Path) -> None:
    output = folder / "run"
    cli = str(Path(sys.executable).with_name("desta-data"))
    env = {**os.environ, "DESTA_PROGRESS": "0", "RAY_AUTH_MODE": "disabled"}
    started = time.perf_counter()
    process = subprocess.Popen([cli, "run", "--config", config_path, "--output", str(output)], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    first_part = None
    while process.poll() is None:
        if first_part is None and any((output / "parts").glob("*.parquet")):
            first_part = time.perf_counter() - started
        time.sleep(0.1)
    total = time.perf_counter() - started
    if process.returncode:
        print(f"desta-data run failed ({process.returncode}): {process.stderr.read()[-2000:]}")
        return
    manifest = json.loads((output / "manifest.json").read_text())
    import pyarrow.parquet as pq

    table = pq.read_table(output / "data").sort_by(c.ID)
    digest = hashlib.sha256(json.dumps(table.select([c.ID, c.PROMPT_ID, c.SAMPLING_SEED, c.RESPONSE]).to_pylist()).encode()).hexdigest()[:16]
    print(f"\n## whole run: desta-data run --config {config_path}")
    print(f"first committed part after {first_part:.1f} s (launch to file); whole run {total:.1f} s; {manifest['rows']} rows "
          f"(+{manifest.get('flagged_total', 0)} flagged); rows digest {digest}")  # fmt: skip
    steps = manifest.get("steps", {})
    rows = steps.get("rows") or manifest["rows"]
    operators = steps.get("main_pass", {}).get("operators", {})
    if operators:
        print(f"CPU s per 1,000 rows of the main pass ({rows} rows), per operator as Ray Data ran it:")
        for name, figures in operators.items():
            print(f"  {name:45} {1000 * figures['cpu_s'] / rows:8.1f}   (wall {1000 * figures['wall_s'] / rows:.1f})")
        driver = steps["main_pass"].get("driver_cpu_s", 0)
        print(f"  {'driver (Ray Data scheduling, progress)':45} {1000 * driver / rows:8.1f}")
        print(f"  {'outside the engine, total':45} {1000 * cpu_outside_engine(steps['main_pass']) / rows:8.1f}")
    else:
        print("(this build's manifest has no per-step figures)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=str(REPO / "configs/demo.yaml"))
    parser.add_argument("--prompts-per-clip", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--skip-meetings", action="store_true", help="only the demo's rows in part 1")
    parser.add_argument("--skip-run", action="store_true", help="no part 2 (the whole run)")
    parser.add_argument("--sides", default=",".join(SIDES), help=f"part 1's sides, in order (default {','.join(SIDES)})")
    args = parser.parse_args()
    config = load_config(args.config)
    config.prompts.per_clip = args.prompts_per_clip
    config.generation.sampling.max_tokens = args.max_tokens
    config.generation.engine.extra = {**config.generation.engine.extra, "disable_log_stats": False}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_run:
            dashboard = "with" if config.ray.include_dashboard else "without"
            print(f"Ray start alone ({config.ray.num_cpus} CPUs, {dashboard} its dashboard): {time_ray_start(config):.1f} s")
            whole_run(args.config, folder)
        sides = tuple(args.sides.split(","))
        engine_step("demo", config, sides)
        if not args.skip_meetings:
            meetings = meeting_config(args.config, folder)
            meetings.prompts.per_clip = 2
            meetings.generation.sampling.max_tokens = args.max_tokens
            meetings.generation.engine.extra = dict(config.generation.engine.extra)
            engine_step("meetings", meetings, sides)


if __name__ == "__main__":
    main()
