"""VoxLingua107: YouTube speech segments in 107 languages for spoken language identification.

Native layout (bark.phon.ioc.ee/voxlingua107: one `<code>.zip` per language plus `dev.zip`; the unzipped
structure is the one speechbrain's recipe reads, recipes/VoxLingua107/lang_id/create_wds_shards.py):
  <code>/<video>---<start>-<end>.wav          e.g. en/-2cT9MxKiCY__U__S0---0523.100-0534.960.wav
  dev/<code>/<video>---<start>-<end>.wav      the separate, human-validated development set (33 languages)
The language folders may also sit under train/ (speechbrain's recipe unzips them there); both are read.
<code> is the dataset's language code (ISO 639-1 mostly, plus `ceb`, `haw`, `sco`, `war` and the legacy
`iw` Hebrew and `jw` Javanese); names follow the dataset's own language list, in common English forms.
The start/end in the file name are times in the source video, not in the file, so they are not segments.
There are no transcripts or speaker labels. Clip id: the path without `.wav` (`en/<stem>`, `dev/en/<stem>`).

Selection: `splits` (train: the language folders, at the top or under train/; dev: the development set
under dev/; default `[train]`) and `locales` (language codes, default: all 107; an unknown code is rejected).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem
from schemas.vocabulary import LANGUAGE_NAMES

LANGUAGES = LANGUAGE_NAMES  # VoxLingua107's folders are named by exactly these codes
FILE_NAME = re.compile(r"(?P<video>.+)---(?P<start>\d{4}\.\d{3})-(?P<end>\d{4}\.\d{3})")
SUBSETS = ("train", "dev")  # optional parent folders of the language folders
Code = Literal[tuple(sorted(LANGUAGES))]  # type: ignore[valid-type]  # the 107 folder names


class VoxLinguaOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train", "dev"]] = Field(["train"], description="train: the language folders; dev: the development set (held out); default: train.")
    locales: Selection[Code] | None = Field(None, description="Language codes to read (e.g. [en, zh]); default: every language folder present.")


class VoxLingua(Adapter):
    """VoxLingua107 from its per-language folders; the folder's code gives the language."""

    name = "voxlingua"
    dataset = "VoxLingua"
    domain = "speech"
    licence = "CC-BY-4.0"
    citation = "Valk and Alumäe, VoxLingua107: a Dataset for Spoken Language Recognition, IEEE SLT 2021"
    homepage = "https://bark.phon.ioc.ee/voxlingua107/"
    yields = ("Language",)
    layout = "[train/]<language code>/<video>---<start>-<end>.wav (one folder per unzipped <code>.zip) + optional dev/<code>/..."
    expects = ()  # any subset of the 107 language folders; `check` looks for at least one
    Options = VoxLinguaOptions

    def check(self) -> str | None:
        if any(self.exists(code) for code in LANGUAGES) or any(self.exists(subset) for subset in SUBSETS):
            return None
        return f"{self.root} does not look like voxlingua's layout: no <language code>/ folder (e.g. en/), train/ or dev/ found"

    def _files(self) -> Iterator[str]:
        """The selected splits' audio files, globbing only the selected language folders when some are named."""
        for split in self.options.splits:
            for parent in ("", "train/") if split == "train" else ("dev/",):
                for code in self.options.locales or ["*"]:
                    yield from self.find(f"{parent}{code}/*.wav")

    def entries(self) -> Iterator[Entry]:
        for audio in self._files():
            folder = posixpath.dirname(audio)
            code = posixpath.basename(folder)
            if code not in LANGUAGES:
                yield self.bad(audio, None, f"folder {folder!r} is not a VoxLingua107 language code", "bad_file_name")
                continue
            if not parse_name(FILE_NAME, stem(audio)):
                yield self.bad(audio, None, "file name does not follow <video>---<SSSS.sss>-<SSSS.sss>.wav", "bad_file_name")
                continue
            yield self.ref(audio), {
                "audio": audio,
                "id": f"{folder}/{stem(audio)}",
                "Language": LANGUAGES[code],
            }
