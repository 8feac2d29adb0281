"""ASVspoof: bona fide speech and spoofs (TTS, voice conversion) for spoofing countermeasures; 2019 LA or ASVspoof 5.

The release does not say which edition DeSTA used (its audio folders name ASVspoof 2015, 2019 and 5); this
reads the two current ones, chosen with `edition:`.

`edition: 2019-LA` (default). Native layout, as LA.zip unpacks (datashare.ed.ac.uk/handle/10283/3336;
folder names and the protocol format per the release's README, as every countermeasure recipe reads it):
  ASVspoof2019_LA_<train|dev|eval>/flac/LA_<T|D|E>_<NNNNNNN>.flac
  ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.train.trn.txt, ...dev.trl.txt, ...eval.trl.txt
      space-separated `SPEAKER_ID AUDIO_FILE_NAME - SYSTEM_ID KEY`, e.g. `LA_0079 LA_T_1138215 - - bonafide`,
      `LA_0098 LA_T_1004644 - A01 spoof`: SYSTEM_ID is `-` for bona fide speech, A01-A19 for a spoof
  ASVspoof2019_LA_asv_protocols/ASVspoof2019.LA.asv.<dev|eval>.<female|male>.trn.txt
      speaker enrolment lists `LA_0069 LA_D_...,LA_D_...`: the only source of speaker gender, so gender is
      known for dev and eval speakers and not for train speakers
  The root is the unpacked LA/ folder.
`edition: 5`. Native layout per the release's README.txt (mirrored at huggingface.co/datasets/jungjee/asvspoof5):
  flac_T/<file>.flac, flac_D/<file>.flac, flac_E_eval/<file>.flac   (unpacked flac_T_*.tar, flac_D_*.tar, flac_E_*.tar)
  ASVspoof5.train.tsv, ASVspoof5.dev.track_1.tsv, ASVspoof5.eval.track_1.tsv   (unpacked ASVspoof5_protocols.tar.gz)
      space-separated `SPEAKER_ID FLAC_FILE_NAME SPEAKER_GENDER CODEC CODEC_Q CODEC_SEED ATTACK_TAG ATTACK_LABEL KEY TMP`,
      e.g. `D_0062 D_0000000001 F - - - AC1 A11 spoof -` (gender F/M; ATTACK_LABEL A01-A32 for spoofs)
  The root is the folder holding both. Protocol files found without the `ASVspoof5.` prefix are read too.
Attributes: Spoofing (Bona fide / Spoofed), Spoofing attack (system id), Speaker, Gender, and for ASVspoof 5
the codec applied (Codec, e.g. C05; `-` = none).

Selection: `splits` (the protocol partitions train, dev, eval; default `[train]`: dev and eval are the
challenge's development and evaluation sets, read only when named).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.base import Adapter, Entry, Selection

KEYS = {"bonafide": "Bona fide", "spoof": "Spoofed"}

# ASVspoof 2019 LA
CM = "ASVspoof2019_LA_cm_protocols"
ASV = "ASVspoof2019_LA_asv_protocols"
PROTOCOLS_2019 = {"train": "train.trn", "dev": "dev.trl", "eval": "eval.trl"}
LINE_2019 = re.compile(r"(?P<speaker>LA_\d{4}) (?P<utterance>LA_[TDE]_\d{7}) - (?P<system>-|A\d{2}) (?P<key>bonafide|spoof)")
ENROLMENT = re.compile(r"(?P<speaker>LA_\d{4})\s")

# ASVspoof 5
PROTOCOLS_5 = {"train": "train", "dev": "dev.track_1", "eval": "eval.track_1"}
AUDIO_5 = {"train": "flac_T", "dev": "flac_D", "eval": "flac_E_eval"}
LINE_5 = re.compile(
    r"(?P<speaker>[TDE]_\d{4}) (?P<utterance>[TDE]_\d{10}) (?P<gender>[FM]) (?P<codec>\S+) \S+ \S+ \S+ (?P<attack>\S+) (?P<key>bonafide|spoof) \S+"
)
GENDERS_5 = {"F": "Female", "M": "Male"}


class ASVspoofOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    edition: Literal["2019-LA", "5"] = Field("2019-LA", description="ASVspoof 2019 logical access, or ASVspoof 5.")
    splits: Selection[Literal["train", "dev", "eval"]] = Field(["train"], description="Protocol partitions to read; default: train only (dev, eval: held out).")


class ASVspoof(Adapter):
    """ASVspoof 2019 LA or ASVspoof 5 from the countermeasure protocols: bona fide or spoofed, attack, speaker, gender."""

    name = "asvspoof"
    dataset = "ASVspoof"
    domain = "speech"
    licence = "ODC-BY-1.0"  # ASVspoof 2019, as its Edinburgh DataShare record declares it; ASVspoof 5 ships its own LICENSE.txt
    citation = (
        "Wang et al., ASVspoof 2019: A large-scale public database of synthesized, converted and replayed speech, "
        "Computer Speech & Language 2020; Wang et al., ASVspoof 5: Crowdsourced speech data, deepfakes, and "
        "adversarial attacks at scale, ASVspoof Workshop 2024"
    )
    homepage = "https://www.asvspoof.org/"
    yields = ("Spoofing", "Spoofing attack", "Speaker", "Gender", "Codec")
    layout = (
        "2019-LA: ASVspoof2019_LA_<split>/flac/<utt>.flac + ASVspoof2019_LA_cm_protocols/*.txt; "
        "5: flac_T|flac_D|flac_E_eval/<utt>.flac + ASVspoof5.<train|dev.track_1|eval.track_1>.tsv"
    )
    expects = ()  # depends on the edition: see `check`
    Options = ASVspoofOptions

    def check(self) -> str | None:
        if self.options.edition == "2019-LA":
            return None if self.exists(CM) else f"{self.root} does not look like asvspoof's 2019 LA layout: {CM} not found"
        if any(self._protocol_5(split) for split in PROTOCOLS_5):
            return None
        return f"{self.root} does not look like asvspoof's ASVspoof 5 layout: no ASVspoof5.<train|dev.track_1|eval.track_1>.tsv found"

    def entries(self) -> Iterator[Entry]:
        yield from self._entries_2019() if self.options.edition == "2019-LA" else self._entries_5()

    # ---- ASVspoof 2019 LA -------------------------------------------------------------------------------

    def _entries_2019(self) -> Iterator[Entry]:
        genders = self._genders_2019()
        for split in self.options.splits:
            protocol = f"{CM}/ASVspoof2019.LA.cm.{PROTOCOLS_2019[split]}.txt"
            if not self.exists(protocol):
                continue
            prefix = f"LA_{split[0].upper()}_"
            for line, text in self.lines(protocol):
                fields = LINE_2019.fullmatch(" ".join(text.split()))
                if not fields or not fields["utterance"].startswith(prefix) or (fields["key"] == "bonafide") != (fields["system"] == "-"):
                    yield self.bad(protocol, line, f"expected `LA_NNNN {prefix}NNNNNNN - <- | A01-A19> <bonafide | spoof>`, got {text!r}")
                    continue
                spoofed = fields["key"] == "spoof"
                yield self.ref(protocol, line), {
                    "audio": f"ASVspoof2019_LA_{split}/flac/{fields['utterance']}.flac",
                    "id": fields["utterance"],
                    "Spoofing": KEYS[fields["key"]],
                    "Spoofing attack": fields["system"] if spoofed else None,
                    "Speaker": fields["speaker"],
                    "Gender": genders.get(fields["speaker"]),
                }

    def _genders_2019(self) -> dict[str, str]:
        genders = {}
        for split in ("dev", "eval"):
            for gender in ("female", "male"):
                enrolment = f"{ASV}/ASVspoof2019.LA.asv.{split}.{gender}.trn.txt"
                if self.exists(enrolment):
                    for _, text in self.lines(enrolment):
                        if match := ENROLMENT.match(text.strip() + " "):
                            genders[match["speaker"]] = gender.capitalize()
        return genders

    # ---- ASVspoof 5 -------------------------------------------------------------------------------------

    def _protocol_5(self, split: str) -> str | None:
        for name in (f"ASVspoof5.{PROTOCOLS_5[split]}.tsv", f"{PROTOCOLS_5[split]}.tsv"):
            if self.exists(name):
                return name
        return None

    def _entries_5(self) -> Iterator[Entry]:
        for split in self.options.splits:
            protocol = self._protocol_5(split)
            if protocol is None:
                continue
            prefix = f"{split[0].upper()}_"
            for line, text in self.lines(protocol):
                fields = LINE_5.fullmatch(" ".join(text.split()))
                if not fields or not fields["utterance"].startswith(prefix) or (fields["attack"] == "-" and fields["key"] == "spoof"):
                    yield self.bad(protocol, line, f"expected `SPEAKER_ID {prefix}NNNNNNNNNN F|M CODEC CODEC_Q CODEC_SEED ATTACK_TAG ATTACK_LABEL bonafide|spoof TMP`, got {text!r}")
                    continue
                spoofed = fields["key"] == "spoof"
                yield self.ref(protocol, line), {
                    "audio": f"{AUDIO_5[split]}/{fields['utterance']}.flac",
                    "id": fields["utterance"],
                    "Spoofing": KEYS[fields["key"]],
                    "Spoofing attack": fields["attack"] if spoofed else None,
                    "Speaker": fields["speaker"],
                    "Gender": GENDERS_5[fields["gender"]],
                    "Codec": None if fields["codec"] == "-" else fields["codec"],
                }
