"""ExtractWithModel: fill what only a model can tell (transcript, gender, emotion, sound tags) with a
Hugging Face model loaded by name, or a model shipped inside a wheel (`builtin:<name>`), only where the
source has no value of its own.

`asr` (a Whisper-style speech-to-text model) fills a null `transcript`; `classifier` (an AST or
wav2vec2-style audio classifier, labels from its `config.id2label`) writes its top label into the
`attributes` JSON under `attribute` ("gender", "emotion", ...), or into an empty `labels` list when
`attribute` names sound tags ("sound_events", "labels"). Clips are decoded like the acoustic measures
(segment, mono mix, 16 kHz) and run through the model `batch_size` at a time. `metadata.attribute_sources`
records `model:<model>` for every value a model filled (as MeasureAcoustics records "label"/"measured").
Audio that cannot be decoded leaves the field missing, never an exception. An extractor serves the clips of
its `domains` and, when `sources` lists names, of those sources only. asr: a language given for the clip's
source (or for all) goes to Whisper's generate with task=transcribe; without one Whisper detects it.

Builtin models need no download at run time, so they are the offline defaults (CPU only):
- `builtin:voice2gender` (kind classifier, attribute gender): the XGBoost model of the voice2gender wheel
  on 20 spectral and F0 features of the clip's first 30 s at 44.1 kHz; writes `male` or `female`.
- `builtin:pocketsphinx` (kind asr): CMU PocketSphinx with the US English acoustic model, language model
  and dictionary of its wheel; lower-case words, no punctuation. Weak on noisy or synthetic speech.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import importlib.util

import numpy as np

from schemas import columns as c
from schemas.vocabulary import normalise_name
from stages.acoustics.signal import RATE, AudioIssue, prepare, read_segment, resample
from stages.base import Stage, with_columns
from stages.describe_clip import normalise_attributes

TAG_ATTRIBUTES = ("Sound events", "Labels", "Tags", "Music tags")  # these fill the `labels` column
BUILTIN = "builtin:"  # `model: builtin:<name>` selects a model shipped inside a wheel


def _voice2gender():
    return Voice2Gender()


def _pocketsphinx():
    return PocketSphinx()


# name -> (kind, attribute it labels (normalised), package that ships it, backend factory)
BUILTIN_MODELS = {
    "voice2gender": ("classifier", "Gender", "voice2gender", _voice2gender),
    "pocketsphinx": ("asr", None, "pocketsphinx", _pocketsphinx),
}


def builtin_problem(model: str, kind: str, attribute: str | None, device: str) -> str | None:
    """Why an extractor with `model: builtin:<name>` cannot run as configured; None when it can.
    Checked when the config is validated, so a run never starts with a builtin it cannot use."""
    name = model.removeprefix(BUILTIN)
    known = ", ".join(f"{BUILTIN}{n} ({k}{f', attribute {a.lower()}' if a else ''})" for n, (k, a, _, _) in BUILTIN_MODELS.items())
    if name not in BUILTIN_MODELS:
        return f"unknown builtin model {model!r}; the builtins are {known}"
    wanted_kind, wanted_attribute, package, _ = BUILTIN_MODELS[name]
    if kind != wanted_kind:
        return f"{model} has kind {wanted_kind}, not {kind}: set kind: {wanted_kind}"
    if wanted_attribute and normalise_name(attribute or "") != wanted_attribute:
        return f"{model} labels {wanted_attribute.lower()}, not {attribute!r}: set attribute: {wanted_attribute.lower()}"
    if device != "cpu":
        return f"{model} runs on the CPU only: set device: cpu and num_gpus: 0"
    if importlib.util.find_spec(package) is None:
        return f"{model} needs the {package} package, which is not installed (make install, or pip install -r requirements/lock.txt)"
    return None


def pcm16(x: np.ndarray) -> bytes:
    """Float samples in [-1, 1] -> little-endian int16 PCM bytes (clipped, rounded)."""
    return np.clip(np.rint(x * 32768.0), -32768, 32767).astype("<i2").tobytes()


class Voice2Gender:
    """voice2gender's bundled XGBoost classifier; its features are defined on 44.1 kHz int16 PCM."""

    MODEL_RATE = 44100
    MAX_S = 30.0  # the clip's first 30 s: plenty for a voice's spectrum and F0 range

    def __init__(self):
        import voice2gender

        self.predict_pcm = voice2gender.predict

    def __call__(self, clips: list[np.ndarray]) -> list[str]:
        labels = []
        for x in clips:
            pcm = pcm16(resample(x[: int(self.MAX_S * RATE)], RATE, self.MODEL_RATE))
            try:
                female = self.predict_pcm([pcm], sample_rate=self.MODEL_RATE)["female_probability"]
            except ValueError:  # silent, shorter than one 2048-sample frame, no F0 in 50-280 Hz
                labels.append("")
                continue
            labels.append("female" if female >= 0.5 else "male")
        return labels


SILENT = 1e-4  # a clip whose samples all stay below this (-80 dBFS) gets no transcript


class PocketSphinx:
    """One PocketSphinx decoder (default config: the wheel's en-us model) per actor, one utterance a clip."""

    def __init__(self):
        from pocketsphinx import Decoder

        self.decoder = Decoder(loglevel="FATAL")  # 16 kHz input, as the clips are

    def __call__(self, clips: list[np.ndarray]) -> list[str]:
        texts = []
        for x in clips:
            if not np.any(np.abs(x) >= SILENT):  # digital silence: the decoder would still emit a word
                texts.append("")
                continue
            self.decoder.start_utt()
            self.decoder.process_raw(pcm16(x), full_utt=True)
            self.decoder.end_utt()
            hypothesis = self.decoder.hyp()
            texts.append(" ".join(hypothesis.hypstr.split()) if hypothesis else "")
        return texts


@dataclass(frozen=True)
class ExtractorSpec:
    model: str  # Hugging Face model id, local folder, or builtin:<name> (BUILTIN_MODELS)
    kind: str = "asr"  # asr | classifier
    attribute: str | None = None  # classifier: the attribute it labels
    batch_size: int = 8
    device: str = "cpu"  # cpu | cuda
    domains: tuple[str, ...] = ("speech",)
    max_new_tokens: int = 128  # asr: longest transcript
    name: str = "extract"
    sources: tuple[str, ...] = ()  # source names it serves (empty: every source of `domains`)
    language: str | None = None  # asr: Whisper language for every clip it serves (None: detected)
    languages: tuple[tuple[str, str], ...] = ()  # asr: (source name, language) pairs, before `language`

    def serves(self, source: str, domain: str) -> bool:
        return domain in self.domains and (not self.sources or source in self.sources)

    def language_of(self, source: str) -> str | None:
        return dict(self.languages).get(source, self.language)


class ExtractWithModel(Stage):
    inputs = {
        c.AUDIO_URI: "local path or fsspec URL to open",
        c.START_S: "segment start (s) or null",
        c.END_S: "segment end (s) or null",
        c.SOURCE: "only clips of the configured sources are run (when sources are listed)",
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
        self.builtin = None
        if self.config.model.startswith(BUILTIN):
            problem = builtin_problem(self.config.model, self.config.kind, self.config.attribute, self.config.device)
            if problem:
                raise ValueError(problem)
            self.builtin = BUILTIN_MODELS[self.config.model.removeprefix(BUILTIN)][3]()
            return
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
        audio: dict[str | None, dict[int, np.ndarray]] = {}  # language -> {row: samples}: one language a model call
        for i, row in enumerate(rows):
            if self.config.serves(row[c.SOURCE], row[c.DOMAIN]) and self.lacks(row):
                try:
                    samples = prepare(*read_segment(row[c.AUDIO_URI], row[c.START_S], row[c.END_S])).samples
                except AudioIssue:
                    continue  # the field stays missing
                audio.setdefault(self.config.language_of(row[c.SOURCE]), {})[i] = samples
        found, size = {}, self.config.batch_size
        for language, clips in audio.items():
            ids = list(clips)
            for start in range(0, len(ids), size):
                chunk = ids[start : start + size]
                found.update((i, value) for i, value in zip(chunk, self.predict([clips[i] for i in chunk], language)) if value)
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

    def predict(self, clips: list, language: str | None = None) -> list[str]:
        """One batch of mono 16 kHz clips -> a transcript or label each ("" when the model gives none).
        asr: `language` is passed to Whisper's generate with task=transcribe; None lets it detect the language."""
        if self.builtin is not None:
            return self.builtin(clips)
        torch, device = self.torch, self.config.device
        with torch.inference_mode():
            if self.config.kind == "asr":
                extractor = getattr(self.processor, "feature_extractor", self.processor)
                features = extractor(clips, sampling_rate=RATE, return_tensors="pt").input_features.to(device)
                given = {"language": language, "task": "transcribe"} if language else {}
                tokens = self.model.generate(features, max_new_tokens=self.config.max_new_tokens, **given)
                return [" ".join(text.split()) for text in self.processor.batch_decode(tokens, skip_special_tokens=True)]
            inputs = self.processor(clips, sampling_rate=RATE, padding=True, return_tensors="pt").to(device)
            best = self.model(**inputs).logits.argmax(-1).tolist()
            return [self.model.config.id2label[index] for index in best]
