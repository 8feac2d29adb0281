"""A seed description read back into facts the checks compare a response with.

Handles this project's seeds (`[00:00-00:04] text (Gender: Female, Emotion: Neutral, Duration: 4s)`, one
line per speaker turn for conversations) and the released DeSTA-AQA5M's unnormalised ones
(`(gender: male, ...)`, `(4 speakers talking) (Noise Level: ...)`, bare tag lists `(speech, gush)`,
`(Audio category: door_wood_knock, ...)`). What cannot be read is left out, never guessed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from schemas.vocabulary import normalise_name

TIMESTAMP = re.compile(r"^\s*\[\s*\d{1,2}:\d{2}(?::\d{2})?\s*-\s*\d{1,2}:\d{2}(?::\d{2})?\s*\]\s*")
# A `Name:` that starts an attribute item: split an attribute list before each one.
ITEM_START = re.compile(r",\s*(?=[^\s,:()\[\]'\"][^,:\[\]'\"]{0,40}:)")
SPEAKERS_TALKING = re.compile(r"^(\d+)\s+speakers?\s+talking$", re.I)
LABEL_NAMES = {"Sound events", "Music tags", "Audio category", "Type", "Labels", "Tags", "Audio tags", "Category", "Class", "Sound event"}
COUNT_NAMES = {"Number of speakers", "Speakers", "Speaker count", "Num speakers", "Number of speaker"}


@dataclass(frozen=True)
class SeedFacts:
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical name -> values as written
    items: tuple[str, ...] = ()  # `Name: value` items as written
    labels: tuple[str, ...] = ()  # sound-event / music tags
    caption: str = ""
    transcript: str = ""  # the spoken text of every line
    speakers: int | None = None  # declared speaker count, or distinct `Speaker` values over turn lines

    def values(self, name: str) -> tuple[str, ...]:
        return self.attributes.get(name, ())


def trailing_groups(line: str) -> tuple[str, list[str]]:
    """(text before, [parenthesised groups at the end of the line, in order]); nested parentheses kept."""
    groups = []
    line = line.rstrip()
    while line.endswith(")"):
        depth = 0
        for start in range(len(line) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(line[start], 0)
            if depth == 0:
                break
        if depth:
            break  # unbalanced: leave the rest as text
        groups.insert(0, line[start + 1 : -1])
        line = line[:start].rstrip()
    return line, groups


def split_items(group: str) -> list[str]:
    return [item.strip() for item in ITEM_START.split(group) if item.strip()]


def split_labels(value: str) -> list[str]:
    return [label.strip(" '\"[]{}.") for label in value.split(",") if label.strip(" '\"[]{}.")]


@functools.lru_cache(maxsize=4096)
def parse_seed(seed: str | None) -> SeedFacts:
    attributes: dict[str, list[str]] = {}
    items, labels, transcripts, caption = [], [], [], ""
    declared, speaker_ids, turn_lines = None, set(), 0
    for raw in (seed or "").splitlines():
        text, groups = trailing_groups(TIMESTAMP.sub("", raw))
        if text:
            transcripts.append(text)
            turn_lines += 1
        for group in groups:
            talking = SPEAKERS_TALKING.match(group.strip())
            if talking:
                declared = int(talking[1])
                continue
            parts = split_items(group)
            named = [part for part in parts if ":" in part and len(part.partition(":")[0]) <= 40]
            if not named:
                if text:
                    transcripts.append(f"({group})")  # `(laughs)` inside speech is speech
                elif all(len(piece.split()) <= 4 for piece in split_labels(group)):
                    labels += split_labels(group)
                else:
                    caption = group.strip()
                continue
            for item in named:
                key, _, value = item.partition(":")
                name, value = normalise_name(key.strip()), value.strip()
                if not value:
                    continue
                items.append(f"{key.strip()}: {value}")
                attributes.setdefault(name, []).append(value)
                if name in LABEL_NAMES:
                    labels += split_labels(value)
                elif name == "Caption":
                    caption = value
                elif name in COUNT_NAMES and value.split()[0].isdigit():
                    declared = int(value.split()[0])
                elif name == "Speaker":
                    speaker_ids.add(value.casefold())
    if declared is None and turn_lines >= 2 and len(speaker_ids) >= 2:
        declared = len(speaker_ids)
    return SeedFacts(
        attributes={name: tuple(values) for name, values in attributes.items()},
        items=tuple(items),
        labels=tuple(labels),
        caption=caption,
        transcript="\n".join(transcripts),
        speakers=declared,
    )


def multi_speaker(facts: SeedFacts) -> bool:
    """More than one voice may be in the clip: pronouns about "the speaker" are then ambiguous."""
    return (facts.speakers or 0) > 1 or len(set(v.casefold() for v in facts.values("Speaker"))) > 1
