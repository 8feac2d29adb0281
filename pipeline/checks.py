"""The post-generation checks: the one ordered list, built from `filters:`, and their place on Ray.

A row keeps the first flag it gets, so the order decides the reason a row is counted under: a refusal
that also loops is a refusal; a loop cut at the token budget is a repetition. Adding a check is one
file in `stages/`, one entry here and its section in `pipeline/config.py`'s `FiltersConfig`.
"""

from __future__ import annotations

import collections
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import FiltersConfig, RunConfig
from pipeline.generation import with_engine_failures
from pipeline.quarantine import split_rejects
from schemas import columns as c
from schemas.tables import CHECKED_SCHEMA
from stages.check_contradiction import CheckContradiction, ContradictionConfig
from stages.check_leak import CheckLeak, LeakConfig
from stages.check_refusal import CheckRefusal
from stages.check_repetition import CheckRepetition, RepetitionConfig
from stages.check_response import CheckResponse
from stages.check_trainer_length import CheckTrainerLength, TrainerLengthConfig
from stages.check_truncation import CheckTruncation, TruncationConfig
from stages.decode_response import DecodeConfig, DecodeResponse
from stages.checks.base import ResponseCheck

# (the check's key under `filters:` and its flag reason, its stage, its settings' dataclass or None)
POST_GENERATION_CHECKS: list[tuple[str, type[ResponseCheck], type | None]] = [
    ("refusal", CheckRefusal, None),
    ("leak", CheckLeak, LeakConfig),
    ("contradiction", CheckContradiction, ContradictionConfig),
    ("repetition", CheckRepetition, RepetitionConfig),
    ("truncated", CheckTruncation, TruncationConfig),
    ("too_long_for_trainer", CheckTrainerLength, TrainerLengthConfig),
]
REASONS = [key for key, _, _ in POST_GENERATION_CHECKS]


def build_checks(filters: FiltersConfig, tokenizer: str | None) -> list[ResponseCheck]:
    """The enabled checks, in order. `tokenizer` is the trainer's (too_long_for_trainer); without one
    (an audit with neither a config nor --tokenizer) that check cannot count and is left out."""
    checks = []
    for key, stage, settings in POST_GENERATION_CHECKS if filters.enabled else []:
        section = getattr(filters, key)
        if not section.enabled:
            continue
        values = section.model_dump(exclude={"enabled"})
        if stage is CheckTrainerLength:
            values["tokenizer"] = values["tokenizer"] or tokenizer
            if not values["tokenizer"]:
                continue
        checks.append(stage(settings(**values)) if settings else stage())
    return checks


def run_checks(table: pa.Table, checks: list[ResponseCheck]) -> pa.Table:
    """Every check over the batch in order; `flag`/`flag_detail` are there (null) even with none enabled."""
    if c.FLAG not in table.column_names:
        table = table.append_column(c.FLAG, pa.nulls(table.num_rows, pa.string()))
        table = table.append_column(c.FLAG_DETAIL, pa.nulls(table.num_rows, pa.string()))
    for check in checks:
        table = check(table)
    return table


def count_flags(flags: pa.ChunkedArray | pa.Array) -> dict[str, int]:
    counts = collections.Counter(v for v in flags.to_pylist() if v is not None)
    return {reason: counts[reason] for reason in REASONS + sorted(set(counts) - set(REASONS)) if counts[reason]}


def is_flagged(table: pa.Table) -> pa.ChunkedArray:
    return pc.is_valid(table[c.FLAG])


class CheckActor:
    """One actor of the checks pool: the engine's answer decoded (token ids to text, with the generating
    model's tokenizer `model`) and checked (engine errors and empty text to quarantine), then the response
    checks; every row leaves with flag, flag_detail and its attempt."""

    def __init__(self, filters: FiltersConfig, tokenizer: str | None, output_dir: str, attempt: int, model: str | None = None):
        self.checks = build_checks(filters, tokenizer)
        self.decode = DecodeResponse(DecodeConfig(model)) if model else None
        self.response = CheckResponse()
        self.output_dir, self.attempt = output_dir, attempt

    def __call__(self, batch: pa.Table) -> pa.Table:
        if not batch.num_rows:  # an empty block passes the engine untouched, without its columns
            return CHECKED_SCHEMA.append(pa.field(c.UNIT, pa.string())).empty_table()
        batch = with_engine_failures(batch)
        if c.RESPONSE_TOKEN_IDS in batch.column_names:
            if self.decode is None:
                raise ValueError("the engine's answers came as token ids but the checks were given no model to decode them with")
            batch = self.decode(batch)
        batch = run_checks(split_rejects(self.response(batch), self.output_dir), self.checks)
        return batch.append_column(c.ATTEMPT, pa.array([self.attempt] * batch.num_rows, pa.int64()))


def check_step(config: RunConfig, output_dir: str, attempt: int = 1) -> Callable:
    """`ds -> ds`: the checks after the engine, placed by `placement.checks` (pipeline/steps.py)."""
    from pipeline import steps

    return lambda ds: steps.apply(ds, steps.checks_step(config, output_dir, attempt), config)
