"""NSynth: 305,979 four-second musical notes (16 kHz) from 1,006 instruments, with family, source and pitch.

Native layout (https://magenta.tensorflow.org/datasets/nsynth#files, the `json/wav` downloads
nsynth-{train,valid,test}.jsonwav.tar.gz; also the HF card huggingface.co/datasets/jg583/NSynth):
  nsynth-<split>/examples.json          {note_str: {note, note_str, instrument, instrument_str, pitch,
                                          velocity, sample_rate, qualities, qualities_str,
                                          instrument_family, instrument_family_str,
                                          instrument_source, instrument_source_str}}
  nsynth-<split>/audio/<note_str>.wav   e.g. nsynth-test/audio/bass_electronic_018-022-100.wav
<split> is train, valid or test. note_str is `<instrument_str>-<pitch:03d>-<velocity:03d>` and
instrument_str `<family>_<source>_<NNN>`, unique over the whole dataset (it is the clip id).
Families: bass brass flute guitar keyboard mallet organ reed string synth_lead vocal; sources:
acoustic electronic synthetic. DeSTA-AQA5M describes a note as `(Family: bass, Source: electronic,
MIDI Note: 022)`, so entries carry those three; the ten qualities (bright, dark, ...) become `labels`
only with `qualities: true`. Selection: `splits` (train, valid, test; default `[train]`: valid and test are
held out).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection

FAMILIES = {
    "bass": "Bass", "brass": "Brass", "flute": "Flute", "guitar": "Guitar", "keyboard": "Keyboard", "mallet": "Mallet",
    "organ": "Organ", "reed": "Reed", "string": "String", "synth_lead": "Synth lead", "vocal": "Vocal",
}  # fmt: skip
SOURCES = {"acoustic": "Acoustic", "electronic": "Electronic", "synthetic": "Synthetic"}
NOTE_STR = re.compile(r"(?P<instrument>[a-z_]+_(?:acoustic|electronic|synthetic)_\d{3})-(?P<pitch>\d{3})-(?P<velocity>\d{3})")
Split = Literal["train", "valid", "test"]


class NSynthOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    splits: Selection[Split] = Field(["train"], description="nsynth-<split> folders to read (absent ones are skipped); default: train only.")
    qualities: bool = Field(False, description="Add each note's qualities_str (bright, dark, ...) as labels.")


class NSynth(Adapter):
    name = "nsynth"
    dataset = "NSynth"
    domain = "music"
    licence = "CC-BY-4.0"
    citation = "Engel et al., Neural Audio Synthesis of Musical Notes with WaveNet Autoencoders, ICML 2017"
    homepage = "https://magenta.tensorflow.org/datasets/nsynth"
    yields = ("Instrument family", "Instrument source", "MIDI note", "labels (qualities, optional)")
    layout = "nsynth-<split>/examples.json {note_str: {...}} + nsynth-<split>/audio/<note_str>.wav"
    Options = NSynthOptions

    def missing(self) -> list[str]:
        wanted = [f"nsynth-{split}/examples.json" for split in self.options.splits]
        return [] if any(self.exists(path) for path in wanted) else wanted

    def entries(self) -> Iterator[Entry]:
        for split in self.options.splits:
            metadata = f"nsynth-{split}/examples.json"
            if self.exists(metadata):
                yield from self._split(f"nsynth-{split}", metadata)

    def _split(self, folder: str, metadata: str) -> Iterator[Entry]:
        try:
            examples = json.loads(self.read_text(metadata))
        except json.JSONDecodeError as error:
            yield self.bad(metadata, error.lineno, f"not valid JSON: {error.msg}")
            return
        if not isinstance(examples, dict):
            yield self.bad(metadata, None, f"expected a JSON object keyed by note_str, got {type(examples).__name__}")
            return
        for key in sorted(examples):
            note = examples[key]
            fields = NOTE_STR.fullmatch(key)
            problem = _problem(key, note, fields)
            if problem:
                yield self.bad(metadata, None, f"note {key!r}: {problem}")
                continue
            audio = f"{folder}/audio/{key}.wav"
            entry = {
                "audio": audio,
                "id": key,
                "Instrument family": FAMILIES[note["instrument_family_str"]],
                "Instrument source": SOURCES[note["instrument_source_str"]],
                "MIDI note": f"{note['pitch']:03d}",
            }
            if self.options.qualities:
                entry["labels"] = [q.replace("_", " ") for q in note.get("qualities_str") or [] if isinstance(q, str)]
            yield self.ref(audio), entry


def _problem(key: str, note: object, fields: re.Match | None) -> str | None:
    """Why a note cannot become a clip, or None."""
    if not fields:
        return "key is not <family>_<source>_<NNN>-<pitch>-<velocity>"
    if not isinstance(note, dict):
        return f"expected an object, got {type(note).__name__}"
    if note.get("note_str", key) != key:
        return f"note_str {note.get('note_str')!r} differs from its key"
    if note.get("instrument_family_str") not in FAMILIES:
        return f"unknown instrument_family_str {note.get('instrument_family_str')!r}"
    if note.get("instrument_source_str") not in SOURCES:
        return f"unknown instrument_source_str {note.get('instrument_source_str')!r}"
    pitch = note.get("pitch")
    if isinstance(pitch, bool) or not isinstance(pitch, int) or not 0 <= pitch <= 127:
        return f"pitch {pitch!r} is not a MIDI note number"
    return None
