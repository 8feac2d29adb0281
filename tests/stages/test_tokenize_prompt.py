from pathlib import Path

import pyarrow as pa

from schemas import columns as c
from schemas.tables import COLUMN_TYPES
from stages.tokenize_prompt import TokenizeConfig, TokenizePrompt, load_tokenizer

MODEL = str(Path(__file__).resolve().parents[2] / ".models/SmolLM2-135M-Instruct")  # made by `make install`


def messages(text: str) -> list[dict]:
    return [{"role": "system", "content": "Be brief.", "audios": None}, {"role": "user", "content": text, "audios": None}]


def tokenize(texts: list[str], max_model_len: int = 256, max_tokens: int = 64, check: bool = True) -> list[dict]:
    table = pa.table({c.LLM_MESSAGES: pa.array([messages(t) for t in texts], COLUMN_TYPES[c.LLM_MESSAGES])})
    return TokenizePrompt(TokenizeConfig(MODEL, max_model_len, max_tokens, check=check))(table).to_pylist()


def test_the_ids_are_the_templated_prompt_as_the_model_would_read_it():
    rows = tokenize(["What can you hear?", "Describe the audio in one sentence."])
    assert all(c.KEEP not in row for row in rows)
    tokenizer = load_tokenizer(MODEL)
    for row, text in zip(rows, ["What can you hear?", "Describe the audio in one sentence."]):
        templated = tokenizer.apply_chat_template([{"role": "system", "content": "Be brief."}, {"role": "user", "content": text}],
                                                  tokenize=False, add_generation_prompt=True)  # fmt: skip
        assert tokenizer.decode(row[c.LLM_TOKEN_IDS]) == templated
        assert templated.endswith("<|im_start|>assistant\n") and text in templated
    assert rows[0][c.LLM_TOKEN_IDS] != rows[1][c.LLM_TOKEN_IDS]


def test_a_100k_character_transcript_is_dropped_before_the_engine():
    rows = tokenize(["short question", "word " * 20_000, "another short one"], max_model_len=2048, max_tokens=96)
    assert [row[c.KEEP] for row in rows] == [True, False, True]
    assert rows[1][c.DROP_REASON] == "prompt_too_long" and rows[1][c.DROP_STAGE] == "tokenize"
    assert "2048" in rows[1][c.DROP_DETAIL]
    assert rows[1][c.LLM_TOKEN_IDS] is None and len(rows[0][c.LLM_TOKEN_IDS]) > 5


def test_the_response_budget_counts_against_the_context():
    text = "one two three four five six seven eight nine ten " * 8  # ~100 tokens with the template
    assert tokenize([text], max_model_len=256, max_tokens=64)[0].get(c.KEEP, True) is True
    row = tokenize([text], max_model_len=256, max_tokens=200)[0]
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "prompt_too_long")
    assert row[c.DROP_DETAIL].startswith(f"{len(tokenize([text])[0][c.LLM_TOKEN_IDS])} prompt tokens + 200 response tokens")


def test_without_the_check_every_row_is_tokenized_and_kept():
    rows = tokenize(["short question", "word " * 2_000], max_model_len=256, max_tokens=64, check=False)
    assert all(c.KEEP not in row for row in rows)
    assert len(rows[1][c.LLM_TOKEN_IDS]) > 2_000  # over the context: the engine refuses it, one row
