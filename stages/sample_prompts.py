"""Prompts: the bundled instruction pools and seeded sampling of `n` prompts per clip.

Sampling depends only on (run seed, clip id), never on batch composition or order, so a clip gets the
same prompts in every run and on every worker. One input clip becomes `n` rows with ids
`<clip_id>#<prompt_index>`.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyarrow as pa

from schemas import columns as c
from stages.base import Stage, with_columns

POOL_FOR_DOMAIN = {"speech": "speech", "sound": "sound_music", "music": "sound_music"}


@dataclass(frozen=True)
class PromptsConfig:
    per_clip: int = 1
    seed: int = 0
    pools: dict[str, str] | None = None  # pool name -> JSONL path; None: the bundled pools
    per_source: dict[str, int] = field(default_factory=dict)  # source -> its own per_clip

    def count(self, source: str | None) -> int:
        return self.per_source.get(source, self.per_clip)


def load_pool(path: str | Path | None, pool: str) -> list[tuple[str, str]]:
    """[(prompt_id, prompt)] from a JSONL pool file; the bundled pool of that name when path is None."""
    source = Path(path) if path else resources.files("stages") / "prompt_pools" / f"{pool}.jsonl"
    entries = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            record = json.loads(line)
            if not record.get("prompt_id") or not str(record.get("prompt", "")).strip():
                raise ValueError(f"{source}:{number}: a pool line needs a prompt_id and a non-empty prompt")
            entries.append((record["prompt_id"], record["prompt"].strip()))
    if not entries:
        raise ValueError(f"prompt pool {source} is empty")
    return entries


def derived_seed(*parts: object) -> int:
    """A 31-bit seed from any parts, stable across processes (unlike hash())."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFFFFFF


class SamplePrompts(Stage):
    name = "prompts"
    inputs = {c.CLIP_ID: "stable clip id", c.DOMAIN: "selects the pool"}
    optional = {c.SOURCE: "the source, whose own prompt count (per_source) applies; read when present"}
    outputs = {
        c.ID: "row id <clip_id>#<prompt_index>",
        c.PROMPT_INDEX: "0..n-1",
        c.PROMPT_ID: "id in the pool",
        c.PROMPT: "instruction text",
        c.SAMPLING_SEED: "per-row engine seed",
    }

    def __init__(self, config: PromptsConfig | None = None):
        super().__init__(config or PromptsConfig())
        self.pools: dict[str, list[tuple[str, str]]] = {}

    def setup(self):
        configured = self.config.pools or {}
        for pool in set(POOL_FOR_DOMAIN.values()):
            self.pools[pool] = load_pool(configured.get(pool), pool)

    def choose(self, clip_id: str, domain: str, count: int | None = None) -> list[tuple[str, str]]:
        pool = self.pools[POOL_FOR_DOMAIN[domain]]
        rng = random.Random(derived_seed(self.config.seed, "prompts", clip_id))
        return rng.sample(pool, k=min(self.config.per_clip if count is None else count, len(pool)))

    def process(self, table):
        take, values = [], {name: [] for name in self.outputs}
        sources = table[c.SOURCE].to_pylist() if c.SOURCE in table.column_names else [None] * table.num_rows
        rows = zip(table[c.CLIP_ID].to_pylist(), table[c.DOMAIN].to_pylist(), sources)
        for position, (clip_id, domain, source) in enumerate(rows):
            for index, (prompt_id, prompt) in enumerate(self.choose(clip_id, domain, self.config.count(source))):
                take.append(position)
                row_id = f"{clip_id}#{index}"
                values[c.ID].append(row_id)
                values[c.PROMPT_INDEX].append(index)
                values[c.PROMPT_ID].append(prompt_id)
                values[c.PROMPT].append(prompt)
                values[c.SAMPLING_SEED].append(derived_seed(self.config.seed, "sampling", row_id))
        return with_columns(table.take(pa.array(take, pa.int64())), values)
