from pathlib import Path

import pyarrow as pa

from schemas import columns as c
from schemas.tables import COLUMN_TYPES
from stages.check_length import CheckLength, LengthConfig

MODEL = str(Path(__file__).resolve().parents[2] / ".models/SmolLM2-135M-Instruct")  # made by `make install`


def messages(text: str) -> list[dict]:
    return [{"role": "system", "content": "Be brief.", "audios": None}, {"role": "user", "content": text, "audios": None}]


def check(texts: list[str], max_model_len: int = 256, max_tokens: int = 64) -> list[dict]:
    table = pa.table({c.LLM_MESSAGES: pa.array([messages(t) for t in texts], COLUMN_TYPES[c.LLM_MESSAGES])})
    return CheckLength(LengthConfig(MODEL, max_model_len, max_tokens))(table).to_pylist()


def test_rows_that_fit_pass_untouched():
    rows = check(["What can you hear?", "Describe the audio in one sentence."])
    assert all(c.KEEP not in row for row in rows)


def test_a_100k_character_transcript_is_dropped_before_the_engine():
    rows = check(["short question", "word " * 20_000, "another short one"], max_model_len=2048, max_tokens=96)
    assert [row[c.KEEP] for row in rows] == [True, False, True]
    assert rows[1][c.DROP_REASON] == "prompt_too_long"
    assert "2048" in rows[1][c.DROP_DETAIL]


def test_the_response_budget_counts_against_the_context():
    text = "one two three four five six seven eight nine ten " * 8  # ~100 tokens with the template
    assert check([text], max_model_len=256, max_tokens=64)[0].get(c.KEEP, True) is True
    row = check([text], max_model_len=256, max_tokens=200)[0]
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "prompt_too_long")
