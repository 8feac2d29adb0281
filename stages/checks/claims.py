"""What counts as a response's own claim: a word looked up in a closed list, not negated ("not angry",
"no dog") and not a simile ("like rain", "rain-like")."""

from __future__ import annotations

import re

from stages.checks.base import plain

NEGATION = {"no", "not", "without", "never", "neither", "nor", "isn't", "aren't", "wasn't", "doesn't", "don't", "hardly",
            "lacks", "lack", "instead", "absence", "free", "nothing", "than"}  # fmt: skip
SIMILE = {"like", "resembles", "resembling", "resemble", "similar", "reminiscent", "as if", "evoking", "evokes", "imitating",
          "imitates", "mimicking", "mimics", "akin", "compared", "comparable", "suggesting", "sounds like", "-like"}  # fmt: skip


def word_regex(words) -> re.Pattern:
    alternatives = sorted({plain(w.replace("_", " ")) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w'-])(" + "|".join(re.escape(w) for w in alternatives) + r")(?![\w'-])")


def lookup(table: dict[str, tuple[str, ...]]) -> tuple[re.Pattern, dict[str, str]]:
    words = {plain(word): concept for concept, names in table.items() for word in names}
    return word_regex(words), words


def words_before(text: str, start: int, n: int) -> list[str]:
    return re.findall(r"[\w'-]+", text[max(0, start - 60) : start])[-n:]


def negated(text: str, start: int) -> bool:
    return bool(NEGATION & set(words_before(text, start, 3))) or "n't" in text[max(0, start - 12) : start]


def simile(text: str, start: int) -> bool:
    before = words_before(text, start, 4)
    return bool(SIMILE & set(before)) or " as if " in f" {text[max(0, start - 20) : start]}" or text[start - 1 : start] == "-"


def concepts_in(text: str, regex: re.Pattern, table: dict[str, str], claims_only: bool) -> dict[str, str]:
    """{concept: the word that named it}; as claims, negated and simile mentions do not count."""
    found = {}
    for match in regex.finditer(text):
        if claims_only and (negated(text, match.start()) or simile(text, match.start())):
            continue
        found.setdefault(table[match[1]], match[1])
    return found
