"""Speech Commands v0.02: 105,829 one-second utterances of 35 English command words by 2,618 speakers.

Native layout, as speech_commands_v0.02.tar.gz unpacks (download.tensorflow.org/data/; the dataset's
README and lhotse's lhotse/recipes/speechcommands.py):
  <word>/<speaker hash>_nohash_<n>.wav     e.g. right/bb05582b_nohash_3.wav (the word is the folder)
  validation_list.txt, testing_list.txt    one `<word>/<file>.wav` per line; training = every other clip
  _background_noise_/<name>.wav            six long noise recordings (doing_the_dishes.wav, white_noise.wav, ...)
The transcript is the word; Speaker is the hash (anonymised speaker id); the clip id is `<word>/<stem>`,
the name the split lists use. Background noise is read only with `background_noise: true`, as a sound
clip labelled with its name. Also reads v0.01, which has the same layout.

Selection: `splits` (train, validation, test; default `[train]`): validation and test are the clips
validation_list.txt and testing_list.txt name, train every other clip (and the background noise).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem

NOISE = "_background_noise_"
LISTS = {"validation": "validation_list.txt", "test": "testing_list.txt"}
WORD = re.compile(r"[a-z]+")
FILE_NAME = re.compile(r"(?P<speaker>[0-9a-f]{8})_nohash_(?P<n>\d+)")


class SpeechCommandsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["train", "validation", "test"]] = Field(
        ["train"], description="Official splits to read (by validation_list.txt / testing_list.txt); default: train only."
    )
    background_noise: bool = Field(False, description="Also read _background_noise_/*.wav (long noise recordings, no speech).")


class SpeechCommands(Adapter):
    """Speech Commands from its <word>/ folders; the word is the transcript, the file-name hash the speaker."""

    name = "speech_commands"
    dataset = "Speech Commands"
    domain = "speech"
    licence = "CC-BY-4.0"
    citation = "Warden, Speech Commands: A Dataset for Limited-Vocabulary Speech Recognition, arXiv 2018"
    homepage = "https://www.tensorflow.org/datasets/catalog/speech_commands"
    yields = ("transcript", "Command", "Speaker", "labels (background noise)")
    layout = "<word>/<speaker hash>_nohash_<n>.wav + validation_list.txt + testing_list.txt (+ _background_noise_/)"
    expects = (LISTS["validation"], LISTS["test"])
    Options = SpeechCommandsOptions

    def entries(self) -> Iterator[Entry]:
        splits = set(self.options.splits)
        listed = {name: self._list(name) for name in LISTS}
        for audio in self.find("*/*.wav"):
            word = posixpath.dirname(audio)
            if word == NOISE:
                continue
            fields = parse_name(FILE_NAME, stem(audio))
            if not WORD.fullmatch(word) or not fields:
                yield self.bad(audio, None, "path does not follow <word>/<8-hex speaker hash>_nohash_<n>.wav", "bad_file_name")
                continue
            if next((name for name, paths in listed.items() if audio in paths), "train") not in splits:
                continue
            yield self.ref(audio), {
                "audio": audio,
                "id": f"{word}/{stem(audio)}",
                "transcript": word,
                "Command": word,  # the keyword class, as the release names it (`Command: ...`)
                "Speaker": fields["speaker"],
            }
        if self.options.background_noise and "train" in splits:
            for audio in self.find(f"{NOISE}/*.wav"):
                yield self.ref(audio), {
                    "audio": audio,
                    "id": f"{NOISE}/{stem(audio)}",
                    "labels": [stem(audio).replace("_", " ")],
                    "domain": "sound",
                }

    def _list(self, name: str) -> set[str]:
        relative = LISTS[name]
        return {text.strip() for _, text in self.lines(relative)} if self.exists(relative) else set()
