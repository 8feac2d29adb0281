"""Describe: render a clip's metadata as the DeSTA seed description, in one normalised vocabulary.

`[00:00-00:02] Excuse me? (Gender: Female, Emotion: Neutral, Duration: 2s)` for speech;
`[00:00-00:10] (Sound events: dog bark, rain, Duration: 10s)` for sound and music. A conversation clip with
speaker turns gets a line for the whole clip with its own attributes, then one timestamped line per turn:
`[00:00-00:05] (Language: Chinese, Number of speakers: 2, Duration: 5s)` / `[00:00-00:02] Hi. (Speaker: A,
Gender: Female)` / `[00:02-00:05] Hello! (Speaker: B)`. Every line is timed, as the release's lines are (its
meeting clips are turn lines only); nothing untimed follows the turns.

Rules that keep the text faithful:
- turn times are whole seconds; a turn shorter than that rounding is widened to one second inside the clip
  (`[00:02-00:03]`), never written `[00:02-00:02]`;
- where the measure stage wrote a Noise level or Reverberation word, its number stands beside it
  (`Noise level: Very low, Signal-to-noise ratio: 68db`, `Reverberation: Low, C50: 12db`); no number without
  the word, and none beside a source's own label;
- labels are joined with `, `, or with `; ` when a label holds a comma itself (AudioSet's `Child speech, kid
  speaking`), so a list stays readable; a caption is one attribute, whatever punctuation it holds.
"""

from __future__ import annotations

import json
import math

from schemas import columns as c
from schemas.vocabulary import normalise_name, normalise_value, order_key
from stages.acoustics.binning import ATTRIBUTES as MEASURED_WORDS
from stages.base import Stage, with_columns

LABEL_NAMES = {"speech": "Sound events", "sound": "Sound events", "music": "Music tags"}
# a measured word -> (the metadata key of the number it was binned from, the attribute that number is written as)
MEASURED_NUMBERS = {
    word: (MEASURED_WORDS[word][0], number) for word, number in (("Noise level", "Signal-to-noise ratio"), ("Reverberation", "C50"))
}


def whole_seconds(seconds: float) -> int:
    """Half-up rounding (Python's round() sends 10.5 to 10 but 11.5 to 12)."""
    return math.floor(seconds + 0.5)


def timestamp(seconds: float) -> str:
    whole = whole_seconds(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def duration_text(seconds: float) -> str:
    """Whole seconds as in the release (`Duration: 2s`); tenths below 10 s, two digits below 1 s."""
    if seconds < 1:
        return f"{seconds:.2g}s"
    tenths = math.floor(seconds * 10 + 0.5) / 10
    if tenths >= 10 or tenths.is_integer():
        return f"{whole_seconds(seconds)}s"
    return f"{tenths:.1f}s"


def normalise_attributes(raw: dict[str, object]) -> dict[str, str]:
    """Source attributes -> {canonical name: canonical value}; the first spelling of a name wins."""
    normalised: dict[str, str] = {}
    for key in sorted(raw):
        name = normalise_name(key)
        value = normalise_value(name, raw[key])
        if value and name not in normalised:
            normalised[name] = value
    return normalised


def measured_numbers(attributes: dict[str, str], measured: dict) -> dict[str, str]:
    """SNR and C50 (whole dB) for the Noise level / Reverberation words the measure stage wrote: precision
    first, so a number only where its word is, never beside a source's label or value."""
    sources = measured.get("attribute_sources") or {}
    found = {}
    for word, (metric, name) in MEASURED_NUMBERS.items():
        value = measured.get(metric)
        if sources.get(word) == "measured" and word in attributes and name not in attributes and isinstance(value, (int, float)):
            found[name] = normalise_value(name, math.floor(value + 0.5))
    return found


def label_list(labels: list[str]) -> str:
    return ("; " if any("," in label for label in labels) else ", ").join(labels)


def turn_span(start: float, end: float, clip_end: int) -> tuple[int, int]:
    """A turn's whole seconds; one shorter than the rounding gets one second (inside the clip, when it fits)."""
    first, last = whole_seconds(start), whole_seconds(end)
    if last <= first:
        first, last = (first, first + 1) if first < clip_end else (clip_end - 1, clip_end)
    return first, last


def turn_lines(turns: list[dict], clip_end: int) -> list[str]:
    """One `[start-end] text (attributes)` line per speaker turn; `clip_end`: the clip's last whole second."""
    lines = []
    for turn in turns:
        raw = {k: v for k, v in turn.items() if k not in ("start", "end", "transcript")}
        attributes = normalise_attributes(raw)
        parts = ", ".join(f"{name}: {attributes[name]}" for name in sorted(attributes, key=order_key))
        text = " ".join((turn.get("transcript") or "").split())
        first, last = turn_span(turn["start"], turn["end"], clip_end)
        line = f"[{timestamp(first)}-{timestamp(last)}]" + (f" {text}" if text else "")
        lines.append(line + (f" ({parts})" if parts else ""))
    return lines


def seed_description(
    duration_s: float,
    transcript: str | None,
    attributes: dict[str, str],
    labels: list[str],
    caption: str | None,
    domain: str,
    turns: list[dict] | None = None,
) -> str:
    parts = [f"{name}: {attributes[name]}" for name in sorted(attributes, key=order_key)]
    if labels:
        parts.append(f"{LABEL_NAMES.get(domain, 'Sound events')}: {label_list(labels)}")
    if caption:
        parts.append(f"Caption: {caption}")
    parts.append(f"Duration: {duration_text(duration_s)}")
    head = f"[{timestamp(0)}-{timestamp(max(duration_s, 1.0))}]"
    if turns:  # the clip's own line first, timed over the whole clip, then its turns
        return "\n".join([f"{head} ({', '.join(parts)})", *turn_lines(turns, whole_seconds(max(duration_s, 1.0)))])
    body = f" {' '.join(transcript.split())}" if transcript else ""
    return f"{head}{body} ({', '.join(parts)})"


class DescribeClip(Stage):
    name = "describe"
    inputs = {
        c.DOMAIN: "speech | sound | music",
        c.DURATION_S: "segment duration (s)",
        c.TRANSCRIPT: "spoken text or null",
        c.LABELS: "tags",
        c.CAPTION: "caption or null",
        c.ATTRIBUTES: "JSON object of source attributes",
    }
    optional = {c.TURNS: "JSON list of speaker turns (conversation clips); read when present"}
    outputs = {c.SEED_DESCRIPTION: "the text the LLM sees in place of the audio", c.METADATA: "JSON of normalised attributes"}

    def __init__(self, config=None, measured: bool = False):
        """measured: an earlier stage (MeasureAcoustics) wrote measured values into `metadata`; keep them."""
        super().__init__(config)
        if measured:
            self.inputs = {**self.inputs, c.METADATA: "JSON of measured values (MeasureAcoustics)"}

    def process(self, table):
        descriptions, metadata = [], []
        columns = list(self.inputs) + [name for name in self.optional if name in table.column_names]
        for row in table.select(columns).to_pylist():
            attributes = normalise_attributes(json.loads(row[c.ATTRIBUTES] or "{}"))
            measured = json.loads(row.get(c.METADATA) or "{}")
            attributes.update(measured_numbers(attributes, measured))
            descriptions.append(
                seed_description(
                    row[c.DURATION_S], row[c.TRANSCRIPT], attributes, row[c.LABELS] or [], row[c.CAPTION], row[c.DOMAIN],
                    json.loads(row.get(c.TURNS) or "[]"),
                )
            )
            metadata.append(json.dumps({**measured, **attributes}, ensure_ascii=False, sort_keys=True))
        return with_columns(table, {c.SEED_DESCRIPTION: descriptions, c.METADATA: metadata})
