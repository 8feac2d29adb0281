"""Model extractors on Ray: each configured extractor (a Hugging Face model, or a model shipped in a wheel:
`builtin:voice2gender`, `builtin:pocketsphinx`) becomes an actor pool that loads its model once per actor
and gets the CPUs and (fractional) GPUs its config declares."""

from __future__ import annotations

from typing import Callable

import pyarrow as pa

from pipeline.config import ExtractorConfig, RunConfig
from pipeline.quarantine import split_rejects
from stages.extract_with_model import ExtractorSpec, ExtractWithModel


def extractor_spec(extractor: ExtractorConfig) -> ExtractorSpec:
    return ExtractorSpec(
        model=extractor.model,
        kind=extractor.kind,
        attribute=extractor.attribute,
        batch_size=extractor.batch_size,
        device=extractor.device,
        domains=tuple(extractor.domains),
        max_new_tokens=extractor.max_new_tokens,
        name=extractor.name,
        sources=tuple(extractor.sources),
        language=extractor.language if isinstance(extractor.language, str) else None,
        languages=tuple(sorted(extractor.language.items())) if isinstance(extractor.language, dict) else (),
    )


class ExtractorActor:
    """One actor of an extractor's pool: the stage (its model loaded on the first batch), then
    rejected rows to quarantine as for every other stage."""

    def __init__(self, spec: ExtractorSpec, output_dir: str):
        self.stage = ExtractWithModel(spec)
        self.output_dir = output_dir

    def __call__(self, batch: pa.Table) -> pa.Table:
        return split_rejects(self.stage(batch), self.output_dir)


def extractor_stages(config: RunConfig) -> list[ExtractWithModel]:
    """The extractors as stages of the chain (for its column contract check), in config order."""
    return [ExtractWithModel(extractor_spec(extractor)) for extractor in config.attributes.extractors]


def extractor_steps(config: RunConfig, output_dir: str, actor: type = ExtractorActor) -> dict[str, Callable]:
    """{extractor name: `ds -> ds` step} for every configured extractor (empty when none is)."""
    import ray

    def step(extractor: ExtractorConfig) -> Callable:
        return lambda ds: ds.map_batches(
            actor,
            fn_constructor_kwargs={"spec": extractor_spec(extractor), "output_dir": output_dir},
            batch_size=extractor.batch_size,
            batch_format="pyarrow",
            num_cpus=extractor.num_cpus,
            num_gpus=extractor.num_gpus,
            compute=ray.data.ActorPoolStrategy(size=extractor.concurrency),
        )

    return {extractor.name: step(extractor) for extractor in config.attributes.extractors}
