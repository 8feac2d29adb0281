"""MeasureAcoustics: measure each clip from its audio and turn the numbers into seed-description words.

Decodes the segment (mono mix, 16 kHz), runs Silero VAD over every speech clip of the batch at once and
YIN over all their speech frames at once, then measures speech duration, volume, pitch, speaking rate
(syllables of the transcript, read in the row's Language label, English without one), SNR and C50
(`stages/acoustics/`). The numbers go to `metadata` with their basis; their words (through the bins
file) go to `attributes` where the source has no label of its own and the basis holds (a noise floor
from a real pause, enough speech and syllables, enough clean decays): a source label always wins, and
`metadata.attribute_sources` says which was used.
Audio that cannot be measured gets `<measure>_missing` reasons, never an exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from schemas import columns as c
from stages.acoustics.binning import ATTRIBUTES, Bins
from stages.acoustics.measure import measure_clip, pitch_starts, unmeasurable
from stages.acoustics.pitch import yin_many
from stages.acoustics.signal import LOW_RATE, AudioIssue, prepare, read_segment, to_low_rate
from stages.acoustics.syllables import language_code
from stages.acoustics.vad import speech_mask
from stages.base import Stage, with_columns
from stages.describe_clip import normalise_attributes

# A measured word gives way to a source label of any of these names.
LABELLED_BY = {"Noise level": ("Noise level", "Signal-to-noise ratio"), "Reverberation": ("Reverberation", "C50")}
GENDERS = ("Male", "Female")


@dataclass(frozen=True)
class AcousticsConfig:
    bins: str | None = None  # bins file; None: the shipped default (binning.DEFAULT_BINS)
    words: tuple[str, ...] = tuple(ATTRIBUTES)  # attributes rendered as words for speech
    other_words: tuple[str, ...] = ("Volume",)  # ... and for sound and music


class MeasureAcoustics(Stage):
    name = "measure"
    inputs = {
        c.AUDIO_URI: "local path or fsspec URL to open",
        c.START_S: "segment start (s) or null",
        c.END_S: "segment end (s) or null",
        c.DOMAIN: "speech | sound | music: only speech gets speech measures",
        c.TRANSCRIPT: "for the speaking rate",
        c.ATTRIBUTES: "JSON of source attributes: labels win over measures; Gender picks the pitch bins, Language the syllable rules",
    }
    outputs = {
        c.ATTRIBUTES: "source attributes plus measured words for what the source does not label",
        c.METADATA: "JSON of measured values, <measure>_missing reasons, attribute_sources, bins_version",
    }

    def __init__(self, config: AcousticsConfig | None = None):
        super().__init__(config or AcousticsConfig())

    def setup(self) -> None:
        from stages.acoustics.syllables import load_counter
        from stages.acoustics.vad import load_vad

        self.vad = load_vad(LOW_RATE)
        self.syllables = load_counter()
        self.bins = Bins.load(self.config.bins)

    def process(self, table):
        rows = table.select(list(self.inputs)).to_pylist()
        clips = []
        for row in rows:
            try:
                clips.append(prepare(*read_segment(row[c.AUDIO_URI], row[c.START_S], row[c.END_S])))
            except AudioIssue as issue:
                clips.append(issue)
        speech = [i for i, row in enumerate(rows) if row[c.DOMAIN] == "speech" and not isinstance(clips[i], AudioIssue)]
        # the batched steps: VAD over all speech clips at once, then pitch over all their speech frames
        low = [to_low_rate(clips[i].samples) for i in speech]
        masks = [speech_mask(p) for p in self.vad.probabilities(low)]
        f0 = yin_many(low, [pitch_starts(len(x), mask) for x, mask in zip(low, masks)])
        by_clip = dict(zip(speech, zip(masks, f0)))
        raws = [json.loads(row[c.ATTRIBUTES] or "{}") for row in rows]
        languages = {i: language_code(normalise_attributes(raws[i]).get("Language")) for i in speech}
        # by language, so the counter switches eSpeak voices (~0.3 ms each) once per language, not per row
        syllables = {i: self.syllables.count(rows[i][c.TRANSCRIPT], languages[i]) for i in sorted(speech, key=lambda i: (str(languages[i]), i))}
        attributes, metadata = [], []
        for i, (row, clip, raw) in enumerate(zip(rows, clips, raws)):
            if isinstance(clip, AudioIssue):
                values = unmeasurable(row[c.DOMAIN], clip.reason)
            else:
                values = measure_clip(clip, row[c.DOMAIN], row[c.TRANSCRIPT], *by_clip.get(i, (None, None)), syllables.get(i))
            raw, meta = self.describe(raw, row[c.DOMAIN], values)
            attributes.append(json.dumps(raw, ensure_ascii=False))
            metadata.append(json.dumps(meta, ensure_ascii=False, sort_keys=True))
        return with_columns(table, {c.ATTRIBUTES: attributes, c.METADATA: metadata})

    def describe(self, raw: dict, domain: str, values: dict) -> tuple[dict, dict]:
        """Add measured words where no label exists; record the source of every attribute."""
        labels = normalise_attributes(raw)
        gender = labels.get("Gender") if labels.get("Gender") in GENDERS else None
        wanted = self.config.words if domain == "speech" else self.config.other_words
        sources = {name: "label" for name in labels}
        raw = dict(raw)
        for name, word in self.bins.words(values, gender, list(wanted)).items():
            if any(label in labels for label in LABELLED_BY.get(name, (name,))):
                sources.setdefault(name, "label")
                continue
            raw[name] = word
            sources[name] = "measured"
        return raw, {**values, "attribute_sources": sources, "bins_version": self.bins.version}
