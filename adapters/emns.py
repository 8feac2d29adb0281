"""EMNS (Emotive Narrative Storytelling): one female British English speaker, ~1,200 utterances in 8 acted emotions.

Native layout (openslr.org/136: metadata.csv + cleaned_webm.tar.xz / raw_webm.tar.xz; read the same way by
EmoBox, emo-box/EmoBox EmoBox/preprocess/scripts/emns.py, and nkululeko data/emns/process_database.py):
  metadata.csv            `|`-separated, header
                          id|utterance|description|emotion|date_created|status|gender|age|level|audio_recording|user_id
  cleaned_webm/<name>.webm   audio_recording names `wavs/<name>.webm`; the file is <audio_dir>/<name>.webm
emotion: Angry Disgust Excited Happy Neutral Sad Sarcastic Surprised; level: expressiveness 0-9; age e.g.
`20s`; user_id the speaker (3); description a template with the emphasised words in braces, e.g.
`{transcription} said {user_id} in a {emotion} voice. Placing emphasis on {all} and {acts regularly}.`
The audio is WebM (Opus), which the pipeline decodes with FFmpeg (torchcodec); a converted copy (e.g. FLAC,
as the corpus author did) is read with `audio_dir`/`audio_suffix: .flac`.
Licence: OpenSLR is said (secondary sources) to list it as Apache-2.0, nkululeko as CC BY 4.0; unconfirmed.

Selection: EMNS has no official split; every row is read (no selection options).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry

METADATA = "metadata.csv"
COLUMNS = ("id", "utterance", "description", "emotion", "gender", "age", "level", "audio_recording", "user_id")
EMOTIONS = {
    "Angry": "Angry", "Disgust": "Disgusted", "Excited": "Excited", "Happy": "Happy", "Neutral": "Neutral",
    "Sad": "Sad", "Sarcastic": "Sarcastic", "Surprised": "Surprised",
}  # fmt: skip  (Sarcastic has no canonical spelling: kept as the dataset names it)
GENDERS = {"female": "Female", "male": "Male"}
PLACEHOLDERS = {"transcription", "user_id", "emotion"}
BRACED = re.compile(r"\{([^{}]+)\}")


class EMNSOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audio_dir: str = Field("cleaned_webm", description="Folder of the audio: cleaned_webm (default) or raw_webm, or a converted copy.")
    audio_suffix: str = Field(".webm", description="Suffix of the audio files, e.g. .flac for a converted copy.")


class EMNS(Adapter):
    """EMNS from metadata.csv; one clip per row, audio under cleaned_webm/ (or a converted copy)."""

    name = "emns"
    dataset = "EMNS"
    domain = "speech"
    licence = None  # see the module docstring
    citation = (
        "Noriy, Yang and Zhang, EMNS /Imz/ Corpus: An emotive single-speaker dataset for narrative storytelling "
        "in games, television and graphic novels, arXiv:2305.13137, 2023"
    )
    homepage = "https://www.openslr.org/136/"
    yields = ("transcript", "Emotion", "Expressiveness", "Emphasised words", "Gender", "Age", "Language", "Accent", "Speaker")
    layout = "metadata.csv (`|`-separated, audio_recording wavs/<name>.webm) + cleaned_webm/<name>.webm"
    expects = (METADATA,)
    Options = EMNSOptions

    def entries(self) -> Iterator[Entry]:
        audio_dir, suffix = self.options.audio_dir.strip("/"), self.options.audio_suffix
        for line, row in self.table(METADATA, delimiter="|"):
            if isinstance(row, Exception):
                yield self.ref(METADATA, line), row
                continue
            absent = [column for column in COLUMNS if column not in row]
            if absent:
                yield self.bad(METADATA, line, f"no column(s) {', '.join(absent)} in the header")
                return
            recording, emotion = row["audio_recording"], row["emotion"]
            if not row["id"].isdigit() or not recording.endswith(".webm") or emotion not in EMOTIONS:
                yield self.bad(METADATA, line, f"expected a numeric id, a .webm audio_recording and a known emotion, got {row}")
                continue
            name = posixpath.splitext(posixpath.basename(recording))[0]
            level = row["level"]
            yield self.ref(METADATA, line), {
                "audio": f"{audio_dir}/{name}{suffix}",
                "id": row["id"],
                "transcript": row["utterance"],
                "Speaker": row["user_id"] or None,
                "Gender": GENDERS.get(row["gender"].lower()),
                "Age": row["age"] or None,
                "Language": "English",
                "Accent": "British English",
                "Emotion": EMOTIONS[emotion],
                "Expressiveness": int(level) if level.isdigit() else None,
                "Emphasised words": ", ".join(w for w in BRACED.findall(row["description"]) if w not in PLACEHOLDERS) or None,
            }
