"""AccentDB (release accentdb_extended): parallel read English in 9 accents, 2 to 4 speakers each.

Native layout (accentdb.github.io; accentDB_extended.tar.gz unpacks to `data/`, as TensorFlow Datasets'
tensorflow_datasets/audio/accentdb.py reads it; the folder holding `data/` is the root):
  data/<accent>/speaker_<NN>/<accent>_s<NN>_<NNN>.wav     e.g. data/american/speaker_01/american_s01_001.wav
<accent> is one of american, australian, bangla, british, indian, malayalam, odiya, telugu, welsh. The four
Indian-language folders (bangla, malayalam, odiya, telugu) are non-native English speakers of that first
language recorded by the authors; `indian` is metropolitan Indian English, and american, australian,
british, welsh are native accents; TensorFlow Datasets describes these 5 as generated with an online
TTS system (described in the paper), so they are not human recordings. There is no metadata file: no transcripts (the sentences are Harvard sentences, but the
release gives no file-to-sentence list), no gender or age. Speaker = `<accent>_s<NN>`.

Selection: AccentDB has no official split; every clip is read (no selection options).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry, parse_name

ACCENTS = {
    "american": "American English", "australian": "Australian English", "british": "British English",
    "welsh": "Welsh English", "indian": "Indian English", "bangla": "Bengali-accented English",
    "malayalam": "Malayalam-accented English", "odiya": "Odia-accented English", "telugu": "Telugu-accented English",
}  # fmt: skip
NATIVE_LANGUAGES = {"bangla": "Bengali", "malayalam": "Malayalam", "odiya": "Odia", "telugu": "Telugu"}
PATH = re.compile(r"data/(?P<accent>[a-z]+)/speaker_(?P<speaker>\d{2})/(?P=accent)_s(?P=speaker)_(?P<number>\d+)\.wav")


class AccentDB(Adapter):
    """AccentDB (accentdb_extended) from its data/<accent>/speaker_<NN>/ tree; accent and speaker from the path."""

    name = "accentdb"
    dataset = "AccentDB"
    domain = "speech"
    licence = "CC-BY-NC-4.0"
    citation = (
        "Ahamad, Anand and Bhargava, AccentDB: A Database of Non-Native English Accents to Assist Neural Speech "
        "Recognition, LREC 2020"
    )
    homepage = "https://accentdb.github.io/"
    yields = ("Accent", "Native language", "Speaker")
    layout = "data/<accent>/speaker_<NN>/<accent>_s<NN>_<NNN>.wav (the accentdb_extended release)"
    expects = ("data",)

    def entries(self) -> Iterator[Entry]:
        for audio in self.find("data/*/*/*.wav"):
            fields = parse_name(PATH, audio)
            if not fields or fields["accent"] not in ACCENTS:
                yield self.bad(audio, None, "path does not follow data/<accent>/speaker_<NN>/<accent>_s<NN>_<NNN>.wav with a known accent", "bad_file_name")
                continue
            accent, speaker = fields["accent"], f"{fields['accent']}_s{fields['speaker']}"
            yield self.ref(audio), {
                "audio": audio,
                "id": f"{speaker}_{fields['number']}",
                "Accent": ACCENTS[accent],
                "Native language": NATIVE_LANGUAGES.get(accent),
                "Speaker": speaker,
            }
