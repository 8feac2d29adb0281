"""pipeline/checks.py without Ray: the ordered list built from `filters:`, and the actor that follows the engine."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.checks import POST_GENERATION_CHECKS, REASONS, CheckActor, build_checks, count_flags
from pipeline.config import FiltersConfig
from schemas import columns as c
from schemas.tables import CHECKED_SCHEMA

SEED = "[00:00-00:03] Watch out, the floor is wet! (Gender: Male, Emotion: Neutral, Duration: 3s)"


def engine_rows(*answers: tuple[str, str, int]) -> pa.Table:
    """Rows as the engine hands them back: (response, engine error, completion tokens) each, budget 32."""
    n = len(answers)
    return pa.table({
        c.ID: [f"demo/c#{i}" for i in range(n)], c.SOURCE: ["demo"] * n, c.UNIT: ["demo/000000"] * n, c.CLIP_ID: ["demo/c"] * n,
        c.INPUT_REF: ["m.jsonl:1"] * n, c.SEED_DESCRIPTION: [SEED] * n, c.PROMPT: ["Describe the speaker."] * n,
        c.RESPONSE: [a[0] for a in answers], c.ENGINE_ERROR: [a[1] for a in answers],
        c.COMPLETION_TOKENS: pa.array([a[2] for a in answers], pa.int64()), c.MAX_TOKENS: pa.array([32] * n, pa.int64()),
    })  # fmt: skip


def test_the_list_is_the_one_place_and_its_order_is_the_reasons():
    assert REASONS == ["refusal", "leak", "contradiction", "repetition", "truncated", "too_long_for_trainer"]
    assert [type(check).name for check in build_checks(FiltersConfig(), "tokenizer")] == REASONS
    assert [key for key, _, _ in POST_GENERATION_CHECKS] == [stage.name for _, stage, _ in POST_GENERATION_CHECKS]
    filters = FiltersConfig.model_validate({"leak": {"enabled": False}, "repetition": {"max_sentence_repeats": 5}})
    checks = build_checks(filters, None)  # no tokenizer: too_long_for_trainer cannot count and is left out
    assert [check.name for check in checks] == ["refusal", "contradiction", "repetition", "truncated"]
    assert checks[2].config.max_sentence_repeats == 5
    assert build_checks(FiltersConfig(enabled=False), "tokenizer") == []


def test_the_actor_quarantines_engine_failures_and_flags_the_rest_with_the_attempt(tmp_path):
    actor = CheckActor(FiltersConfig(too_long_for_trainer={"enabled": False}), None, str(tmp_path), attempt=2)
    out = actor(engine_rows(
        ("He warns someone that the floor is wet.", "", 10),
        ("She warns someone that the floor is wet.", "", 10),
        ("", "engine exploded", 0),
        ("He says the floor is wet and", "", 32),
    ))  # fmt: skip
    assert out[c.ID].to_pylist() == ["demo/c#0", "demo/c#1", "demo/c#3"]
    assert out[c.FLAG].to_pylist() == [None, "contradiction", "truncated"]
    assert out[c.ATTEMPT].to_pylist() == [2, 2, 2] and out[c.FINISH_REASON].to_pylist() == ["stop", "stop", "length"]
    quarantined = pq.read_table(tmp_path / "quarantine")
    assert quarantined[c.DROP_REASON].to_pylist() == ["engine_error"] and quarantined[c.CLIP_ID].to_pylist() == ["demo/c#2"]
    assert count_flags(out[c.FLAG]) == {"contradiction": 1, "truncated": 1}


def test_an_empty_block_leaves_with_the_committed_columns(tmp_path):
    out = CheckActor(FiltersConfig(), None, str(tmp_path), attempt=1)(pa.table({c.ID: pa.array([], pa.string())}))
    assert out.num_rows == 0 and set(CHECKED_SCHEMA.names) | {c.UNIT} == set(out.column_names)
