"""Measured numbers -> words, through a versioned bin-edge file (configs/bins/vN.json), dataspeech-style.

A bins file lists, per seed-description attribute, the metric it reads, its interior edges (levels - 1
of them, ascending) and its words in order of increasing metric value. A value equal to an edge takes
the upper bin. Pitch has edge sets per gender (`Male`, `Female`) and a `pooled` set for clips of unknown
gender, because a pitch that is high for a man is low for a woman. A measure whose basis was too weak
for a word (`<name>_word_withheld` in the values, see `stages/acoustics/measure.py`) gets none.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BINS = Path(__file__).resolve().parents[2] / "configs" / "bins" / "v2.json"
POOLED = "pooled"

LEVEL_WORDS = {
    5: ("Very low", "Low", "Medium", "High", "Very high"),
    7: ("Very low", "Low", "Slightly low", "Medium", "Slightly high", "High", "Very high"),
}
SPEED_WORDS = {
    5: ("Very slow", "Slow", "Medium", "Fast", "Very fast"),
    7: ("Very slow", "Slow", "Slightly slow", "Medium", "Slightly fast", "Fast", "Very fast"),
}
# attribute -> (metric key in metadata, words by levels, words run against the metric)
ATTRIBUTES = {
    "Pitch": ("pitch_mean_hz", LEVEL_WORDS, False),
    "Volume": ("volume_dbfs", LEVEL_WORDS, False),
    "Speaking speed": ("speaking_rate_sps", SPEED_WORDS, False),  # syllables per second of speech
    "Noise level": ("snr_db", LEVEL_WORDS, True),  # a high SNR is a low noise level
    "Reverberation": ("c50_db", LEVEL_WORDS, True),  # a high clarity is little reverberation
}


def missing_key(measure: str) -> str:
    """`pitch_mean_hz` -> `pitch_missing`, `speaking_rate_sps` -> `speaking_rate_missing`."""
    stem = measure.rsplit("_", 1)[0]
    return f"{stem.removesuffix('_mean')}_missing"


def withheld_key(measure: str) -> str:
    """`snr_db` -> `snr_word_withheld`: the number is kept, its basis is too weak for a word."""
    return missing_key(measure).replace("_missing", "_word_withheld")


def words_for(attribute: str, levels: int) -> list[str]:
    _, words, inverted = ATTRIBUTES[attribute]
    if levels not in words:
        raise ValueError(f"{levels} levels are not supported; use one of {sorted(words)}")
    return list(reversed(words[levels])) if inverted else list(words[levels])


@dataclass(frozen=True)
class Bins:
    version: str
    spec: dict  # attribute -> {"metric", "words", "edges" | "edges_by_gender"}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Bins":
        path = Path(path) if path else DEFAULT_BINS
        raw = json.loads(path.read_text(encoding="utf-8"))
        spec = raw["attributes"]
        for name, entry in spec.items():
            expected = ATTRIBUTES.get(name, (entry["metric"],))[0]
            if entry["metric"] != expected:
                raise ValueError(f"{path}: {name}: reads {entry['metric']}, which is no longer measured (now {expected}); "
                                 f"use {DEFAULT_BINS.name} or refit with `desta-data bins fit`")  # fmt: skip
            edge_sets = entry["edges_by_gender"].values() if "edges_by_gender" in entry else [entry["edges"]]
            for edges in edge_sets:
                if len(edges) != len(entry["words"]) - 1 or list(edges) != sorted(edges):
                    raise ValueError(f"{path}: {name}: needs {len(entry['words']) - 1} ascending edges, got {edges}")
        return cls(str(raw["version"]), spec)

    def word(self, attribute: str, value: float | None, gender: str | None = None) -> str | None:
        entry = self.spec.get(attribute)
        if entry is None or value is None:
            return None
        if "edges_by_gender" in entry:
            edges = entry["edges_by_gender"].get(gender or POOLED) or entry["edges_by_gender"][POOLED]
        else:
            edges = entry["edges"]
        return entry["words"][bisect.bisect_right(edges, value)]

    def words(self, values: dict, gender: str | None, attributes: list[str]) -> dict[str, str]:
        """{attribute: word} for each wanted attribute whose metric was measured on a basis good enough for a word."""
        found = {}
        for name in attributes:
            entry = self.spec.get(name)
            if entry is None or withheld_key(entry["metric"]) in values:
                continue
            word = self.word(name, values.get(entry["metric"]), gender)
            if word:
                found[name] = word
        return found
