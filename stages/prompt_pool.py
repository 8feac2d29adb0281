"""Prompt pools: reading and checking a pool file, and telling near-duplicate prompts apart.

Two prompts are near-duplicates when the Jaccard similarity of their word-trigram sets is at least 0.7.
Words are the runs of word characters (`\\w+`, Unicode) of the lower-cased prompt, so punctuation and
case never matter and `speaker's` is the two words `speaker`, `s`. A prompt of fewer than three words has
the one shingle of all its words. Finding every near-duplicate pair is an exact set-similarity join with
prefix filtering (Bayardo et al., "Scaling up all pairs similarity search", 2007): every shingle set is
indexed only by its rarest few shingles, which any set at least 0.7 similar must share, and candidates
are then verified exactly, so thousands of prompts take well under a second.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from schemas.prompts import CATEGORIES, PoolEntry

NEAR_DUPLICATE = Fraction(7, 10)  # word-trigram Jaccard similarity at or above which two prompts are one
WORD = re.compile(r"\w+")
Shingle = tuple[str, ...]


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def shingles(text: str) -> frozenset[Shingle]:
    tokens = words(text)
    if len(tokens) < 3:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(zip(tokens, tokens[1:], tokens[2:]))


def jaccard(a: frozenset, b: frozenset) -> Fraction:
    union = len(a | b)
    return Fraction(len(a & b), union) if union else Fraction(1)


def bundled_pool_path(domain: str) -> Path:
    return Path(str(resources.files("stages") / "prompt_pools" / f"{domain}.jsonl"))


def load_pool(path: str | Path | None, domain: str | None = None) -> list[PoolEntry]:
    """The entries of a JSONL pool file (the bundled pool of `domain` when path is None), checked:
    every line a valid `PoolEntry` whose category belongs to `domain` (when given), ids unique."""
    source = Path(path) if path else bundled_pool_path(domain)
    entries: list[PoolEntry] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            entry = PoolEntry.model_validate(json.loads(line))
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not a JSON object ({error.msg})") from None
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors())
            raise ValueError(f"{where}: {problems} (a pool line is {{prompt_id, prompt, category, needs}})") from None
        if domain and domain not in CATEGORIES[entry.category].domains:
            raise ValueError(f"{where}: category {entry.category!r} is not a {domain} category")
        if entry.prompt_id in seen:
            raise ValueError(f"{where}: prompt_id {entry.prompt_id!r} repeats line {seen[entry.prompt_id]}")
        seen[entry.prompt_id] = number
        entries.append(entry)
    if not entries:
        raise ValueError(f"prompt pool {source} is empty")
    return entries


def write_pool(path: str | Path, entries: Iterable[PoolEntry]) -> None:
    lines = (json.dumps(e.model_dump(), ensure_ascii=False) for e in entries)
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


class NearDuplicateIndex:
    """Prompts added so far, findable by near-duplicate text. Shingles are ranked rarest first by their
    frequency in `corpus` (any fixed order is correct; rare-first keeps candidate lists short)."""

    def __init__(self, corpus: Iterable[str] = (), threshold: Fraction = NEAR_DUPLICATE):
        self.threshold = threshold
        self.frequency = Counter(s for text in corpus for s in shingles(text))
        self.sets: dict[object, frozenset[Shingle]] = {}
        self.postings: dict[Shingle, list[object]] = {}

    def _prefix(self, shingle_set: frozenset[Shingle]) -> list[Shingle]:
        n = len(shingle_set)
        needed = -(-self.threshold.numerator * n // self.threshold.denominator)  # ceil(t * n), exactly
        return sorted(shingle_set, key=lambda s: (self.frequency[s], s))[: n - needed + 1]

    def similar(self, text: str) -> list[tuple[object, Fraction]]:
        """(key, similarity) of every added prompt at least `threshold` similar to text."""
        mine = shingles(text)
        found, checked = [], set()
        for shingle in self._prefix(mine):
            for key in self.postings.get(shingle, ()):
                if key not in checked:
                    checked.add(key)
                    similarity = jaccard(mine, self.sets[key])
                    if similarity >= self.threshold:
                        found.append((key, similarity))
        return found

    def add(self, key: object, text: str) -> None:
        mine = shingles(text)
        self.sets[key] = mine
        for shingle in self._prefix(mine):
            self.postings.setdefault(shingle, []).append(key)


def near_duplicate_pairs(prompts: dict[object, str]) -> list[tuple[object, object, Fraction]]:
    """Every pair (earlier key, later key, similarity) at or above the near-duplicate threshold."""
    index = NearDuplicateIndex(prompts.values())
    pairs = []
    for key, text in prompts.items():
        pairs += [(other, key, similarity) for other, similarity in index.similar(text)]
        index.add(key, text)
    return pairs


def clusters(pairs: Iterable[tuple[object, object, Fraction]]) -> list[list[object]]:
    """Connected groups of near-duplicates (union-find), each in first-seen order, largest first."""
    parent: dict[object, object] = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    order: list[object] = []
    for a, b, _ in pairs:
        for x in (a, b):
            if x not in parent:
                order.append(x)
        parent[root(b)] = root(a)
    groups: dict[object, list[object]] = {}
    for x in order:
        groups.setdefault(root(x), []).append(x)
    return sorted(groups.values(), key=len, reverse=True)


# A yes/no question has a clause that opens with an auxiliary verb and offers no alternatives ("Is it
# loud?", "Listen: does it rain?", not "Is it loud or quiet?"). "Can you describe ...", "Could you tell me
# ..." are requests; "Can you hear ...", "Would you say ...", "Can you tell whether ..." stay questions.
AUXILIARIES = {"is", "are", "was", "were", "am", "do", "does", "did", "has", "have", "had", "can", "could", "will",
               "would", "should", "shall", "may", "might", "must", "isn", "aren", "doesn", "don", "didn", "wasn"}  # fmt: skip
REQUESTING = {"can", "could", "would", "will"}
STILL_A_QUESTION = {"say", "hear", "detect", "notice", "spot", "agree", "consider", "call"}
QUESTION = re.compile(r"[^.?!]*\?")


def is_yes_no(prompt: str) -> bool:
    """True when a question of the prompt can be answered by a bare yes or no."""
    for question in QUESTION.findall(prompt):
        if "or" in words(question):
            continue
        for clause in re.split(r"[,:;]", question):
            t = words(clause) + ["", ""]
            if t[0] not in AUXILIARIES or not t[1]:
                continue
            request = t[0] in REQUESTING and t[1] == "you" and t[2] not in STILL_A_QUESTION
            if not request or (t[2] == "tell" and t[3] in ("whether", "if")):
                return True
    return False


def opening(prompt: str, n: int = 2) -> str:
    return " ".join(words(prompt)[:n])


@dataclass
class PoolStats:
    name: str
    prompts: int
    by_category: Counter
    by_need: Counter
    yes_no: int
    openings: Counter


def pool_stats(name: str, entries: list[PoolEntry]) -> PoolStats:
    return PoolStats(
        name=name,
        prompts=len(entries),
        by_category=Counter(e.category for e in entries),
        by_need=Counter(n for e in entries for n in e.needs or ["(none)"]),
        yes_no=sum(is_yes_no(e.prompt) for e in entries),
        openings=Counter(opening(e.prompt, 2) for e in entries),
    )
