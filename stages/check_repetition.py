"""Check repetition: flag a response caught in a loop.

Two signs, either enough: a unit of 1-40 tokens repeated back to back (`min_loop_repeats` times in a row,
covering at least `min_loop_tokens` tokens: "solo guitar solo guitar solo guitar ..."), or one sentence of
at least `min_sentence_words` words said more than `max_sentence_repeats` times anywhere in the response.
Tokens are words, or characters for Chinese and Japanese text (no spaces to split on). A loop that
the seed description itself holds (a transcript that repeats "no, no, no, no") is the clip's, not the
model's, and is not flagged.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass

from schemas import columns as c
from stages.checks.base import ResponseCheck, plain

WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+(?:['-][^\W_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*|\n+")
MAX_UNIT = 40


@dataclass(frozen=True)
class RepetitionConfig:
    min_loop_repeats: int = 3
    min_loop_tokens: int = 12
    max_sentence_repeats: int = 2
    min_sentence_words: int = 4


def may_loop(tokens: list[str], repeats: int) -> bool:
    """Cheap necessary condition: a loop of a unit of 3+ tokens repeats a trigram `repeats` times, one of 1-2
    tokens a bigram twice that; set sizes rule most answers out before anything is counted."""
    trigrams, bigrams = list(zip(tokens, tokens[1:], tokens[2:])), list(zip(tokens, tokens[1:]))
    if len(trigrams) - len(set(trigrams)) < repeats - 1 and len(bigrams) - len(set(bigrams)) < 2 * repeats - 1:
        return False
    top3 = max(collections.Counter(trigrams).values(), default=0)
    return top3 >= repeats or max(collections.Counter(bigrams).values(), default=0) >= 2 * repeats


def longest_loop(tokens: list[str], max_unit: int = MAX_UNIT) -> tuple[int, int, int]:
    """(start, unit length, repeats) of the longest back-to-back repetition, by tokens covered."""
    best = (0, 1, 1)
    for unit in range(1, min(max_unit, len(tokens) // 2) + 1):
        run = 0
        for i in range(unit, len(tokens)):
            run = run + 1 if tokens[i] == tokens[i - unit] else 0
            repeats = 1 + run // unit
            if repeats >= 2 and unit * repeats > best[1] * best[2]:
                best = (i - unit * repeats + 1, unit, repeats)
    return best


class CheckRepetition(ResponseCheck):
    name = "repetition"
    inputs = {c.RESPONSE: "generated text", c.SEED_DESCRIPTION: "a loop the seed holds is not the model's"}

    def __init__(self, config: RepetitionConfig | None = None):
        super().__init__(config or RepetitionConfig())

    def find(self, rows):
        found = {}
        for i, (response, seed) in enumerate(zip(rows[c.RESPONSE], rows[c.SEED_DESCRIPTION])):
            detail = self.repetition(response or "", plain(seed or ""))
            if detail:
                found[i] = detail
        return found

    def repetition(self, response: str, seed: str) -> str | None:
        config = self.config
        tokens = WORD.findall(plain(response))
        if len(tokens) >= config.min_loop_tokens and may_loop(tokens, config.min_loop_repeats):
            start, unit, repeats = longest_loop(tokens)
            looped = " ".join(tokens[start : start + unit])
            if repeats >= config.min_loop_repeats and unit * repeats >= config.min_loop_tokens and not self.in_seed(looped, repeats, seed):
                return f"{looped!r} repeated {repeats} times in a row"
        raw = [s.strip() for s in SENTENCE_END.split(plain(response)) if s.strip()]
        if len(set(raw)) == len(raw):
            return None  # no sentence occurs twice
        words = (WORD.findall(s) for s in raw)
        sentences = collections.Counter(" ".join(w) for w in words if len(w) >= config.min_sentence_words)
        for sentence, count in sentences.most_common(1):
            if count > config.max_sentence_repeats and not self.in_seed(sentence, count, seed):
                return f"the sentence {sentence[:80]!r} said {count} times"
        return None

    @staticmethod
    def in_seed(unit: str, repeats: int, seed: str) -> bool:
        return " ".join(WORD.findall(seed)).count(unit) >= min(repeats, 2)
