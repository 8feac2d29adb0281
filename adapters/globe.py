"""GLOBE: 535 h of English from 23,519 Common Voice 14 speakers with 164 accents, filtered and enhanced to 24 kHz.

Native layout: none besides the Hub. GLOBE is published only as the Hugging Face dataset `MushanW/GLOBE`
(https://huggingface.co/datasets/MushanW/GLOBE, CC0-1.0; the corpus page https://globecorpus.github.io/ links
there), so this adapter reads that Hub form: streamed from the Hub, or a local copy under `root` (the Hub's
`data/<split>-*.parquet` files, e.g. `huggingface-cli download MushanW/GLOBE --repo-type dataset --local-dir
<root>`, or a `save_to_disk` folder). Columns, per the dataset card: `audio`,
`speaker_id`, `transcript`, `accent` (Common Voice's labels, e.g. `United States English`), `duration`, `age`
(`teens`, `twenties`, ...), `gender` (`male`, `female`). The card asks to prefer `MushanW/GLOBE_V2` (same
columns, a loudness issue fixed): set `dataset: MushanW/GLOBE_V2` for it. Clip ids are the audio file names.

Selection: `splits` (train, val, test; default `[train]`: val and test are held out).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from adapters.base import Selection
from adapters.hf import HuggingFaceDataset, HuggingFaceOptions


class GLOBEOptions(HuggingFaceOptions):
    splits: Selection[Literal["train", "val", "test"]] = Field(["train"], description="The Hub dataset's splits to read; default: train only.")


class GLOBE(HuggingFaceDataset):
    """GLOBE (Hub form): transcript, speaker, accent, age and gender per clip."""

    name = "globe"
    dataset = "GLOBE"
    domain = "speech"
    licence = "CC0-1.0"
    citation = (
        "Wang, Song and Jha, GLOBE: A High-quality English Corpus with Global Accents for Zero-shot Speaker Adaptive "
        "Text-to-Speech, arXiv:2406.14875, 2024"
    )
    homepage = "https://globecorpus.github.io/"
    yields = ("transcript", "Speaker", "Accent", "Age", "Gender")
    layout = "Hub dataset MushanW/GLOBE (audio, speaker_id, transcript, accent, duration, age, gender), or its Parquet / save_to_disk copy under root"
    Options = GLOBEOptions
    preset = {
        "dataset": "MushanW/GLOBE",
        "audio_column": "audio",
        "transcript_column": "transcript",
        "attribute_columns": {"Speaker": "speaker_id", "Accent": "accent", "Age": "age", "Gender": "gender"},
        "value_maps": {
            "Gender": {"male": "Male", "female": "Female", "Male": "Male", "Female": "Female"},
            "Age": {"fourties": "forties"},
        },
    }
