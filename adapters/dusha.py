"""Dusha: ~300k Russian utterances (crowd-acted and podcast) with crowd emotion labels and transcripts.

Native layout (github.com/salute-developers/golos/tree/master/dusha: crowd.tar and podcast.tar untarred
into one folder, as its data_processing/processing.py and utils/aggregation.py read them):
  <subset>/raw_<subset>.jsonl (or .tsv)   subset: crowd_train crowd_test podcast_train podcast_test
                                          one row per annotation: hash_id, audio_path, duration,
                                          annotator_emo, golden_emo, annotator_id, speaker_text,
                                          speaker_emo, source_id (TSV: a header line, tab-separated)
  <subset>/<audio_path>                   audio_path is relative to the subset folder (wavs/<hash_id>.wav)
Emotions: angry, sad, neutral, positive (Happy), other (left out). Each clip is labelled by several
annotators; the release's own aggregation (Dawid-Skene with a confidence threshold) needs its meta file,
so here the label is the golden one when the row has it, else the strict plurality of the annotators'
labels (a tie: no Emotion). speaker_emo (the emotion the speaker was asked to act) becomes
`Speaker emotion` and source_id `Speaker`, as in the DeSTA-AQA5M example `(Emotion: angry, Speaker: ...,
Speaker_Emotion: angry)`. The podcast audio is not distributed (licence): those clips end up
`audio_missing` unless the audio has been restored under <subset>/wavs/.

Selection: the four folders are two parts times two splits: `subsets` (crowd, podcast; default both) and
`splits` (train, test; default `[train]`, the test folders being held out), read as `<subset>_<split>/`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection
EMOTIONS = {"angry": "Angry", "sad": "Sad", "neutral": "Neutral", "positive": "Happy", "other": None}
FIELDS = ("hash_id", "audio_path", "annotator_emo")


class DushaOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subsets: Selection[Literal["crowd", "podcast"]] = Field(["crowd", "podcast"], description="crowd: crowd-acted speech; podcast: podcast excerpts.")
    splits: Selection[Literal["train", "test"]] = Field(["train"], description="Splits to read; default: train only (test: held out).")


class Dusha(Adapter):
    """Dusha from its raw per-annotation files; one clip per hash_id, labels voted over its annotations."""

    name = "dusha"
    dataset = "Dusha"
    domain = "speech"
    licence = "Dusha licence (Sber, github.com/salute-developers/golos/blob/master/license/en_us.pdf)"
    citation = (
        "Kondratenko, Sokolov, Karpov, Kutuzov, Savushkin and Minkin, Large Raw Emotional Dataset with "
        "Aggregation Mechanism, arXiv:2212.12266, 2022"
    )
    homepage = "https://github.com/salute-developers/golos/tree/master/dusha"
    yields = ("transcript", "Emotion", "Speaker emotion", "Language", "Speaker")
    layout = "<subset>/raw_<subset>.jsonl|.tsv (one row per annotation) + <subset>/wavs/<hash_id>.wav"
    Options = DushaOptions

    def _listing(self, subset: str) -> str | None:
        return next((p for p in (f"{subset}/raw_{subset}.jsonl", f"{subset}/raw_{subset}.tsv") if self.exists(p)), None)

    def _folders(self) -> list[str]:
        """The `<subset>_<split>` folders selected; absent ones are skipped."""
        return [f"{subset}_{split}" for subset in self.options.subsets for split in self.options.splits]

    def missing(self) -> list[str]:
        wanted = [f"{folder}/raw_{folder}.jsonl" for folder in self._folders()]
        return [] if any(self._listing(folder) for folder in self._folders()) else wanted

    def entries(self) -> Iterator[Entry]:
        for folder in self._folders():
            listing = self._listing(folder)
            if listing:
                yield from self._subset(folder, listing)

    def _subset(self, subset: str, listing: str) -> Iterator[Entry]:
        clips: dict[str, tuple[int, dict, Counter]] = {}  # hash_id -> (first line, first row, votes)
        for number, row in self._rows(listing):
            if isinstance(row, str):
                yield self.bad(listing, number, row)
                continue
            problem = _problem(row)
            if problem:
                yield self.bad(listing, number, problem)
                continue
            first = clips.setdefault(row["hash_id"], (number, row, Counter()))
            first[2][row["annotator_emo"]] += 1
            if row.get("golden_emo") and not first[1].get("golden_emo"):
                first[1]["golden_emo"] = row["golden_emo"]
        for hash_id, (number, row, votes) in clips.items():
            yield self.ref(listing, number), {
                "audio": f"{subset}/{row['audio_path']}",
                "id": hash_id,
                "transcript": row.get("speaker_text") or None,
                "Speaker": row.get("source_id") or None,
                "Language": "Russian",
                "Emotion": EMOTIONS[row["golden_emo"]] if row.get("golden_emo") else _plurality(votes),
                "Speaker emotion": EMOTIONS.get(row.get("speaker_emo") or ""),
            }

    def _rows(self, listing: str) -> Iterator[tuple[int, dict | str]]:
        """(line number, row or why the line is unusable) of a raw annotation file."""
        if listing.endswith(".jsonl"):
            for number, line in self.lines(listing):
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as error:
                    yield number, f"not valid JSON: {error.msg}"
                    continue
                yield number, {k: "" if v is None else str(v).strip() for k, v in row.items()} if isinstance(row, dict) else "not a JSON object"
            return
        header: list[str] | None = None
        for number, line in self.lines(listing):  # plain tab splitting, as the release's reader does (no quoting)
            cells = line.rstrip("\r\n").split("\t")
            if header is None:
                header = [cell.strip() for cell in cells]
                continue
            if len(cells) != len(header):
                yield number, f"{len(cells)} cells for the {len(header)} header columns"
                continue
            yield number, dict(zip(header, (cell.strip() for cell in cells)))


def _problem(row: dict) -> str | None:
    absent = [field for field in FIELDS if not row.get(field)]
    if absent:
        return f"no {', '.join(absent)}"
    for field in ("annotator_emo", "golden_emo", "speaker_emo"):
        if row.get(field) and row[field] not in EMOTIONS:
            return f"unknown {field} {row[field]!r}"
    if row["audio_path"].startswith("/") or ".." in row["audio_path"].split("/"):
        return f"audio_path {row['audio_path']!r} leaves the subset folder"
    return None


def _plurality(votes: Counter) -> str | None:
    ranked = votes.most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return EMOTIONS[ranked[0][0]]
