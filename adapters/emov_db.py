"""EmoV-DB (Emotional Voices Database): 4 English speakers reading CMU ARCTIC sentences in 5 emotional styles.

Native layout (github.com/numediart/EmoV-DB README: the recommended "sorted" download; its align_db.py reads
`<root>/cmuarctic.data` and `<root>/<spk>/<emotion>/<file>.wav`; the same tree is mirrored in
michen00/multilingual_speech_valence_classification_datasets datasets/EmoV-DB_sorted/):
  <spk>/<Emotion>/<style>_<range>_<NNNN>.wav   e.g. bea/Amused/amused_1-15_0001.wav (ranges also
                                               appear as `141_168`); NNNN = CMU ARCTIC sentence arctic_aNNNN
  <spk>_<Emotion>/<style>_<range>_<NNNN>.wav   the per-tarball layout of the OpenSLR 115 copy (as EmoBox
                                               reads it, emo-box/EmoBox EmoBox/preprocess/scripts/emovdb.py)
  cmuarctic.data (optional)                    festvox's prompt list, `( arctic_a0001 "Author of ..." )`,
                                               gives the transcripts
Speakers bea and jenie are female, josh and sam male; emotions Amused Angry Disgusted Neutral Sleepy
(folder names compared case-insensitively). The emotion comes from the folder.

Selection: EmoV-DB has no official split; every clip is read (no selection options).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, parse_name, stem

SPEAKERS = {"bea": "Female", "jenie": "Female", "josh": "Male", "sam": "Male"}
EMOTIONS = {"amused": "Amused", "angry": "Angry", "disgusted": "Disgusted", "neutral": "Neutral", "sleepy": "Sleepy"}
FILE_NAME = re.compile(r"(?P<style>[A-Za-z]+)_(?:[\d_-]+_)?(?P<sentence>\d{4})")
PROMPT = re.compile(r'\(\s*arctic_a(?P<sentence>\d{4})\s+"(?P<text>.*)"\s*\)')


class EmoVDBOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    transcripts: str = Field("cmuarctic.data", description="festvox CMU ARCTIC prompt list under the root; absent: no transcripts.")


class EmoVDB(Adapter):
    """EmoV-DB from its speaker/emotion folders; transcripts from the CMU ARCTIC prompt list when present."""

    name = "emov_db"
    dataset = "EmoV-DB"
    domain = "speech"
    licence = "EmoV-DB licence: non-commercial purposes only (research, teaching, publication)"
    citation = (
        "Adigwe, Tits, El Haddad, Ostadabbas and Dutoit, The Emotional Voices Database: Towards Controlling the "
        "Emotion Dimension in Voice Generation Systems, arXiv:1806.09514, 2018"
    )
    homepage = "https://github.com/numediart/EmoV-DB"
    yields = ("transcript", "Emotion", "Gender", "Language", "Speaker")
    layout = "<spk>/<Emotion>/<style>_<range>_<NNNN>.wav (or <spk>_<Emotion>/...) + optional cmuarctic.data"
    Options = EmoVDBOptions

    def missing(self) -> list[str]:
        found = any(self.exists(spk) for spk in SPEAKERS) or any(self.find(f"{spk}_*") for spk in SPEAKERS)
        return [] if found else ["speaker folders bea jenie josh sam (or <spk>_<Emotion>)"]

    def entries(self) -> Iterator[Entry]:
        transcripts: dict[str, str] = {}
        listing = self.options.transcripts
        if self.exists(listing):
            for number, line in self.lines(listing):
                match = PROMPT.fullmatch(line.strip())
                if not match:
                    yield self.bad(listing, number, f'expected ( arctic_aNNNN "text" ), got {line!r}')
                    continue
                transcripts[match["sentence"]] = match["text"].strip()
        for audio in sorted(self.find("*/*/*.wav") + self.find("*_*/*.wav")):
            folders = audio.split("/")[:-1]
            speaker, emotion = folders if len(folders) == 2 else (folders[0].partition("_")[0], folders[0].partition("_")[2])
            fields = parse_name(FILE_NAME, stem(audio))
            if speaker not in SPEAKERS or emotion.lower() not in EMOTIONS or not fields:
                yield self.bad(audio, None, "expected <spk>/<Emotion>/<style>_<range>_<NNNN>.wav with a known speaker and emotion", "bad_file_name")
                continue
            yield self.ref(audio), {
                "audio": audio,
                "id": f"{speaker}_{stem(audio)}",
                "transcript": transcripts.get(fields["sentence"]),
                "Speaker": speaker,
                "Gender": SPEAKERS[speaker],
                "Language": "English",
                "Emotion": EMOTIONS[emotion.lower()],
            }
