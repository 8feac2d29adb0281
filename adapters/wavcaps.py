"""WavCaps: ~400k clips from FreeSound, BBC Sound Effects, SoundBible and AudioSet-SL with ChatGPT-written captions.

Native layout (huggingface.co/datasets/cvssp/WavCaps, as read by aac-datasets, github.com/Labbeti/
aac-datasets src/aac_datasets/datasets/functional/wavcaps.py; the snapshot folder is the root):
  json_files/AudioSet_SL/as_final.json  json_files/BBC_Sound_Effects/bbc_final.json
  json_files/FreeSound/fsd_final.json   json_files/SoundBible/sb_final.json
      {"num_captions_per_audio": 1, "data": [{"id", "caption", "duration", ...}, ...]} (a bare list is
      read too, as the GitHub copy of sb_final.json is); AudioSet_SL ids end in `.wav`
  Zip_files/<Source>/<Source>.zip (+ .z01 ... parts): FLAC audio named <id>.flac (AudioSet_SL: the id with
      .wav -> .flac)
Where the unzipped FLAC files sit is not documented: the archives keep a deep path from the authors'
machine ending in a folder per source. The audio folder of each source is therefore looked up, in
order: `audio_dirs` (option), Audio/<Source> (aac-datasets), <Source>, <Source>_flac, and the first
folder named <Source>_flac anywhere below the root. Clip ids are `<Source>/<file stem>`, since ids of
different sources can collide.

Selection: WavCaps has no split (it is a pretraining set as a whole); `subsets` picks its four sources
(AudioSet_SL, BBC_Sound_Effects, FreeSound, SoundBible), default all.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, EntryError, Selection

Source = Literal["AudioSet_SL", "BBC_Sound_Effects", "FreeSound", "SoundBible"]
METADATA = {
    "AudioSet_SL": "json_files/AudioSet_SL/as_final.json",
    "BBC_Sound_Effects": "json_files/BBC_Sound_Effects/bbc_final.json",
    "FreeSound": "json_files/FreeSound/fsd_final.json",
    "SoundBible": "json_files/SoundBible/sb_final.json",
}


class WavCapsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subsets: Selection[Source] = Field(list(METADATA), description="Which of the four sources to read; default: all.")
    audio_dirs: dict[Source, str] = Field(default_factory=dict, description="Source -> folder (under root) of its unzipped .flac files.")


class WavCaps(Adapter):
    """WavCaps per-source JSON -> one captioned entry per clip."""

    name = "wavcaps"
    dataset = "WavCaps"
    domain = "sound"
    licence = "WavCaps terms: academic use only (GitHub README; the Hub card says CC-BY-4.0); clips keep their source's licence"
    citation = (
        "Mei et al., WavCaps: A ChatGPT-Assisted Weakly-Labelled Audio Captioning Dataset for Audio-Language "
        "Multimodal Research, IEEE/ACM TASLP 2024"
    )
    homepage = "https://github.com/XinhaoMei/WavCaps"
    yields = ("caption",)
    layout = "json_files/<Source>/<x>_final.json ({data: [{id, caption, ...}]}) + unzipped <id>.flac per source"
    expects = ("json_files",)
    Options = WavCapsOptions

    def entries(self) -> Iterator[Entry]:
        for source in self.options.subsets:
            metadata = METADATA[source]
            if not self.exists(metadata):
                continue
            try:
                data = json.loads(self.read_text(metadata))
            except json.JSONDecodeError as error:
                yield self.bad(metadata, error.lineno, f"not JSON: {error.msg}")
                continue
            items = data.get("data") if isinstance(data, dict) else data
            if not isinstance(items, list):
                yield self.bad(metadata, None, "expected {\"data\": [...]} or a list of clips")
                continue
            folder = self._audio_dir(source)
            for index, item in enumerate(items):
                ref = f"{self.ref(metadata)}[{index}]"
                clip, caption = (item.get("id"), item.get("caption")) if isinstance(item, dict) else (None, None)
                clip = str(clip).strip() if isinstance(clip, (str, int)) else ""
                if not clip or "/" in clip or not isinstance(caption, str) or not caption.strip():
                    yield ref, EntryError("bad_metadata", f"{ref}: expected an id and a caption, got {str(item)[:200]}")
                    continue
                file = clip[:-4] + ".flac" if clip.endswith(".wav") else f"{clip}.flac"
                yield ref, {"audio": f"{folder}/{file}", "id": f"{source}/{file[:-5]}", "caption": caption}

    def _audio_dir(self, source: str) -> str:
        chosen = self.options.audio_dirs.get(source)
        if chosen:
            return chosen.strip("/")
        for candidate in (f"Audio/{source}", source, f"{source}_flac"):
            if self.fs.isdir(posixpath.join(self.path, candidate)):
                return candidate
        found = sorted(self.fs.glob(posixpath.join(self.path, "**", f"{source}_flac"), maxdepth=12))
        base = self.path.rstrip("/") + "/"
        found = [p[len(base) :] for p in found if p.startswith(base) and self.fs.isdir(p)]
        return found[0] if found else f"Audio/{source}"
