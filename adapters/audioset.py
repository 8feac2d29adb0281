"""AudioSet: ~2M 10-s YouTube segments weakly labelled with 527 classes of the AudioSet ontology.

Native layout. The labels are the release's own (research.google.com/audioset/download.html):
  balanced_train_segments.csv  unbalanced_train_segments.csv  eval_segments.csv
      three `# ...` comment lines (the last `# YTID, start_seconds, end_seconds, positive_labels`), then
      rows like `--PJHxphWEs, 30.000, 40.000, "/m/09x0r,/t/dd00088"` (", "-separated, labels quoted)
  class_labels_indices.csv   header `index,mid,display_name` (`0,/m/09x0r,"Speech"`)
Labels are the classes' display names. The audio is not distributed; downloaders name the 10-s clips
differently, so this reads the file names it finds under <split>/ or audios/<split>/ (split = the csv's
name without .csv): `Y<YTID>_<start>_<end>.<ext>` (AudioSet-strong/DCASE style), `Y<YTID>.<ext>`
(PANNs, audioset_tagging_cnn: audios/<split>/Y<YTID>.wav), `<YTID>_<start>.<ext>` and `<YTID>.<ext>`
(ext: wav, flac, mp3, ogg, m4a). That naming is an assumption about the downloader, not part of the
release; `audio_pattern` (e.g. `clips/{ytid}_{start}.wav`, with {split} {ytid} {start} {end} as written in
the csv) sets it outright. A row whose clip is not found points at `<split>/Y<YTID>_<start>_<end>.wav`
and is quarantined as missing audio. Clip ids are `<YTID>_<start>`.

Selection: `splits` names the segment files: balanced_train_segments, unbalanced_train_segments (default:
both) and eval_segments (the evaluation set, read only when named).
"""

from __future__ import annotations

import csv
import posixpath
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection

TRAIN_SEGMENTS = ["balanced_train_segments", "unbalanced_train_segments"]
CLASSES = "class_labels_indices.csv"
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
SECONDS = re.compile(r"\d+(\.\d+)?")
CLIP_FILE = re.compile(r"Y?(?P<ytid>[A-Za-z0-9_-]{11})(?:_(?P<start>\d+(?:\.\d+)?)(?:_\d+(?:\.\d+)?)?)?\.(?:wav|flac|mp3|ogg|m4a)")


class AudioSetOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["balanced_train_segments", "unbalanced_train_segments", "eval_segments"]] = Field(
        TRAIN_SEGMENTS, description="Segment files <split>.csv to read; default: the two training ones (eval_segments: held out)."
    )
    audio_pattern: str | None = Field(None, description="Audio path under root with {split} {ytid} {start} {end}; None: found by name.")


class AudioSet(Adapter):
    """AudioSet segment CSVs -> one labelled entry per segment row, its clip found by name."""

    name = "audioset"
    dataset = "AudioSet"
    domain = "sound"
    licence = "CC-BY-4.0"  # the labels (the ontology: CC-BY-SA-4.0); the audio belongs to YouTube uploaders
    citation = "Gemmeke et al., Audio Set: An ontology and human-labeled dataset for audio events, ICASSP 2017"
    homepage = "https://research.google.com/audioset/"
    yields = ("labels",)
    layout = "{balanced_train,unbalanced_train,eval}_segments.csv + class_labels_indices.csv + downloaded clips under <split>/"
    expects = (CLASSES,)
    Options = AudioSetOptions

    def missing(self) -> list[str]:
        segments = [f"{split}.csv" for split in self.options.splits]
        absent = [p for p in self.expects if not self.exists(p)]
        return absent + ([] if any(self.exists(p) for p in segments) else segments)

    def entries(self) -> Iterator[Entry]:
        names, problems = self._classes()
        yield from problems
        for split in self.options.splits:
            segments = f"{split}.csv"
            if not self.exists(segments):
                continue
            clips = {} if self.options.audio_pattern else self._clip_files(split)
            for line, text in self.lines(segments):
                if text.lstrip().startswith("#"):
                    continue
                cells = next(csv.reader([text], skipinitialspace=True), [])
                if len(cells) != 4 or not YOUTUBE_ID.fullmatch(cells[0]) or not all(SECONDS.fullmatch(v) for v in cells[1:3]):
                    yield self.bad(segments, line, f"expected YTID, start_seconds, end_seconds, \"labels\"; got {text!r}")
                    continue
                ytid, start, end, mids = cells
                if float(end) <= float(start):
                    yield self.bad(segments, line, f"segment end {end} is not after its start {start}")
                    continue
                labels = [m.strip() for m in mids.split(",") if m.strip()]
                unknown = [m for m in labels if m not in names]
                if not labels or unknown:
                    yield self.bad(segments, line, f"labels {unknown or mids!r} are not in {CLASSES}")
                    continue
                if self.options.audio_pattern:
                    audio = self.options.audio_pattern.format(split=split, ytid=ytid, start=start, end=end)
                else:
                    audio = clips.get((ytid, float(start))) or clips.get((ytid, None)) or f"{split}/Y{ytid}_{start}_{end}.wav"
                yield self.ref(segments, line), {"audio": audio, "id": f"{ytid}_{start}", "labels": [names[m] for m in labels]}

    def _classes(self) -> tuple[dict[str, str], list[Entry]]:
        if not self.exists(CLASSES):
            return {}, []
        names, problems = {}, []
        for line, row in self.table(CLASSES):
            if isinstance(row, Exception):
                problems.append((self.ref(CLASSES, line), row))
            elif not row.get("mid") or not row.get("display_name"):
                problems.append(self.bad(CLASSES, line, f"expected index,mid,display_name; got {row}"))
            else:
                names[row["mid"]] = row["display_name"]
        return names, problems

    def _clip_files(self, split: str) -> dict[tuple[str, float | None], str]:
        """(YTID, start or None) -> audio path, from the file names under <split>/ and audios/<split>/."""
        found: dict[tuple[str, float | None], str] = {}
        for folder in (split, f"audios/{split}"):
            for path in self.find(f"{folder}/*"):
                match = CLIP_FILE.fullmatch(posixpath.basename(path))
                if match:
                    start = match["start"]
                    found.setdefault((match["ytid"], float(start) if start is not None else None), path)
        return found
