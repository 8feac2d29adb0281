"""Generation on Ray: the vLLM engine through `ray.data.llm`, between two pure row adapters.

The describe step has already templated and tokenized each row's messages (stages/tokenize_prompt.py,
which also checks the length), so `ray.data.llm` runs only the engine replicas, with continuous
batching, token ids in and token ids out: the checks step decodes the answers a batch at a time
(stages/decode_response.py), so no per-token decoding competes with the model for the engine's cores.
ray.data.llm's own chat-template, tokenize and detokenize steps stay off: each would be one more actor
pool loading the tokenizer and one more hop for every row.
Around the engine, `EngineRequest` turns a pipeline row into the engine's request (token ids + per-row
sampling parameters) and `EngineResult` turns the engine's answer back into pipeline columns.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import EngineResources, GenerationConfig, PlacementConfig, StepResources
from schemas import columns as c
from schemas.tables import COLUMN_TYPES

# Pipeline columns whose names ray.data.llm also uses for its own fields (`prompt`: the engine's text
# input, which it pops from the row; `messages`: its chat-template stage's): they travel under a private name meanwhile.
SHADOWED = {c.MESSAGES: "_pipeline_messages", c.PROMPT: "_pipeline_prompt"}
ENGINE_ENV = {
    # One in-process engine per replica: starts in seconds and needs no process spawning.
    "VLLM_ENABLE_V1_MULTIPROCESSING": "0",
    # vLLM on CPU keeps a core to itself unless told otherwise; Ray already accounts for cores.
    "VLLM_CPU_NUM_OF_RESERVED_CPU": "0",
}


def engine_kwargs(config: GenerationConfig) -> dict[str, Any]:
    engine = config.engine
    kwargs: dict[str, Any] = {
        "dtype": engine.dtype,
        "max_model_len": engine.max_model_len,
        "enforce_eager": engine.enforce_eager,
        "tensor_parallel_size": engine.tensor_parallel_size,
    }
    if engine.gpu_memory_utilization is not None:
        kwargs["gpu_memory_utilization"] = engine.gpu_memory_utilization
    if engine.kv_cache_memory_bytes is not None:
        kwargs["kv_cache_memory_bytes"] = engine.kv_cache_memory_bytes
    if engine.device == "cpu":
        # vLLM's CPU sampler cannot rewind a seeded generator after a partial (chunked) prefill
        # ("CPU Generator does not use offset"), and every row carries a seed.
        kwargs["enable_chunked_prefill"] = False
    return {**kwargs, **engine.extra}


def sampling_params(config: GenerationConfig, seed: int) -> dict[str, Any]:
    sampling = config.sampling
    return {
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "max_tokens": sampling.max_tokens,
        "repetition_penalty": sampling.repetition_penalty,
        "seed": int(seed),
        "detokenize": False,  # the checks step decodes (stages/decode_response.py)
    }


class EngineRequest:
    def __init__(self, config: GenerationConfig):
        self.config = config

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        request = {k: v for k, v in row.items() if k not in SHADOWED and k not in (c.LLM_MESSAGES, c.LLM_TOKEN_IDS)}
        request.update({private: row[name] for name, private in SHADOWED.items()})
        request["tokenized_prompt"] = [int(token) for token in row[c.LLM_TOKEN_IDS]]
        request["sampling_params"] = sampling_params(self.config, row[c.SAMPLING_SEED])
        return request


class EngineResult:
    def __init__(self, config: GenerationConfig, model_name: str):
        self.config, self.model_name = config, model_name

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        result = {k: v for k, v in row.items() if k in COLUMN_TYPES and k not in SHADOWED}
        result.update({name: row[private] for name, private in SHADOWED.items()})
        sampling = self.config.sampling
        result.update(
            {
                c.RESPONSE: row.get("generated_text") or "",
                c.RESPONSE_TOKEN_IDS: [int(token) for token in row.get("generated_tokens") or []],
                c.PROMPT_TOKENS: int(row.get("num_input_tokens") or 0),
                c.COMPLETION_TOKENS: int(row.get("num_generated_tokens") or 0),
                c.ENGINE_ERROR: row.get("__inference_error__") or "",
                c.MODEL: self.model_name,
                c.TEMPERATURE: sampling.temperature,
                c.TOP_P: sampling.top_p,
                c.MAX_TOKENS: sampling.max_tokens,
            }
        )
        return result


ENGINE_FAILURE = "__inference_error__"  # ray.data.llm's column for a row the engine failed


def with_engine_failures(batch: pa.Table) -> pa.Table:
    """Rows the engine failed skip the postprocess (ray.data.llm passes them through as they were): give
    them the columns the answer check reads, their error in `engine_error`, so they are quarantined with it."""
    for name in (c.RESPONSE, c.ENGINE_ERROR, c.COMPLETION_TOKENS, c.MAX_TOKENS):
        if name not in batch.column_names:
            batch = batch.append_column(pa.field(name, COLUMN_TYPES[name]), pa.nulls(batch.num_rows, COLUMN_TYPES[name]))
    if ENGINE_FAILURE in batch.column_names:
        failure = pc.cast(batch[ENGINE_FAILURE], pa.string())
        failed = pc.fill_null(pc.not_equal(failure, ""), False)
        error = pc.if_else(failed, failure, batch[c.ENGINE_ERROR])
        batch = batch.set_column(batch.column_names.index(c.ENGINE_ERROR), c.ENGINE_ERROR, error)
    return batch


def model_name(config: GenerationConfig) -> str:
    """The name recorded in every row: the Hub id, or the local folder's name."""
    return os.path.basename(config.model.rstrip("/")) if config.model.startswith("/") else config.model


def build_generation(
    config: GenerationConfig,
    helpers: StepResources | None = None,
    engine: EngineResources | None = None,
    result: type[EngineResult] = EngineResult,
):
    """Dataset -> Dataset with the engine's answer in pipeline columns: a `ray.data.llm` Processor over blocks
    of one engine batch (an engine task hands its answers on when its slowest row ends, so a block of a whole
    chunk of clips would hold every answer in it back until the last one).

    `helpers` places the two map steps around the engine (request, result);
    `engine` adds custom resources or memory to each replica's bundle (see config `placement:`)."""
    from ray.data.llm import build_processor, vLLMEngineProcessorConfig

    placement = PlacementConfig()
    helpers = helpers or placement.engine_helpers
    bundle = replica_bundle(config, engine or placement.engine)
    processor_config = vLLMEngineProcessorConfig(
        model_source=config.model,
        engine_kwargs=engine_kwargs(config),
        batch_size=config.batch_size,
        concurrency=config.replicas,
        max_concurrent_batches=config.max_concurrent_batches,
        runtime_env={"env_vars": dict(ENGINE_ENV)},
        placement_group_config={"bundle_per_worker": bundle},
        log_engine_metrics=False,  # needs ray[serve]; the run summary reports throughput instead
        should_continue_on_error=True,  # one bad row becomes a quarantined row, not a failed run
        chat_template_stage=False,  # done in the describe step (stages/tokenize_prompt.py)
        tokenize_stage=False,
        detokenize_stage=False,  # token ids out; the checks step decodes (stages/decode_response.py)
    )
    map_kwargs = helper_map_kwargs(helpers)
    processor = build_processor(
        processor_config,
        preprocess=EngineRequest(config),
        postprocess=result(config, model_name(config)),
        preprocess_map_kwargs=map_kwargs,
        postprocess_map_kwargs=map_kwargs,
    )
    return lambda ds: processor(ds.repartition(target_num_rows_per_block=config.batch_size))


def replica_bundle(config: GenerationConfig, engine: EngineResources) -> dict[str, float]:
    """The Ray resources of one engine worker; a replica has tensor_parallel_size of them (one GPU each on cuda)."""
    bundle = {"CPU": config.cpus_per_replica} if config.engine.device == "cpu" else {"GPU": 1, "CPU": config.cpus_per_replica}
    bundle.update(engine.resources)
    if engine.memory:
        bundle["memory"] = engine.memory
    return bundle


def helper_map_kwargs(resources: StepResources) -> dict[str, Any]:
    """Dataset.map arguments of the request and result steps around the engine, from their placement."""
    kwargs: dict[str, Any] = {"num_cpus": resources.num_cpus}
    if resources.concurrency is not None:  # at most this many tasks at once
        concurrency = resources.concurrency
        kwargs["concurrency"] = concurrency if isinstance(concurrency, int) else concurrency[1]
    if resources.memory:
        kwargs["memory"] = resources.memory
    if resources.resources:
        kwargs["resources"] = dict(resources.resources)
    return kwargs
