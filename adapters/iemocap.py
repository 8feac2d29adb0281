"""IEMOCAP: about 12 h of dyadic sessions (5 sessions x 2 actors), improvised and scripted, with categorical
emotion and valence/activation/dominance ratings per utterance.

Native layout of `IEMOCAP_full_release` (sail.usc.edu/iemocap; as parsed by ESPnet
egs2/iemocap/asr1/local/data.sh, github.com/espnet/espnet):
  Session{1-5}/sentences/wav/<dialog>/<utterance>.wav      one file per utterance
  Session{1-5}/dialog/wav/<dialog>.wav                      the whole dialog
  Session{1-5}/dialog/EmoEvaluation/<dialog>.txt            tab-separated summary lines
      `[6.2901 - 8.2357]<TAB>Ses01F_impro01_F000<TAB>neu<TAB>[2.5000, 2.5000, 2.5000]`
      (start - end in the dialog, utterance, emotion code, [valence, activation, dominance]); the header
      (`% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]`) and each evaluator's lines (`C-E1:`,
      `A-E3:` ...) are not summary lines; the sub-folders (Categorical/, Attribute/ ...) are not read.
  Session{1-5}/dialog/transcriptions/<dialog>.txt           `Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.`
Utterance ids: `Ses<session><F|M: who wore the markers>_<impro|script...>_<F|M: the speaker><index>`; the
speaker's letter gives Gender, and `Ses01M` names the male actor of session 1 (the convention ESPnet's
speaker-independent splits use). Valence, activation and dominance are 1-5 ratings, written with their
scale as the release writes MSP-IMPROV's (`Activation: 2.5/5.0`). Emotion codes neu hap ang sad fru exc sur fea dis; `oth` (other) and
`xxx` (no majority) leave Emotion out. The macOS `._*` files some copies carry are ignored.

`clips: utterances` (default) yields one clip per sentence file; `clips: dialogs` yields one clip per
dialog wav, with the utterances as timestamped turns.

Selection: IEMOCAP has no train/test split (studies hold out one session in turn); `sessions` (1-5, default
all) picks sessions, e.g. to keep one aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, stem
from schemas.vocabulary import rating

EMOTIONS: dict[str, str | None] = {
    "neu": "Neutral", "hap": "Happy", "ang": "Angry", "sad": "Sad", "fru": "Frustrated", "exc": "Excited",
    "sur": "Surprised", "fea": "Fearful", "dis": "Disgusted", "oth": None, "xxx": None,
}  # fmt: skip
GENDERS = {"F": "Female", "M": "Male"}
SCALE = 5  # valence, activation and dominance are rated 1-5 (self-assessment manikins)
SUMMARY = re.compile(
    r"\[\s*(?P<start>\d+(?:\.\d+)?)\s*-\s*(?P<end>\d+(?:\.\d+)?)\s*\]\s+(?P<utt>\S+)\s+(?P<emotion>\S+)\s+"
    r"\[\s*(?P<v>-?\d+(?:\.\d+)?)\s*,\s*(?P<a>-?\d+(?:\.\d+)?)\s*,\s*(?P<d>-?\d+(?:\.\d+)?)\s*\]\s*"
)
UTTERANCE = re.compile(r"(?P<dialog>Ses(?P<session>0[1-5])[FM]_[A-Za-z0-9_]+?)_(?P<gender>[FM])(?P<index>\d{3})")
TRANSCRIPT = re.compile(r"(?P<utt>\S+)\s+\[\s*[\d.]+\s*-\s*[\d.]+\s*\]:\s?(?P<text>.*)")


class IEMOCAPOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clips: Literal["utterances", "dialogs"] = Field(
        "utterances", description="utterances: Session*/sentences/wav files; dialogs: Session*/dialog/wav files with turns."
    )
    sessions: Selection[Literal[1, 2, 3, 4, 5]] = Field([1, 2, 3, 4, 5], description="Sessions to read (no official split); default: all five.")


class IEMOCAP(Adapter):
    name = "iemocap"
    dataset = "IEMOCAP"
    domain = "speech"
    licence = "IEMOCAP licence (research only; release form from USC SAIL)"
    citation = "Busso et al., IEMOCAP: Interactive emotional dyadic motion capture database, Language Resources and Evaluation 2008"
    homepage = "https://sail.usc.edu/iemocap/"
    yields = ("transcript", "Emotion", "Gender", "Speaker", "Valence", "Activation", "Dominance", "turns (clips: dialogs)")
    layout = "Session{1-5}/sentences/wav/<dialog>/<utt>.wav + Session*/dialog/{EmoEvaluation,transcriptions}/<dialog>.txt"
    expects = ("Session1",)
    Options = IEMOCAPOptions

    def entries(self) -> Iterator[Entry]:
        for evaluation in [e for s in self.options.sessions for e in self.find(f"Session{s}/dialog/EmoEvaluation/Ses*.txt")]:
            session_dir = evaluation.split("/", 1)[0]
            dialog = stem(evaluation)
            transcripts = self._transcripts(f"{session_dir}/dialog/transcriptions/{dialog}.txt")
            utterances = []
            for line, text in self.lines(evaluation):
                if not text.startswith("["):
                    continue  # header, evaluators' lines
                parsed = self._utterance(evaluation, line, text, session_dir, dialog)
                if isinstance(parsed, tuple):
                    yield parsed
                    continue
                parsed["transcript"] = transcripts.get(parsed["id"])
                utterances.append((line, parsed))
            if self.options.clips == "utterances":
                for line, utterance in utterances:
                    yield self.ref(evaluation, line), {
                        "audio": f"{session_dir}/sentences/wav/{dialog}/{utterance['id']}.wav",
                        **{k: v for k, v in utterance.items() if k not in ("start", "end")},
                    }
            elif utterances:
                turns = sorted((u for _, u in utterances), key=lambda u: (u["start"], u["id"]))
                yield self.ref(evaluation), {
                    "audio": f"{session_dir}/dialog/wav/{dialog}.wav",
                    "id": dialog,
                    "turns": [{k: v for k, v in u.items() if k not in ("id", "Valence", "Activation", "Dominance")} for u in turns],
                }

    def _utterance(self, relative: str, line: int, text: str, session_dir: str, dialog: str) -> dict | Entry:
        match = SUMMARY.fullmatch(text)
        if not match:
            return self.bad(relative, line, f"not a `[start - end] utterance emotion [v, a, d]` line: {text!r}")
        utt = UTTERANCE.fullmatch(match["utt"])
        if not utt or utt["dialog"] != dialog or f"Session{int(utt['session'])}" != session_dir:
            return self.bad(relative, line, f"utterance id {match['utt']!r} does not belong to dialog {dialog} of {session_dir}")
        if match["emotion"] not in EMOTIONS:
            return self.bad(relative, line, f"unknown emotion code {match['emotion']!r}")
        start, end = float(match["start"]), float(match["end"])
        if end <= start:
            return self.bad(relative, line, f"end {end} is not after start {start}")
        return {
            "id": match["utt"],
            "start": start,
            "end": end,
            "Speaker": f"Ses{utt['session']}{utt['gender']}",
            "Gender": GENDERS[utt["gender"]],
            "Emotion": EMOTIONS[match["emotion"]],
            "Valence": rating(float(match["v"]), SCALE),
            "Activation": rating(float(match["a"]), SCALE),
            "Dominance": rating(float(match["d"]), SCALE),
        }

    def _transcripts(self, relative: str) -> dict[str, str]:
        if not self.exists(relative):
            return {}
        found = {}
        for _, text in self.lines(relative):
            match = TRANSCRIPT.fullmatch(text.strip())
            if match:  # other lines (unsegmented speech, notes) carry no utterance of their own
                found[match["utt"]] = match["text"].strip()
        return found

