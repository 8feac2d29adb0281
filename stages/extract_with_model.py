"""ExtractWithModel: fill what only a model can tell (transcript, gender, emotion, sound tags) with a
Hugging Face model loaded by name, only where the source has no value of its own.

`asr` (a Whisper-style speech-to-text model) fills a null `transcript`; `classifier` (an AST or
wav2vec2-style audio classifier, labels from its `config.id2label`) writes its top label into the
`attributes` JSON under `attribute` ("gender", "emotion", ...), or into an empty `labels` list when
`attribute` names sound tags ("sound_events", "labels"). Clips are decoded like the acoustic measures
(segment, mono mix, 16 kHz) and run through the model `batch_size` at a time. `metadata.attribute_sources`
records `model:<model>` for every value a model filled (as MeasureAcoustics records "label"/"measured").
Audio that cannot be decoded leaves the field missing, never an exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from schemas import columns as c
from schemas.vocabulary import normalise_name
from stages.acoustics.signal import RATE, AudioIssue, prepare, read_segment
from stages.base import Stage, with_columns
from stages.describe_clip import normalise_attributes

TAG_ATTRIBUTES = ("Sound events", "Labels", "Tags", "Music tags")  # these fill the `labels` column


@dataclass(frozen=True)
class ExtractorSpec:
    model: str  # Hugging Face model id or local folder
    kind: str = "asr"  # asr | classifier
    attribute: str | None = None  # classifier: the attribute it labels
    batch_size: int = 8
    device: str = "cpu"  # cpu | cuda
    domains: tuple[str, ...] = ("speech",)
    max_new_tokens: int = 128  # asr: longest transcript
    name: str = "extract"


class ExtractWithModel(Stage):
    inputs = {
        c.AUDIO_URI: "local path or fsspec URL to open",
        c.START_S: "segment start (s) or null",
        c.END_S: "segment end (s) or null",
        c.DOMAIN: "only clips of the configured domains are run",
        c.TRANSCRIPT: "asr fills it where null",
        c.LABELS: "sound tags fill it where empty",
        c.ATTRIBUTES: "JSON of source attributes: a classifier fills its attribute where missing",
    }
    outputs = {
        c.TRANSCRIPT: "source transcript, or the model's for speech without one",
        c.LABELS: "source tags, or the model's top tag",
        c.ATTRIBUTES: "source attributes plus the model's label where the source has none",
        c.METADATA: "JSON; attribute_sources gains `model:<model>` for every value a model filled",
    }

    def __init__(self, config: ExtractorSpec):
        super().__init__(config)
        self.name = config.name
        self.field = "Transcript" if config.kind == "asr" else normalise_name(config.attribute or "")
        self.tags = config.kind == "classifier" and self.field in TAG_ATTRIBUTES

    def setup(self) -> None:
        import torch
        import transformers as tf

        self.torch = torch
        if self.config.kind == "asr":
            self.processor = tf.AutoProcessor.from_pretrained(self.config.model)
            self.model = tf.AutoModelForSpeechSeq2Seq.from_pretrained(self.config.model)
        else:
            self.processor = tf.AutoFeatureExtractor.from_pretrained(self.config.model)
            self.model = tf.AutoModelForAudioClassification.from_pretrained(self.config.model)
        self.model.to(self.config.device).eval()

    def lacks(self, row: dict) -> bool:
        """The source has no value of its own for the field this model fills."""
        if self.config.kind == "asr":
            return not (row[c.TRANSCRIPT] or "").strip()
        if self.tags:
            return not row[c.LABELS]
        return self.field not in normalise_attributes(json.loads(row[c.ATTRIBUTES] or "{}"))

    def process(self, table):
        rows = table.select([n for n in (*self.inputs, c.METADATA) if n in table.column_names]).to_pylist()
        audio = {}
        for i, row in enumerate(rows):
            if row[c.DOMAIN] in self.config.domains and self.lacks(row):
                try:
                    audio[i] = prepare(*read_segment(row[c.AUDIO_URI], row[c.START_S], row[c.END_S])).samples
                except AudioIssue:
                    pass  # the field stays missing
        found, ids, size = {}, list(audio), self.config.batch_size
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            found.update((i, value) for i, value in zip(chunk, self.predict([audio[i] for i in chunk])) if value)
        return with_columns(table, self.fill(rows, found))

    def fill(self, rows: list[dict], found: dict[int, str]) -> dict[str, list]:
        source = f"model:{self.config.model}"
        columns = {c.TRANSCRIPT: [], c.LABELS: [], c.ATTRIBUTES: [], c.METADATA: []}
        for i, row in enumerate(rows):
            value, attributes, metadata = found.get(i), row[c.ATTRIBUTES], row.get(c.METADATA)
            if value is not None:
                if not self.tags and self.config.kind == "classifier":
                    attributes = json.dumps({**json.loads(attributes or "{}"), self.config.attribute: value}, ensure_ascii=False)
                meta = json.loads(metadata or "{}")
                meta["attribute_sources"] = {**meta.get("attribute_sources", {}), self.field: source}
                metadata = json.dumps(meta, ensure_ascii=False, sort_keys=True)
            columns[c.TRANSCRIPT].append(value if value is not None and self.config.kind == "asr" else row[c.TRANSCRIPT])
            columns[c.LABELS].append([value] if value is not None and self.tags else row[c.LABELS])
            columns[c.ATTRIBUTES].append(attributes)
            columns[c.METADATA].append(metadata)
        return columns

    def predict(self, clips: list) -> list[str]:
        """One batch of mono 16 kHz clips -> a transcript or label each ("" when the model gives none)."""
        torch, device = self.torch, self.config.device
        with torch.inference_mode():
            if self.config.kind == "asr":
                extractor = getattr(self.processor, "feature_extractor", self.processor)
                features = extractor(clips, sampling_rate=RATE, return_tensors="pt").input_features.to(device)
                tokens = self.model.generate(features, max_new_tokens=self.config.max_new_tokens)
                return [" ".join(text.split()) for text in self.processor.batch_decode(tokens, skip_special_tokens=True)]
            inputs = self.processor(clips, sampling_rate=RATE, padding=True, return_tensors="pt").to(device)
            best = self.model(**inputs).logits.argmax(-1).tolist()
            return [self.model.config.id2label[index] for index in best]
