"""VCTK 0.92: 110 English speakers with various accents, about 400 read newspaper sentences each.

Native layout of VCTK-Corpus-0.92.zip (https://datashare.ed.ac.uk/handle/10283/3443; parsed the same way by
the Hugging Face loading script huggingface/datasets datasets/vctk/vctk.py and torchaudio's VCTK_092):
  wav48_silence_trimmed/<speaker>/<speaker>_<utt>_mic<1|2>.flac   e.g. wav48_silence_trimmed/p225/p225_001_mic1.flac
  txt/<speaker>/<speaker>_<utt>.txt                               one line: the sentence read
  speaker-info.txt   whitespace-aligned columns `ID  AGE  GENDER  ACCENTS  REGION COMMENTS`, e.g.
                     `p225  23  F    English    Southern  England`; REGION may hold spaces, COMMENTS is a
                     trailing `(...)` note such as `(mic2 files unavailable)`.
Every utterance was recorded with two microphones (mic1: omni-directional DPA 4035, mic2: Sennheiser MKH 800);
the `mic` option picks one (p280 and p315 have no usable mic2 files; p315 has no text). An utterance is the
union of its text file and its audio file: text without audio is yielded and quarantined by the probe stage
as audio_missing, audio without text is a clip without transcript. The version 0.80 layout (wav48/*.wav,
IDs without the `p`) is not read.

Selection: VCTK has no official split; every speaker is read (`mic` picks the microphone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, parse_name, stem

AUDIO_NAME = re.compile(r"(?P<speaker>[a-z]+\d+)_(?P<utterance>\d+)_(?P<mic>mic[12])")
TEXT_NAME = re.compile(r"(?P<speaker>[a-z]+\d+)_(?P<utterance>\d+)")
GENDERS = {"F": "Female", "M": "Male"}
# speaker-info.txt ACCENTS -> the accent in words (the spelling Common Voice uses for the same accents)
ACCENTS = {
    "English": "England English", "Scottish": "Scottish English", "NorthernIrish": "Northern Irish English",
    "Irish": "Irish English", "Welsh": "Welsh English", "American": "American English",
    "Canadian": "Canadian English", "SouthAfrican": "South African English", "Australian": "Australian English",
    "NewZealand": "New Zealand English", "Indian": "Indian English", "British": "British English",
}  # fmt: skip
UNKNOWN = {"unknown", "", "-"}
INFO = "speaker-info.txt"
COMMENT = re.compile(r"\(.*\)\s*$")


class VCTKOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mic: Literal["mic1", "mic2"] = Field("mic1", description="Which microphone's recordings to read.")


class VCTK(Adapter):
    """CSTR VCTK 0.92 read speech: transcript, speaker, gender, age, accent and region per clip."""

    name = "vctk"
    dataset = "VCTK"
    domain = "speech"
    licence = "CC-BY-4.0"
    citation = (
        "Yamagishi, Veaux and MacDonald, CSTR VCTK Corpus: English Multi-speaker Corpus for CSTR Voice Cloning "
        "Toolkit (version 0.92), University of Edinburgh, The Centre for Speech Technology Research 2019"
    )
    homepage = "https://datashare.ed.ac.uk/handle/10283/3443"
    yields = ("transcript", "Speaker", "Gender", "Age", "Accent", "Region")
    layout = "wav48_silence_trimmed/<spk>/<spk>_<utt>_mic<N>.flac + txt/<spk>/<spk>_<utt>.txt + speaker-info.txt"
    expects = ("wav48_silence_trimmed", "txt")
    Options = VCTKOptions

    def entries(self) -> Iterator[Entry]:
        speakers, problems = speaker_info(self)
        yield from problems
        mic = self.options.mic
        texts: dict[tuple[str, str], str] = {}
        for path in self.find("txt/*/*.txt"):
            fields = parse_name(TEXT_NAME, stem(path))
            if not fields or fields["speaker"] != path.split("/")[1]:
                yield self.bad(path, None, "file name does not follow txt/<speaker>/<speaker>_<utt>.txt", "bad_file_name")
                continue
            texts[(fields["speaker"], fields["utterance"])] = path
        audio: dict[tuple[str, str], str] = {}
        for path in self.find("wav48_silence_trimmed/*/*.flac"):
            fields = parse_name(AUDIO_NAME, stem(path))
            if not fields or fields["speaker"] != path.split("/")[1]:
                yield self.bad(path, None, "file name does not follow <speaker>/<speaker>_<utt>_mic<1|2>.flac", "bad_file_name")
                continue
            if fields["mic"] == mic:
                audio[(fields["speaker"], fields["utterance"])] = path
        for speaker, utterance in sorted(texts.keys() | audio.keys()):
            key = (speaker, utterance)
            path = audio.get(key) or f"wav48_silence_trimmed/{speaker}/{speaker}_{utterance}_{mic}.flac"
            info = speakers.get(speaker, {})
            yield self.ref(texts.get(key, path)), {
                "audio": path,
                "id": stem(path),
                "transcript": self.read_text(texts[key]).strip() if key in texts else None,
                "Speaker": speaker,
                "Gender": info.get("gender"),
                "Age": info.get("age"),
                "Accent": info.get("accent"),
                "Region": info.get("region"),
            }


def speaker_info(adapter: Adapter) -> tuple[dict[str, dict], list[Entry]]:
    """speaker (`p225`) -> {age, gender, accent, region} from `speaker-info.txt` under the adapter's root (none
    when absent), and the lines that do not parse. CodecFake reads the same file for its VCTK speakers."""
    if not adapter.exists(INFO):
        return {}, []
    speakers, problems = {}, []
    for number, line in adapter.lines(INFO):
        cells = COMMENT.sub("", line).split()
        if cells[:1] == ["ID"]:
            continue  # the header
        if len(cells) < 3 or not cells[1].isdigit() or cells[2] not in GENDERS:
            problems.append(adapter.bad(INFO, number, f"expected `ID AGE GENDER ACCENTS REGION`, got {line.strip()!r}"))
            continue
        speaker = cells[0] if not cells[0].isdigit() else f"p{cells[0]}"
        accent = cells[3] if len(cells) > 3 else ""
        speakers[speaker] = {
            "age": int(cells[1]),
            "gender": GENDERS[cells[2]],
            "accent": None if accent.lower() in UNKNOWN else ACCENTS.get(accent, accent),
            "region": " ".join(cells[4:]) or None,
        }
    return speakers, problems

