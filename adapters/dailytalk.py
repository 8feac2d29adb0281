"""DailyTalk: 2,541 dialogues from DailyDialog re-recorded by two speakers (about 20 h), one file per turn.

Native layout of the released `dailytalk.zip` (github.com/keonlee9420/DailyTalk; parsed by lhotse
lhotse/recipes/daily_talk.py and the authors' preprocessor/preprocessor.py):
  metadata.json    {"<dialog>": {"<turn>": {"speaker": 0|1, "text": ..., "emotion": ..., "act": ..., "topic": ...,
                   "index": ..., "turn": ...}}}
  data/<dialog>/<turn>_<speaker>_d<dialog>.wav   (+ <same>.txt with the turn's text)
Emotions are DailyDialog's: `no emotion` happiness sadness anger fear surprise disgust (`no emotion` ->
Neutral). Gender: speaker 1 is the female and speaker 0 the male voice (as lhotse's recipe assigns them;
the paper names one male and one female speaker). Dialogue act and topic are kept as DailyDialog names them.
Clip ids are the file stems; a turn file with no metadata entry still yields a clip, with its .txt text.

Selection: DailyTalk has no official split; every dialogue is read (no selection options).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry, EntryError, parse_name, stem

EMOTIONS = {
    "no emotion": "Neutral", "none": "Neutral", "happiness": "Happy", "sadness": "Sad", "anger": "Angry",
    "fear": "Fearful", "surprise": "Surprised", "disgust": "Disgusted",
}  # fmt: skip
# DailyDialog's numeric codes, should a copy hold numbers instead of names
EMOTION_CODES = {0: "no emotion", 1: "anger", 2: "disgust", 3: "fear", 4: "happiness", 5: "sadness", 6: "surprise"}
ACTS = {1: "inform", 2: "question", 3: "directive", 4: "commissive"}
TOPICS = {
    1: "ordinary life", 2: "school life", 3: "culture & education", 4: "attitude & emotion", 5: "relationship",
    6: "tourism", 7: "health", 8: "work", 9: "politics", 10: "finance",
}  # fmt: skip
GENDERS = {0: "Male", 1: "Female"}
FILE_NAME = re.compile(r"(?P<turn>\d+)_(?P<speaker>[01])_d(?P<dialog>\d+)")
METADATA = "metadata.json"


class DailyTalk(Adapter):
    name = "dailytalk"
    dataset = "DailyTalk"
    domain = "speech"
    licence = "CC-BY-SA-4.0"
    citation = "Lee et al., DailyTalk: Spoken Dialogue Dataset for Conversational Text-to-Speech, ICASSP 2023"
    homepage = "https://github.com/keonlee9420/DailyTalk"
    yields = ("transcript", "Speaker", "Gender", "Emotion", "Dialogue act", "Topic")
    layout = "metadata.json + data/<dialog>/<turn>_<speaker>_d<dialog>.wav (+ .txt)"
    expects = ("data",)

    def entries(self) -> Iterator[Entry]:
        described: set[tuple[int, int]] = set()  # (dialog, turn) the metadata speaks of, well-formed or not
        if self.exists(METADATA):
            metadata = self._metadata()
            if isinstance(metadata, tuple):
                yield metadata
                metadata = {}
            for dialog in sorted(metadata, key=_number_first):
                turns = metadata[dialog]
                if not isinstance(turns, dict) or not dialog.isdigit():
                    yield self.bad(METADATA, None, f"dialog {dialog!r}: expected a numbered object of turns")
                    continue
                for turn in sorted(turns, key=_number_first):
                    if turn.isdigit():
                        described.add((int(dialog), int(turn)))
                    yield self._turn(dialog, turn, turns[turn])
        for audio in self.find("data/*/*.wav"):
            fields = parse_name(FILE_NAME, stem(audio))
            if not fields or audio.split("/")[1] != fields["dialog"]:
                yield self.bad(audio, None, "file name does not follow data/<dialog>/<turn>_<speaker>_d<dialog>.wav", "bad_file_name")
                continue
            if (int(fields["dialog"]), int(fields["turn"])) in described:
                continue
            speaker = int(fields["speaker"])
            text = audio[: -len(".wav")] + ".txt"
            yield self.ref(audio), {
                "audio": audio,
                "id": stem(audio),
                "transcript": self.read_text(text).strip() if self.exists(text) else None,
                "Speaker": str(speaker),
                "Gender": GENDERS[speaker],
            }

    def _metadata(self) -> dict | Entry:
        try:
            parsed = json.loads(self.read_text(METADATA))
        except json.JSONDecodeError as error:
            return self.bad(METADATA, error.lineno, f"not valid JSON: {error.msg}")
        if not isinstance(parsed, dict):
            return self.bad(METADATA, None, "expected an object of dialogs")
        return parsed

    def _turn(self, dialog: str, turn: str, fields) -> Entry:
        ref = f"{self.ref(METADATA)}[{dialog}][{turn}]"
        if not isinstance(fields, dict) or not turn.isdigit():
            return ref, EntryError("bad_metadata", f"{ref}: expected a numbered turn object")
        speaker, emotion = fields.get("speaker"), _named(fields.get("emotion"), EMOTION_CODES)
        if speaker not in GENDERS or not isinstance(fields.get("text"), str):
            return ref, EntryError("bad_metadata", f"{ref}: expected speaker 0 or 1 and a text, got speaker {speaker!r}")
        if not isinstance(emotion, str) or emotion.lower() not in EMOTIONS:
            return ref, EntryError("bad_metadata", f"{ref}: unknown emotion {fields.get('emotion')!r}")
        clip = f"{int(turn)}_{speaker}_d{int(dialog)}"
        return ref, {
            "audio": f"data/{int(dialog)}/{clip}.wav",
            "id": clip,
            "transcript": fields["text"].strip() or None,
            "Speaker": str(speaker),
            "Gender": GENDERS[speaker],
            "Emotion": EMOTIONS[emotion.lower()],
            "Dialogue act": _named(fields.get("act"), ACTS),
            "Topic": _named(fields.get("topic"), TOPICS),
        }


def _number_first(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (1 << 62, key)


def _named(value, codes: dict[int, str]) -> str | None:
    """A name as written, or the name of a DailyDialog code."""
    if isinstance(value, str):
        return (codes.get(int(value)) if value.strip().isdigit() else value.strip()) or None
    return codes.get(value) if isinstance(value, int) and not isinstance(value, bool) else None
