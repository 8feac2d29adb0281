"""Mridangam Stroke dataset: 6,977 single strokes (10 strokes) of a mridangam tuned to 6 tonics, 44.1 kHz wav.

Native layout (Zenodo record 4068196, mridangam_stroke_1.5.zip; mirdata's loader and index:
github.com/mir-dataset-loaders/mirdata mirdata/datasets/mridangam_stroke.py, indexes/mridangam_stroke_index.json):
  mridangam_stroke_1.5/<tonic>/<freesound id>__<author>__<stroke>-<tonic code>-<NNN>.wav
      e.g. mridangam_stroke_1.5/B/224030__akshaylaya__bheem-b-001.wav,
           mridangam_stroke_1.5/C#/226874__akshaylaya__ta-csh-094.wav
Tonic folders: B C C# D D# E; strokes: bheem cha dheem dhin num ta tha tham thi thom. As in mirdata, the
tonic is the folder and the stroke the name's first field after the author; the root may be the folder
that holds mridangam_stroke_1.5/ or that folder itself. Clip id: the file's stem.
Licence: CC BY 3.0 (CompMusic, compmusic.upf.edu/mridangam-stroke-dataset, as mirdata records it).

Selection: the dataset has no split; every stroke is read (no selection options).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry, stem

FOLDER = "mridangam_stroke_1.5"
TONICS = ("B", "C", "C#", "D", "D#", "E")
STROKES = ("bheem", "cha", "dheem", "dhin", "num", "ta", "tha", "tham", "thi", "thom")
FILE_NAME = re.compile(r"(?P<id>\d+)__(?P<author>[^_]+(?:_[^_]+)*)__(?P<stroke>[a-z]+)-(?P<rest>.+)")


class Mridangam(Adapter):
    name = "mridangam"
    dataset = "Mridangam"
    domain = "music"
    licence = "CC-BY-3.0"
    citation = "Anantapadmanabhan et al., Modal analysis and transcription of strokes of the mridangam using non-negative matrix factorization, ICASSP 2013"
    homepage = "https://compmusic.upf.edu/mridangam-stroke-dataset"
    yields = ("Instrument", "Stroke", "Tonic")
    layout = "[mridangam_stroke_1.5/]<tonic>/<id>__<author>__<stroke>-<tonic>-<NNN>.wav"

    def missing(self) -> list[str]:
        return [] if self._prefix() is not None else [FOLDER]

    def _prefix(self) -> str | None:
        """Where the tonic folders are: under mridangam_stroke_1.5/, or right under the root."""
        if self.exists(FOLDER):
            return f"{FOLDER}/"
        return "" if any(self.exists(tonic) for tonic in TONICS) else None

    def entries(self) -> Iterator[Entry]:
        prefix = self._prefix()
        if prefix is None:
            return
        for audio in self.find(f"{prefix}*/*.wav"):
            tonic = posixpath.basename(posixpath.dirname(audio))
            fields = FILE_NAME.fullmatch(stem(audio))
            if tonic not in TONICS or not fields or fields["stroke"] not in STROKES:
                yield self.bad(audio, None, "file name does not follow <tonic>/<id>__<author>__<stroke>-<tonic>-<NNN>.wav with a known tonic and stroke", "bad_file_name")
                continue
            yield self.ref(audio), {
                "audio": audio,
                "id": stem(audio),
                "Instrument": "Mridangam",
                "Stroke": fields["stroke"].capitalize(),
                "Tonic": tonic,
            }
