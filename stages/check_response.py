"""Check response: keep a generated row only when the engine answered with text; name why otherwise."""

from __future__ import annotations

from schemas import columns as c
from stages.base import Stage, mark_dropped, with_columns


class CheckResponse(Stage):
    name = "generate"
    inputs = {
        c.RESPONSE: "generated text",
        c.COMPLETION_TOKENS: "generated token count",
        c.MAX_TOKENS: "the row's token budget",
        c.ENGINE_ERROR: "engine error message or empty",
    }
    outputs = {c.RESPONSE: "stripped text", c.FINISH_REASON: "stop | length"}

    def process(self, table):
        responses, finish, failures = [], [], {}
        rows = zip(
            table[c.RESPONSE].to_pylist(),
            table[c.COMPLETION_TOKENS].to_pylist(),
            table[c.MAX_TOKENS].to_pylist(),
            table[c.ENGINE_ERROR].to_pylist(),
        )
        for i, (text, generated, budget, error) in enumerate(rows):
            text = (text or "").strip()
            if error:
                failures[i] = ("engine_error", error)
            elif not text:
                failures[i] = ("empty_response", "the model returned no text")
            responses.append(text)
            # The engine stops either at an end-of-turn token or at the budget.
            finish.append(None if error else ("length" if budget and (generated or 0) >= budget else "stop"))
        table = with_columns(table, {c.RESPONSE: responses, c.FINISH_REASON: finish})
        return mark_dropped(table, self.name, failures)
