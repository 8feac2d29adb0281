"""Words that say a speaker is male or female, for the contradiction check against a seed's `Gender`.

`CLAIMS` are explicit statements about the speaker ("a female voice", "the speaker is a man", "spoken by a
woman"); `SUBJECT` are pronouns and nouns doing something a speaker does at the head of a sentence ("he
says", "she sounds", "his voice", "A woman asks"), which refer to the speaker far more often than a bare
"him" or "her" (often the person addressed), and are ignored when the transcript itself speaks of
someone of that gender. `ANY_PRONOUN` (any he/she/him/her/man/woman...) of the seed's gender in a
response makes its pronouns ambiguous. Matched against
`plain()` text. Chinese uses 她 and 他 (not 他们, 其他, 吉他) and 男/女 nouns.
"""

from __future__ import annotations

import re

MALE_NOUNS = r"(?:male|man|boy|gentleman|guy|masculine|father|dad|husband|son|brother|grandfather)"
FEMALE_NOUNS = r"(?:female|woman|girl|lady|feminine|mother|mom|mum|wife|daughter|sister|grandmother)"
SPEAKER_NOUNS = r"(?:speaker|voice|narrator|talker|person|singer|vocalist|presenter|announcer|reader|host|caller|individual)"
AGE = r"(?:(?:adult|young|younger|older|old|elderly|middle-aged|teenage|mature|\w+-aged) )?"
VERBS = (
    r"(?:sounds|sounded|says|said|is|was|speaks|spoke|asks|asked|mentions|seems|seemed|has|had|expresses|talks|tells|wants|explains"
    r"|describes|uses|appears|conveys|delivers|pronounces|states|stated|wonders|suggests|reminds|notes|would|will|might|may|can|could"
    r"|does|did|sighs|laughs|shouts|whispers|repeats|reads|announces|calls|apologizes|apologises|warns|informs|welcomes|thanks)"
)
VOICE_NOUNS = r"(?:voice|tone|speech|accent|pitch|words|speaking|emotion|emotions|delivery|intonation|utterance|statement|question)"


def _claims(nouns: str) -> str:
    return (
        rf"\b(?:a|an|the) (?:[\w-]+ ){{0,2}}{nouns}(?:'s)? {SPEAKER_NOUNS}\b"
        rf"|\b{SPEAKER_NOUNS}(?: in (?:the|this) (?:audio|clip|recording))? (?:is|was|sounds like|appears to be|seems to be) (?:an? )?{AGE}{nouns}\b"
        rf"|\bgender (?:of the speaker )?(?:is|:|appears to be|seems to be) (?:a |an )?{nouns}\b"
        rf"|\b{nouns}[- ](?:voiced|sounding)\b"
        rf"|\b(?:spoken|read|narrated|sung|voiced|said|delivered|recorded) by (?:an? |the )?{AGE}{nouns}\b"
    )


def _sentence_subject(nouns: str) -> str:
    """"A man asks ...", "The woman is warning ...": at the start of a sentence, most often the speaker."""
    return rf"(?:^|(?<=[.!?] ))(?:an? |the )?{AGE}{nouns} (?:with (?:[\w'-]+ ){{1,5}})?(?:is \w+ing|can be heard|{VERBS})\b"


CLAIMS = {"Male": re.compile(_claims(MALE_NOUNS)), "Female": re.compile(_claims(FEMALE_NOUNS))}
SUBJECT = {
    "Male": re.compile(rf"\bhe (?:\w+ly )?{VERBS}\b|\bhis {VOICE_NOUNS}\b|\bhimself\b|{_sentence_subject(MALE_NOUNS)}"),
    "Female": re.compile(rf"\bshe (?:\w+ly )?{VERBS}\b|\bher {VOICE_NOUNS}\b|\bherself\b|{_sentence_subject(FEMALE_NOUNS)}"),
}
ANY_PRONOUN = {"Male": re.compile(rf"\b(?:he|him|his|himself|{MALE_NOUNS[3:-1]})\b"), "Female": re.compile(rf"\b(?:she|her|hers|herself|{FEMALE_NOUNS[3:-1]})\b")}
CHINESE_PRONOUN = {"Male": re.compile(r"(?<![其吉])他(?![们們人])"), "Female": re.compile(r"她(?![们們])")}
CHINESE_CLAIMS = {"Male": re.compile(r"男(?:性|声|聲|子|士|人|生)"), "Female": re.compile(r"女(?:性|声|聲|子|士|人|生)")}
OPPOSITE = {"Male": "Female", "Female": "Male"}


def seed_gender(value: str) -> str | None:
    """`Female`, `female_feminine`, `F`, `woman` -> Female; `Unknown`, `other`, mixed -> None."""
    text = value.casefold().strip()
    if text in ("f", "w") or text.startswith(("female", "woman", "women", "girl", "fem")):
        return "Female"
    if text == "m" or text.startswith(("male", "man", "men", "boy", "masc")):
        return "Male"
    return None
