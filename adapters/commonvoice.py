"""Mozilla Common Voice: crowd-sourced read sentences in 100+ languages (DeSTA-AQA5M used English and Chinese).

Native layout of a release archive (`cv-corpus-<version>-<date>/`, the root to point at; https://commonvoice.
mozilla.org/datasets and the release's README; read the same way by the Hugging Face loading script
mozilla-foundation/common_voice_*, torchaudio.datasets.COMMONVOICE and lhotse's commonvoice recipe):
  <locale>/clips/<path>                 e.g. en/clips/common_voice_en_18891727.mp3
  <locale>/<split>.tsv                  train, dev, test, validated, invalidated, other (option `splits`)
TSV: tab-separated, UTF-8, a header line, **no quoting** (sentences keep their `"` characters; read with
csv.QUOTE_NONE upstream, split on tabs here). Columns by release:
  <= v7 or so  `client_id path sentence up_votes down_votes age gender accent [locale segment]`
  later        `client_id path sentence up_votes down_votes age gender accents locale segment`
  v17+         `client_id path sentence_id sentence sentence_domain up_votes down_votes age gender accents variant locale segment`
gender: `male` / `female` / `other` (older), `male_masculine` / `female_feminine` / `intersex` / `transgender` /
`non-binary` / `do_not_wish_to_say` (newer); only male and female map to the vocabulary, the rest is left out.
age: `teens` `twenties` `thirties` `fourties` (sic) ... `nineties`. accents: free text, several joined by `|`
(e.g. `United States English`); the old `accent` codes (`us`, `england`, ...) are written as the later labels
(the mapping below is assumed from the later release's label list). The 2017 `cv_corpus_v1` CSV layout is not read.

Selection: `locales` (default: every locale folder present) and `splits` (default `[train]`). dev and test
are the held-out splits; validated.tsv is every validated clip, train, dev and test included, so when
`validated` is read the clips that dev.tsv / test.tsv list are left out unless those splits are asked for
too (a locale without those lists is reported by `check`). A clip listed in several selected TSVs is
read once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from adapters.base import Adapter, Entry, Selection
from schemas.vocabulary import LANGUAGE_NAMES

GENDERS = {"male": "Male", "male_masculine": "Male", "female": "Female", "female_feminine": "Female"}
AGES = {
    "teens": "teens", "twenties": "twenties", "thirties": "thirties", "fourties": "forties", "forties": "forties",
    "fifties": "fifties", "sixties": "sixties", "seventies": "seventies", "eighties": "eighties", "nineties": "nineties",
}  # fmt: skip
OLD_ACCENTS = {
    "us": "United States English", "england": "England English", "indian": "India and South Asia (India, Pakistan, Sri Lanka)",
    "australia": "Australian English", "canada": "Canadian English", "scotland": "Scottish English", "ireland": "Irish English",
    "african": "Southern African (South Africa, Zimbabwe, Namibia)", "newzealand": "New Zealand English",
    "wales": "Welsh English", "philippines": "Filipino", "hongkong": "Hong Kong English", "malaysia": "Malaysian English",
    "singapore": "Singaporean English", "bermuda": "West Indies and Bermuda (Bahamas, Bermuda, Jamaica, Trinidad)",
    "southatlandtic": "South Atlantic (Falkland Islands, Saint Helena)",
}  # fmt: skip
# Common Voice names locales by ISO 639-1 code, with a region where it splits one language.
LANGUAGES = {
    **LANGUAGE_NAMES,
    "zh-CN": "Chinese", "zh-TW": "Chinese", "zh-HK": "Cantonese", "yue": "Cantonese", "sv-SE": "Swedish",
    "ga-IE": "Irish", "rw": "Kinyarwanda",
}  # fmt: skip
REQUIRED = ("path",)
Split = Literal["train", "dev", "test", "validated", "invalidated", "other"]
HELD_OUT = ("dev", "test")  # validated.tsv holds these too
Locale = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")]  # the set grows with each release


class CommonVoiceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    locales: Selection[Locale] | None = Field(None, description="Locale folders to read (e.g. [en, zh-CN]); default: every one present.")
    splits: Selection[Split] = Field(["train"], description="<split>.tsv files to read; default: train only (dev, test: held out).")


class CommonVoice(Adapter):
    """Common Voice clips: transcript, speaker (client id), gender, age, accent and language."""

    name = "commonvoice"
    dataset = "CommonVoice"
    domain = "speech"
    licence = "CC0-1.0"
    citation = (
        "Ardila, Branson, Davis, Henretty, Kohler, Meyer, Morais, Saunders, Tyers and Weber, Common Voice: A "
        "Massively-Multilingual Speech Corpus, LREC 2020"
    )
    homepage = "https://commonvoice.mozilla.org/datasets"
    yields = ("transcript", "Speaker", "Gender", "Age", "Accent", "Language")
    layout = "<locale>/clips/<path>.mp3 + <locale>/<split>.tsv (client_id path sentence ... age gender accents locale)"
    Options = CommonVoiceOptions

    def check(self) -> str | None:
        locales = self._locales()
        if not locales:
            wanted = ", ".join(f"<locale>/{split}.tsv" for split in self.options.splits)
            return f"{self.root} does not look like {self.name}'s layout: no {wanted} found"
        if "validated" in self.options.splits:
            for locale in locales:
                absent = [f"{locale}/{split}.tsv" for split in self._held_out() if not self.exists(f"{locale}/{split}.tsv")]
                if absent:
                    return (f"{self.root}: {', '.join(absent)} not found: validated.tsv also holds those held-out clips, "
                            f"which cannot be left out without them (add {', '.join(self._held_out())} to splits to read them all)")  # fmt: skip
        return None

    def _held_out(self) -> list[str]:
        return [split for split in HELD_OUT if split not in self.options.splits]

    def _locales(self) -> list[str]:
        """The locales asked for (default: every locale folder) that hold at least one selected split."""
        candidates = self.options.locales or sorted({path.split("/", 1)[0] for split in self.options.splits for path in self.find(f"*/{split}.tsv")})
        return [locale for locale in candidates if any(self.exists(f"{locale}/{split}.tsv") for split in self.options.splits)]

    def entries(self) -> Iterator[Entry]:
        for locale in self._locales():
            excluded = set()  # held-out clips that validated.tsv also lists
            if "validated" in self.options.splits:
                excluded = {path for split in self._held_out() for path in self._paths(f"{locale}/{split}.tsv")}
            read: set[str] = set()  # clips already yielded, when several TSVs (which overlap) are read
            several = len(self.options.splits) > 1
            for split in self.options.splits:
                tsv = f"{locale}/{split}.tsv"
                if not self.exists(tsv):
                    continue
                for ref, entry in self._read(locale, tsv):
                    if isinstance(entry, dict):
                        if entry["audio"] in excluded or entry["audio"] in read:
                            continue
                        if several:
                            read.add(entry["audio"])
                    yield ref, entry

    def _paths(self, tsv: str) -> set[str]:
        """The clips a TSV lists, as audio paths (its malformed lines are reported where the TSV is read)."""
        if not self.exists(tsv):
            return set()
        locale = tsv.split("/", 1)[0]
        return {entry["audio"] for _, entry in self._read(locale, tsv) if isinstance(entry, dict)}

    def _read(self, locale: str, tsv: str) -> Iterator[Entry]:
        header: list[str] | None = None
        for number, line in self.lines(tsv):
            cells = line.split("\t")
            if header is None:
                header = [cell.strip() for cell in cells]
                if any(column not in header for column in REQUIRED):
                    yield self.bad(tsv, number, f"header {header} has no `path` column")
                    return
                continue
            if len(cells) != len(header):
                yield self.bad(tsv, number, f"{len(cells)} cells, the header has {len(header)}")
                continue
            row = dict(zip(header, (cell.strip() for cell in cells)))
            path = row["path"]
            if not path or "/" in path:
                yield self.bad(tsv, number, f"bad clip path {path!r}")
                continue
            if not posixpath.splitext(path)[1]:
                path += ".mp3"  # some early releases list the clip without its extension
            row_locale = row.get("locale") or locale
            yield self.ref(tsv, number), {
                "audio": f"{locale}/clips/{path}",
                "id": posixpath.splitext(path)[0],
                "transcript": row.get("sentence") or None,
                "Speaker": row.get("client_id") or None,
                "Gender": GENDERS.get(row.get("gender", "").lower()),
                "Age": AGES.get(row.get("age", "").lower()),
                "Accent": _accent(row),
                "Language": LANGUAGES.get(row_locale),
            }


def _accent(row: dict[str, str]) -> str | None:
    if row.get("accents"):
        return ", ".join(part.strip() for part in row["accents"].split("|") if part.strip()) or None
    old = row.get("accent", "").strip()
    if not old or old.lower() == "other":
        return None
    return OLD_ACCENTS.get(old.lower(), old)
