"""Prompts: the bundled instruction pools and seeded sampling of `n` prompts per clip.

Sampling depends only on (run seed, clip id), never on batch composition or order, so a clip gets the
same prompts in every run and on every worker. One input clip becomes `n` rows with ids
`<clip_id>#<prompt_index>`.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
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


def sampling_seed(seed: int, row_id: str, attempt: int = 1) -> int:
    """A row's engine seed; a retry (attempt 2, 3, ...) gets its own, from (seed, row id, attempt)."""
    return derived_seed(seed, "sampling", row_id) if attempt == 1 else derived_seed(seed, "sampling", row_id, attempt)


class SamplePrompts(Stage):
    name = "prompts"
    inputs = {c.CLIP_ID: "stable clip id", c.DOMAIN: "selects the pool"}
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

    def choose(self, clip_id: str, domain: str) -> list[tuple[str, str]]:
        pool = self.pools[POOL_FOR_DOMAIN[domain]]
        rng = random.Random(derived_seed(self.config.seed, "prompts", clip_id))
        return rng.sample(pool, k=min(self.config.per_clip, len(pool)))

    def process(self, table):
        take, values = [], {name: [] for name in self.outputs}
        for position, (clip_id, domain) in enumerate(zip(table[c.CLIP_ID].to_pylist(), table[c.DOMAIN].to_pylist())):
            for index, (prompt_id, prompt) in enumerate(self.choose(clip_id, domain)):
                take.append(position)
                row_id = f"{clip_id}#{index}"
                values[c.ID].append(row_id)
                values[c.PROMPT_INDEX].append(index)
                values[c.PROMPT_ID].append(prompt_id)
                values[c.PROMPT].append(prompt)
                values[c.SAMPLING_SEED].append(sampling_seed(self.config.seed, row_id))
        return with_columns(table.take(pa.array(take, pa.int64())), values)
