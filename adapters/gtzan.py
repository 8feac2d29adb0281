"""GTZAN: 1,000 30-second excerpts (22,050 Hz mono), 100 in each of 10 genres.

Native layout (marsyas.info/downloads/datasets.html, genres.tar.gz; the same walk as torchaudio's
datasets/gtzan.py and mirdata's gtzan_genre):
  genres/<genre>/<genre>.<NNNNN>.wav|au    e.g. genres/blues/blues.00000.wav (older copies hold .au files)
The Kaggle copy (kaggle.com/datasets/andradaolteanu/gtzan-dataset-music-genre-classification) keeps the
same files as .wav under Data/genres_original/ (or genres_original/ when the root is its Data folder);
its jazz.00054.wav is known to be undecodable, which the probe stage reports.
Genres: blues classical country disco hiphop jazz metal pop reggae rock; the genre comes from the folder,
and the file name must agree with it. Clip id: the file's stem, e.g. blues.00000. No licence is declared
(the excerpts were collected from CDs, radio and recordings for research).

Selection: GTZAN has no official split; every excerpt is read (no selection options).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry

GENRES = {
    "blues": "Blues", "classical": "Classical", "country": "Country", "disco": "Disco", "hiphop": "Hip-Hop",
    "jazz": "Jazz", "metal": "Metal", "pop": "Pop", "reggae": "Reggae", "rock": "Rock",
}  # fmt: skip
FOLDERS = ("genres", "genres_original", "Data/genres_original")  # the marsyas tarball, then the Kaggle forms
FILE_NAME = re.compile(r"(?P<genre>[a-z]+)\.(?P<number>\d{5})\.(?:wav|au)")


class GTZANOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    folder: Literal["auto", "genres", "genres_original", "Data/genres_original"] = Field(
        "auto", description="The folder holding <genre>/ folders; auto: the first of genres, genres_original, Data/genres_original found."
    )


class GTZAN(Adapter):
    name = "gtzan"
    dataset = "GTZAN"
    domain = "music"
    licence = None  # none declared
    citation = "Tzanetakis and Cook, Musical genre classification of audio signals, IEEE Transactions on Speech and Audio Processing 2002"
    homepage = "http://marsyas.info/downloads/datasets.html"
    yields = ("Genre",)
    layout = "genres/<genre>/<genre>.<NNNNN>.wav|au (Kaggle: [Data/]genres_original/...)"
    Options = GTZANOptions

    def missing(self) -> list[str]:
        return [] if self._folder() else [self.options.folder] if self.options.folder != "auto" else list(FOLDERS)

    def _folder(self) -> str | None:
        candidates = FOLDERS if self.options.folder == "auto" else (self.options.folder,)
        return next((folder for folder in candidates if self.exists(folder)), None)

    def entries(self) -> Iterator[Entry]:
        folder = self._folder()
        if folder is None:
            return
        for audio in sorted([*self.find(f"{folder}/*/*.wav"), *self.find(f"{folder}/*/*.au")]):
            genre = posixpath.basename(posixpath.dirname(audio))
            fields = FILE_NAME.fullmatch(posixpath.basename(audio))
            if genre not in GENRES or not fields or fields["genre"] != genre:
                yield self.bad(audio, None, "file name does not follow <genre>/<genre>.<NNNNN>.wav with a GTZAN genre", "bad_file_name")
                continue
            yield self.ref(audio), {"audio": audio, "id": posixpath.basename(audio).rsplit(".", 1)[0], "Genre": GENRES[genre]}
