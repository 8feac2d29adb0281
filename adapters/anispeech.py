"""AniSpeech: about 23.7k English anime voice-acting lines, each with its caption (the line spoken) and voice id.

Native layout: none besides the Hub. AniSpeech exists only as the Hugging Face dataset `ShoukanLabs/AniSpeech`
(https://huggingface.co/datasets/ShoukanLabs/AniSpeech, MIT licence on the card; one split, `ENGLISH`, stored as
`data/ENGLISH-000NN-of-00038.parquet`), so this adapter reads that Hub form: streamed from the Hub, or a local
copy under `root` (those Parquet files, or a `save_to_disk` folder). Columns as users of the dataset read
them: `audio`, `caption` (the transcript of the line, despite its name) and `voice` (the voice / character
id, kept as Speaker); the full column list of the card was not available here, so other columns are not
mapped. The card names no paper: the citation is the dataset itself.

Selection: the dataset has no held-out split; `splits` is its one split, `[ENGLISH]`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from adapters.base import Selection
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions


class AniSpeechOptions(HuggingFaceOptions):
    splits: Selection[Literal["ENGLISH"]] = Field(["ENGLISH"], description="The Hub dataset's one split (it has no held-out split).")


class AniSpeech(HuggingFaceDataset):
    """AniSpeech (Hub form): the spoken line as transcript and the voice id as Speaker."""

    name = "anispeech"
    dataset = "AniSpeech"
    domain = "speech"
    licence = "MIT"
    citation = "ShoukanLabs, AniSpeech: English anime speech with captions, Hugging Face dataset ShoukanLabs/AniSpeech, 2023"
    homepage = "https://huggingface.co/datasets/ShoukanLabs/AniSpeech"
    yields = ("transcript", "Speaker")
    layout = "Hub dataset ShoukanLabs/AniSpeech, split ENGLISH (audio, caption, voice), or its Parquet / save_to_disk copy under root"
    Options = AniSpeechOptions
    preset = {
        "dataset": "ShoukanLabs/AniSpeech",
        "audio_column": "audio",
        "transcript_column": "caption",
        "attribute_columns": {"Speaker": "voice"},
    }
