"""FMA (Free Music Archive): 106,574 Creative Commons tracks with genres; 30 s clips in the small/medium/large sets.

Native layout (github.com/mdeff/fma README.md and utils.py: `load()` and `get_audio_path()`):
  fma_<subset>/<tid[:3]>/<tid>.mp3      tid = the track id zero-padded to 6 digits, e.g. fma_small/000/000002.mp3
  fma_metadata/tracks.csv               three header rows (pandas `header=[0, 1], index_col=0`):
      row 1: ,album,album,...,set,set,track,...          the column group
      row 2: ,comments,date_created,...,split,subset,...  the column within the group
      row 3: track_id,,,...                               the index name
    then one row per track (comma-separated, quoted cells may span lines). Read here: (set, subset) =
    small / medium / large, (set, split) = training / validation / test, (track, genre_top), (track, genres)
    = a list of genre ids such as [21, 76].
  fma_metadata/genres.csv               header `genre_id,#tracks,parent,title,top_level`
Subsets nest: fma_small holds the tracks whose subset is small, fma_medium small + medium, fma_large and
fma_full all of them. The Genre is the track's genre_top; where that is empty (many large-set tracks) it
is the titles of its `genres` from genres.csv, when that file is there. Clip id: the 6-digit track id.
Licence: the metadata is CC BY 4.0; each track keeps the Creative Commons licence its artist chose.

Selection: `subset` (the audio set, one folder: small, medium, large or full; sets nest, so one is chosen)
and `splits` (the dataset's own (set, split): training, validation, test; default `[training]`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection

TRACKS, GENRES = "fma_metadata/tracks.csv", "fma_metadata/genres.csv"
SUBSETS = {"small": 0, "medium": 1, "large": 2}  # a track of subset s is in every audio set at or above s
AUDIO_NAME = re.compile(r"fma_\w+/(?P<folder>\d{3})/(?P<tid>\d{6})\.mp3")


class FMAOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subset: Literal["small", "medium", "large", "full"] = Field("small", description="Which audio set: the fma_<subset> folder read.")
    splits: Selection[Literal["training", "validation", "test"]] = Field(
        ["training"], description="tracks.csv (set, split) values to read; default: training only (validation, test: held out)."
    )


class FMA(Adapter):
    name = "fma"
    dataset = "FMA"
    domain = "music"
    licence = "CC-BY-4.0"  # the metadata; each track is under its artist's own Creative Commons licence
    citation = "Defferrard et al., FMA: A Dataset for Music Analysis, ISMIR 2017"
    homepage = "https://github.com/mdeff/fma"
    yields = ("Genre",)
    layout = "fma_<subset>/<NNN>/<NNNNNN>.mp3 + fma_metadata/tracks.csv (3 header rows) + genres.csv"
    expects = (TRACKS,)
    Options = FMAOptions

    def missing(self) -> list[str]:
        return [p for p in (TRACKS, self._audio_dir) if not self.exists(p)]

    @property
    def _audio_dir(self) -> str:
        return f"fma_{self.options.subset}"

    def entries(self) -> Iterator[Entry]:
        genres, problems = self._genres()
        yield from problems
        listed: set[str] = set()
        for line, row in self._tracks():
            if isinstance(row, str):
                yield self.bad(TRACKS, line, row)
                continue
            tid = row["track_id"].zfill(6)
            subset = row.get("set.subset", "")
            if subset not in SUBSETS:
                yield self.bad(TRACKS, line, f"track {row['track_id']}: unknown subset {subset!r} (expected small, medium or large)")
                continue
            if self.options.subset != "full" and SUBSETS[subset] > SUBSETS[self.options.subset]:
                continue  # not part of the chosen audio set
            audio = f"{self._audio_dir}/{tid[:3]}/{tid}.mp3"
            listed.add(audio)
            split = row.get("set.split", "")
            if split not in ("training", "validation", "test"):
                yield self.bad(TRACKS, line, f"track {row['track_id']}: unknown split {split!r} (expected training, validation or test)")
                continue
            if split not in self.options.splits:
                continue
            genre = row.get("track.genre_top") or _genre_titles(row.get("track.genres", ""), genres) or None
            yield self.ref(TRACKS, line), {"audio": audio, "id": tid, "Genre": genre}
        for audio in self.find(f"{self._audio_dir}/*/*.mp3"):
            fields = AUDIO_NAME.fullmatch(audio)
            if not fields or fields["tid"][:3] != fields["folder"]:
                yield self.bad(audio, None, "file name does not follow fma_<subset>/<NNN>/<NNNNNN>.mp3", "bad_file_name")
            elif audio not in listed:
                yield self.bad(audio, None, f"track {fields['tid']} is not in {TRACKS} as part of the {self.options.subset} set")

    def _tracks(self) -> Iterator[tuple[int, dict[str, str] | str]]:
        """(line, {"track_id", "<group>.<column>": value}) per track row, or (line, why the row is bad)."""
        reader = csv.reader(io.StringIO(self.read_text(TRACKS), newline=""))
        try:
            groups, columns, index = next(reader), next(reader), next(reader)
        except StopIteration:
            yield 1, "expected three header rows (column group, column, `track_id`)"
            return
        if len(groups) != len(columns) or not index or index[0].strip() != "track_id" or any(cell.strip() for cell in index[1:]):
            yield reader.line_num, "the header is not FMA's three rows (column group, column, then `track_id` alone)"
            return
        names = ["track_id"] + [f"{group.strip()}.{column.strip()}" for group, column in zip(groups[1:], columns[1:])]
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                yield reader.line_num, f"{len(cells)} cells, the header has {len(names)} columns"
                continue
            row = {name: cell.strip() for name, cell in zip(names, cells)}
            if not row["track_id"].isdigit() or len(row["track_id"]) > 6:
                yield reader.line_num, f"track_id {row['track_id']!r} is not a track number"
                continue
            yield reader.line_num, row

    def _genres(self) -> tuple[dict[str, str], list[Entry]]:
        """genre_id -> title, from genres.csv when it is there."""
        if not self.exists(GENRES):
            return {}, []
        titles, problems = {}, []
        for line, row in self.table(GENRES):
            if isinstance(row, Exception):
                problems.append((self.ref(GENRES, line), row))
            elif row.get("genre_id", "").isdigit() and row.get("title"):
                titles[row["genre_id"]] = row["title"]
            else:
                problems.append(self.bad(GENRES, line, f"expected genre_id digits and a title, got {row}"))
        return titles, problems


def _genre_titles(cell: str, titles: dict[str, str]) -> list[str]:
    """`[21, 76]` -> the genres' titles (ids without a title are left out)."""
    return [titles[gid] for gid in re.findall(r"\d+", cell) if gid in titles]
