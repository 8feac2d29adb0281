"""KeSpeech: 1,542 h of read speech by 27,237 speakers, in standard Mandarin and 8 Mandarin subdialects.

Native layout of the release (github.com/KeSpeech/KeSpeech; Kaldi-style lists as read by lhotse
lhotse/recipes/kespeech.py and by scripts that use the corpus' Metadata/ folder):
  Audio/<speaker>/<phase1|phase2>/<utt>.wav
  Tasks/ASR/<split>/{wav.scp,text,utt2spk,utt2subdialect}  split: train_phase1 train_phase2 dev_phase1 dev_phase2 test
      `<utt> <path relative to the corpus root>`, `<utt> <transcript>`, `<utt> <speaker>`, `<utt> <subdialect>`
  Metadata/{spk2gender,spk2age,spk2city}                   `<speaker> <value>` (gender Female/Male, age in years)
Subdialects: Mandarin (standard), Beijing, Ji-Lu, Jiang-Huai, Jiao-Liao, Lan-Yin, Northeastern, Southwestern,
Zhongyuan -> Accent "Standard Mandarin" / "<name> Mandarin". `<SPOKEN_NOISE>` marks are dropped from
transcripts (as lhotse does). The lines are whitespace-separated (utterance id, then the value); the
Metadata files are optional.

Selection: `splits` (the Tasks/ASR folders; default `[train_phase1, train_phase2]`: the dev and test
folders are held out, read only when named).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection

ACCENTS = {
    "Mandarin": "Standard Mandarin", "Beijing": "Beijing Mandarin", "Ji-Lu": "Ji-Lu Mandarin",
    "Jiang-Huai": "Jiang-Huai Mandarin", "Jiao-Liao": "Jiao-Liao Mandarin", "Lan-Yin": "Lan-Yin Mandarin",
    "Northeastern": "Northeastern Mandarin", "Southwestern": "Southwestern Mandarin", "Zhongyuan": "Zhongyuan Mandarin",
}  # fmt: skip
GENDERS = {"female": "Female", "male": "Male", "f": "Female", "m": "Male"}


class KeSpeechOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train_phase1", "train_phase2", "dev_phase1", "dev_phase2", "test"]] = Field(
        ["train_phase1", "train_phase2"], description="Tasks/ASR/<split> folders to read; default: the two training phases."
    )


class KeSpeech(Adapter):
    name = "kespeech"
    dataset = "KeSpeech"
    domain = "speech"
    licence = "KeSpeech licence (non-commercial, no redistribution; by application)"
    citation = "Tang et al., KeSpeech: An Open Source Speech Dataset of Mandarin and Its Eight Subdialects, NeurIPS 2021 Datasets and Benchmarks"
    homepage = "https://github.com/KeSpeech/KeSpeech"
    yields = ("transcript", "Accent", "Language", "Speaker", "Gender", "Age", "City")
    layout = "Tasks/ASR/<split>/{wav.scp,text,utt2spk,utt2subdialect} + Metadata/spk2{gender,age,city} + Audio/"
    Options = KeSpeechOptions

    def missing(self) -> list[str]:
        return [f"Tasks/ASR/{split}/wav.scp" for split in self.options.splits if not self.exists(f"Tasks/ASR/{split}/wav.scp")]

    def entries(self) -> Iterator[Entry]:
        genders, problems = self._speaker_map("Metadata/spk2gender", lambda v: GENDERS.get(v.lower()))
        yield from problems
        ages, problems = self._speaker_map("Metadata/spk2age", lambda v: int(v) if v.isdigit() else None)
        yield from problems
        cities, problems = self._speaker_map("Metadata/spk2city", lambda v: v)
        yield from problems
        for split in self.options.splits:
            folder = f"Tasks/ASR/{split}"
            texts = self._map(f"{folder}/text")
            speakers = self._map(f"{folder}/utt2spk")
            dialects = self._map(f"{folder}/utt2subdialect")
            scp = f"{folder}/wav.scp"
            if not self.exists(scp):
                yield self.bad(scp, None, f"split {split}: no wav.scp")
                continue
            for line, text in self.lines(scp):
                fields = text.split(maxsplit=1)
                if len(fields) != 2:
                    yield self.bad(scp, line, f"expected `<utt> <path>`, got {text!r}")
                    continue
                utt, path = fields[0], fields[1].strip()
                dialect = dialects.get(utt)
                if dialect is not None and dialect not in ACCENTS:
                    yield self.bad(scp, line, f"{utt}: unknown subdialect {dialect!r} in {folder}/utt2subdialect")
                    continue
                speaker = speakers.get(utt)
                transcript = " ".join(texts.get(utt, "").replace("<SPOKEN_NOISE>", " ").split())
                yield self.ref(scp, line), {
                    "audio": path,
                    "id": utt,
                    "transcript": transcript or None,
                    "Language": "Chinese",
                    "Accent": ACCENTS.get(dialect) if dialect else None,
                    "Speaker": speaker,
                    "Gender": genders.get(speaker),
                    "Age": ages.get(speaker),
                    "City": cities.get(speaker),
                }

    def _map(self, relative: str) -> dict[str, str]:
        """`<key> <value>` lines; a file that is absent is an empty map."""
        if not self.exists(relative):
            return {}
        found = {}
        for _, text in self.lines(relative):
            fields = text.split(maxsplit=1)
            if len(fields) == 2:
                found[fields[0]] = fields[1].strip()
        return found

    def _speaker_map(self, relative: str, convert) -> tuple[dict[str, object], list[Entry]]:
        if not self.exists(relative):
            return {}, []
        found, problems = {}, []
        for line, text in self.lines(relative):
            fields = text.split(maxsplit=1)
            value = convert(fields[1].strip()) if len(fields) == 2 else None
            if value is None:
                problems.append(self.bad(relative, line, f"expected `<speaker> <value>`, got {text!r}"))
                continue
            found[fields[0]] = value
        return found, problems
