"""OpenSinger: a large multi-singer Chinese (Mandarin) singing corpus, songs cut into sentence clips.

Native layout (the dataset's README, github.com/Multi-Singer/Multi-Singer.github.io, and Amphion's dataset
notes and loader: github.com/open-mmlab/Amphion egs/datasets/README.md, preprocessors/opensinger.py):
  ManRaw/<singer>_<song>/<singer>_<song>_<n>.wav     e.g. WomanRaw/4_默/4_默_28.wav
  ManRaw/<singer>_<song>/<singer>_<song>_<n>.txt     the clip's lyrics (Chinese characters)
  ManRaw/<singer>_<song>/<singer>_<song>_<n>.lab     a label file (not read)
  WomanRaw/...                                        the same for the female singers
<singer> is a number, <song> the song's title, <n> the clip's index. Singer numbers are taken as
counted per folder (ManRaw's 4 is not WomanRaw's 4), as Amphion does. The gender comes from the
folder; the speaker is `Man_<singer>` / `Woman_<singer>` (as Amphion names them), the song title from the
folder name is `Song` (as the release shows it: `Song: 一如年少模样`), and the clip id `<folder>_<stem>`,
e.g. `WomanRaw_4_默_28`.
Assumed, not documented: the .txt holds the lyrics as UTF-8 text (lines are joined with a space); a
.txt without its .wav is still yielded, so the probe stage reports the audio missing.
Licence: the README says "CC BY-NC-SA" and links the 2.0 legal code.

Selection: OpenSinger has no official split; every clip is read (no selection options).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry

FOLDERS = {"ManRaw": ("Male", "Man"), "WomanRaw": ("Female", "Woman")}
SONG_FOLDER = re.compile(r"(?P<singer>\d+)_(?P<song>.+)")
CLIP = re.compile(r"(?P<song_folder>\d+_.+)_(?P<index>\d+)")


class OpenSinger(Adapter):
    name = "opensinger"
    dataset = "OpenSinger"
    domain = "music"
    licence = "CC-BY-NC-SA-2.0"
    citation = "Huang et al., Multi-Singer: Fast Multi-Singer Singing Voice Vocoder With A Large-Scale Corpus, ACM Multimedia 2021"
    homepage = "https://github.com/Multi-Singer/Multi-Singer.github.io"
    yields = ("transcript", "Gender", "Speaker", "Song", "Language")
    layout = "{ManRaw,WomanRaw}/<singer>_<song>/<singer>_<song>_<n>.wav + .txt lyrics"

    def missing(self) -> list[str]:
        return [] if any(self.exists(folder) for folder in FOLDERS) else list(FOLDERS)

    def entries(self) -> Iterator[Entry]:
        for folder, (gender, prefix) in FOLDERS.items():
            # a clip is a .wav or a .txt; a .txt whose .wav is absent is kept, so the probe reports it missing
            stems = sorted({path.rsplit(".", 1)[0] for pattern in ("*/*.wav", "*/*.txt") for path in self.find(f"{folder}/{pattern}")})
            for base in stems:
                song_folder, name = posixpath.basename(posixpath.dirname(base)), posixpath.basename(base)
                folder_fields, clip = SONG_FOLDER.fullmatch(song_folder), CLIP.fullmatch(name)
                if not folder_fields or not clip or clip["song_folder"] != song_folder:
                    yield self.bad(f"{base}.wav", None, "file name does not follow <singer>_<song>/<singer>_<song>_<n>.wav", "bad_file_name")
                    continue
                yield self.ref(f"{base}.wav"), {
                    "audio": f"{base}.wav",
                    "id": f"{folder}_{name}",
                    "transcript": self._lyrics(f"{base}.txt"),
                    "Speaker": f"{prefix}_{folder_fields['singer']}",
                    "Gender": gender,
                    "Song": folder_fields["song"],
                    "Language": "Chinese",
                }

    def _lyrics(self, relative: str) -> str | None:
        if not self.exists(relative):
            return None
        return " ".join(line.strip() for _, line in self.lines(relative)) or None
