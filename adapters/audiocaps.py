"""AudioCaps: ~57k human captions of 10-s AudioSet clips (train: one caption per clip; val/test: five).

Native layout. The captions are the release's own (github.com/cdjkim/audiocaps, dataset/README.md):
  train.csv, val.csv, test.csv   header `audiocap_id,youtube_id,start_time,caption`
(`audiocap_id` is unique to a clip-caption pair; start_time in whole seconds). The audio is not
distributed; this reads it as the common downloader lays it out (aac-datasets, github.com/Labbeti/
aac-datasets src/aac_datasets/datasets/functional/audiocaps.py, whose AUDIOCAPS/ folder is the root):
  audio_<rate>Hz/{train,val,test}/<youtube_id>_<start_time>.flac   e.g. audio_32000Hz/val/--0w1YA1Hm4_30.flac
That audio location is an assumption about the downloader, not part of the release: `audio_dir` and
`audio_format` override it (the first audio_*Hz folder present is used by default). One entry per CSV row
(id = audiocap_id), so a val/test clip gives five entries with the same audio. AudioCaps 2.0
(dataset2.0/) has the same columns: point the root at it.

Selection: `splits` (train, val, test; default `[train]`: val and test are held out).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")


class AudioCapsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train", "val", "test"]] = Field(["train"], description="Caption files <split>.csv to read; default: train only (val, test: held out).")
    audio_dir: str | None = Field(None, description="Folder holding <split>/<youtube_id>_<start_time>.<format>; None: the first audio_*Hz folder.")
    audio_format: str = Field("flac", description="Audio file extension.")


class AudioCaps(Adapter):
    """AudioCaps caption CSVs -> one captioned entry per row."""

    name = "audiocaps"
    dataset = "AudioCaps"
    domain = "sound"
    licence = "AudioCaps terms: free for academic use only (README; code MIT); audio from YouTube"
    citation = "Kim, Kim, Lee and Kim, AudioCaps: Generating Captions for Audios in The Wild, NAACL-HLT 2019"
    homepage = "https://audiocaps.github.io/"
    yields = ("caption",)
    layout = "{train,val,test}.csv (audiocap_id,youtube_id,start_time,caption) + audio_<rate>Hz/<split>/<youtube_id>_<start>.flac"
    Options = AudioCapsOptions

    def missing(self) -> list[str]:
        files = [f"{split}.csv" for split in self.options.splits]
        return [] if any(self.exists(f) for f in files) else files

    def entries(self) -> Iterator[Entry]:
        folder = self.options.audio_dir or next(iter(self.find("audio_*Hz")), "audio_32000Hz")
        for split in self.options.splits:
            captions = f"{split}.csv"
            if not self.exists(captions):
                continue
            for line, row in self.table(captions):
                if isinstance(row, Exception):
                    yield self.ref(captions, line), row
                    continue
                youtube, start, caption = row.get("youtube_id", ""), row.get("start_time", ""), row.get("caption", "")
                if not (row.get("audiocap_id", "").isdigit() and YOUTUBE_ID.fullmatch(youtube) and start.isdigit() and caption):
                    yield self.bad(captions, line, f"expected audiocap_id, an 11-character youtube_id, whole-second start_time and a caption, got {row}")
                    continue
                yield self.ref(captions, line), {
                    "audio": f"{folder}/{split}/{youtube}_{start}.{self.options.audio_format}",
                    "id": row["audiocap_id"],
                    "caption": caption,
                }
