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

    def setup(self):
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(self.config.tokenizer)
        self.contexts: dict[tuple, int] = {}

    def context_tokens(self, messages: list[dict]) -> int:
        key = tuple((m["role"], m["content"]) for m in messages)
        if key not in self.contexts:
            if len(self.contexts) >= CACHE_LIMIT:
                self.contexts.clear()
            turns = [{"role": role, "content": content.replace(AUDIO_MARKER, "")} for role, content in key]
            text = self.tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True)
            self.contexts[key] = len(self.tokenizer(text, add_special_tokens=False)["input_ids"])
        return self.contexts[key]

    def find(self, rows):
        rows_with_messages = [i for i, messages in enumerate(rows[c.MESSAGES]) if messages]
        if not rows_with_messages:
            return {}
        audios = [[a["text"] or "" for m in rows[c.MESSAGES][i] for a in (m.get("audios") or [])] for i in rows_with_messages]
        texts = [text for row in audios for text in row]
        text_tokens = iter(len(ids) for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]) if texts else iter(())
        responses = self.tokenizer([rows[c.RESPONSE][i] or "" for i in rows_with_messages], add_special_tokens=False)["input_ids"]
        limit, found = self.config.max_seq_length, {}
        for i, row_audios, response in zip(rows_with_messages, audios, responses):
            transcript = sum(min(next(text_tokens), self.config.transcript_tokens) for _ in row_audios)
            context = self.context_tokens(rows[c.MESSAGES][i]) + len(row_audios) * self.config.audio_tokens + transcript
            total = context + len(response) + 1  # + the EOS token the trainer appends
            if total > limit:
                found[i] = (
                    f"{total} training tokens > max_seq_length {limit}: context {context} (audio {len(row_audios) * self.config.audio_tokens}, "
                    f"transcript {transcript}), response {len(response)} + EOS; the trainer cuts the last {total - limit}"
                )
        return found
