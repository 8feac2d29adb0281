"""Check leak: flag a response that reveals the text behind the audio. The audio model never sees that
text, so a target that mentions it teaches the model to hallucinate one. Three signs:
- a phrase that refers to a given description, metadata, labels, tags or the prompt's audio tags
  ("based on the provided description", "is labeled as"; `stages/checks/leaks.py`);
- at least `min_copied_items` `Name: value` items of the seed's attribute list copied verbatim
  ("Gender: Female, Emotion: Neutral");
- a seed label in its machine spelling (`door_wood_knock`).
Quoted speech and phrases the seed itself contains (a speaker who says "metadata") are not the model's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas import columns as c
from stages.checks.base import ResponseCheck, plain, unquoted
from stages.checks.leaks import SOURCE_WORD, find_leaks
from stages.checks.seed import parse_seed


@dataclass(frozen=True)
class LeakConfig:
    min_copied_items: int = 2


def item_pattern(item: str) -> re.Pattern:
    """`Name: value` as a whole, any spacing around the colon (`Emotion:Surprise` is the same item)."""
    name, _, value = plain(item).partition(":")
    return re.compile(rf"(?<!\w){re.escape(name.strip())}\s*:\s*{re.escape(value.strip())}(?!\w)")


class CheckLeak(ResponseCheck):
    name = "leak"
    inputs = {c.RESPONSE: "generated text", c.SEED_DESCRIPTION: "the text the response must not reveal"}
    optional = {c.PROMPT: "a phrase about what the prompt asked for (tags, a caption) is an answer, not a leak"}

    def __init__(self, config: LeakConfig | None = None):
        super().__init__(config or LeakConfig())

    def find(self, rows):
        found = {}
        for i, (response, seed, prompt) in enumerate(zip(rows[c.RESPONSE], rows[c.SEED_DESCRIPTION], rows[c.PROMPT])):
            detail = self.leak(response or "", seed or "", prompt or "")
            if detail:
                found[i] = detail
        return found

    def leak(self, response: str, seed: str, prompt: str = "") -> str | None:
        text, seed_text = plain(unquoted(response)), plain(seed)
        asked = {m[1] for m in SOURCE_WORD.finditer(plain(prompt))}
        for match in find_leaks(text):
            named = {m[1] for m in SOURCE_WORD.finditer(match[0])}
            if match[0] not in seed_text and not named & asked:
                return f"refers to the text it was given: {match[0]!r}"
        facts = parse_seed(seed)
        whole = plain(response)
        copied = [item for item in facts.items if item_pattern(item).search(whole)]
        if len(copied) >= self.config.min_copied_items:
            return f"copies the seed's attributes: {', '.join(repr(item) for item in copied[:4])}"
        machine = [label for label in facts.labels if "_" in label and plain(label) in whole]
        if machine:
            return f"copies the seed's label {machine[0]!r}"
        return None
