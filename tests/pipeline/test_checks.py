"""pipeline/checks.py without Ray: the ordered list built from `filters:`, and the actor that follows the engine."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.checks import POST_GENERATION_CHECKS, REASONS, CheckActor, build_checks, count_flags
from pipeline.config import FiltersConfig
from schemas import columns as c
from schemas.tables import CHECKED_SCHEMA

REPO = Path(__file__).resolve().parents[2]

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


def test_the_actor_decodes_the_engine_s_token_ids_before_checking(tmp_path):
    """The engine answers in token ids (its detokenizer off); the checks see the decoded text."""
    from schemas.tables import COLUMN_TYPES
    from stages.tokenize_prompt import load_tokenizer

    model = str(REPO / ".models/SmolLM2-135M-Instruct")
    tokenizer = load_tokenizer(model)
    answers = ["He warns someone that the floor is wet.", "She warns someone that the floor is wet."]
    ids = [tokenizer.encode(text, add_special_tokens=False) + [tokenizer.eos_token_id] for text in answers]
    rows = engine_rows(*[("", "", len(t)) for t in ids]).append_column(
        pa.field(c.RESPONSE_TOKEN_IDS, COLUMN_TYPES[c.RESPONSE_TOKEN_IDS]), pa.array(ids, COLUMN_TYPES[c.RESPONSE_TOKEN_IDS]))
    out = CheckActor(FiltersConfig(too_long_for_trainer={"enabled": False}), None, str(tmp_path), attempt=1, model=model)(rows)
    assert out[c.RESPONSE].to_pylist() == answers and out[c.FLAG].to_pylist() == [None, "contradiction"]
    with pytest.raises(ValueError, match="no model to decode"):
        CheckActor(FiltersConfig(), None, str(tmp_path), attempt=1)(rows)


def test_an_empty_block_leaves_with_the_committed_columns(tmp_path):
    out = CheckActor(FiltersConfig(), None, str(tmp_path), attempt=1)(pa.table({c.ID: pa.array([], pa.string())}))
    assert out.num_rows == 0 and set(CHECKED_SCHEMA.names) | {c.UNIT} == set(out.column_names)


def test_rows_the_engine_failed_are_quarantined_with_its_error(tmp_path):
    """ray.data.llm passes a failed row through without the postprocess: no response, its error in
    `__inference_error__`; a batch may hold only such rows."""
    failed = pa.table({c.ID: ["demo/c#0"], c.SOURCE: ["demo"], c.UNIT: ["demo/000000"], c.CLIP_ID: ["demo/c"], c.INPUT_REF: ["m:1"],
                       c.SEED_DESCRIPTION: [SEED], "__inference_error__": ["VLLMValidationError: bad request"]})  # fmt: skip
    out = CheckActor(FiltersConfig(), None, str(tmp_path), attempt=1)(failed)
    assert out.num_rows == 0
    quarantined = pq.read_table(tmp_path / "quarantine").to_pylist()
    assert [(q[c.CLIP_ID], q[c.DROP_REASON], q[c.DROP_DETAIL]) for q in quarantined] == [("demo/c#0", "engine_error", "VLLMValidationError: bad request")]


def test_a_retry_drops_the_engine_s_columns_and_takes_its_attempt_s_seed():
    from pipeline.retries import ENGINE_OUTPUTS, prepare_retry
    from stages.build_messages import BuildMessages
    from stages.sample_prompts import sampling_seed

    rows = BuildMessages()(pa.table({c.ID: ["demo/a#0", "demo/b#0"], c.PROMPT: ["Who speaks?"] * 2, c.SEED_DESCRIPTION: [SEED] * 2,
                                     c.AUDIO_PATH: ["a.wav"] * 2, c.TRANSCRIPT: ["Watch out"] * 2}))  # fmt: skip
    committed = pa.table({**{name: rows[name] for name in rows.column_names if name != c.LLM_MESSAGES},
                          c.MODEL: ["SmolLM2"] * 2, c.RESPONSE: ["old", "old"], c.FLAG: ["leak", None], c.FLAG_DETAIL: ["x", None],
                          c.ATTEMPT: [1, 1], c.SAMPLING_SEED: [1, 2]})  # fmt: skip
    retry = prepare_retry(committed, pa.array(["demo/a#0"]), seed=1234, attempt=2)
    assert retry[c.ID].to_pylist() == ["demo/a#0"] and not set(ENGINE_OUTPUTS) & set(retry.column_names)
    assert retry[c.SAMPLING_SEED].to_pylist() == [sampling_seed(1234, "demo/a#0", 2)] != [sampling_seed(1234, "demo/a#0")]
    assert retry[c.LLM_MESSAGES].to_pylist() == rows[c.LLM_MESSAGES].to_pylist()[:1]

    # With the describe step's tokenizer, the retry carries the token ids the engine takes, as the first pass did.
    from stages.tokenize_prompt import TokenizeConfig, TokenizePrompt

    tokenize = TokenizePrompt(TokenizeConfig(str(REPO / ".models/SmolLM2-135M-Instruct"), 2048, 96))
    tokenized = prepare_retry(committed, pa.array(["demo/a#0"]), seed=1234, attempt=2, tokenize=tokenize)
    assert tokenized[c.LLM_TOKEN_IDS].to_pylist() == tokenize(rows.slice(0, 1))[c.LLM_TOKEN_IDS].to_pylist()
    assert len(tokenized[c.LLM_TOKEN_IDS][0]) > 10
