"""FSD50K: 51,197 Freesound clips (108 h) labelled with 200 AudioSet-ontology classes.

Native layout (Zenodo record 4060432, FSD50K.doc/README.md "Files"; each zip unpacks to its folder):
  FSD50K.dev_audio/<fname>.wav     FSD50K.eval_audio/<fname>.wav    (fname = the Freesound id)
  FSD50K.ground_truth/dev.csv      header `fname,labels,mids,split` (split: train / val)
  FSD50K.ground_truth/eval.csv     header `fname,labels,mids`
`labels` is a quoted comma-separated list of class names spelt with underscores
(`Electric_guitar,Guitar,Plucked_string_instrument,...`), smeared up the ontology; the labels are read
with underscores as spaces (`Electric guitar`). FSD50K.metadata/ (uploader titles, tags, per-clip
licences) is not read.

Selection: `splits` (train, val, eval; default `[train]`). train and val are the two parts of the dev set
(dev.csv's `split` column: val is its validation part), eval is the evaluation set (eval.csv).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection

FNAME = re.compile(r"\d+")


class FSD50KOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train", "val", "eval"]] = Field(
        ["train"], description="train, val: dev.csv's split column; eval: eval.csv; default: train only (val, eval: held out)."
    )


class FSD50K(Adapter):
    """FSD50K ground-truth CSVs -> one labelled entry per clip."""

    name = "fsd50k"
    dataset = "FSD50K"
    domain = "sound"
    licence = "CC-BY-4.0"  # the dataset as a whole; each clip keeps its own CC licence (CC0, BY, BY-NC, Sampling+)
    citation = "Fonseca et al., FSD50K: An Open Dataset of Human-Labeled Sound Events, IEEE/ACM TASLP 2022"
    homepage = "https://zenodo.org/records/4060432"
    yields = ("labels",)
    layout = "FSD50K.{dev,eval}_audio/<fname>.wav + FSD50K.ground_truth/{dev,eval}.csv (fname,labels,mids[,split])"
    expects = ("FSD50K.ground_truth",)
    Options = FSD50KOptions

    def entries(self) -> Iterator[Entry]:
        wanted = set(self.options.splits)
        for part in [p for p, splits in (("dev", {"train", "val"}), ("eval", {"eval"})) if splits & wanted]:
            truth = f"FSD50K.ground_truth/{part}.csv"
            if not self.exists(truth):
                continue
            for line, row in self.table(truth):
                if isinstance(row, Exception):
                    yield self.ref(truth, line), row
                    continue
                split = row.get("split", "") if part == "dev" else "eval"
                if split not in ("train", "val", "eval"):
                    yield self.bad(truth, line, f"clip {row.get('fname')}: split {split!r} is neither train nor val")
                    continue
                if split not in wanted:
                    continue
                fname = row.get("fname", "")
                labels = [label.strip().replace("_", " ") for label in row.get("labels", "").split(",") if label.strip()]
                if not FNAME.fullmatch(fname):
                    yield self.bad(truth, line, f"fname {fname!r} is not a Freesound id", "bad_file_name")
                    continue
                mids = [mid for mid in row.get("mids", "").split(",") if mid.strip()]
                if not labels or len(mids) != len(labels):
                    yield self.bad(truth, line, f"clip {fname}: {len(labels)} labels but {len(mids)} mids")
                    continue
                yield self.ref(truth, line), {"audio": f"FSD50K.{part}_audio/{fname}.wav", "id": fname, "labels": labels}
