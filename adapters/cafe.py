"""CaFE (Canadian French Emotional speech dataset): 12 actors x 6 sentences x 7 emotions at 2 intensities.

Native layout (zenodo.org/record/1478765; the archive's own Readme.txt, "File naming method", as
mirrored in michen00/multilingual_speech_valence_classification_datasets datasets/cafe/CaFE_192k_1/):
  <Émotion>/<Faible|Fort>/<AA>-<E>-<I>-<S>.wav   e.g. Colère/Faible/01-C-1-1.wav
  Neutre/<AA>-N-<S>.wav                           neutral has no intensity field or folder
48 kHz archive: .wav; 192 kHz archives (two parts): .aiff, same folders. AA actor 01-12, odd = man,
even = woman, ages listed in the Readme; E emotion C Colère, D Dégoût, J Joie, N Neutre, P Peur,
S Surprise, T Tristesse; I intensity 1 Faible (low), 2 Fort (high); S sentence 1-6 (French text and
the Readme's English translation below). The file name, not the folder, carries the labels.

Selection: CaFE has no official split; every clip is read (no selection options).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry, parse_name, stem

AGES = {"01": 46, "02": 64, "03": 18, "04": 50, "05": 22, "06": 34, "07": 15, "08": 25, "09": 42, "10": 20, "11": 35, "12": 37}
EMOTIONS = {"C": "Angry", "D": "Disgusted", "J": "Happy", "N": "Neutral", "P": "Fearful", "S": "Surprised", "T": "Sad"}
INTENSITIES = {"1": "Low", "2": "High"}
SENTENCES = {
    "1": ("Un cheval fou dans mon jardin", "One crazy horse in my garden"),
    "2": ("Deux ânes aigris au pelage brun", "Two embittered donkeys with a brown coat"),
    "3": ("Trois cygnes aveugles au bord du lac", "Three blind swans by the lake"),
    "4": ("Quatre vieilles truies éléphantesques", "Four gigantic old sows"),
    "5": ("Cinq pumas fiers et passionnés", "Five proud and passionate pumas"),
    "6": ("Six ours aimants domestiqués", "Six domesticated caring bears"),
}
FILE_NAME = re.compile(r"(?P<actor>\d{2})-(?P<emotion>[A-Z])(?:-(?P<intensity>\d))?-(?P<sentence>\d)")


class CaFE(Adapter):
    """CaFE from its emotion/intensity folders; every label, the sentence and the actor from the file name."""

    name = "cafe"
    dataset = "CAFE"  # as the DeSTA-AQA5M release names it (the corpus calls itself CaFE)
    domain = "speech"
    licence = "CC-BY-NC-SA-4.0"
    citation = "Gournay, Lahaie and Lefebvre, A Canadian French Emotional Speech Dataset, ACM MMSys 2018"
    homepage = "https://zenodo.org/record/1478765"
    yields = ("transcript", "Emotion", "Emotion intensity", "Gender", "Age", "Language", "Accent", "Speaker", "English translation")
    layout = "<Émotion>/<Faible|Fort>/<AA>-<E>-<I>-<S>.wav (.aiff at 192 kHz) + Neutre/<AA>-N-<S>.wav"
    expects = ("Neutre",)

    def entries(self) -> Iterator[Entry]:
        audios = [p for pattern in ("*/*.wav", "*/*/*.wav", "*/*.aiff", "*/*/*.aiff") for p in self.find(pattern)]
        for audio in sorted(audios):
            fields = parse_name(FILE_NAME, stem(audio))
            problem = _problem(fields)
            if problem:
                yield self.bad(audio, None, f"file name is not <AA>-<E>-<I>-<S> (neutral <AA>-N-<S>): {problem}", "bad_file_name")
                continue
            actor, sentence = fields["actor"], fields["sentence"]
            yield self.ref(audio), {
                "audio": audio,
                "id": stem(audio),
                "transcript": SENTENCES[sentence][0],
                "Speaker": actor,
                "Gender": "Male" if int(actor) % 2 else "Female",
                "Age": AGES[actor],
                "Language": "French",
                "Accent": "Canadian French",
                "Emotion": EMOTIONS[fields["emotion"]],
                "Emotion intensity": INTENSITIES.get(fields["intensity"] or ""),
                "English translation": SENTENCES[sentence][1],
            }


def _problem(fields: dict[str, str] | None) -> str | None:
    if not fields:
        return "unparsable"
    if fields["actor"] not in AGES:
        return f"unknown actor {fields['actor']}"
    if fields["emotion"] not in EMOTIONS:
        return f"unknown emotion {fields['emotion']}"
    if (fields["intensity"] is None) != (fields["emotion"] == "N"):
        return "only neutral clips have no intensity field"
    if fields["intensity"] is not None and fields["intensity"] not in INTENSITIES:
        return f"unknown intensity {fields['intensity']}"
    if fields["sentence"] not in SENTENCES:
        return f"unknown sentence {fields['sentence']}"
    return None
