"""Check truncation: flag a response that was cut off rather than finished.

The engine's word is final when there is one: `finish_reason == "length"` means generation stopped at
the token budget (the trainer would then append an end-of-sequence token to a sentence that never ended).
Without it (the released dataset has no finish_reason) or with `stop`, a response of at least
`min_words` words (`min_chars` characters of Chinese or Japanese) that does not end a sentence counts as
cut, as does one of at least `min_dangling_words` words (twice that in CJK characters) ending on a word
no sentence ends with ("the", "and", "of"; 和, 的). Short answers without a period ("Female", "A dog
barking"), lists and verse (three or more short lines) are fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas import columns as c
from stages.checks.base import ResponseCheck

ENDS = tuple(".!?。！？…\"'”’)]}»」』*`") + (":)", ";)", "😊", "🙂")
LIST_ITEM = re.compile(r"^\s*(?:[-*•+]|\d+[.)]|[a-z][.)])\s+\S", re.I)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Chinese and Japanese: a character or word no sentence ends with (and, of, in, because, so, let ... think of).
CJK_DANGLING = ("和", "与", "與", "及", "或", "的", "在", "把", "被", "是", "而", "但", "因为", "因為", "所以", "如果", "让人联想到", "讓人聯想到",
                "非常", "很", "比较", "比較", "一个", "一個", "这", "這", "那", "从", "從", "对", "對", "向", "给", "給", "の", "を", "に", "が", "と", "は")
DANGLING = {"the", "a", "an", "and", "or", "but", "of", "to", "with", "in", "on", "for", "by", "as", "at", "from", "that", "which",
            "is", "are", "was", "were", "be", "its", "their", "his", "her", "my", "your", "our", "this", "these", "than", "into",
            "because", "while", "if", "so", "very", "more", "most", "such", "like", "about", "between", "who", "whose", "has", "have"}  # fmt: skip


@dataclass(frozen=True)
class TruncationConfig:
    min_words: int = 30
    min_chars: int = 60
    min_dangling_words: int = 8


class CheckTruncation(ResponseCheck):
    name = "truncated"
    inputs = {c.RESPONSE: "generated text"}
    optional = {c.FINISH_REASON: "stop | length; absent in the released dataset", c.MAX_TOKENS: "the row's token budget"}

    def __init__(self, config: TruncationConfig | None = None):
        super().__init__(config or TruncationConfig())

    def find(self, rows):
        found = {}
        for i, (response, finish, budget) in enumerate(zip(rows[c.RESPONSE], rows[c.FINISH_REASON], rows[c.MAX_TOKENS])):
            if finish == "length":
                found[i] = "finish_reason length: generation stopped at the token budget" + (f" of {budget}" if budget else "")
            elif detail := self.unfinished(response or ""):
                found[i] = detail
        return found

    def unfinished(self, response: str) -> str | None:
        text = response.rstrip()
        if not text or text.endswith(ENDS) or LIST_ITEM.match(text.splitlines()[-1]):
            return None
        words, lines = text.split(), [line for line in text.splitlines() if line.strip()]
        if len(lines) >= 3 and len(words) / len(lines) < 12:
            return None  # verse or a list of short lines: no sentence to end
        tail = text[-40:].replace("\n", " ")
        cjk = len(CJK.findall(text))
        if cjk >= self.config.min_chars or len(words) >= self.config.min_words:
            return f"ends without a sentence end after {cjk or len(words)} {'characters' if cjk else 'words'}: ...{tail!r}"
        if cjk >= 2 * self.config.min_dangling_words and text.endswith(CJK_DANGLING):
            return f"ends on {text[-2:]!r}: ...{tail!r}"
        last = re.sub(r"\W+$", "", words[-1].casefold())
        if len(words) >= self.config.min_dangling_words and last in DANGLING:
            return f"ends on {last!r}: ...{tail!r}"
        return None
