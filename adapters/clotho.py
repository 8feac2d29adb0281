"""Clotho v2.1: 6,974 Freesound clips of 15-30 s, five crowdsourced captions each.

Native layout (Zenodo record 4783391; column names and encodings as read by aac-datasets,
github.com/Labbeti/aac-datasets src/aac_datasets/datasets/functional/clotho.py):
  clotho_audio_{development,validation,evaluation}.7z   `7z x` each to <split>/<file_name>.wav
  clotho_captions_<split>.csv    header `file_name,caption_1,caption_2,caption_3,caption_4,caption_5` (UTF-8)
  clotho_metadata_<split>.csv    header `file_name,keywords,sound_id,sound_link,start_end_samples,
                                 manufacturer,license`; keywords `;`-separated; ISO-8859-1 in v2/v2.1
File names keep Freesound titles as they are, leading spaces included (` Ambience Birds.wav`), so the
captions file is read without trimming its cells. Audio extracted one level deeper
(clotho_audio_<split>/<split>/) or flat into clotho_audio_<split>/ is found too. Each caption is its own
entry by default (`<split>/<stem>#<k>`); `captions: first` keeps one entry per clip. The keywords
(Freesound tags) become the `Keywords` attribute. The DCASE test split has no captions and is not read.
Selection: `splits` (development, validation, evaluation; default `[development]`: validation and
evaluation are held out).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, stem

CAPTION_COLUMNS = tuple(f"caption_{k}" for k in range(1, 6))


class ClothoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["development", "validation", "evaluation"]] = Field(
        ["development"], description="Splits to read; default: development only (validation, evaluation: held out)."
    )
    captions: Literal["each", "first"] = Field("each", description="One entry per caption, or one per clip with caption_1.")
    metadata_encoding: str = Field("iso-8859-1", description="Encoding of clotho_metadata_<split>.csv (v1: utf-8).")


class Clotho(Adapter):
    """Clotho caption CSVs -> one captioned entry per caption (or per clip)."""

    name = "clotho"
    dataset = "Clotho"
    domain = "sound"
    licence = "Tampere University licence: captions for non-commercial research use only; each clip keeps its Freesound CC licence"
    citation = "Drossos, Lipping and Virtanen, Clotho: An Audio Captioning Dataset, ICASSP 2020"
    homepage = "https://zenodo.org/records/4783391"
    yields = ("caption", "Keywords")
    layout = "<split>/<file_name>.wav + clotho_captions_<split>.csv (file_name,caption_1..caption_5) + clotho_metadata_<split>.csv"
    Options = ClothoOptions

    def missing(self) -> list[str]:
        files = [f"clotho_captions_{split}.csv" for split in self.options.splits]
        return [] if any(self.exists(f) for f in files) else files

    def entries(self) -> Iterator[Entry]:
        for split in self.options.splits:
            captions = f"clotho_captions_{split}.csv"
            if not self.exists(captions):
                continue
            folder = next((d for d in (split, f"clotho_audio_{split}/{split}", f"clotho_audio_{split}") if self.exists(d)), split)
            keywords = self._keywords(split)
            reader = csv.DictReader(io.StringIO(self.read_text(captions)))
            for row in reader:
                line = reader.line_num
                if None in row or None in row.values() or not set(CAPTION_COLUMNS) <= set(row):
                    yield self.bad(captions, line, f"expected the columns file_name,{','.join(CAPTION_COLUMNS)}")
                    continue
                file_name = row.get("file_name") or ""
                if not file_name.lower().endswith(".wav") or "/" in file_name:
                    yield self.bad(captions, line, f"file name {file_name!r} is not a .wav file name", "bad_file_name")
                    continue
                texts = [(k, row[column].strip()) for k, column in enumerate(CAPTION_COLUMNS, start=1) if row[column].strip()]
                if not texts:
                    yield self.bad(captions, line, f"{file_name!r} has no caption")
                    continue
                for k, text in texts[:1] if self.options.captions == "first" else texts:
                    clip = f"{split}/{stem(file_name)}" + ("" if self.options.captions == "first" else f"#{k}")
                    yield self.ref(captions, line), {
                        "audio": f"{folder}/{file_name}",
                        "id": clip,
                        "caption": text,
                        "Keywords": keywords.get(file_name),
                    }

    def _keywords(self, split: str) -> dict[str, list[str]]:
        """file_name -> keywords from clotho_metadata_<split>.csv (absent or unreadable rows: none)."""
        metadata = f"clotho_metadata_{split}.csv"
        if not self.exists(metadata):
            return {}
        reader = csv.DictReader(io.StringIO(self.read_text(metadata, self.options.metadata_encoding)))
        found = {}
        for row in reader:
            words = [w.strip() for w in (row.get("keywords") or "").split(";") if w.strip()]
            if row.get("file_name") and words:
                found[row["file_name"]] = words
        return found
