"""LibriCount (LibriCount10-0dB): 5,720 simulated cocktail-party mixtures of 0-10 LibriSpeech test-clean
speakers at 0 dB, 5 s each, for speaker counting.

Native layout of `LibriCount10-0dB.zip` (zenodo.org/record/1216072; described in the CountNet README,
github.com/faroit/CountNet, and read the same way by tensorflow-datasets' and HEAR's loaders):
  test/<k>_<unique>.wav    16 bit, 16 kHz, mono; k = the number of speakers (maximum concurrent count)
  test/<k>_<unique>.json   [{"sex": "F"|"M", "speaker_id": 1221, "activity": [[start, end], ...]}, ...]
                           (vocal activity in samples at 16 kHz, found by WebRTC VAD)
Each clip carries `Speaker count` = k, as the release describes LibriCount (`Number of Speakers: 0`), and
from the annotation the speakers' genders (`Speaker genders: 2 female, 1 male`). The activity spans are not
turns: they overlap by design (a cocktail party) and are VAD fragments, so one seed-description line per
span would say less, at length, than the count does.

Selection: the release is one folder, test/: LibriCount10-0dB was published as a test set for speaker
counting, and that folder is the whole dataset, with no split of its own to choose between; DeSTA-AQA5M
used it as a training source, so every clip is read (no selection options).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator

from adapters.base import Adapter, Entry, parse_name, stem

GENDERS = {"F": "Female", "M": "Male"}
FILE_NAME = re.compile(r"(?P<count>\d+)_(?P<unique>[^/]+)")


class LibriCount(Adapter):
    name = "libricount"
    dataset = "LibriCount"
    domain = "speech"
    licence = None  # the Zenodo record's licence could not be confirmed here
    citation = "Stöter et al., CountNet: Estimating the Number of Concurrent Speakers Using Supervised Learning, IEEE/ACM TASLP 2019"
    homepage = "https://zenodo.org/record/1216072"
    yields = ("Speaker count", "Speaker genders")
    layout = "test/<count>_<id>.wav + test/<count>_<id>.json (speakers' sex, id, activity in samples)"
    expects = ("test",)

    def entries(self) -> Iterator[Entry]:
        stems = sorted({path.rsplit(".", 1)[0] for path in self.find("test/*.wav") + self.find("test/*.json")})
        for base in stems:
            audio, annotation = f"{base}.wav", f"{base}.json"
            fields = parse_name(FILE_NAME, stem(base))
            if not fields:
                yield self.bad(audio if self.exists(audio) else annotation, None, "file name does not follow <count>_<id>.wav", "bad_file_name")
                continue
            entry = {"audio": audio, "id": stem(base), "Speaker count": int(fields["count"])}
            if self.exists(annotation):
                genders = self._genders(annotation)
                if isinstance(genders, str):
                    yield self.bad(annotation, None, genders)
                    continue
                entry["Speaker genders"] = ", ".join(f"{n} {g.lower()}" for g, n in sorted(Counter(genders).items())) or None
            yield self.ref(audio), entry

    def _genders(self, relative: str) -> list[str] | str:
        """Every annotated speaker's gender; or why the annotation cannot be read."""
        try:
            speakers = json.loads(self.read_text(relative))
        except json.JSONDecodeError as error:
            return f"not valid JSON: {error.msg} (line {error.lineno})"
        if not isinstance(speakers, list):
            return "expected a list of speakers"
        genders = []
        for speaker in speakers:
            if (not isinstance(speaker, dict) or speaker.get("sex") not in GENDERS or speaker.get("speaker_id") in (None, "")
                    or not isinstance(speaker.get("activity"), list)):  # fmt: skip
                return f"expected {{sex: F|M, speaker_id, activity: [[start, end], ...]}}, got {speaker!r}"
            for span in speaker["activity"]:
                if not (isinstance(span, list) and len(span) == 2 and all(isinstance(s, (int, float)) for s in span)):
                    return f"speaker {speaker.get('speaker_id')}: activity span {span!r} is not [start, end] in samples"
            genders.append(GENDERS[speaker["sex"]])
        return genders
