"""ParaSpeechCaps: rich style captions (59 intrinsic / situational style tags) for speech from VoxCeleb, Expresso,
EARS and Emilia.

Native layout: ParaSpeechCaps is released only as annotations on the Hugging Face Hub, `ajd12342/paraspeechcaps`
(CC-BY-NC-SA-4.0; splits train_scaled, train_base, dev, holdout stored as `data/<split>-*.parquet`), without
audio: each row names its clip by `source` and `relative_audio_path`, a path relative to that source dataset's
own root (ajd12342/paraspeechcaps dataset/README.md section 2.2 and audio_preprocessing/add_real_audio_paths.py:
real path = <source root>/<relative_audio_path>). So the root read here holds both:
  data/<split>-*.parquet          the annotations (`huggingface-cli download ajd12342/paraspeechcaps --repo-type
                                  dataset --local-dir <root>`), or a save_to_disk folder, or `dataset:` to stream them
  voxceleb/ expresso/ ears/ emilia/   each source dataset prepared as that README says (VoxCeleb2 converted to wav
                                  and Voicefixer-cleaned, Expresso dialogues VAD-segmented, ...); the folder names
                                  are the `source_dirs` option
Columns (dataset README section 3): source, relative_audio_path, text_description (1-2 style captions),
transcription, intrinsic_tags, situational_tags, basic_tags, all_tags, speakerid, name, duration, gender,
accent, pitch, speaking_rate, noise, utterance_pitch_mean, snr, phonemes. The caption is the longest of the
row's descriptions (the one combining intrinsic and situational tags when there are two). Clip ids are
`<source>/<relative path without extension>`. A row whose source is not one of source_dirs is bad_metadata; a
row whose audio file is absent is quarantined by the probe as audio_missing.

Selection: `splits` defaults to `[train_base]`, the human-annotated training split (VoxCeleb, Expresso, EARS
audio); `train_scaled` is the other training split, automatically annotated and far larger (Emilia audio),
read when named; dev and holdout are held out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from adapters.base import Entry, EntryError, Selection
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions

SOURCES = {"voxceleb": "voxceleb", "expresso": "expresso", "ears": "ears", "emilia": "emilia"}


class ParaSpeechCapsOptions(HuggingFaceOptions):
    splits: Selection[Literal["train_base", "train_scaled", "dev", "holdout"]] = Field(
        ["train_base"], description="The annotation splits to read; default: train_base (train_scaled: the large automatic one)."
    )
    source_dirs: dict[str, str] = Field(
        default_factory=lambda: dict(SOURCES), description="source (lower-case) -> its dataset's folder under root."
    )


class ParaSpeechCaps(HuggingFaceDataset):
    """ParaSpeechCaps annotations over their source datasets' audio: transcript, style caption, tags, speaker traits."""

    name = "paraspeechcaps"
    dataset = "ParaSpeechCaps"
    domain = "speech"
    licence = "CC-BY-NC-SA-4.0"  # the annotations; the audio stays under each source dataset's licence
    citation = "Diwan, Zheng, Harwath and Choi, Scaling Rich Style-Prompted Text-to-Speech Datasets, arXiv:2503.04713, 2025"
    homepage = "https://github.com/ajd12342/paraspeechcaps"
    yields = ("transcript", "caption", "Speaker", "Gender", "Accent", "Pitch", "Speaking speed", "Noise level", "Intrinsic tags", "Situational tags")
    layout = "data/<split>-*.parquet (ajd12342/paraspeechcaps annotations) + <source>/<relative_audio_path> for voxceleb, expresso, ears, emilia"
    Options = ParaSpeechCapsOptions
    preset = {
        "audio_column": "relative_audio_path",
        "transcript_column": "transcription",
        "caption_column": "text_description",
        "attribute_columns": {
            "Speaker": "speakerid", "Gender": "gender", "Accent": "accent", "Pitch": "pitch", "Speaking speed": "speaking_rate",
            "Noise level": "noise", "Intrinsic tags": "intrinsic_tags", "Situational tags": "situational_tags",
        },  # fmt: skip
        "value_maps": {"Gender": {"male": "Male", "female": "Female"}},
    }

    @property
    def root_required(self) -> bool:
        return True  # the audio is under the root whatever holds the annotations

    def _split_entries(self, split: str) -> Iterator[Entry]:
        options = self.options
        stream = self._stream(split)
        features = stream.features or {}
        absent = [column for column in ("source", options.audio_column) if features and column not in features]
        if absent:
            yield self.ref(""), EntryError("bad_metadata", f"{self._where()}: no {', '.join(absent)} column (columns: {', '.join(features)})")
            return
        sources = {key.lower(): folder.strip("/") for key, folder in options.source_dirs.items()}
        for index, row in enumerate(stream):
            ref = f"{self._where()}[{split}][{index}]"
            source = str(row.get("source") or "").strip().lower()
            relative = str(row.get(options.audio_column) or "").strip().lstrip("/")
            if source not in sources or not relative or ".." in relative.split("/"):
                yield ref, EntryError("bad_metadata", f"{ref}: source {source!r} / audio path {relative!r}: expected one of {sorted(sources)} and a relative path")
                continue
            entry: dict[str, Any] = {
                "audio": posixpath.join(sources[source], relative),
                "id": f"{source}/{posixpath.splitext(relative)[0]}",
                "transcript": row.get(options.transcript_column) if options.transcript_column else None,
                "caption": _longest(row.get(options.caption_column)) if options.caption_column else None,
            }
            for attribute, column in options.attribute_columns.items():
                value = row.get(column)
                if value in (None, "", []):
                    continue
                entry[attribute] = options.value_maps.get(attribute, {}).get(str(value), value) if isinstance(value, str) else value
            yield ref, entry


def _longest(descriptions: Any) -> str | None:
    if isinstance(descriptions, str):
        return descriptions or None
    texts = [text for text in descriptions or [] if isinstance(text, str) and text.strip()]
    return max(texts, key=len) if texts else None
