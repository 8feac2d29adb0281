"""Check contradiction: flag a response that contradicts an attribute of its own seed description.

Gender (a male voice, "he says" for `Gender: Female`), emotion (through the synonym map of
`stages/checks/emotions.py`), speaker count, and sound events, instruments and genres where the response
names one from the closed lists of `stages/checks/sound_labels.py` and none that fits the seed. Precision
first: a sub-check speaks only where the seed is unambiguous (one gender, one emotion, every label known),
and only about the model's own words (quoted speech, words the transcript itself uses, negated words
"not angry" and similes "like rain" are not claims).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from schemas import columns as c
from stages.checks import emotions as emo
from stages.checks import genders as g
from stages.checks import sound_labels as labels
from stages.checks.base import ResponseCheck, plain, unquoted
from stages.checks.claims import concepts_in, lookup, negated, simile, word_regex, words_before
from stages.checks.seed import SeedFacts, multi_speaker, parse_seed

EMOTION_CUES = {"sound", "sounds", "sounded", "sounding", "seem", "seems", "seemed", "seeming", "feel", "feels", "felt", "feeling",
                "tone", "voice", "emotion", "emotional", "mood", "expresses", "expressing", "express", "conveys", "conveying",
                "convey", "speaks", "speaking", "spoken", "appears", "appear", "is", "was", "rather", "quite", "very", "somewhat",
                "slightly", "says", "asks", "delivered", "state", "clearly", "genuinely", "audibly", "visibly"}  # fmt: skip
TONE_NOUNS = {"tone", "voice", "manner", "mood", "way", "delivery", "expression", "emotion", "feeling", "state", "attitude", "demeanor",
              "demeanour", "inflection", "intonation", "sound", "energy", "vibe"}  # fmt: skip
SPEAKER_CONTEXT = re.compile(r"\b(?:speaker|speakers|voice|tone|he|she|they|narrator|person|man|woman|emotion|emotional|mood|delivery"
                             r"|sounds?|sounding|speaks|speaking|spoken|says|asks|feels?|seems?)\b")  # fmt: skip
NUMBERS = {"no": 0, "zero": 0, "one": 1, "a single": 1, "single": 1, "only one": 1, "just one": 1, "two": 2, "three": 3, "four": 4,
           "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
COUNT_CLAIM = re.compile(
    r"\b(?:there (?:is|are) |between |features |with |involves |hear |by )?(no|zero|a single|single|only one|just one|two|three|four|five|six"
    r"|seven|eight|nine|ten|\d+|multiple|several) (?:different |distinct |separate |individual |unique )?(?:speakers?|voices"
    r"|people (?:talking|speaking|conversing|in (?:the|this) (?:conversation|clip|recording|audio))|persons? (?:talking|speaking)"
    r"|individuals (?:talking|speaking)|participants)\b"
)
GENRE_FRAME_AFTER = r"(?:[- ](?:music|song|songs|track|piece|tune|style|genre|number|composition|record|beat|band|ballad|anthem|influences?|influenced|elements|vibe|feel|sound|groove|rhythm))"


EMOTION_RE = word_regex(emo.WORD_GROUP)
SOUND_RE, SOUND_OF = lookup(labels.SOUND_EVENTS)
INSTRUMENT_RE, INSTRUMENT_OF = lookup(labels.INSTRUMENTS)
GENRE_RE, GENRE_OF = lookup(labels.GENRES)
GENRE_CLAIM = re.compile(GENRE_RE.pattern + GENRE_FRAME_AFTER)
GENRE_SENTENCE = re.compile(r"\bgenre\b")
MUSIC_SUBJECT = re.compile(r"\b(?:this|it|it's|the (?:track|song|piece|music|beat|tune|recording|clip))\b")
GENRE_COPULA = {"is", "'s", "it's", "as", "are", "was"}


@dataclass(frozen=True)
class ContradictionConfig:
    gender: bool = True
    emotion: bool = True
    speakers: bool = True
    labels: bool = True  # sound events, instruments, genres


@functools.lru_cache(maxsize=4096)
def seed_concepts(seed: str, kind: str) -> tuple[frozenset[str], str] | None:
    """The seed's sound events / instrument families / genres and how the seed names them; None when a
    label or value is outside the closed list (the check then stands down). Cached: a clip's rows share a seed."""
    facts = parse_seed(seed)
    if kind == "sound":
        values, table, regex = [*facts.labels], SOUND_OF, SOUND_RE
    elif kind == "instrument":
        values, table, regex = [v for name in ("Instrument", "Instrument family", "Family") for v in facts.values(name)], INSTRUMENT_OF, INSTRUMENT_RE
    else:
        values, table, regex = [*facts.values("Genre")], GENRE_OF, GENRE_RE
    found = set()
    for value in values:
        known = concepts_in(plain(value.replace("_", " ")), regex, table, claims_only=False)
        if not known:
            return None
        found |= set(known)
    if kind == "sound":
        found |= set(concepts_in(plain(facts.caption), SOUND_RE, SOUND_OF, claims_only=False))
    return frozenset(found), ", ".join(values)


class CheckContradiction(ResponseCheck):
    name = "contradiction"
    inputs = {c.SEED_DESCRIPTION: "the attributes the response must agree with", c.RESPONSE: "generated text"}

    def __init__(self, config: ContradictionConfig | None = None):
        super().__init__(config or ContradictionConfig())

    def find(self, rows):
        found = {}
        for i, (seed, response) in enumerate(zip(rows[c.SEED_DESCRIPTION], rows[c.RESPONSE])):
            detail = self.contradiction(seed or "", response or "")
            if detail:
                found[i] = detail
        return found

    def contradiction(self, seed: str, response: str) -> str | None:
        facts = parse_seed(seed)
        text, spoken = plain(unquoted(response)), plain(facts.transcript)
        checks = [(self.config.gender, self.gender), (self.config.emotion, self.emotion),
                  (self.config.speakers, self.speakers), (self.config.labels, self.sound_labels)]  # fmt: skip
        for enabled, check in checks:
            detail = enabled and check(seed, facts, text, spoken)
            if detail:
                return detail
        return None

    def gender(self, seed: str, facts: SeedFacts, text: str, spoken: str) -> str | None:
        values = facts.values("Gender")
        genders = {g.seed_gender(v) for v in values}
        if len(genders) != 1 or None in genders or multi_speaker(facts):
            return None
        gender = genders.pop()
        other = g.OPPOSITE[gender]
        said = f"Gender: {values[0]} in the seed"
        if g.CLAIMS[gender].search(text) or g.CHINESE_CLAIMS[gender].search(text):
            return None
        claim = g.CLAIMS[other].search(text) or g.CHINESE_CLAIMS[other].search(text)
        if claim:
            return f"{said}; the response says {claim[0]!r}"
        if g.ANY_PRONOUN[gender].search(text) or g.CHINESE_PRONOUN[gender].search(text):
            return None
        if not g.ANY_PRONOUN[other].search(spoken) and (subject := g.SUBJECT[other].search(text)):
            return f"{said}; the response says {subject[0]!r}"
        if not g.CHINESE_PRONOUN[other].search(spoken) and (pronoun := g.CHINESE_PRONOUN[other].search(text)):
            return f"{said}; the response says {pronoun[0]!r}"
        return None

    def emotion(self, seed: str, facts: SeedFacts, text: str, spoken: str) -> str | None:
        values = facts.values("Emotion")
        groups = {emo.seed_group(v) for v in values}
        if len(groups) != 1 or None in groups:
            return None
        group = groups.pop()
        claims = {}
        for sentence in re.split(r"(?<=[.!?;])\s+", text):
            if not SPEAKER_CONTEXT.search(sentence):
                continue
            for match in EMOTION_RE.finditer(sentence):
                word, start = match[1], match.start()
                if word in spoken or negated(sentence, start):
                    continue
                after = re.findall(r"[\w'-]+", sentence[match.end() : match.end() + 30])[:1]
                if EMOTION_CUES & set(words_before(sentence, start, 3)) or TONE_NOUNS & set(after):
                    claims.setdefault(emo.WORD_GROUP[word], word)
        strong = {name for name in claims if name in emo.STRONG}
        if group in emo.STRONG:
            if strong:
                contradicts = not strong & emo.COMPATIBLE[group]
            else:  # only weak words: "calm" contradicts an angry, fearful or excited seed
                contradicts = "neutral" in claims and group in {"angry", "fearful", "excited"}
        else:
            contradicts = bool(strong) and not strong & emo.COMPATIBLE[group] and not set(claims) & emo.WEAK
        if contradicts:
            words = ", ".join(repr(claims[name]) for name in sorted(claims))
            return f"Emotion: {values[0]} in the seed; the response says {words}"
        return None

    def speakers(self, seed: str, facts: SeedFacts, text: str, spoken: str) -> str | None:
        if facts.speakers is None:
            return None
        claims = []
        for match in COUNT_CLAIM.finditer(text):
            word = match[1]
            if word in ("multiple", "several"):
                claims.append((range(2, 1000), match[0]))
            else:
                number = int(word) if word.isdigit() else NUMBERS[word]
                claims.append((range(number, number + 1), match[0]))
        if claims and not any(facts.speakers in numbers for numbers, _ in claims):
            return f"{facts.speakers} speaker(s) in the seed; the response says {claims[0][1]!r}"
        return None

    def sound_labels(self, seed: str, facts: SeedFacts, text: str, spoken: str) -> str | None:
        return self.sound_events(seed, facts, text) or self.instruments(seed, text) or self.genre(seed, text)

    def sound_events(self, seed: str, facts: SeedFacts, text: str) -> str | None:
        if (not facts.labels and not facts.caption) or facts.transcript:
            return None  # with speech in the clip, sound words in a response are usually about what is said
        known = seed_concepts(seed, "sound")
        if not known or not known[0]:
            return None
        said = concepts_in(text, SOUND_RE, SOUND_OF, claims_only=True)
        if said and not set(said) & labels.related(labels.RELATED, set(known[0])):
            return f"the seed's sounds are {', '.join(sorted(known[0]))}; the response names {', '.join(repr(w) for w in said.values())}"
        return None

    def instruments(self, seed: str, text: str) -> str | None:
        known = seed_concepts(seed, "instrument")
        if not known or not known[0]:
            return None
        said = concepts_in(text, INSTRUMENT_RE, INSTRUMENT_OF, claims_only=True)
        if said and not set(said) & labels.related(labels.INSTRUMENT_RELATED, set(known[0])):
            return f"instrument {known[1]} in the seed; the response names {', '.join(repr(w) for w in said.values())}"
        return None

    def genre(self, seed: str, text: str) -> str | None:
        known = seed_concepts(seed, "genre")
        if not known or not known[0]:
            return None
        said = {}
        for sentence in re.split(r"(?<=[.!?;])\s+", text):
            framed = GENRE_SENTENCE.search(sentence)
            music_subject = MUSIC_SUBJECT.search(sentence)
            for match in GENRE_RE.finditer(sentence):
                start = match.start()
                claimed = framed or GENRE_CLAIM.match(sentence, start) or (music_subject and GENRE_COPULA & set(words_before(sentence, start, 2)))
                if claimed and not negated(sentence, start) and not simile(sentence, start):
                    said.setdefault(GENRE_OF[match[1]], match[1])
        if said and not set(said) & labels.related(labels.GENRE_RELATED, set(known[0])):
            return f"Genre: {known[1]} in the seed; the response says {', '.join(repr(w) for w in said.values())}"
        return None
