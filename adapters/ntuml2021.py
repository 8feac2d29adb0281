"""NTUML2021: the recordings of National Taiwan University's 2021 Machine Learning course (Hung-yi Lee),
Mandarin-English code-switched lectures segmented into utterances, with transcriptions and English
translations.

Native layout: none public. The course videos are on YouTube; the corpus itself exists only as the Hugging
Face dataset `ky552/ML2021_ASR_ST` (MIT licence; splits train 17,779 / dev 2,997 / test 14,916; columns
`audio` (16 kHz), `transcription`, `translation`, `file`), so this adapter reads that Hub form: streamed
from the Hub, or a local copy under `root` (the Hub's `data/<split>-*.parquet` files, or a `save_to_disk`
folder). Clip ids are the `file` column; `translation` becomes the `English translation` attribute, and
every clip is marked as Mandarin-English code-switched speech.

Selection: `splits` (train, dev, test; default `[train]`: dev and test are held out).
"""

from __future__ import annotations

from collections.abc import Iterator

from typing import Literal

from pydantic import Field

from adapters.base import Entry, Selection
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions

LANGUAGE = "Mandarin-English code-switching"


class NTUML2021Options(HuggingFaceOptions):
    splits: Selection[Literal["train", "dev", "test"]] = Field(["train"], description="The Hub dataset's splits to read; default: train only.")


class NTUML2021(HuggingFaceDataset):
    name = "ntuml2021"
    dataset = "NTUML2021"
    domain = "speech"
    licence = "MIT"
    citation = (
        "Yang et al., Investigating Zero-Shot Generalizability on Mandarin-English Code-Switched ASR and Speech-to-text "
        "Translation of Recent Foundation Models with Self-Supervision and Weak Supervision, ICASSP 2024 Workshops (SASB)"
    )
    homepage = "https://huggingface.co/datasets/ky552/ML2021_ASR_ST"
    yields = ("transcript", "English translation", "Language")
    layout = "Hub dataset ky552/ML2021_ASR_ST (audio, transcription, translation, file), or its Parquet / save_to_disk copy under root"
    Options = NTUML2021Options
    preset = {
        "dataset": "ky552/ML2021_ASR_ST",
        "audio_column": "audio",
        "id_column": "file",
        "transcript_column": "transcription",
        "attribute_columns": {"English translation": "translation"},
    }

    def entries(self) -> Iterator[Entry]:
        for ref, entry in super().entries():
            if isinstance(entry, dict):
                entry.setdefault("Language", LANGUAGE)
            yield ref, entry
