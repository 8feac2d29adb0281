"""Check refusal: flag a response that refuses, or denies that it can hear or process audio ("As an AI
language model, I cannot listen to audio", "我无法听到音频"). The phrases, in the languages of the sources,
are in `stages/checks/refusals.py`. An audio model trained on such a target learns to refuse audio it has.
"""

from __future__ import annotations

from schemas import columns as c
from stages.checks.base import ResponseCheck, plain, unquoted
from stages.checks.refusals import find_refusal


class CheckRefusal(ResponseCheck):
    name = "refusal"
    inputs = {c.RESPONSE: "generated text", c.SEED_DESCRIPTION: "what the clip's speaker says is not the model's refusal"}

    def find(self, rows):
        found = {}
        for i, (response, seed) in enumerate(zip(rows[c.RESPONSE], rows[c.SEED_DESCRIPTION])):
            match = find_refusal(plain(unquoted(response or "")))
            if match and match[0] not in plain(seed or ""):
                found[i] = f"refuses or denies hearing the audio: {match[0]!r}"
        return found
