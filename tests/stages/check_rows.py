"""A tiny in-memory table of generated rows for the response-check tests."""

from __future__ import annotations

import pyarrow as pa

from schemas import columns as c

SEED = "[00:00-00:04] Could you please pass me the salt? (Gender: Female, Emotion: Neutral, Duration: 4s)"


def rows(*responses: str, seed: str = SEED, prompt: str = "Describe the audio.", finish: str | None = "stop", **columns) -> pa.Table:
    n = len(responses)
    data = {
        c.ID: pa.array([f"demo/clip#{i}" for i in range(n)], pa.string()),
        c.SEED_DESCRIPTION: pa.array([seed] * n, pa.string()),
        c.PROMPT: pa.array([prompt] * n, pa.string()),
        c.RESPONSE: pa.array(list(responses), pa.string()),
        c.FINISH_REASON: pa.array([finish] * n, pa.string()),
    }
    data.update({name: pa.array(values) for name, values in columns.items()})
    return pa.table(data)


def flags(table: pa.Table) -> list[str | None]:
    return table[c.FLAG].to_pylist()
