"""Fair-Speech (Meta's speech fairness dataset): 26,471 voice-command utterances by 593 US participants.

Native layout, as Meta's click-to-accept download unpacks (ai.meta.com/datasets/speech-fairness-dataset;
no public documentation page lists the files, so this follows the users who describe their copy, e.g.
"downloaded_file.tsv: 26,471 rows x 7 columns; asr_fairness_audio/: 26,471 .wav files; hash_name maps
directly to asr_fairness_audio/{hash_name}.wav"):
  asr_fairness_audio/<hash_name>.wav
  <metadata>.tsv   tab-separated, header `hash_name<TAB>transcription<TAB>age<TAB>gender<TAB>first_language
                   <TAB>socioeconomic_bkgd<TAB>ethnicity`; age as ranges (`31 - 45`), gender `female`/`male`,
                   socioeconomic_bkgd Low / Medium / Affluent, ethnicity as self-reported text
Established: the audio folder, the columns, the tab delimiter. Assumed: the metadata file's name, which
users report differently (`downloaded_file.tsv`, `asr_fairness_metadata.tsv`, `speech_fairness.txt`);
the adapter takes the first of those present, else the only .tsv at the root, or `metadata:`.
There is no speaker id column (`hash_name` is per utterance).

Selection: Fair-Speech has no split; every utterance is read (no selection options).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry

METADATA_NAMES = ("downloaded_file.tsv", "asr_fairness_metadata.tsv", "speech_fairness.txt")
AUDIO_DIR = "asr_fairness_audio"
GENDERS = {"female": "Female", "male": "Male"}
HASH = re.compile(r"[A-Za-z0-9_-]+")


class FairSpeechOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metadata: str | None = Field(None, description="The metadata TSV under the root; default: the first of " + ", ".join(METADATA_NAMES) + " present, else the only .tsv.")
    audio_dir: str = Field(AUDIO_DIR, description="The folder of <hash_name>.wav files under the root.")


class FairSpeech(Adapter):
    """Fair-Speech from its metadata TSV; transcripts and self-reported demographics per utterance."""

    name = "fair_speech"
    dataset = "Fair-Speech"
    domain = "speech"
    licence = "Meta Fair-Speech data licence (custom: evaluation use, no redistribution)"
    citation = "Veliche et al., Towards measuring fairness in speech recognition: Fair-Speech dataset, Interspeech 2024"
    homepage = "https://ai.meta.com/datasets/speech-fairness-dataset/"
    yields = ("transcript", "Gender", "Age", "Native language", "Socioeconomic background", "Ethnicity")
    layout = "asr_fairness_audio/<hash_name>.wav + a tab-separated metadata file (hash_name, transcription, age, gender, first_language, socioeconomic_bkgd, ethnicity)"
    expects = (AUDIO_DIR,)
    Options = FairSpeechOptions

    def metadata(self) -> str | None:
        if self.options.metadata:
            return self.options.metadata
        for name in METADATA_NAMES:
            if self.exists(name):
                return name
        found = self.find("*.tsv")
        return found[0] if len(found) == 1 else None

    def check(self) -> str | None:
        absent = [path for path in (self.options.audio_dir, self.metadata() or "a metadata .tsv") if not self.exists(path)]
        return f"{self.root} does not look like fair_speech's layout: {', '.join(absent)} not found" if absent else None

    def entries(self) -> Iterator[Entry]:
        metadata = self.metadata()
        if metadata is None or not self.exists(metadata):
            return
        for line, row in self.table(metadata, delimiter="\t"):
            if isinstance(row, Exception):
                yield self.ref(metadata, line), row
                continue
            utterance, gender = row.get("hash_name", ""), row.get("gender", "").lower()
            if not HASH.fullmatch(utterance) or gender not in GENDERS:
                yield self.bad(metadata, line, f"expected a hash_name and gender female/male, got hash_name={utterance!r} gender={gender!r}")
                continue
            yield self.ref(metadata, line), {
                "audio": f"{self.options.audio_dir}/{utterance}.wav",
                "id": utterance,
                "transcript": row.get("transcription") or None,
                "Gender": GENDERS[gender],
                "Age": row.get("age") or None,
                "Native language": row.get("first_language") or None,
                "Socioeconomic background": row.get("socioeconomic_bkgd") or None,
                "Ethnicity": row.get("ethnicity") or None,
            }
