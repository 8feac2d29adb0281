"""Prompts: seeded, stratified sampling of `n` prompts per clip from its domain's pool, among those it can answer.

A prompt is answerable when the clip carries everything the prompt `needs` (`schemas.prompts.NEEDS`):
a clip without a transcript never gets "Transcribe ...", a sound clip never a music prompt (sound and music
have separate pools). Among the answerable prompts, a category is drawn first (uniformly, and without
repeating one until every answerable category has had a turn), then a prompt of that category. Sampling
depends only on (run seed, clip id) and the clip's row, never on batch composition or order, so a clip
gets the same prompts in every run and on every worker. One input clip becomes `n` rows with ids
`<clip_id>#<prompt_index>` (fewer when it can answer fewer than `n` prompts; a clip that can answer none
is marked `no_answerable_prompt` and quarantined).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field

import pyarrow as pa

from schemas import columns as c
from schemas.prompts import CATEGORIES, DOMAINS, NEEDS, PoolEntry
from stages.base import Stage, mark_dropped, with_columns
from stages.prompt_pool import load_pool


@dataclass(frozen=True)
class PromptsConfig:
    per_clip: int = 1
    seed: int = 0
    pools: dict[str, str] | None = None  # domain (speech | sound | music) -> JSONL path; None: the bundled pools
    per_source: dict[str, int] = field(default_factory=dict)  # source -> its own per_clip

    def count(self, source: str | None) -> int:
        return self.per_source.get(source, self.per_clip)


def derived_seed(*parts: object) -> int:
    """A 31-bit seed from any parts, stable across processes (unlike hash())."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFFFFFF


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def column_present(column: str, row: dict) -> bool:
    """What a column means for a need: a transcript (of the clip or of any speaker turn), labels, a caption,
    or a conversation (two or more speaker turns)."""
    turns = json.loads(row.get(c.TURNS) or "[]")
    if column == c.TRANSCRIPT:
        return _text(row.get(c.TRANSCRIPT)) or any(_text(turn.get("transcript")) for turn in turns)
    if column == c.LABELS:
        return any(_text(label) for label in row.get(c.LABELS) or [])
    if column == c.CAPTION:
        return _text(row.get(c.CAPTION))
    if column == c.TURNS:
        return len(turns) >= 2
    raise KeyError(f"no rule for column {column!r} in a need")


def clip_needs(row: dict) -> frozenset[str]:
    """The needs a clip row satisfies: its `metadata` holds the attributes its seed description names."""
    metadata = json.loads(row.get(c.METADATA) or "{}")
    present = {name for name, value in metadata.items() if value not in (None, "", [], {})}
    return frozenset(
        name
        for name, need in NEEDS.items()
        if present.intersection(need.attributes) or any(column_present(column, row) for column in need.columns)
    )


def sampling_seed(seed: int, row_id: str, attempt: int = 1) -> int:
    """A row's engine seed; a retry (attempt 2, 3, ...) gets its own, from (seed, row id, attempt)."""
    return derived_seed(seed, "sampling", row_id) if attempt == 1 else derived_seed(seed, "sampling", row_id, attempt)


class SamplePrompts(Stage):
    name = "prompts"
    inputs = {
        c.CLIP_ID: "stable clip id",
        c.DOMAIN: "selects the pool",
        c.TRANSCRIPT: "answers prompts that need a transcript",
        c.LABELS: "answer prompts that need sound events or music tags",
        c.CAPTION: "answers prompts that need a caption",
        c.METADATA: "normalised attributes (DescribeClip): answer prompts that need them",
    }
    optional = {
        c.TURNS: "speaker turns: conversation prompts, turn transcripts; read when present",
        c.SOURCE: "the source, whose own prompt count (per_source) applies; read when present",
    }
    outputs = {
        c.ID: "row id <clip_id>#<prompt_index>",
        c.PROMPT_INDEX: "0..n-1",
        c.PROMPT_ID: "id in the pool",
        c.PROMPT: "instruction text",
        c.SAMPLING_SEED: "per-row engine seed",
    }

    def __init__(self, config: PromptsConfig | None = None):
        super().__init__(config or PromptsConfig())
        self.pools: dict[str, list[PoolEntry]] = {}
        self._answerable: dict[tuple[str, frozenset[str]], dict[str, list[int]]] = {}

    def setup(self):
        configured = self.config.pools or {}
        for domain in DOMAINS:
            self.pools[domain] = load_pool(configured.get(domain), domain)

    def answerable(self, domain: str, have: frozenset[str]) -> dict[str, list[int]]:
        """{category: positions in the pool of the prompts a clip with `have` can answer}, in CATEGORIES order."""
        key = (domain, have)
        if key not in self._answerable:
            by_category: dict[str, list[int]] = {}
            for position, entry in enumerate(self.pools[domain]):
                if have.issuperset(entry.needs):
                    by_category.setdefault(entry.category, []).append(position)
            self._answerable[key] = {name: by_category[name] for name in CATEGORIES if name in by_category}
        return self._answerable[key]

    def choose(self, clip_id: str, domain: str, have: frozenset[str], count: int | None = None) -> list[PoolEntry]:
        rng = random.Random(derived_seed(self.config.seed, "prompts", clip_id))
        remaining = {name: list(positions) for name, positions in self.answerable(domain, have).items()}
        chosen, turn = [], []
        while len(chosen) < (self.config.per_clip if count is None else count):
            turn = [name for name in turn if remaining[name]] or [name for name in remaining if remaining[name]]
            if not turn:
                break
            category = turn.pop(rng.randrange(len(turn)))
            positions = remaining[category]
            chosen.append(self.pools[domain][positions.pop(rng.randrange(len(positions)))])
        return chosen

    def process(self, table):
        columns = list(self.inputs) + [name for name in self.optional if name in table.column_names]
        take, values, unanswerable = [], {name: [] for name in self.outputs}, {}
        for position, row in enumerate(table.select(columns).to_pylist()):
            clip_id, domain = row[c.CLIP_ID], row[c.DOMAIN]
            have = clip_needs(row)
            chosen = self.choose(clip_id, domain, have, self.config.count(row.get(c.SOURCE)))
            if not chosen:
                unanswerable[len(take)] = (
                    "no_answerable_prompt",
                    f"no prompt of the {domain} pool fits this clip (it carries: {', '.join(sorted(have)) or 'nothing'})",
                )
                chosen = [None]
            for index, entry in enumerate(chosen):
                take.append(position)
                row_id = f"{clip_id}#{index}"
                values[c.ID].append(row_id)
                values[c.PROMPT_INDEX].append(index)
                values[c.PROMPT_ID].append(entry.prompt_id if entry else None)
                values[c.PROMPT].append(entry.prompt if entry else None)
                values[c.SAMPLING_SEED].append(sampling_seed(self.config.seed, row_id))
        out = with_columns(table.take(pa.array(take, pa.int64())), values)
        return mark_dropped(out, self.name, unanswerable) if unanswerable else out
