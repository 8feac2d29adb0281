"""TMHINT-QI (the release spells it THMINT-QI): noisy and enhanced Mandarin speech with listener ratings of
quality and intelligibility (Taiwan Mandarin Hearing In Noise Test sentences).

Native layout, as TMHINTQI.zip unpacks (download link in github.com/yuwchen/InQSS; its README: "train: the
wave files of the training utterances; test: ...; raw_data.csv: record the corresponding subject index, wave
file name, quality score, and intelligibility score"; columns as the SHEET toolkit's TMHINT-QI recipe reads
them, egs/tmhint-qi/local/data_prep.py):
  train/<file_name>.wav, test/<file_name>.wav
  raw_data.csv   comma-separated, header `idx,method,uttr,snr,noise,quality_score,intelligibility_score,file_name`:
                 one row per listener rating, so a file has several rows; file_name has no `.wav`;
                 quality_score 1-5 (may be empty); method = the enhancement system (or the noisy input)
  test_scores.csv  objective scores of the test set (not read)
The root is the unpacked TMHINTQI/ folder. A clip's attributes are the mean of its ratings (Quality score on
its 1-5 scale with the P.800 word of the nearest score, `2.4/5.0 (Poor)`, as the release writes `2/5(Poor)`;
Intelligibility score, 2 decimals; the number of ratings) and its condition (noise type, SNR,
enhancement method). The sentence text (`uttr` is only its index) and speaker gender are not in the release.

Selection: `splits` (train, test; default `[train]`): a rated file belongs to the split whose folder holds
it; one found in neither is taken as a training file (and quarantined as missing audio).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection
from schemas.vocabulary import MOS_WORDS, rating

RATINGS = "raw_data.csv"
SPLITS = ("train", "test")
FILE_NAME = re.compile(r"[^/\\]+")


class THMINTQIOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train", "test"]] = Field(["train"], description="Folders to read; default: train only (test: held out).")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


class THMINTQI(Adapter):
    """TMHINT-QI from raw_data.csv: mean quality and intelligibility ratings and the noise condition per file."""

    name = "thmint_qi"
    dataset = "THMINT-QI"
    domain = "speech"
    licence = "MIT"  # as listed by the URGENT 2026 challenge, which redistributes TMHINTQI.zip; the InQSS repository is MIT
    citation = (
        "Chen and Tsao, InQSS: a speech intelligibility and quality assessment model using a multi-task learning network, "
        "Interspeech 2022"
    )
    homepage = "https://github.com/yuwchen/InQSS"
    yields = ("Quality score", "Intelligibility score", "Ratings", "Noise type", "Signal-to-noise ratio", "Enhancement method", "Language")
    layout = "train/<file_name>.wav, test/<file_name>.wav + raw_data.csv (idx,method,uttr,snr,noise,quality_score,intelligibility_score,file_name; one row per rating)"
    expects = (RATINGS,)
    Options = THMINTQIOptions

    def entries(self) -> Iterator[Entry]:
        clips: dict[str, dict] = {}  # file_name -> condition, ratings, first line
        for line, row in self.table(RATINGS):
            if isinstance(row, Exception):
                yield self.ref(RATINGS, line), row
                continue
            name, quality, intelligibility = row.get("file_name", ""), row.get("quality_score", ""), row.get("intelligibility_score", "")
            quality_value, intelligibility_value = _number(quality), _number(intelligibility)
            if (
                not FILE_NAME.fullmatch(name) or name in (".", "..")
                or (quality and (quality_value is None or not 1 <= quality_value <= 5))
                or (intelligibility and (intelligibility_value is None or intelligibility_value < 0))
            ):  # fmt: skip
                yield self.bad(RATINGS, line, f"expected a file_name, quality_score 1-5 and a non-negative intelligibility_score, got {row}")
                continue
            clip = clips.setdefault(name, {"line": line, "row": row, "quality": [], "intelligibility": []})
            if quality:
                clip["quality"].append(quality_value)
            if intelligibility:
                clip["intelligibility"].append(intelligibility_value)
        present = {split: set(self.find(f"{split}/*.wav")) for split in SPLITS}
        for name, clip in clips.items():
            split = next((split for split in SPLITS if f"{split}/{name}.wav" in present[split]), "train")
            if split not in self.options.splits:
                continue
            audio = f"{split}/{name}.wav"
            row = clip["row"]
            snr = row.get("snr", "")
            yield self.ref(RATINGS, clip["line"]), {
                "audio": audio,
                "id": name,
                "Quality score": rating(_mean(clip["quality"]), 5, MOS_WORDS),
                "Intelligibility score": _mean(clip["intelligibility"]),
                "Ratings": max(len(clip["quality"]), len(clip["intelligibility"])) or None,
                "Noise type": row.get("noise") or None,
                "Signal-to-noise ratio": f"{snr} dB" if _number(snr) is not None else (snr or None),
                "Enhancement method": row.get("method") or None,
                "Language": "Mandarin Chinese",
            }


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None
