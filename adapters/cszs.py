"""CSZS: the Zero Resource Code-Switched Speech benchmark (ICASSP 2024): pairs of code-switched utterances,
one grammatical and semantically sound (`correct`) and one with swapped words (`wrong`), in three tracks:
Mandarin-English, Spanish-English and French-English.

Native layout: none public beyond the Hugging Face datasets the authors point to (baseline repository
github.com/nobel861017/cs_zs_baseline: "The full code-switch dataset is available at huggingface"):
`ky552/cszs_zh_en`, `ky552/cszs_es_en`, `ky552/cszs_fr_en` (MIT licence; splits train / dev / test; columns
`correct_audio`, `correct_transcription`, `correct_file`, `wrong_audio`, `wrong_transcription`,
`wrong_file`). This adapter reads that Hub form: streamed from the Hub, or a local copy under `root`
(`data/<split>-*.parquet`, or a `save_to_disk` folder). `track` picks the language pair (and the Hub id,
unless `dataset` is given); `side` picks which utterance of each pair becomes the clip (default `correct`).
Clip ids are the `<side>_file` column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field

from adapters.base import Entry
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions

LANGUAGES = {
    "zh_en": "Mandarin-English code-switching",
    "es_en": "Spanish-English code-switching",
    "fr_en": "French-English code-switching",
}


class CSZSOptions(HuggingFaceOptions):
    track: Literal["zh_en", "es_en", "fr_en"] = Field("zh_en", description="Language pair: the Hub dataset ky552/cszs_<track>.")
    side: Literal["correct", "wrong"] = Field("correct", description="Which utterance of each pair is the clip.")


class CSZS(HuggingFaceDataset):
    name = "cszs"
    dataset = "CSZS"
    domain = "speech"
    licence = "MIT"
    citation = (
        "Huang et al., Zero Resource Code-Switched Speech Benchmark Using Speech Utterance Pairs for Multiple Spoken "
        "Languages, ICASSP 2024"
    )
    homepage = "https://huggingface.co/datasets/ky552/cszs_zh_en"
    yields = ("transcript", "Language")
    layout = "Hub datasets ky552/cszs_{zh_en,es_en,fr_en} (correct_/wrong_ audio, transcription, file), or a Parquet / save_to_disk copy under root"
    Options = CSZSOptions
    preset = {"split": "train"}

    def __init__(self, root: str, options: dict[str, Any] | BaseModel | None = None):
        if not isinstance(options, BaseModel):
            options = dict(options or {})
            track, side = options.get("track", "zh_en"), options.get("side", "correct")
            options.setdefault("dataset", f"ky552/cszs_{track}")
            options.setdefault("audio_column", f"{side}_audio")
            options.setdefault("transcript_column", f"{side}_transcription")
            options.setdefault("id_column", f"{side}_file")
        super().__init__(root, options)

    def entries(self) -> Iterator[Entry]:
        for ref, entry in super().entries():
            if isinstance(entry, dict):
                entry.setdefault("Language", LANGUAGES[self.options.track])
            yield ref, entry
