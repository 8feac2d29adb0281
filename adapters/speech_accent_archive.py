"""Speech Accent Archive (George Mason University): 2,140 speakers of 214 native languages reading one paragraph.

Native layout: the Kaggle release (kaggle.com/datasets/rtatman/speech-accent-archive), the form the
archive is distributed in as files; its README lists the three parts:
  recordings/<filename>.mp3     e.g. recordings/afrikaans1.mp3 (the Kaggle zip nests it: recordings/recordings/)
  speakers_all.csv              comma-separated, header `age,age_onset,birthplace,filename,native_language,sex,
                                speakerid,country,file_missing?` followed by two unnamed empty columns;
                                values lower-case (`male`/`female`, one row spells `famale`), ages as `24.0`
  reading-passage.txt           the paragraph every speaker reads ("Please call Stella. ...")
`filename` names the recording; rows with `file_missing?` TRUE have none and end up as audio_missing.
Attributes: Gender, Age, Native language, Country, Birthplace, Age of English onset, Speaker (speakerid).

Selection: the archive has no split; every recording is read (no selection options).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry

SPEAKERS = "speakers_all.csv"
PASSAGE_FILE = "reading-passage.txt"
PASSAGE = (
    "Please call Stella. Ask her to bring these things with her from the store: Six spoons of fresh snow peas, "
    "five thick slabs of blue cheese, and maybe a snack for her brother Bob. We also need a small plastic snake and "
    "a big toy frog for the kids. She can scoop these things into three red bags, and we will go meet her Wednesday "
    "at the train station."
)
SEXES = {"male": "Male", "female": "Female", "famale": "Female"}  # `famale`: a typo in the release
ACRONYMS = {"usa": "USA", "uk": "UK", "uae": "UAE", "us": "US", "drc": "DRC"}
FILENAME = re.compile(r"[^/\\]+")
WORD_START = re.compile(r"(^|[\s\-(/])([a-zà-ÿ])")


def title(text: str) -> str | None:
    """`south africa` -> `South Africa`, `usa` -> `USA`; the release writes places and languages in lower case."""
    if not text:
        return None
    words = [ACRONYMS.get(word, word) for word in text.split(" ")]
    return WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), " ".join(words))


def number(text: str) -> int | float | None:
    """`24.0` -> 24; not a number -> None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


class SpeechAccentArchive(Adapter):
    """The Speech Accent Archive (Kaggle release) from speakers_all.csv; every clip reads the same passage."""

    name = "speech_accent_archive"
    dataset = "Speech Accent Archive"
    domain = "speech"
    licence = "CC-BY-NC-SA-2.0"  # as the Kaggle release declares it
    citation = "Weinberger, Speech Accent Archive, George Mason University 2015"
    homepage = "https://accent.gmu.edu/"
    yields = ("transcript", "Gender", "Age", "Native language", "Country", "Birthplace", "Age of English onset", "Speaker")
    layout = "recordings/<filename>.mp3 (or recordings/recordings/) + speakers_all.csv + reading-passage.txt (the Kaggle release)"
    expects = (SPEAKERS,)

    def entries(self) -> Iterator[Entry]:
        passage = " ".join(self.read_text(PASSAGE_FILE).split()) if self.exists(PASSAGE_FILE) else PASSAGE
        folder = "recordings/recordings" if self.exists("recordings/recordings") else "recordings"
        for line, row in self.table(SPEAKERS):
            if isinstance(row, Exception):
                yield self.ref(SPEAKERS, line), row
                continue
            filename, sex = row.get("filename", ""), row.get("sex", "").lower()
            if not FILENAME.fullmatch(filename) or filename in (".", "..") or sex not in SEXES:
                yield self.bad(SPEAKERS, line, f"expected a recording filename and sex male/female, got filename={filename!r} sex={sex!r}")
                continue
            yield self.ref(SPEAKERS, line), {
                "audio": f"{folder}/{filename}.mp3",
                "id": filename,
                "transcript": passage,
                "Gender": SEXES[sex],
                "Age": number(row.get("age", "")),
                "Native language": title(row.get("native_language", "")),
                "Country": title(row.get("country", "")),
                "Birthplace": title(row.get("birthplace", "")),
                "Age of English onset": number(row.get("age_onset", "")),
                "Speaker": row.get("speakerid") or None,
            }
