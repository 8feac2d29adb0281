"""CREMA-D: 7,442 acted clips, 91 actors, 12 sentences, 6 emotions at up to 4 intensities.

Native layout (github.com/CheyneyComputerScience/CREMA-D):
  AudioWAV/<ActorID>_<Sentence>_<Emotion>_<Level>.wav   e.g. AudioWAV/1001_DFA_ANG_XX.wav
  VideoDemographics.csv   header `ActorID,Age,Sex,Race,Ethnicity` (Sex: Male / Female)
The sentence code gives the transcript (one of 12 fixed sentences); emotion codes ANG DIS FEA HAP NEU
SAD; level LO/MD/HI, XX = unspecified. Race and Ethnicity are kept as the demographics file writes them
(as the release shows them: `Race: Caucasian, Ethnicity: Not Hispanic`); `Unknown` is left out.

Selection: CREMA-D has no official split; every clip is read (no selection options).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adapters.base import Adapter, Entry, parse_name, stem

SENTENCES = {
    "IEO": "It's eleven o'clock.", "TIE": "That is exactly what happened.", "IOM": "I'm on my way to the meeting.",
    "IWW": "I wonder what this is about.", "TAI": "The airplane is almost full.", "MTI": "Maybe tomorrow it will be cold.",
    "IWL": "I would like a new alarm clock.", "ITH": "I think I have a doctor's appointment.", "DFA": "Don't forget a jacket.",
    "ITS": "I think I've seen this before.", "TSI": "The surface is slick.", "WSI": "We'll stop in a couple of minutes.",
}  # fmt: skip
EMOTIONS = {"ANG": "Angry", "DIS": "Disgusted", "FEA": "Fearful", "HAP": "Happy", "NEU": "Neutral", "SAD": "Sad"}
LEVELS = {"LO": "Low", "MD": "Medium", "HI": "High"}  # XX: unspecified, left out
FILE_NAME = re.compile(r"(?P<actor>\d{4})_(?P<sentence>[A-Z]{3})_(?P<emotion>[A-Z]{3})_(?P<level>LO|MD|HI|XX)")


class CremaD(Adapter):
    """CREMA-D from its AudioWAV folder; transcripts from the sentence codes, gender/age from the demographics."""

    name = "crema_d"
    dataset = "CREMA-D"
    domain = "speech"
    licence = "ODbL-1.0"
    citation = "Cao et al., CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset, IEEE Trans. Affective Computing 2014"
    homepage = "https://github.com/CheyneyComputerScience/CREMA-D"
    yields = ("transcript", "Emotion", "Emotion intensity", "Gender", "Age", "Race", "Ethnicity", "Speaker")
    layout = "AudioWAV/<actor>_<sentence>_<emotion>_<level>.wav + VideoDemographics.csv"
    expects = ("AudioWAV",)

    def entries(self) -> Iterator[Entry]:
        actors, problems = self._demographics()
        yield from problems
        for audio in self.find("AudioWAV/*.wav"):
            fields = parse_name(FILE_NAME, stem(audio))
            if not fields or fields["sentence"] not in SENTENCES or fields["emotion"] not in EMOTIONS:
                yield self.bad(audio, None, "file name does not follow <actor>_<sentence>_<emotion>_<level>.wav with known codes", "bad_file_name")
                continue
            actor = actors.get(fields["actor"], {})
            yield self.ref(audio), {
                "audio": audio,
                "id": stem(audio),
                "transcript": SENTENCES[fields["sentence"]],
                "Speaker": fields["actor"],
                "Emotion": EMOTIONS[fields["emotion"]],
                "Emotion intensity": LEVELS.get(fields["level"]),
                "Gender": actor.get("gender"),
                "Age": actor.get("age"),
                "Race": actor.get("race"),
                "Ethnicity": actor.get("ethnicity"),
            }

    def _demographics(self) -> tuple[dict[str, dict], list[Entry]]:
        if not self.exists("VideoDemographics.csv"):
            return {}, []
        actors, problems = {}, []
        for line, row in self.table("VideoDemographics.csv"):
            if isinstance(row, Exception):
                problems.append((self.ref("VideoDemographics.csv", line), row))
                continue
            sex = row.get("Sex", "")
            if sex not in ("Male", "Female") or not row.get("ActorID", "").isdigit():
                problems.append(self.bad("VideoDemographics.csv", line, f"expected ActorID digits and Sex Male/Female, got {row}"))
                continue
            actors[row["ActorID"]] = {
                "gender": sex,
                "age": row.get("Age") or None,
                **{key.lower(): _known(row.get(key)) for key in ("Race", "Ethnicity")},
            }
        return actors, problems


def _known(value: str | None) -> str | None:
    return None if not value or value.strip().lower() == "unknown" else value.strip()
