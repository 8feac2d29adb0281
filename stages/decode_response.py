"""Decode response: the engine's answer from token ids to text, a batch at a time.

The engine returns token ids only (vLLM's own detokenizer off: no per-token decoding beside the model on
the engine's cores); the checks step, which loads the tokenizer anyway, decodes each batch in one call,
exactly as a whole answer decodes (special tokens skipped)."""

from __future__ import annotations

from dataclasses import dataclass

from schemas import columns as c
from stages.base import Stage, with_columns
from stages.tokenize_prompt import load_tokenizer


@dataclass(frozen=True)
class DecodeConfig:
    model: str  # the generating model's tokenizer: a Hub id or a local model folder


class DecodeResponse(Stage):
    name = "decode"
    inputs = {c.RESPONSE_TOKEN_IDS: "the engine's answer as token ids (null: the row has its text already)"}
    outputs = {c.RESPONSE: "the answer's text"}

    def setup(self):
        self.tokenizer = load_tokenizer(self.config.model)

    def process(self, table):
        ids = table[c.RESPONSE_TOKEN_IDS].to_pylist()
        rows = [i for i, tokens in enumerate(ids) if tokens is not None]
        texts = table[c.RESPONSE].to_pylist() if c.RESPONSE in table.column_names else [None] * table.num_rows
        for i, text in zip(rows, self.tokenizer.batch_decode([ids[i] for i in rows], skip_special_tokens=True)):
            texts[i] = text
        return with_columns(table, {c.RESPONSE: texts}).drop_columns([c.RESPONSE_TOKEN_IDS])
