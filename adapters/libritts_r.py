"""LibriTTS-R: LibriTTS (585 h of read English audiobook speech at 24 kHz) restored with Miipher.

Native layout of the OpenSLR 141 archives (https://www.openslr.org/141/; each `<subset>.tar.gz` unpacks to
`LibriTTS_R/`, the root to point at; the layout is LibriTTS's, read the same way by lhotse-speech/lhotse
lhotse/recipes/libritts.py `prepare_librittsr` and tensorflow/datasets `libritts`):
  <subset>/<speaker>/<chapter>/<speaker>_<chapter>_<paragraph>_<sentence>.wav   e.g. dev-clean/84/121123/84_121123_000007_000001.wav
  <subset>/<speaker>/<chapter>/<utt>.normalized.txt, <utt>.original.txt        the sentence, one line
  <subset>/<speaker>/<chapter>/<speaker>_<chapter>.trans.tsv                    `<utt>\\t<original text>\\t<normalized text>`, no header
  speakers.tsv   tab-separated with a header line: `READER  GENDER  SUBSET  NAME` (NAME may be absent)
  SPEAKERS.txt   LibriSpeech-style: `;` comment lines, then `ID | SEX | SUBSET | MINUTES | NAME`
Subsets: dev-clean dev-other test-clean test-other train-clean-100 train-clean-360 train-other-500.
The transcript comes from the chapter's trans.tsv (one read per chapter), else from the utterance's
`.normalized.txt` (or `.original.txt`, option `text`). A trans.tsv line whose wav is absent (LibriTTS-R
dropped some utterances whose restoration failed) is yielded and quarantined by the probe as audio_missing.

Selection: `splits` names the subset folders (the corpus' splits); default the three train-* ones (dev-* and
test-* are held out, read only when named).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem

Split = Literal["train-clean-100", "train-clean-360", "train-other-500", "dev-clean", "dev-other", "test-clean", "test-other"]
TRAIN = ["train-clean-100", "train-clean-360", "train-other-500"]
UTTERANCE = re.compile(r"(?P<speaker>\d+)_(?P<chapter>\d+)_(?P<paragraph>\d+)_(?P<sentence>\d+)")
GENDERS = {"F": "Female", "M": "Male"}


class LibriTTSROptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Split] = Field(TRAIN, description="Subset folders to read; default: the train-* ones (dev-*, test-*: held out).")
    text: Literal["normalized", "original"] = Field("normalized", description="Which transcript: normalized or original text.")


class LibriTTSR(Adapter):
    """LibriTTS-R read audiobook sentences: transcript, speaker and gender per clip."""

    name = "libritts_r"
    dataset = "LibriTTS-R"
    domain = "speech"
    licence = "CC-BY-4.0"
    citation = (
        "Koizumi, Zen, Karita, Ding, Yatabe, Morioka, Bacchiani, Zhang, Han and Bapna, LibriTTS-R: A Restored "
        "Multi-Speaker Text-to-Speech Corpus, Interspeech 2023"
    )
    homepage = "https://www.openslr.org/141/"
    yields = ("transcript", "Speaker", "Gender")
    layout = "<subset>/<spk>/<chapter>/<spk>_<chapter>_<para>_<sent>.wav + <spk>_<chapter>.trans.tsv + speakers.tsv / SPEAKERS.txt"
    Options = LibriTTSROptions

    def check(self) -> str | None:
        if not any(self.exists(split) for split in self.options.splits):
            return f"{self.root} does not look like {self.name}'s layout: none of {', '.join(self.options.splits)} found"
        return None

    def entries(self) -> Iterator[Entry]:
        genders, problems = self._speakers()
        yield from problems
        column = 1 if self.options.text == "original" else 2
        for subset in self.options.splits:
            if not self.exists(subset):
                continue
            texts: dict[str, tuple[str, str]] = {}  # utterance -> (transcript, input ref)
            for tsv in self.find(f"{subset}/*/*/*.trans.tsv"):
                folder = tsv.rsplit("/", 1)[0]
                for number, line in self.lines(tsv):
                    cells = line.split("\t")
                    fields = parse_name(UTTERANCE, cells[0])
                    if len(cells) != 3 or not fields or f"{subset}/{fields['speaker']}/{fields['chapter']}" != folder:
                        yield self.bad(tsv, number, "expected `<spk>_<chapter>_<para>_<sent>\\t<original>\\t<normalized>` of this chapter")
                        continue
                    texts[cells[0]] = (cells[column].strip(), self.ref(tsv, number))
            wavs: dict[str, str] = {}
            for path in self.find(f"{subset}/*/*/*.wav"):
                fields = parse_name(UTTERANCE, stem(path))
                if not fields or f"{subset}/{fields['speaker']}/{fields['chapter']}" != path.rsplit("/", 1)[0]:
                    yield self.bad(path, None, "file name does not follow <spk>/<chapter>/<spk>_<chapter>_<para>_<sent>.wav", "bad_file_name")
                    continue
                wavs[stem(path)] = path
            for utterance in sorted(texts.keys() | wavs.keys()):
                speaker, chapter = utterance.split("_")[:2]
                path = wavs.get(utterance) or f"{subset}/{speaker}/{chapter}/{utterance}.wav"
                if utterance in texts:
                    transcript, ref = texts[utterance]
                else:
                    transcript, ref = self._sidecar(path), self.ref(path)
                yield ref, {"audio": path, "id": utterance, "transcript": transcript or None, "Speaker": speaker, "Gender": genders.get(speaker)}

    def _sidecar(self, wav: str) -> str | None:
        text = wav.removesuffix(".wav") + f".{self.options.text}.txt"
        return self.read_text(text).strip() if self.exists(text) else None

    def _speakers(self) -> tuple[dict[str, str], list[Entry]]:
        """speaker -> gender, from speakers.tsv (else SPEAKERS.txt)."""
        genders, problems = {}, []
        if self.exists("speakers.tsv"):
            for number, line in self.lines("speakers.tsv"):
                cells = [cell.strip() for cell in line.split("\t")]
                if number == 1 and not cells[0].isdigit():
                    continue  # the header
                if len(cells) < 3 or not cells[0].isdigit() or cells[1] not in GENDERS:
                    problems.append(self.bad("speakers.tsv", number, f"expected `READER\\tGENDER\\tSUBSET\\tNAME`, got {line!r}"))
                    continue
                genders[cells[0]] = GENDERS[cells[1]]
        elif self.exists("SPEAKERS.txt"):
            for number, line in self.lines("SPEAKERS.txt"):
                if line.lstrip().startswith(";"):
                    continue
                cells = [cell.strip() for cell in line.split("|", 4)]
                if len(cells) < 3 or not cells[0].isdigit() or cells[1] not in GENDERS:
                    problems.append(self.bad("SPEAKERS.txt", number, f"expected `ID | SEX | SUBSET | MINUTES | NAME`, got {line!r}"))
                    continue
                genders[cells[0]] = GENDERS[cells[1]]
        return genders, problems
