"""BIIC-Podcast: naturalistic Taiwanese Mandarin podcast turns with crowd emotion labels (NTHU BIIC lab).

The release (BIIC-Podcast v1.01, https://biic.ee.nthu.edu.tw/open_resource_detail.php?id=63) is given out
under an academic licence and its folder layout and label-file format are not publicly documented: the
paper (Upadhyay et al., ACII 2023) describes an MSP-Podcast-style collection (consensus categorical label,
activation/valence/dominance, speaker and gender), and third-party readers only assume a CSV with
FileName and EmoClass. So, as for every source whose native layout cannot be established, this adapter
reads the dataset in Hugging Face form (`adapters.hf`): a local `save_to_disk` folder or Parquet files
under the root (there is no public Hub copy), with an Audio column. The preset assumes MSP-Podcast's
column names and codes (FileName, EmoClass A/S/H/U/F/D/C/N/O/X, EmoAct/EmoVal/EmoDom, SpkrID, Gender,
Transcript); override `attribute_columns`, `value_maps` or `transcript_column` for other names. Activation,
Valence and Dominance are written with MSP-Podcast's 1-7 scale (`Valence: 5.6/7.0`).

Selection: the copy's split names are the converter's: `splits` defaults to `[train]`; MSP-style
Development/Test partitions are read only when named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from adapters.base import Entry
from adapters.hf import HuggingFaceDataset
from schemas.vocabulary import rating

EMOTIONS = {
    "A": "Angry", "S": "Sad", "H": "Happy", "U": "Surprised", "F": "Fearful", "D": "Disgusted", "C": "Contempt",
    "N": "Neutral", "O": "", "X": "",
}  # fmt: skip  ("": left out, as other / no agreement)
DIMENSIONS, SCALE = ("Activation", "Valence", "Dominance"), 7


class BIICPodcast(HuggingFaceDataset):
    """BIIC-Podcast in Hugging Face form with MSP-style label columns (its native layout is not public)."""

    name = "biic_podcast"
    dataset = "BIIC-Podcast"
    domain = "speech"
    licence = "BIIC-Podcast academic licence (NTHU BIIC lab agreement)"
    citation = (
        "Upadhyay et al. (NTHU BIIC lab with UT Dallas MSP lab), An Intelligent Infrastructure Toward Large Scale "
        "Naturalistic Affective Speech Corpora Collection, ACII 2023"
    )
    homepage = "https://biic.ee.nthu.edu.tw/open_resource_detail.php?id=63"
    yields = ("transcript", "Emotion", "Activation", "Valence", "Dominance", "Gender", "Speaker", "Language", "Accent")
    layout = "Hugging Face form only (native layout not public): a save_to_disk folder or Parquet files with an Audio column and MSP-style label columns"
    preset: ClassVar[dict[str, Any]] = {
        "audio_column": "audio",
        "transcript_column": "Transcript",
        "attribute_columns": {
            "Emotion": "EmoClass", "Activation": "EmoAct", "Valence": "EmoVal", "Dominance": "EmoDom",
            "Gender": "Gender", "Speaker": "SpkrID",
        },
        "value_maps": {"Emotion": EMOTIONS, "Gender": {"Unknown": ""}, "Speaker": {"Unknown": ""}},
    }  # fmt: skip

    def entries(self) -> Iterator[Entry]:
        for ref, entry in super().entries():
            if isinstance(entry, dict):
                entry.setdefault("Language", "Mandarin")
                entry.setdefault("Accent", "Taiwanese Mandarin")
                for name in DIMENSIONS:
                    if isinstance(entry.get(name), (int, float)) and not isinstance(entry[name], bool):
                        entry[name] = rating(float(entry[name]), SCALE)
            yield ref, entry
