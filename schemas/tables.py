"""Arrow schemas of the tables that flow between stages and of the tables written to disk."""

from __future__ import annotations

import pyarrow as pa

from schemas import columns as c

AUDIO_REF_TYPE = pa.struct([("audio", pa.string()), ("text", pa.string())])
MESSAGE_TYPE = pa.struct(
    [("role", pa.string()), ("content", pa.string()), ("audios", pa.list_(AUDIO_REF_TYPE))]
)
MESSAGES_TYPE = pa.list_(MESSAGE_TYPE)

# Column -> type for every column any stage reads or writes. Stage contracts name columns from here.
COLUMN_TYPES: dict[str, pa.DataType] = {
    c.SOURCE: pa.string(),
    c.DOMAIN: pa.string(),
    c.CLIP_ID: pa.string(),
    c.INPUT_REF: pa.string(),
    c.UNIT: pa.string(),
    c.AUDIO_PATH: pa.string(),
    c.AUDIO_URI: pa.string(),
    c.START_S: pa.float64(),
    c.END_S: pa.float64(),
    c.TRANSCRIPT: pa.string(),
    c.LABELS: pa.list_(pa.string()),
    c.CAPTION: pa.string(),
    c.ATTRIBUTES: pa.string(),
    c.TURNS: pa.string(),
    c.DECLARED_DURATION_S: pa.float64(),
    c.DURATION_S: pa.float64(),
    c.SAMPLE_RATE: pa.int64(),
    c.CHANNELS: pa.int64(),
    c.SEED_DESCRIPTION: pa.string(),
    c.METADATA: pa.string(),
    c.ID: pa.string(),
    c.PROMPT_INDEX: pa.int64(),
    c.PROMPT_ID: pa.string(),
    c.PROMPT: pa.string(),
    c.MESSAGES: MESSAGES_TYPE,
    c.LLM_MESSAGES: MESSAGES_TYPE,
    c.LLM_TOKEN_IDS: pa.list_(pa.int32()),
    c.SAMPLING_SEED: pa.int64(),
    c.RESPONSE: pa.string(),
    c.RESPONSE_TOKEN_IDS: pa.list_(pa.int32()),
    c.MODEL: pa.string(),
    c.TEMPERATURE: pa.float64(),
    c.TOP_P: pa.float64(),
    c.MAX_TOKENS: pa.int64(),
    c.FINISH_REASON: pa.string(),
    c.PROMPT_TOKENS: pa.int64(),
    c.COMPLETION_TOKENS: pa.int64(),
    c.ENGINE_ERROR: pa.string(),
    c.KEEP: pa.bool_(),
    c.DROP_REASON: pa.string(),
    c.DROP_DETAIL: pa.string(),
    c.DROP_STAGE: pa.string(),
    c.FLAG: pa.string(),
    c.FLAG_DETAIL: pa.string(),
    c.ATTEMPT: pa.int64(),
}


def schema_of(names: list[str] | tuple[str, ...]) -> pa.Schema:
    return pa.schema([(name, COLUMN_TYPES[name]) for name in names])


CLIP_COLUMNS = (
    c.SOURCE, c.DOMAIN, c.CLIP_ID, c.INPUT_REF, c.AUDIO_PATH, c.AUDIO_URI,
    c.START_S, c.END_S, c.TRANSCRIPT, c.LABELS, c.CAPTION, c.ATTRIBUTES, c.TURNS, c.DECLARED_DURATION_S,
)  # fmt: skip
CLIP_SCHEMA = schema_of(CLIP_COLUMNS)

# The built dataset, in column order. The first six are the released DeSTA-AQA5M columns.
OUTPUT_COLUMNS = (
    c.ID, c.SOURCE, c.SEED_DESCRIPTION, c.PROMPT, c.RESPONSE, c.MESSAGES,
    c.CLIP_ID, c.DOMAIN, c.AUDIO_PATH, c.START_S, c.END_S, c.DURATION_S, c.METADATA, c.PROMPT_ID,
    c.MODEL, c.TEMPERATURE, c.TOP_P, c.MAX_TOKENS, c.SAMPLING_SEED,
    c.FINISH_REASON, c.PROMPT_TOKENS, c.COMPLETION_TOKENS,
)  # fmt: skip
OUTPUT_SCHEMA = schema_of(OUTPUT_COLUMNS)

# Committed parts and DIR/flagged/: the output columns plus the checks' verdict and the attempt.
CHECKED_COLUMNS = (*OUTPUT_COLUMNS, c.FLAG, c.FLAG_DETAIL, c.ATTEMPT)
CHECKED_SCHEMA = schema_of(CHECKED_COLUMNS)

QUARANTINE_COLUMNS = (c.CLIP_ID, c.SOURCE, c.INPUT_REF, c.DROP_STAGE, c.DROP_REASON, c.DROP_DETAIL)
QUARANTINE_SCHEMA = schema_of(QUARANTINE_COLUMNS)
