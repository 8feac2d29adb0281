"""ESC-50: 2,000 five-second environmental recordings from Freesound, 50 classes, 5 cross-validation folds.

Native layout (github.com/karolpiczak/ESC-50, README "Repository content"; the release zip unpacks to
ESC-50-master/, which is the root):
  audio/<fold>-<clip_id>-<take>-<target>.wav   e.g. audio/1-100032-A-0.wav (fold 1..5, Freesound clip id,
                                                take letter A.., class 0..49)
  meta/esc50.csv   header `filename,fold,target,category,esc10,src_file,take`,
                   e.g. `1-100032-A-0.wav,1,0,dog,True,100032,A`
The metadata file drives the read: every row is a clip; its category (`door_wood_knock`) becomes the
label with underscores read as spaces (`door wood knock`). A file name that does not follow the pattern
or disagrees with its row's fold/target/take is a bad file name.

Selection: ESC-50 has no train/test split: its five folds are cross-validation folds (each is the test fold
of one round and training data in the others), so all of it is training material. `folds` (1-5, default
all) picks folds, e.g. to keep one aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem

META = "meta/esc50.csv"
FILE_NAME = re.compile(r"(?P<fold>[1-5])-(?P<clip>\d+)-(?P<take>[A-Z])-(?P<target>\d{1,2})")


class ESC50Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    folds: Selection[Literal[1, 2, 3, 4, 5]] = Field([1, 2, 3, 4, 5], description="Cross-validation folds to read (not a train/test split); default: all five.")


class ESC50(Adapter):
    """meta/esc50.csv -> one labelled entry per clip."""

    name = "esc50"
    dataset = "ESC-50"
    domain = "sound"
    licence = "CC-BY-NC-3.0"  # the ESC-10 subset alone is CC-BY; per-clip attributions in LICENSE
    citation = "Piczak, ESC: Dataset for Environmental Sound Classification, ACM Multimedia 2015"
    homepage = "https://github.com/karolpiczak/ESC-50"
    yields = ("labels",)
    layout = "audio/<fold>-<clip_id>-<take>-<target>.wav + meta/esc50.csv (filename,fold,target,category,esc10,src_file,take)"
    expects = ("audio", META)
    Options = ESC50Options

    def entries(self) -> Iterator[Entry]:
        if not self.exists(META):
            return
        for line, row in self.table(META):
            if isinstance(row, Exception):
                yield self.ref(META, line), row
                continue
            filename, category = row.get("filename", ""), row.get("category", "")
            fields = parse_name(FILE_NAME, stem(filename)) if filename.endswith(".wav") else None
            if not fields:
                yield self.bad(META, line, f"file name {filename!r} does not follow <fold>-<clip_id>-<take>-<target>.wav", "bad_file_name")
                continue
            if (fields["fold"], fields["target"], fields["take"]) != (row.get("fold"), row.get("target"), row.get("take")) or not category:
                yield self.bad(META, line, f"row disagrees with its file name {filename!r} or has no category: {row}")
                continue
            if int(fields["fold"]) not in self.options.folds:
                continue
            yield self.ref(META, line), {
                "audio": f"audio/{filename}",
                "id": stem(filename),
                "labels": [category.replace("_", " ")],
            }
