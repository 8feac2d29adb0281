"""Generation throughput: the pipeline's generate stage (ray.data.llm on Ray) vs raw `vllm.LLM.chat`.

Both sides get the same rows (demo clips x sampled prompts, built by the pipeline's own stages), the
same engine settings and the same per-row sampling parameters, in one run on the same machine.
Two figures per side:
- engine-busy tok/s: generated tokens / (last token - first request scheduled), from the engine's own
  per-request timestamps: how busy the pipeline keeps the engine compared with one ideal batch;
- end-to-end tok/s: generated tokens / wall time including engine start (and Ray scheduling).

    python benchmarks/generation.py [--config configs/demo.yaml] [--prompts-per-clip 6] [--max-tokens 64]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pyarrow as pa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.config import load_config  # noqa: E402
from pipeline.generation import EngineRequest, EngineResult, build_generation, engine_kwargs  # noqa: E402
from pipeline.runner import source_specs, pre_generation_stages  # noqa: E402
from schemas import columns as c  # noqa: E402
from stages.ingest_manifest import IngestManifest  # noqa: E402


def benchmark_rows(config) -> pa.Table:
    """The rows the engine would see in a real run of this config, made by the pipeline's stages."""
    tables = [t for source in source_specs(config) for t in IngestManifest().read(source)]
    table = pa.concat_tables(tables)
    for stage in pre_generation_stages(config):
        table = stage(table)
    return table.filter(table[c.KEEP]) if c.KEEP in table.column_names else table


def busy_window(metrics: list[dict | None]) -> float | None:
    stats = [m for m in metrics if m and m.get("last_token_ts")]
    if len(stats) < len(metrics):
        return None
    return max(m["last_token_ts"] for m in stats) - min(m["scheduled_ts"] for m in stats)


def run_raw(config, rows: list[dict]) -> dict:
    from vllm import LLM, SamplingParams

    os.environ.update({"VLLM_ENABLE_V1_MULTIPROCESSING": "0", "VLLM_CPU_NUM_OF_RESERVED_CPU": "0"})
    started = time.perf_counter()
    llm = LLM(config.generation.model, disable_log_stats=False, **engine_kwargs(config.generation))
    request = EngineRequest(config.generation)
    requests = [request(row) for row in rows]
    params = [SamplingParams(**r["sampling_params"]) for r in requests]
    generate_started = time.perf_counter()
    outputs = llm.chat([r["messages"] for r in requests], params, use_tqdm=False)
    finished = time.perf_counter()
    tokens = sum(len(o.outputs[0].token_ids) for o in outputs)
    window = busy_window([vars(o.metrics) if o.metrics else None for o in outputs]) or (finished - generate_started)
    del llm
    return {"tokens": tokens, "busy_s": window, "wall_s": finished - started}


def run_pipeline(config, rows: pa.Table) -> dict:
    import ray

    config.generation.engine.extra = {**config.generation.engine.extra, "disable_log_stats": False}
    ray.init(num_cpus=config.ray.num_cpus, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    dataset = ray.data.from_arrow(rows)
    started = time.perf_counter()
    processor = build_generation(config.generation, result=EngineResultWithMetrics)
    out = processor(dataset).select_columns([c.COMPLETION_TOKENS, "metrics"]).take_all()
    finished = time.perf_counter()
    metrics = [row["metrics"] for row in out]
    tokens = sum(int(row[c.COMPLETION_TOKENS]) for row in out)
    ray.shutdown()
    return {"tokens": tokens, "busy_s": busy_window(metrics) or (finished - started), "wall_s": finished - started}


class EngineResultWithMetrics(EngineResult):
    """The pipeline's postprocess, also keeping the engine's per-request timestamps for the measurement."""

    def __call__(self, row):
        return {**super().__call__(row), "metrics": row.get("metrics")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=str(REPO / "configs/demo.yaml"))
    parser.add_argument("--prompts-per-clip", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=64)
    args = parser.parse_args()
    config = load_config(args.config)
    config.prompts.per_clip = args.prompts_per_clip
    config.generation.sampling.max_tokens = args.max_tokens
    rows = benchmark_rows(config)
    print(f"rows: {rows.num_rows}, max_tokens: {args.max_tokens}, model: {config.generation.model}")

    raw = run_raw(config, rows.to_pylist())
    pipeline = run_pipeline(config, rows)
    print(f"{'':10} {'tokens':>8} {'busy s':>8} {'busy tok/s':>11} {'wall s':>8} {'wall tok/s':>11}")
    for name, r in (("raw vLLM", raw), ("pipeline", pipeline)):
        print(f"{name:10} {r['tokens']:>8} {r['busy_s']:>8.1f} {r['tokens'] / r['busy_s']:>11.1f} "
              f"{r['wall_s']:>8.1f} {r['tokens'] / r['wall_s']:>11.1f}")  # fmt: skip
    busy = (pipeline["tokens"] / pipeline["busy_s"]) / (raw["tokens"] / raw["busy_s"])
    wall = (pipeline["tokens"] / pipeline["wall_s"]) / (raw["tokens"] / raw["wall_s"])
    print(f"ratio pipeline/raw: engine-busy {busy:.2f}, end-to-end {wall:.2f}")


if __name__ == "__main__":
    main()
