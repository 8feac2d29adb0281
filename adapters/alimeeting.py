"""AliMeeting (M2MeT): 118.75 h of real Mandarin meetings of 2-4 participants, recorded by an 8-channel far-field
array and by each participant's headset, with per-speaker transcriptions in Praat TextGrids.

Native layout (openslr.org/119; as read by lhotse lhotse/recipes/ali_meeting.py and the M2MeT baseline
github.com/yufan-aslp/AliMeeting asr/local/alimeeting_data_prep.sh):
  Train_Ali_far/audio_dir/<room>_<meeting>_<mic>.wav       e.g. R0003_M0046_MS002.wav (8 channels)
  Train_Ali_far/textgrid_dir/<room>_<meeting>.TextGrid     one IntervalTier per speaker, named
                                                           `<room>_<meeting>_<F|M>_SPK<id>` (or `<F|M>_SPK<id>`)
  Train_Ali_near/audio_dir/<room>_<meeting>_<F|M>_SPK<id>.wav + textgrid_dir/<same stem>.TextGrid (headset)
  Eval_Ali/Eval_Ali_{far,near}/..., Test_Ali/Test_Ali_{far,near}/...  (Eval/Test may also sit at the top level)
Intervals with text are utterances (empty ones are silence). TextGrids are Praat's long text format, UTF-8
or UTF-16 with a byte-order mark.

A meeting (15-30 min) is cut into clips at utterance boundaries: consecutive utterances (by start time)
are grouped while the clip stays within `window_s` seconds (one longer utterance is a clip of its own).
Each clip is a segment of the meeting's recording (start/end) whose utterances are its turns, with times
from the clip's start, Speaker (`SPK<id>`) and Gender. Clip ids: `<recording stem>-<start>-<end>` in
centiseconds, as the M2MeT recipes name segments.

Selection: `splits` (Train, Eval, Test; default `[Train]`: Eval and Test are the challenge's held-out sets)
and `mic` (far or near).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, stem

GENDERS = {"F": "Female", "M": "Male"}
SPEAKER = re.compile(r"(?:.+_)?(?P<gender>[FM])_(?P<speaker>SPK\d+)")
ITEM = re.compile(r"^\s*item\s*\[\s*\d+\s*\]\s*:\s*$", re.M)
NAME = re.compile(r'^\s*name\s*=\s*"(?P<name>(?:[^"]|"")*)"', re.M)
CLASS = re.compile(r'^\s*class\s*=\s*"(?P<cls>(?:[^"]|"")*)"', re.M)
INTERVAL = re.compile(
    r'intervals\s*\[\s*\d+\s*\]\s*:\s*xmin\s*=\s*(?P<xmin>[-+\d.eE]+)\s*xmax\s*=\s*(?P<xmax>[-+\d.eE]+)\s*'
    r'text\s*=\s*"(?P<text>(?:[^"]|"")*)"'
)


class AliMeetingOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["Train", "Eval", "Test"]] = Field(["Train"], description="Splits to read; default: Train only (Eval, Test: held out).")
    mic: Literal["far", "near"] = Field("far", description="far: the 8-channel array; near: each participant's headset.")
    window_s: float = Field(30.0, gt=0, description="Longest clip, seconds; meetings are cut at utterance boundaries.")


class AliMeeting(Adapter):
    name = "alimeeting"
    dataset = "AliMeeting"
    domain = "speech"
    licence = "CC-BY-SA-4.0"
    citation = "Yu et al., M2MeT: The ICASSP 2022 Multi-Channel Multi-Party Meeting Transcription Challenge, ICASSP 2022"
    homepage = "https://www.openslr.org/119/"
    yields = ("turns (transcript, Speaker, Gender)", "start/end", "Speaker count", "Language")
    layout = "<Part>_Ali_<far|near>/audio_dir/*.wav + textgrid_dir/*.TextGrid (one tier per speaker)"
    Options = AliMeetingOptions

    def missing(self) -> list[str]:
        folders = [self._folder(split) for split in self.options.splits]
        return [f"{folder}/textgrid_dir" for folder in folders if not self.exists(f"{folder}/textgrid_dir")]

    def entries(self) -> Iterator[Entry]:
        for split in self.options.splits:
            yield from self._split(self._folder(split))

    def _split(self, folder: str) -> Iterator[Entry]:
        for grid in self.find(f"{folder}/textgrid_dir/*.TextGrid"):
            session = stem(grid)
            tiers = parse_textgrid(self.read_text(grid))
            if tiers is None:
                yield self.bad(grid, None, "not a Praat long-format TextGrid with interval tiers")
                continue
            recordings = self.find(f"{folder}/audio_dir/{session}*.wav")
            audio = recordings[0] if recordings else f"{folder}/audio_dir/{session}.wav"
            utterances = []
            for tier, intervals in tiers:
                who = SPEAKER.fullmatch(session if self.options.mic == "near" else tier)
                if not who:
                    yield self.bad(grid, None, f"tier {tier!r}: speaker not named `[<room>_<meeting>_]<F|M>_SPK<id>`")
                    continue
                for start, end, text in intervals:
                    if text.strip() and end > start >= 0:
                        utterances.append((start, end, text.strip(), who["speaker"], GENDERS[who["gender"]]))
            for window in windows(sorted(utterances), self.options.window_s):
                start, end = window[0][0], max(u[1] for u in window)
                yield self.ref(grid), {
                    "audio": audio,
                    "id": f"{stem(audio)}-{round(start * 100):07d}-{round(end * 100):07d}",
                    "start": round(start, 3),
                    "end": round(end, 3),
                    "turns": [
                        {"start": round(s - start, 3), "end": round(e - start, 3), "transcript": text, "Speaker": speaker, "Gender": gender}
                        for s, e, text, speaker, gender in window
                    ],
                    "Speaker count": len({u[3] for u in window}),
                    "Language": "Chinese",
                }

    def _folder(self, part: str) -> str:
        mic = self.options.mic
        candidates = (f"{part}_Ali_{mic}", f"{part}_Ali/{part}_Ali_{mic}")
        return next((p for p in candidates if self.exists(p)), candidates[0])



def parse_textgrid(text: str) -> list[tuple[str, list[tuple[float, float, str]]]] | None:
    """(tier name, [(xmin, xmax, text)]) for every IntervalTier of a long-format TextGrid; None if there are none."""
    if "ooTextFile" not in text[:200]:
        return None
    tiers = []
    for block in ITEM.split(text)[1:]:
        kind, name = CLASS.search(block), NAME.search(block)
        if not kind or kind["cls"] != "IntervalTier" or not name:
            continue
        try:
            intervals = [(float(m["xmin"]), float(m["xmax"]), m["text"].replace('""', '"')) for m in INTERVAL.finditer(block)]
        except ValueError:  # a time that is not a number
            return None
        tiers.append((name["name"].replace('""', '"'), intervals))
    return tiers or None


def windows(utterances: list[tuple], longest: float) -> Iterator[list[tuple]]:
    """Consecutive utterances (sorted by start) grouped while a group spans at most `longest` seconds."""
    group: list[tuple] = []
    for utterance in utterances:
        if group and utterance[1] - group[0][0] > longest:
            yield group
            group = []
        group.append(utterance)
    if group:
        yield group
