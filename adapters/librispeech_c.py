"""LibriSpeech-c, read in LibriSpeech's native layout.

What `LibriSpeech-c` is has not been established: the DeSTA-AQA5M release lists it by that name only. It is
believed to be a corrupted LibriSpeech (LibriSpeech utterances with added noise / effects, as in the
"-C" robustness sets), which keeps LibriSpeech's folders, file names and transcripts; it may also simply mean
LibriSpeech's clean subsets. Either way this adapter reads LibriSpeech's own layout, with the subset folder
names and the audio extension left open (options) since a corrupted copy may rename or re-encode them.

Selection: `splits` names the subset folders to read, LibriSpeech's own (train-clean-100, train-clean-360,
train-other-500, dev-*, test-*) or a corrupted copy's; the default is LibriSpeech's three train-* subsets,
never dev-* or test-* unless named (a copy holding only test-clean must say `splits: [test-clean]`).

LibriSpeech native layout (https://www.openslr.org/12/, README.TXT of the corpus; read the same way by
lhotse-speech/lhotse lhotse/recipes/librispeech.py and torchaudio.datasets.LIBRISPEECH); the root is the
`LibriSpeech/` folder the archives unpack to:
  <subset>/<speaker>/<chapter>/<speaker>-<chapter>-<utt>.flac        e.g. dev-clean/84/121123/84-121123-0000.flac
  <subset>/<speaker>/<chapter>/<speaker>-<chapter>.trans.txt          `<speaker>-<chapter>-<utt> TRANSCRIPT IN CAPITALS`
  SPEAKERS.TXT   `;` comment lines, then `ID | SEX | SUBSET | MINUTES | NAME` (NAME may itself hold `|`)
Each utterance is one reader's: `Speaker count` is 1 (the release describes LibriSpeech-c clips by their
`Number of Speakers`). A trans.txt line whose audio is absent is yielded and quarantined by the probe as audio_missing; an audio
file no trans.txt line names is a clip without transcript.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from adapters.base import Adapter, Entry, Selection, parse_name, stem

UTTERANCE = re.compile(r"(?P<speaker>\d+)-(?P<chapter>\d+)-(?P<utterance>\d+)")
GENDERS = {"F": "Female", "M": "Male"}
SPEAKERS = "SPEAKERS.TXT"
TRAIN = ["train-clean-100", "train-clean-360", "train-other-500"]
Folder = Annotated[str, StringConstraints(pattern=r"^[\w.+-]+$")]  # a corrupted copy may name its subsets its own way


class LibriSpeechCOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Folder] = Field(TRAIN, description="Subset folders to read (e.g. test-clean); default: LibriSpeech's train-* subsets.")
    audio_extension: str = Field("flac", pattern=r"^[A-Za-z0-9]+$", description="Extension of the audio files (LibriSpeech: flac).")


class LibriSpeechC(Adapter):
    """LibriSpeech-c in LibriSpeech's layout: transcript, speaker and gender per utterance."""

    name = "librispeech_c"
    dataset = "LibriSpeech-c"
    domain = "speech"
    licence = None  # LibriSpeech itself is CC-BY-4.0; the licence of the `-c` derivative is not established
    citation = (
        "Panayotov, Chen, Povey and Khudanpur, Librispeech: an ASR corpus based on public domain audio books, "
        "ICASSP 2015 (the `-c` derivative's own reference is not established)"
    )
    homepage = "https://www.openslr.org/12/"
    yields = ("transcript", "Speaker", "Gender", "Speaker count")
    layout = "<subset>/<spk>/<chapter>/<spk>-<chapter>-<utt>.flac + <spk>-<chapter>.trans.txt + SPEAKERS.TXT"
    Options = LibriSpeechCOptions

    def check(self) -> str | None:
        if not self._subsets():
            there = sorted({path.split("/", 1)[0] for path in self.find("*/*/*/*.trans.txt")})
            found = f" (subsets there: {', '.join(there)}; name them in `splits`)" if there else ""
            return f"{self.root}: none of {', '.join(self.options.splits)} holds <speaker>/<chapter>/*.trans.txt{found}"
        return None

    def _subsets(self) -> list[str]:
        return [s for s in self.options.splits if self.exists(s)]

    def entries(self) -> Iterator[Entry]:
        genders, problems = self._speakers()
        yield from problems
        extension = self.options.audio_extension
        for subset in self._subsets():
            texts: dict[str, tuple[str, str]] = {}  # utterance -> (transcript, input ref)
            for trans in self.find(f"{subset}/*/*/*.trans.txt"):
                folder = trans.rsplit("/", 1)[0]
                for number, line in self.lines(trans):
                    utterance, _, text = line.strip().partition(" ")
                    fields = parse_name(UTTERANCE, utterance)
                    if not fields or not text.strip() or f"{subset}/{fields['speaker']}/{fields['chapter']}" != folder:
                        yield self.bad(trans, number, "expected `<spk>-<chapter>-<utt> TRANSCRIPT` of this chapter")
                        continue
                    texts[utterance] = (text.strip(), self.ref(trans, number))
            audio: dict[str, str] = {}
            for path in self.find(f"{subset}/*/*/*.{extension}"):
                fields = parse_name(UTTERANCE, stem(path))
                if not fields or f"{subset}/{fields['speaker']}/{fields['chapter']}" != path.rsplit("/", 1)[0]:
                    yield self.bad(path, None, f"file name does not follow <spk>/<chapter>/<spk>-<chapter>-<utt>.{extension}", "bad_file_name")
                    continue
                audio[stem(path)] = path
            for utterance in sorted(texts.keys() | audio.keys()):
                speaker, chapter, _ = utterance.split("-")
                path = audio.get(utterance) or f"{subset}/{speaker}/{chapter}/{utterance}.{extension}"
                transcript, ref = texts.get(utterance, (None, self.ref(path)))
                yield ref, {
                    "audio": path, "id": utterance, "transcript": transcript, "Speaker": speaker, "Gender": genders.get(speaker),
                    "Speaker count": 1,
                }  # fmt: skip

    def _speakers(self) -> tuple[dict[str, str], list[Entry]]:
        if not self.exists(SPEAKERS):
            return {}, []
        genders, problems = {}, []
        for number, line in self.lines(SPEAKERS):
            if line.lstrip().startswith(";"):
                continue
            cells = [cell.strip() for cell in line.split("|", 4)]
            if len(cells) < 3 or not cells[0].isdigit() or cells[1] not in GENDERS:
                problems.append(self.bad(SPEAKERS, number, f"expected `ID | SEX | SUBSET | MINUTES | NAME`, got {line!r}"))
                continue
            genders[cells[0]] = GENDERS[cells[1]]
        return genders, problems
