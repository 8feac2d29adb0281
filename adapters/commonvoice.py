"""Mozilla Common Voice: crowd-sourced read sentences in 100+ languages (DeSTA-AQA5M used English and Chinese).

Native layout of a release archive (`cv-corpus-<version>-<date>/`, the root to point at; https://commonvoice.
mozilla.org/datasets and the release's README; read the same way by the Hugging Face loading script
mozilla-foundation/common_voice_*, torchaudio.datasets.COMMONVOICE and lhotse's commonvoice recipe):
  <locale>/clips/<path>                 e.g. en/clips/common_voice_en_18891727.mp3
  <locale>/<split>.tsv                  validated, train, dev, test, invalidated, other (option `split`)
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
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry
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


class CommonVoiceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    locales: list[str] | None = Field(None, description="Locale folders to read (e.g. [en, zh-CN]); default: every one holding <split>.tsv.")
    split: str = Field("validated", pattern=r"^[A-Za-z_]+$", description="Which TSV: validated, train, dev, test, invalidated, other.")


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
        if not self._locales():
            return f"{self.root} does not look like {self.name}'s layout: no <locale>/{self.options.split}.tsv found"
        return None

    def _locales(self) -> list[str]:
        split = f"{self.options.split}.tsv"
        if self.options.locales:
            return [locale for locale in self.options.locales if self.exists(f"{locale}/{split}")]
        return [path.split("/", 1)[0] for path in self.find(f"*/{split}")]

    def entries(self) -> Iterator[Entry]:
        for locale in self._locales():
            yield from self._read(locale, f"{locale}/{self.options.split}.tsv")

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
