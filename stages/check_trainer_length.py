"""Check trainer length: flag a row whose training sequence is longer than the trainer's `max_seq_length`.

The DeSTA trainer (desta/trainer/data/simple_dataset.py) tokenizes `audio_context + response + EOS`
with `truncation=True, max_length=max_seq_length` (300 in the release's DestaAQA-5M training config), where
`audio_context` is the chat-templated system + user turns with each `<|AUDIO|>` replaced by
`prompt_size` (64) placeholder tokens plus the audio's transcript cut to 100 tokens. So the 300 is the
whole sequence, not the response: whatever passes it is cut from the response's end, end-of-sequence
token included. This check counts that sequence with the trainer's tokenizer (the backbone's, whose
`completion_tokens` alone would not say it) and flags rows over the limit. The count tokenizes the
template and each piece apart, so it can differ from the trainer's by a token or two at the joins.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from schemas import columns as c
from schemas.records import AUDIO_MARKER
from stages.checks.base import ResponseCheck

CACHE_LIMIT = 50_000  # distinct (system, user) turns remembered; pool prompts repeat


@dataclass(frozen=True)
class TrainerLengthConfig:
    tokenizer: str  # the trainer's LLM: a local model folder or a Hub id
    max_seq_length: int = 300
    audio_tokens: int = 64  # the connector's prompt_size: placeholder tokens per audio
    transcript_tokens: int = 100  # the trainer cuts each audios[].text to this many tokens


class CheckTrainerLength(ResponseCheck):
    name = "too_long_for_trainer"
    inputs = {c.MESSAGES: "the training messages (system + user with the audio placeholder)", c.RESPONSE: "the target"}
    arrow_inputs = frozenset({c.MESSAGES})

    def setup(self):
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(self.config.tokenizer)
        self.contexts: dict[tuple, int] = {}
        # The Rust tokenizer underneath counts without building Python encodings (5x faster per row).
        backend = getattr(self.tokenizer, "backend_tokenizer", None)
        encode = getattr(backend, "encode_batch_fast", None) or getattr(backend, "encode_batch", None)
        self.encode = (lambda texts: [len(e.ids) for e in encode(texts, add_special_tokens=False)]) if encode else (
            lambda texts: [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]])

    def count(self, texts: list[str]) -> list[int]:
        return self.encode(texts) if texts else []

    def context_tokens(self, key: tuple) -> int:
        """Tokens of the templated turns without the audio marker; `key` is ((role, content), ...)."""
        if key not in self.contexts:
            if len(self.contexts) >= CACHE_LIMIT:
                self.contexts.clear()
            turns = [{"role": role, "content": content.replace(AUDIO_MARKER, "")} for role, content in key]
            text = self.tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True)
            self.contexts[key] = self.count([text])[0]
        return self.contexts[key]

    def find(self, rows):
        messages: pa.ListArray = rows[c.MESSAGES]
        n = len(messages)
        # Flat Arrow columns instead of nested Python objects: turns, then each turn's audios.
        turns = pc.list_flatten(messages)
        turn_row = pc.list_parent_indices(messages).to_pylist()
        roles, contents = turns.field("role").to_pylist(), turns.field("content").to_pylist()
        audios = turns.field("audios")
        texts = pc.list_flatten(audios).field("text").to_pylist()
        audio_row = [turn_row[t] for t in pc.list_parent_indices(audios).to_pylist()]
        keys: list[list] = [[] for _ in range(n)]
        for row, role, content in zip(turn_row, roles, contents):
            keys[row].append((role, content or ""))
        audio_count, transcript = [0] * n, [0] * n
        for row, tokens in zip(audio_row, self.count([t or "" for t in texts])):
            audio_count[row] += 1
            transcript[row] += min(tokens, self.config.transcript_tokens)
        responses = self.count([r or "" for r in rows[c.RESPONSE]])
        limit, found = self.config.max_seq_length, {}
        for i in range(n):
            if not keys[i]:
                continue  # no messages: nothing to count the context from
            audio = audio_count[i] * self.config.audio_tokens
            context = self.context_tokens(tuple(keys[i])) + audio + transcript[i]
            total = context + responses[i] + 1  # + the EOS token the trainer appends
            if total > limit:
                found[i] = (
                    f"{total} training tokens > max_seq_length {limit}: context {context} (audio {audio}, "
                    f"transcript {transcript[i]}), response {responses[i]} + EOS; the trainer cuts the last {total - limit}"
                )
        return found
