"""Model extractors on Ray: each configured extractor (a Hugging Face model, or a model shipped in a wheel:
`builtin:voice2gender`, `builtin:pocketsphinx`) becomes an actor pool that loads its model once per actor
and gets the CPUs and (fractional) GPUs its config declares."""

from __future__ import annotations

from typing import Callable

import pyarrow as pa

from pipeline.config import ExtractorConfig, RunConfig, StepResources
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


def extractor_resources(extractor: ExtractorConfig) -> StepResources:
    """An extractor's placement (CPUs, GPUs, memory, custom resources, pool size, batch size) as a step's."""
    return StepResources(**extractor.model_dump(include=set(StepResources.model_fields)))


def extractor_steps(config: RunConfig, output_dir: str, actor: type = ExtractorActor) -> dict[str, Callable]:
    """{extractor name: `ds -> ds` step} for every configured extractor (empty when none is), placed as the
    run places them (pipeline/steps.py)."""
    from pipeline.steps import ray_arguments

    def step(extractor: ExtractorConfig) -> Callable:
        kwargs = ray_arguments(extractor_resources(extractor), "actors")
        init = {"spec": extractor_spec(extractor), "output_dir": output_dir}
        return lambda ds: ds.map_batches(actor, fn_constructor_kwargs=init, batch_format="pyarrow", **kwargs)

    return {extractor.name: step(extractor) for extractor in config.attributes.extractors}
