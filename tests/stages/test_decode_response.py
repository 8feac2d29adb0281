from pathlib import Path

import pyarrow as pa
import pytest

from schemas import columns as c
from schemas.tables import COLUMN_TYPES
from stages.decode_response import DecodeConfig, DecodeResponse
from stages.tokenize_prompt import load_tokenizer

MODEL = str(Path(__file__).resolve().parents[2] / ".models/SmolLM2-135M-Instruct")  # made by `make install`


def engine_rows(ids: list[list[int] | None], texts: list[str | None]) -> pa.Table:
    return pa.table({c.RESPONSE_TOKEN_IDS: pa.array(ids, COLUMN_TYPES[c.RESPONSE_TOKEN_IDS]), c.RESPONSE: pa.array(texts, pa.string())})


def test_token_ids_become_the_answer_s_text_without_special_tokens():
    tokenizer = load_tokenizer(MODEL)
    answers = ["A woman says \"Excuse me?\" in a calm voice.", "Two speakers; the second one laughs. 😊", "  spaced  out  "]
    ids = [tokenizer.encode(text, add_special_tokens=False) + [tokenizer.eos_token_id] for text in answers]  # the engine stops at EOS
    out = DecodeResponse(DecodeConfig(MODEL))(engine_rows(ids, [""] * 3))
    assert out[c.RESPONSE].to_pylist() == answers
    assert c.RESPONSE_TOKEN_IDS not in out.column_names  # the ids do not travel further


def test_a_row_without_ids_keeps_its_text_and_an_empty_answer_stays_empty():
    out = DecodeResponse(DecodeConfig(MODEL))(engine_rows([None, [], [load_tokenizer(MODEL).eos_token_id]], [None, "", ""]))
    assert out[c.RESPONSE].to_pylist() == [None, "", ""]


def test_the_ids_column_is_its_declared_input():
    with pytest.raises(KeyError, match="response_token_ids"):
        DecodeResponse(DecodeConfig(MODEL))(pa.table({c.RESPONSE: ["text"]}))
