"""Messages: the trainer's messages (with the audio placeholder) and the LLM's view of them.

The stored `messages` are the training input: system turn + user turn whose content holds the prompt
and `<start_audio><|AUDIO|><end_audio>`, with `audios: [{audio, text}]`. The LLM sees the same turns
with `<|AUDIO|>` replaced by the seed description: that is self-generated cross-modal alignment.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import columns as c
from schemas.records import AUDIO_MARKER, AUDIO_PLACEHOLDER
from stages.base import Stage, with_columns

DEFAULT_SYSTEM_PROMPT = (
    "You are a helpful assistant. The audio clips appear between <start_audio> and <end_audio> tags."
)
DEFAULT_USER_TEMPLATE = "{prompt} " + AUDIO_PLACEHOLDER  # as in the DeSTA trainer's docs/train.md


@dataclass(frozen=True)
class MessagesConfig:
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    user_template: str = DEFAULT_USER_TEMPLATE


def valid_user_template(template: str) -> bool:
    """One `{prompt}` and exactly one audio placeholder (and no other bare audio marker)."""
    return "{prompt}" in template and template.count(AUDIO_PLACEHOLDER) == 1 == template.count(AUDIO_MARKER)


def user_content(template: str, prompt: str) -> str:
    return template.replace("{prompt}", prompt)


def audio_text(transcript: str | None) -> str:
    """The trainer wants a string: the transcript, or a single space when there is none."""
    return transcript if transcript and transcript.strip() else " "


def generation_messages(training: list[dict], seed_description: str) -> list[dict]:
    """The LLM's view of training messages: the user turn's audio marker replaced by the seed description."""
    return [
        {"role": m["role"], "content": m["content"].replace(AUDIO_MARKER, seed_description) if m["role"] == "user" else m["content"], "audios": None}
        for m in training
    ]


class BuildMessages(Stage):
    name = "messages"
    inputs = {
        c.PROMPT: "instruction",
        c.SEED_DESCRIPTION: "replaces the audio for the LLM",
        c.AUDIO_PATH: "path relative to the data root",
        c.TRANSCRIPT: "transcript or null",
    }
    outputs = {c.MESSAGES: "training messages", c.LLM_MESSAGES: "generation messages"}

    def __init__(self, config: MessagesConfig | None = None):
        super().__init__(config or MessagesConfig())
        if not valid_user_template(self.config.user_template):
            raise ValueError(f"user_template must hold '{{prompt}}' and {AUDIO_PLACEHOLDER} exactly once")

    def process(self, table):
        system = {"role": "system", "content": self.config.system_prompt, "audios": None}
        training, generation = [], []
        for row in table.select(list(self.inputs)).to_pylist():
            content = user_content(self.config.user_template, row[c.PROMPT])
            audios = [{"audio": row[c.AUDIO_PATH], "text": audio_text(row[c.TRANSCRIPT])}]
            training.append([system, {"role": "user", "content": content, "audios": audios}])
            generation.append(generation_messages(training[-1], row[c.SEED_DESCRIPTION]))
        return with_columns(table, {c.MESSAGES: training, c.LLM_MESSAGES: generation})
