"""The chain of a run as one list of steps, and the one place that turns a step into Ray Data calls.

A step is a name (its key under `placement:` in the config, or an extractor's name), what it runs and the
resources it runs with. The chain is: ingest -> probe -> measure -> extractors -> cut (a segment of a longer
file becomes its own 16 kHz FLAC file under output.segments_dir) -> describe (seed description,
prompts, the resume filter, messages, the prompt-length check, fused in one task) -> generation (engine
replicas and their helper steps) -> checks -> commit. Stages stay pure (`stages/`); rejected rows leave
for quarantine after every stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Literal

import pyarrow as pa

from pipeline.config import RunConfig, StepResources
from pipeline.extractors import ExtractorActor, extractor_resources, extractor_spec, extractor_stages
from stages.extract_with_model import ExtractWithModel
from pipeline.progress import commit_part, skip_committed, unit_name
from pipeline.quarantine import split_rejects
from pipeline.run_status import PlanRecorder
from pipeline.sources import source_specs
from schemas import columns as c
from stages.base import Stage
from stages.build_messages import BuildMessages, MessagesConfig
from stages.check_response import CheckResponse
from stages.cut_segments import CutConfig, CutSegments
from stages.decode_response import DecodeConfig, DecodeResponse
from stages.describe_clip import DescribeClip
from stages.ingest_manifest import IngestManifest, SourceSpec
from stages.probe_audio import ProbeAudio, ProbeConfig
from stages.sample_prompts import PromptsConfig, SamplePrompts
from stages.select_clips import ClipBudget, SelectClips, fit_cutoff
from stages.tokenize_prompt import TokenizeConfig, TokenizePrompt


@dataclass
class Step:
    """One Ray Data operator: `run` over pyarrow batches with `resources`.

    kind "tasks": `run` is a function of a batch. kind "actors": `run` is a class built once per actor with
    `init` (a model loads once). kind "engine": the LLM processor, placed by the generation config.
    """

    name: str
    kind: Literal["tasks", "actors", "engine"]
    resources: StepResources
    run: Callable | None = None
    init: dict[str, Any] = field(default_factory=dict)
    stages: list[Stage] = field(default_factory=list)  # the pure stages it runs, for the column contract check


# ---- what each step runs: thin adapters from Ray's batches to the pure stages --------------------------


def ingest_sources(batch: pa.Table, sources: list[SourceSpec], output_dir: str, chunk_rows: int, run_token: str, per_clip: int,
                   budgets: list[ClipBudget] | None = None, seed: int = 0, per_source: dict[str, int] | None = None):
    reader = IngestManifest(chunk_rows=chunk_rows)
    for index in batch["source_index"].to_pylist():
        source, budget = sources[index], budgets[index] if budgets else ClipBudget()
        # A budget is applied here, for every source alike; caps on clips or hours read the source once first.
        select = SelectClips(fit_cutoff(reader.read(source), budget, seed)) if budget.limited else None
        plan = PlanRecorder(output_dir, source.name, (per_source or {}).get(source.name, per_clip))  # rows planned: progress, `status`
        for chunk, table in enumerate(reader.read(source)):  # chunks (units) are numbered before selection
            table = select(table) if select else table
            table = table.append_column(c.UNIT, pa.array([unit_name(source.name, chunk)] * table.num_rows, pa.string()))
            accepted = split_rejects(table, output_dir)
            plan.add(accepted.num_rows)
            pending = skip_committed(accepted, output_dir, run_token, per_clip, per_source)
            if pending.num_rows:
                yield pending
        plan.finish()


def run_stages(batch: pa.Table, stages: list[Callable[[pa.Table], pa.Table]], output_dir: str) -> pa.Table:
    """Stages in order over one batch, rejected rows to quarantine after each."""
    for stage in stages:
        if batch.num_rows == 0:
            break
        batch = split_rejects(stage(batch), output_dir)
    return batch


class ResumeFilter:
    """Drops rows already committed by an earlier run of this config (a clip may be half done)."""

    name = "resume"

    def __init__(self, output_dir: str, run_token: str, per_clip: int, per_source: dict[str, int] | None = None):
        self.output_dir, self.run_token, self.per_clip, self.per_source = output_dir, run_token, per_clip, per_source

    def __call__(self, batch: pa.Table) -> pa.Table:
        return skip_committed(batch, self.output_dir, self.run_token, self.per_clip, self.per_source)


# ---- the chain ----------------------------------------------------------------------------------------


def measure_stages(config: RunConfig) -> list[Stage]:
    if not config.attributes.enabled:
        return []
    from stages.measure_acoustics import AcousticsConfig, MeasureAcoustics

    return [MeasureAcoustics(AcousticsConfig(bins=config.attributes.bins, words=tuple(config.attributes.words)))]


def describe_stages(config: RunConfig) -> list[Stage]:
    """Seed description to the LLM's messages: cheap per row, so one task runs them all."""
    generation = config.generation
    measured = bool(measure_stages(config) or config.attributes.extractors)
    stages = [
        DescribeClip(measured=measured),
        SamplePrompts(PromptsConfig(per_clip=config.prompts.per_clip, seed=config.seed, pools=config.prompts.pools or None,
                                    per_source=config.prompts_per_source())),
        BuildMessages(MessagesConfig(system_prompt=generation.system_prompt, user_template=generation.user_template)),
    ]
    stages.append(tokenize_stage(config))
    return stages


def tokenize_stage(config: RunConfig) -> TokenizePrompt:
    generation = config.generation
    return TokenizePrompt(TokenizeConfig(generation.model, generation.engine.max_model_len, generation.sampling.max_tokens,
                                         check=generation.check_prompt_length))  # fmt: skip


def cut_stage(config: RunConfig, output_dir: str) -> CutSegments:
    """Segment clips to their own files under output.segments_dir (default <output>/audio), paths relative to data_root."""
    return CutSegments(CutConfig(destination=config.output.segments_dir or f"{output_dir.rstrip('/')}/audio", relative_to=config.data_root))


def pre_generation_stages(config: RunConfig) -> list[Stage]:
    """Every pure stage before the engine, in order (the column contract is checked over this list)."""
    return [ProbeAudio(ProbeConfig(min_duration_s=config.min_duration_s)), *measure_stages(config),
            *extractor_stages(config), cut_stage(config, config.output.dir), *describe_stages(config)]  # fmt: skip


def checks_step(config: RunConfig, output_dir: str, attempt: int = 1) -> Step:
    """The engine's answer decoded and checked, then the response checks (pipeline/checks.py holds their one
    list): an actor pool, since the tokenizers load once per actor."""
    from pipeline.checks import CheckActor

    model = config.generation.model
    init = {"filters": config.filters, "tokenizer": model, "output_dir": output_dir, "attempt": attempt, "model": model}
    return Step("checks", "actors", config.placement.checks, CheckActor, init, [DecodeResponse(DecodeConfig(model)), CheckResponse()])


def chain(config: RunConfig, output_dir: str, run_token: str) -> list[Step]:
    """The run as a list of steps, each with the resources the config gives it."""
    placement = config.placement
    sources = source_specs(config)
    per_clip = config.prompts.per_clip
    steps = [
        Step(
            "ingest",
            "tasks",
            placement.ingest.model_copy(update={"batch_size": 1}),  # one source per task; ingest.batch_size is the chunk
            partial(ingest_sources, sources=sources, output_dir=output_dir, chunk_rows=placement.ingest.batch_size,
                    run_token=run_token, per_clip=per_clip, budgets=[source.clip_budget() for source in config.sources],
                    seed=config.seed, per_source=config.prompts_per_source()),  # fmt: skip
        ),
        _stages_step("probe", placement.probe, [ProbeAudio(ProbeConfig(min_duration_s=config.min_duration_s))], output_dir),
    ]
    if measured := measure_stages(config):
        steps.append(_stages_step("measure", placement.measure, measured, output_dir))
    for extractor in config.attributes.extractors:  # an actor pool each: the model loads once per actor
        spec = extractor_spec(extractor)
        steps.append(Step(extractor.name, "actors", extractor_resources(extractor), ExtractorActor, {"spec": spec, "output_dir": output_dir}, [ExtractWithModel(spec)]))
    steps.append(_stages_step("cut", placement.cut, [cut_stage(config, output_dir)], output_dir))
    describe = describe_stages(config)
    resume = ResumeFilter(output_dir, run_token, per_clip, config.prompts_per_source())  # after prompts: row ids exist from there on
    runs = [*describe[:2], resume, *describe[2:]]
    steps.append(Step("describe", "tasks", placement.describe, partial(run_stages, stages=runs, output_dir=output_dir), stages=describe))
    steps.append(Step("engine", "engine", placement.engine_helpers))
    steps.append(checks_step(config, output_dir))
    steps.append(Step("commit", "tasks", commit_resources(config), partial(commit_part, output_dir=output_dir, compression=config.output.compression)))
    return steps


def commit_resources(config: RunConfig) -> StepResources:
    """The commit step's placement, its batch being a committed part (output.rows_per_commit rows)."""
    return config.placement.commit.model_copy(update={"batch_size": config.output.rows_per_commit})


def _stages_step(name: str, resources: StepResources, stages: list[Stage], output_dir: str) -> Step:
    return Step(name, "tasks", resources, partial(run_stages, stages=stages, output_dir=output_dir), stages=stages)


# ---- onto Ray Data --------------------------------------------------------------------------------------


def ray_arguments(resources: StepResources, kind: str) -> dict[str, Any]:
    """map_batches arguments of a step: the only place resources become Ray's."""
    kwargs: dict[str, Any] = {"batch_size": resources.batch_size, "num_cpus": resources.num_cpus}
    if resources.num_gpus:
        kwargs["num_gpus"] = resources.num_gpus
    if resources.memory:
        kwargs["memory"] = resources.memory
    if resources.resources:
        kwargs["resources"] = dict(resources.resources)
    concurrency = resources.concurrency
    if kind == "actors":
        import ray

        low, high = concurrency if isinstance(concurrency, tuple) else (concurrency or 1,) * 2
        kwargs["compute"] = ray.data.ActorPoolStrategy(min_size=low, max_size=high)
    elif concurrency is not None:
        kwargs["concurrency"] = concurrency if isinstance(concurrency, int) else concurrency[1]
    return kwargs


def apply(ds, step: Step, config: RunConfig, generation=None):
    """`generation` replaces config.generation for the engine step (a retry's sampling)."""
    if step.kind == "engine":
        from pipeline.generation import build_generation

        return build_generation(generation or config.generation, helpers=step.resources, engine=config.placement.engine)(ds)
    kwargs = ray_arguments(step.resources, step.kind)
    if step.kind == "actors":
        kwargs["fn_constructor_kwargs"] = step.init
        return ds.map_batches(step.run, batch_format="pyarrow", **kwargs)
    return ds.map_batches(named(step.name, step.run), batch_format="pyarrow", **kwargs)


def named(name: str, fn: Callable) -> Callable:
    """`fn` under the step's name: Ray Data names the operator, its stats and its log after it."""

    def run(batch):
        return fn(batch)

    run.__name__ = run.__qualname__ = name
    return run


def build_dataset(config: RunConfig, output_dir: str, run_token: str):
    """The whole chain as one lazy Ray Dataset; iterating it runs the build."""
    import ray

    ds = ray.data.from_items([{"source_index": i} for i in range(len(config.sources))], override_num_blocks=len(config.sources))
    for step in chain(config, output_dir, run_token):
        ds = apply(ds, step, config)
    return ds
