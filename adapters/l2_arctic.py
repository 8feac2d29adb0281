"""L2-ARCTIC: 24 non-native English speakers (L1 Arabic, Mandarin, Hindi, Korean, Spanish, Vietnamese) reading
the CMU ARCTIC prompts, plus a small spontaneous "suitcase story" retelling.

Native layout of l2arctic_release_v5.0 (https://psi.engr.tamu.edu/l2-arctic-corpus/; every speaker's zip and
suitcase_corpus.zip unpacked side by side; read the same way by lhotse-speech/lhotse lhotse/recipes/l2_arctic.py):
  <SPEAKER>/wav/arctic_<a|b><nnnn>.wav          e.g. ABA/wav/arctic_a0001.wav
  <SPEAKER>/transcript/arctic_<a|b><nnnn>.txt   the prompt read, one line
  <SPEAKER>/textgrid/*.TextGrid, <SPEAKER>/annotation/*.TextGrid   alignments / mispronunciation labels (not read)
  suitcase_corpus/wav/<speaker>.wav, suitcase_corpus/transcript/<speaker>.txt   e.g. suitcase_corpus/wav/aba.wav
The speakers' gender and first language are not in a metadata file: they are the table of the corpus README
(reproduced in lhotse's recipe), copied below; the table's `Chinese` is written `Mandarin`, the L1 the
corpus page and paper name. Accent is the L1's accent of English (`Arabic-accented English`; the
release writes `Accent: Arabic`). An utterance is the union of its transcript and its wav: a
transcript without wav is yielded and quarantined by the probe as audio_missing.

Selection: the corpus has no train/test split (every speaker reads the same prompts). `subsets`: arctic (the
read prompts) and suitcase (the spontaneous retellings); default both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem

# README table: speaker -> (gender, native language)
SPEAKERS = {
    "ABA": ("Male", "Arabic"), "SKA": ("Female", "Arabic"), "YBAA": ("Male", "Arabic"), "ZHAA": ("Female", "Arabic"),
    "BWC": ("Male", "Mandarin"), "LXC": ("Female", "Mandarin"), "NCC": ("Female", "Mandarin"), "TXHC": ("Male", "Mandarin"),
    "ASI": ("Male", "Hindi"), "RRBI": ("Male", "Hindi"), "SVBI": ("Female", "Hindi"), "TNI": ("Female", "Hindi"),
    "HJK": ("Female", "Korean"), "HKK": ("Male", "Korean"), "YDCK": ("Female", "Korean"), "YKWK": ("Male", "Korean"),
    "EBVS": ("Male", "Spanish"), "ERMS": ("Male", "Spanish"), "MBMPS": ("Female", "Spanish"), "NJS": ("Female", "Spanish"),
    "HQTV": ("Male", "Vietnamese"), "PNV": ("Female", "Vietnamese"), "THV": ("Female", "Vietnamese"), "TLV": ("Male", "Vietnamese"),
}  # fmt: skip
PROMPT = re.compile(r"arctic_(?P<set>[ab])(?P<number>\d{4})")
SUITCASE = "suitcase_corpus"


class L2ArcticOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subsets: Selection[Literal["arctic", "suitcase"]] = Field(
        ["arctic", "suitcase"], description="arctic: the read prompts; suitcase: suitcase_corpus/ (one ~1-minute spontaneous retelling per speaker)."
    )


class L2Arctic(Adapter):
    """L2-ARCTIC non-native read (and spontaneous) English: transcript, speaker, gender, native language."""

    name = "l2_arctic"
    dataset = "L2-ARCTIC"
    domain = "speech"
    licence = "CC-BY-NC-4.0"
    citation = (
        "Zhao, Sonsaat, Silpachai, Lucic, Chukharev-Hudilainen, Levis and Gutierrez-Osuna, L2-ARCTIC: A "
        "Non-native English Speech Corpus, Interspeech 2018"
    )
    homepage = "https://psi.engr.tamu.edu/l2-arctic-corpus/"
    yields = ("transcript", "Speaker", "Gender", "Native language", "Accent")
    layout = "<SPEAKER>/wav/arctic_<id>.wav + <SPEAKER>/transcript/arctic_<id>.txt (+ suitcase_corpus/{wav,transcript}/<spk>.*)"
    Options = L2ArcticOptions

    def check(self) -> str | None:
        if not self.find("*/wav") and not self.exists(SUITCASE):
            return f"{self.root} does not look like {self.name}'s layout: no <SPEAKER>/wav/ or {SUITCASE}/ found"
        return None

    def entries(self) -> Iterator[Entry]:
        if "arctic" in self.options.subsets:
            yield from self._arctic()
        if "suitcase" in self.options.subsets:
            yield from self._suitcase()

    def _arctic(self) -> Iterator[Entry]:
        texts: dict[tuple[str, str], str] = {}
        for path in self.find("*/transcript/*.txt"):
            speaker = path.split("/", 1)[0]
            if speaker == SUITCASE:
                continue
            if not parse_name(PROMPT, stem(path)):
                yield self.bad(path, None, "file name does not follow <SPEAKER>/transcript/arctic_<a|b><nnnn>.txt", "bad_file_name")
                continue
            texts[(speaker, stem(path))] = path
        audio: dict[tuple[str, str], str] = {}
        for path in self.find("*/wav/*.wav"):
            speaker = path.split("/", 1)[0]
            if speaker == SUITCASE:
                continue
            if not parse_name(PROMPT, stem(path)):
                yield self.bad(path, None, "file name does not follow <SPEAKER>/wav/arctic_<a|b><nnnn>.wav", "bad_file_name")
                continue
            audio[(speaker, stem(path))] = path
        for speaker, prompt in sorted(texts.keys() | audio.keys()):
            key = (speaker, prompt)
            path = audio.get(key) or f"{speaker}/wav/{prompt}.wav"
            yield self.ref(texts.get(key, path)), {
                "audio": path,
                "id": f"{speaker}_{prompt}",
                "transcript": self.read_text(texts[key]).strip() if key in texts else None,
                **self._speaker(speaker),
            }

    def _suitcase(self) -> Iterator[Entry]:
        texts = {stem(p): p for p in self.find(f"{SUITCASE}/transcript/*.txt")}
        audio = {stem(p): p for p in self.find(f"{SUITCASE}/wav/*.wav")}
        for name in sorted(texts.keys() | audio.keys()):
            if name.upper() not in SPEAKERS:
                yield self.bad(audio.get(name) or texts[name], None, "not a speaker of the corpus (suitcase_corpus/{wav,transcript}/<speaker>.*)", "bad_file_name")
                continue
            path = audio.get(name) or f"{SUITCASE}/wav/{name}.wav"
            yield self.ref(texts.get(name, path)), {
                "audio": path,
                "id": f"{SUITCASE}_{name.upper()}",
                "transcript": self.read_text(texts[name]).strip() if name in texts else None,
                **self._speaker(name.upper()),
            }

    @staticmethod
    def _speaker(speaker: str) -> dict[str, str | None]:
        gender, language = SPEAKERS.get(speaker.upper(), (None, None))
        accent = f"{language}-accented English" if language else None
        return {"Speaker": speaker.upper(), "Gender": gender, "Native language": language, "Accent": accent}
