"""Tokenize prompt: the LLM's messages through the model's chat template to the token ids the engine
generates from, and a row whose prompt cannot fit the model's context with its response budget dropped
here, before any engine time is spent on it (a 100,000-character transcript, say).

The engine takes these ids as they are, so the template is applied and counted once per row, in the
same task as the rest of the describe step, instead of in separate actor pools around the engine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from schemas import columns as c
from stages.base import Stage, mark_dropped, with_columns

# No tokenizer averages this many characters per token: longer text is too long without counting.
MAX_CHARS_PER_TOKEN = 32


@dataclass(frozen=True)
class TokenizeConfig:
    model: str  # tokenizer source: a Hub id or a local model folder
    max_model_len: int
    max_tokens: int
    check: bool = True  # drop rows that cannot fit; False: the engine sees (and refuses) them


@lru_cache(maxsize=4)
def load_tokenizer(model: str, local_files_only: bool = False):
    """One tokenizer per worker process and model (tasks of a step reuse their worker's): the fast
    tokenizer (tokenizer.json + chat template), which loads without torch; else whatever AutoTokenizer loads."""
    from transformers import PreTrainedTokenizerFast

    try:
        return PreTrainedTokenizerFast.from_pretrained(model, local_files_only=local_files_only)
    except Exception:  # no tokenizer.json (a sentencepiece-only model): the slower general loader
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(model, local_files_only=local_files_only)


def chat_token_ids(tokenizer, messages: list[dict]) -> list[int]:
    """The messages through the tokenizer's chat template, with the assistant's turn opened. tokenize=True
    templates and encodes without adding special tokens twice (a template that writes <|begin_of_text|>
    itself gets one BOS, not the two of tokenizer(templated_text))."""
    turns = [{"role": m["role"], "content": m["content"]} for m in messages]
    encoded = tokenizer.apply_chat_template(turns, add_generation_prompt=True, tokenize=True)
    return list(encoded["input_ids"] if hasattr(encoded, "keys") else encoded)


class TokenizePrompt(Stage):
    name = "tokenize"
    inputs = {c.LLM_MESSAGES: "what the LLM will see"}
    outputs = {c.LLM_TOKEN_IDS: "the templated prompt's token ids, as the engine takes them"}

    def setup(self):
        self.tokenizer = load_tokenizer(self.config.model)

    def token_ids(self, messages: list[dict]) -> list[int]:
        return chat_token_ids(self.tokenizer, messages)

    def process(self, table):
        budget = self.config.max_model_len - self.config.max_tokens
        too_long_chars = MAX_CHARS_PER_TOKEN * self.config.max_model_len
        ids, failures = [], {}
        for i, messages in enumerate(table[c.LLM_MESSAGES].to_pylist()):
            if self.config.check and sum(len(m["content"]) for m in messages) > too_long_chars:
                ids.append(None)
                tokens = f"over {self.config.max_model_len}"
            else:
                ids.append(self.token_ids(messages))
                tokens = len(ids[-1])
            if self.config.check and (ids[-1] is None or tokens > budget):
                failures[i] = (
                    "prompt_too_long",
                    f"{tokens} prompt tokens + {self.config.max_tokens} response tokens exceed the context of "
                    f"{self.config.max_model_len} tokens",
                )
        table = with_columns(table, {c.LLM_TOKEN_IDS: ids})
        return mark_dropped(table, self.name, failures) if failures else table
