"""Check length: a row whose prompt cannot fit the model's context with its response budget is dropped
here, before any engine time is spent on it (a 100,000-character transcript, say)."""

from __future__ import annotations

from dataclasses import dataclass

from schemas import columns as c
from stages.base import Stage, mark_dropped

# No tokenizer averages this many characters per token: longer text is too long without counting.
MAX_CHARS_PER_TOKEN = 32


@dataclass(frozen=True)
class LengthConfig:
    model: str  # tokenizer source: a Hub id or a local model folder
    max_model_len: int
    max_tokens: int


class CheckLength(Stage):
    name = "length"
    inputs = {c.LLM_MESSAGES: "what the LLM will see"}
    outputs: dict[str, str] = {}

    def setup(self):
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(self.config.model)

    def prompt_tokens(self, messages: list[dict]) -> int:
        turns = [{"role": m["role"], "content": m["content"]} for m in messages]
        if sum(len(t["content"]) for t in turns) > MAX_CHARS_PER_TOKEN * self.config.max_model_len:
            return self.config.max_model_len + 1
        encoded = self.tokenizer.apply_chat_template(turns, add_generation_prompt=True, tokenize=True)
        return len(encoded["input_ids"] if hasattr(encoded, "keys") else encoded)

    def process(self, table):
        budget = self.config.max_model_len - self.config.max_tokens
        failures = {}
        for i, messages in enumerate(table[c.LLM_MESSAGES].to_pylist()):
            tokens = self.prompt_tokens(messages)
            if tokens > budget:
                failures[i] = (
                    "prompt_too_long",
                    f"{tokens} prompt tokens + {self.config.max_tokens} response tokens exceed the context of "
                    f"{self.config.max_model_len} tokens",
                )
        return mark_dropped(table, self.name, failures) if failures else table
