"""VoxCeleb1: 153,516 utterances of 1,251 celebrities, cut from YouTube interviews (speaker identification).

Native layout, as the official zips extract (vox1_dev_wav.zip and vox1_test_wav.zip both unpack into one
`wav/` folder) next to the speaker table downloaded from the same page
(robots.ox.ac.uk/~vgg/data/voxceleb/vox1.html; parsed this way by lhotse, lhotse/recipes/voxceleb.py):
  wav/<VoxCeleb1 ID>/<YouTube video id>/<NNNNN>.wav     e.g. wav/id10001/1zcIwhmdeo4/00001.wav
  vox1_meta.csv   tab-separated, header `VoxCeleb1 ID<TAB>VGGFace1 ID<TAB>Gender<TAB>Nationality<TAB>Set`,
                  e.g. `id10001<TAB>A.J._Buckley<TAB>m<TAB>Ireland<TAB>dev` (Gender m/f, Set dev/test)
The utterance id is the path under wav/ without `.wav` (`id10001/1zcIwhmdeo4/00001`), as the official
verification trial lists name utterances. The dataset has no transcripts; the VGGFace1 ID (the
celebrity's name) is not carried, the VoxCeleb1 ID is the speaker.

Selection: `splits` follows the speaker table's `Set`: `dev` (1,211 speakers, VoxCeleb1's training set, the
default) and `test` (the 40 held-out speakers of the verification test set, id10270-id10309). A speaker the
table does not list (or no table) is placed by that id range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name

META = "vox1_meta.csv"
GENDERS = {"m": "Male", "f": "Female"}
SETS = ("dev", "test")
SPEAKER = re.compile(r"id\d{5}")
UTTERANCE = re.compile(r"wav/(?P<speaker>id\d{5})/(?P<video>[A-Za-z0-9_-]{11})/(?P<clip>\d{5})\.wav")
TEST_SPEAKERS = range(10270, 10310)  # the verification test set: id10270 .. id10309


class VoxCeleb1Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    splits: Selection[Literal["dev", "test"]] = Field(["dev"], description="Speaker sets to read (vox1_meta.csv `Set`); default: dev, the training speakers.")


class VoxCeleb1(Adapter):
    """VoxCeleb1 from its wav/ tree; speaker gender and nationality from vox1_meta.csv."""

    name = "voxceleb1"
    dataset = "VoxCeleb1"
    domain = "speech"
    licence = "CC-BY-4.0"  # the dataset (annotations); the audio's copyright stays with the video owners
    citation = "Nagrani, Chung and Zisserman, VoxCeleb: a large-scale speaker identification dataset, Interspeech 2017"
    homepage = "https://www.robots.ox.ac.uk/~vgg/data/voxceleb/vox1.html"
    yields = ("Speaker", "Gender", "Nationality")
    layout = "wav/<id1xxxx>/<youtube id>/<NNNNN>.wav + vox1_meta.csv (tab-separated: VoxCeleb1 ID, VGGFace1 ID, Gender m/f, Nationality, Set)"
    expects = ("wav",)
    Options = VoxCeleb1Options

    def entries(self) -> Iterator[Entry]:
        speakers, problems = self._speakers()
        yield from problems
        splits = set(self.options.splits)
        for audio in self.find("wav/*/*/*.wav"):
            fields = parse_name(UTTERANCE, audio)
            if not fields:
                yield self.bad(audio, None, "path does not follow wav/<id1xxxx>/<11-character YouTube id>/<NNNNN>.wav", "bad_file_name")
                continue
            speaker = speakers.get(fields["speaker"], {})
            if speaker.get("set", _set_by_id(fields["speaker"])) not in splits:
                continue
            yield self.ref(audio), {
                "audio": audio,
                "id": audio.removeprefix("wav/").removesuffix(".wav"),
                "Speaker": fields["speaker"],
                "Gender": speaker.get("gender"),
                "Nationality": speaker.get("nationality"),
            }

    def _speakers(self) -> tuple[dict[str, dict], list[Entry]]:
        if not self.exists(META):
            return {}, []
        speakers, problems = {}, []
        for line, row in self.table(META, delimiter="\t"):
            if isinstance(row, Exception):
                problems.append((self.ref(META, line), row))
                continue
            speaker, gender, split = row.get("VoxCeleb1 ID", ""), row.get("Gender", "").lower(), row.get("Set", "").lower()
            if not SPEAKER.fullmatch(speaker) or gender not in GENDERS or split not in SETS:
                problems.append(self.bad(META, line, f"expected a VoxCeleb1 ID id1xxxx, Gender m/f and Set dev/test, got {row}"))
                continue
            speakers[speaker] = {"gender": GENDERS[gender], "nationality": row.get("Nationality") or None, "set": split}
        return speakers, problems


def _set_by_id(speaker: str) -> str:
    return "test" if int(speaker[2:]) in TEST_SPEAKERS else "dev"
