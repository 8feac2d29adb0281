"""VocalSound: 21,024 crowdsourced laughs, sighs, coughs, throat clearings, sneezes and sniffs, 3,365 speakers.

Native layout (github.com/YuanGongND/vocalsound, README "Dataset Details"; vs_release_16k.zip and
vs_release_44k.zip unpack these at the top, which is the root):
  audio_16k/<g><spk>_<n>_<label>.wav   (audio_44k/ in the 44.1 kHz release) e.g. audio_16k/f0003_0_cough.wav:
      g = f/m (the speaker's gender), spk = 4-digit speaker number, n = collection round (mostly 0),
      label = cough | laughter | sigh | sneeze | sniff | throatclearing
  class_labels_indices_vs.csv
  datafiles/{all,tr,val,te}.json   the official split by speaker, `{"data": [{"wav": ".../audio_16k/<name>.wav",
                                   "labels": ...}]}` (the wav paths are rewritten by the repository's prep_data.py;
                                   only the file name is used here)
  meta/   speaker information, per the README "[spk_id, gender, age, country, native language, health
          condition (no=no problem)]"
The file name alone gives the clip (label, speaker, gender): it is established. The speaker files are
NOT: the README names them meta/{all,tr,val,te}_meta.json, while copies of the release name them
meta/*_meta.csv, and no public source shows their rows. They are read as assumed: CSV or JSON rows in
the README's column order, or named by a CSV header row or JSON object keys (spk_id, gender, age,
country, native language, health condition). Age, Country, Native language and Health condition come
from there; a row that does not fit is reported, never guessed.

Selection: `splits` (train, validation, test: datafiles/tr.json, val.json, te.json; default `[train]`). A clip
no list names cannot be placed and is read only when every split is selected; a copy without the held-out
lists is reported by `check`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection, parse_name, stem

SOUNDS = {"cough": "Cough", "laughter": "Laughter", "sigh": "Sigh", "sneeze": "Sneeze", "sniff": "Sniff", "throatclearing": "Throat clearing"}
GENDERS = {"f": "Female", "m": "Male"}
FILE_NAME = re.compile(r"(?P<speaker>(?P<gender>[fm])\d+)_(?P<round>\d+)_(?P<sound>[a-z]+)")
META_COLUMNS = ("spk_id", "gender", "age", "country", "native_language", "health")  # the README's order
SPEAKER_ID = re.compile(r"[fm]?\d+")
SPLIT_LISTS = {"train": "datafiles/tr.json", "validation": "datafiles/val.json", "test": "datafiles/te.json"}
COLUMN_ALIASES = {"speaker": "spk_id", "speaker_id": "spk_id", "id": "spk_id", "sex": "gender", "native_lang": "native_language",
                  "language": "native_language", "health_condition": "health", "health_status": "health"}  # fmt: skip


class VocalSoundOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    audio_dir: str | None = Field(None, description="audio_16k or audio_44k; None: audio_16k when present, else audio_44k.")
    splits: Selection[Literal["train", "validation", "test"]] = Field(
        ["train"], description="Official splits (datafiles/tr, val, te.json) to read; default: train only."
    )


class VocalSound(Adapter):
    """VocalSound file names (+ speaker rows) -> one labelled entry per recording."""

    name = "vocalsound"
    dataset = "VocalSound"
    domain = "sound"
    licence = "CC-BY-SA-4.0"
    citation = "Gong, Yu and Glass, VocalSound: A Dataset for Improving Human Vocal Sounds Recognition, ICASSP 2022"
    homepage = "https://github.com/YuanGongND/vocalsound"
    yields = ("labels", "Gender", "Speaker", "Age", "Country", "Native language", "Health condition")
    layout = "audio_16k|audio_44k/<f|m><spk>_<n>_<sound>.wav + meta/*_meta.{json,csv} (speaker info; format assumed)"
    Options = VocalSoundOptions

    def missing(self) -> list[str]:
        return [] if self.exists(self._audio_dir()) else [self._audio_dir()]

    def check(self) -> str | None:
        absent = [path for split, path in SPLIT_LISTS.items() if split not in self.options.splits and not self.exists(path)]
        if absent and not self.missing():
            return f"{self.root}: {', '.join(absent)} not found: held-out clips cannot be left out without the split lists (or select every split)"
        return super().check()

    def _splits(self) -> tuple[dict[str, str], list[Entry]]:
        """file name -> its split, from the datafiles lists that are there."""
        placed, problems = {}, []
        for split, path in SPLIT_LISTS.items():
            if not self.exists(path):
                continue
            try:
                rows = json.loads(self.read_text(path))["data"]
                names = [row["wav"].rsplit("/", 1)[-1] for row in rows]
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
                problems.append(self.bad(path, None, f"expected {{\"data\": [{{\"wav\": ...}}]}}: {error}"))
                continue
            placed.update(dict.fromkeys(names, split))
        return placed, problems

    def _audio_dir(self) -> str:
        if self.options.audio_dir:
            return self.options.audio_dir
        return "audio_44k" if not self.exists("audio_16k") and self.exists("audio_44k") else "audio_16k"

    def entries(self) -> Iterator[Entry]:
        speakers, problems = self._speakers()
        yield from problems
        placed, problems = self._splits()
        yield from problems
        every = len(self.options.splits) == len(SPLIT_LISTS)
        for audio in self.find(f"{self._audio_dir()}/*.wav"):
            fields = parse_name(FILE_NAME, stem(audio))
            if not fields or fields["sound"] not in SOUNDS:
                yield self.bad(audio, None, "file name does not follow <f|m><speaker>_<n>_<sound>.wav with a known sound", "bad_file_name")
                continue
            split = placed.get(audio.rsplit("/", 1)[-1])
            if not every and split not in self.options.splits:
                continue
            speaker = fields["speaker"]
            info = speakers.get(speaker) or speakers.get(speaker[1:].lstrip("0")) or {}
            yield self.ref(audio), {
                "audio": audio,
                "id": stem(audio),
                "labels": [SOUNDS[fields["sound"]]],
                "Speaker": speaker,
                "Gender": GENDERS[fields["gender"]],
                "Age": info.get("age"),
                "Country": info.get("country"),
                "Native language": info.get("native_language"),
                "Health condition": info.get("health"),
            }

    def _speakers(self) -> tuple[dict[str, dict], list[Entry]]:
        """Speaker id (as written, and its bare number) -> age, country, native language, health."""
        files = self.find("meta/all_meta.*") or self.find("meta/*_meta.*")
        speakers: dict[str, dict] = {}
        problems: list[Entry] = []
        for path in [p for p in files if p.endswith((".csv", ".json"))]:
            for line, row in _rows(self.read_text(path), path.endswith(".json")):
                if isinstance(row, str):
                    problems.append(self.bad(path, line, row))
                    continue
                spk = str(row.get("spk_id") or "").strip()
                if not SPEAKER_ID.fullmatch(spk):
                    problems.append(self.bad(path, line, f"expected a speaker id first (e.g. f0003), got {spk!r}"))
                    continue
                health = str(row.get("health") or "").strip()
                info = {
                    "age": str(row.get("age") or "").strip() or None,
                    "country": str(row.get("country") or "").strip() or None,
                    "native_language": str(row.get("native_language") or "").strip() or None,
                    "health": "No problem" if health.lower() == "no" else health or None,
                }
                speakers[spk] = speakers[spk.lstrip("fm").lstrip("0")] = info
        return speakers, problems


def _rows(text: str, is_json: bool) -> Iterator[tuple[int, dict | str]]:
    """(row number, row as {column: value} or a problem) from a CSV or JSON speaker file.

    Rows are lists in the README's column order, or named (a CSV header row, JSON objects)."""
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield error.lineno, f"not JSON: {error.msg}"
            return
        rows = data["data"] if isinstance(data, dict) and "data" in data else data
        if isinstance(rows, dict):  # {spk_id: [...] or {...}}
            rows = [[key, *v] if isinstance(v, list) else {"spk_id": key, **v} if isinstance(v, dict) else v for key, v in rows.items()]
        numbered = list(enumerate(rows if isinstance(rows, list) else [rows], start=1))
    else:
        numbered = [(n, cells) for n, cells in enumerate(csv.reader(io.StringIO(text)), start=1) if any(c.strip() for c in cells)]
        if numbered and not SPEAKER_ID.fullmatch(numbered[0][1][0].strip() if numbered[0][1] else ""):
            header = [_column(name) for name in numbered.pop(0)[1]]
            numbered = [(n, dict(zip(header, cells)) if len(cells) == len(header) else cells) for n, cells in numbered]
    for number, row in numbered:
        if isinstance(row, dict):
            named = {_column(key): value for key, value in row.items()}
            yield number, {column: named.get(column) for column in META_COLUMNS}
        elif isinstance(row, list) and len(row) == len(META_COLUMNS):
            yield number, dict(zip(META_COLUMNS, row))
        else:
            yield number, f"expected {len(META_COLUMNS)} values ({', '.join(META_COLUMNS)}), got {row!r}"


def _column(name: str) -> str:
    folded = "_".join(str(name).strip().lower().replace("-", " ").split())
    return COLUMN_ALIASES.get(folded, folded)
