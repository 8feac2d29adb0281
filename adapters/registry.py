"""Every source adapter, registered in one list. Adding an adapter: one new file plus one line here."""

from __future__ import annotations

import importlib
from functools import cache

from adapters.base import Adapter

# "<module>:<class>"; modules are imported on first use, so a run pays only for the adapters it names.
ADAPTERS: list[str] = [
    "adapters.generic:GenericManifest",
    "adapters.hf:HuggingFaceDataset",
    # speech (39)
    "adapters.iemocap:IEMOCAP",
    "adapters.dailytalk:DailyTalk",
    "adapters.globe:GLOBE",
    "adapters.vctk:VCTK",
    "adapters.meld:MELD",
    "adapters.prompttts:PromptTTS",
    "adapters.expresso:Expresso",
    "adapters.accentdb:AccentDB",
    "adapters.voxceleb1:VoxCeleb1",
    "adapters.anispeech:AniSpeech",
    "adapters.msp_improv:MSPImprov",
    "adapters.fair_speech:FairSpeech",
    "adapters.crema_d:CremaD",
    "adapters.cafe:CaFE",
    "adapters.emovo:EMOVO",
    "adapters.speech_accent_archive:SpeechAccentArchive",
    "adapters.emns:EMNS",
    "adapters.kespeech:KeSpeech",
    "adapters.esd:ESD",
    "adapters.librispeech_c:LibriSpeechC",
    "adapters.l2_arctic:L2Arctic",
    "adapters.commonvoice:CommonVoice",
    "adapters.emov_db:EmoVDB",
    "adapters.libritts_r:LibriTTSR",
    "adapters.dusha:Dusha",
    "adapters.msp_podcast:MSPPodcast",
    "adapters.alimeeting:AliMeeting",
    "adapters.cszs:CSZS",
    "adapters.ntuml2021:NTUML2021",
    "adapters.speech_commands:SpeechCommands",
    "adapters.libricount:LibriCount",
    "adapters.voxlingua:VoxLingua",
    "adapters.asvspoof:ASVspoof",
    "adapters.biic_podcast:BIICPodcast",
    "adapters.codecfake:CodecFake",
    "adapters.paraspeechcaps:ParaSpeechCaps",
    "adapters.vctk_musan:VCTKMusan",
    "adapters.dynamic_superb_noise_reverb:DynamicSuperbNoiseReverb",
    "adapters.thmint_qi:THMINTQI",
    # sound (7)
    "adapters.audioset:AudioSet",
    "adapters.audiocaps:AudioCaps",
    "adapters.wavcaps:WavCaps",
    "adapters.clotho:Clotho",
    "adapters.vocalsound:VocalSound",
    "adapters.esc50:ESC50",
    "adapters.fsd50k:FSD50K",
    # music (5)
    "adapters.nsynth:NSynth",
    "adapters.opensinger:OpenSinger",
    "adapters.fma:FMA",
    "adapters.gtzan:GTZAN",
    "adapters.mridangam:Mridangam",
]

GENERAL = ("generic", "hf")  # not tied to one dataset


def adapter_name(entry: str) -> str:
    """`adapters.crema_d:CremaD` -> `crema_d`: the module's name is the adapter's, so no import is needed."""
    return entry.split(":")[0].rsplit(".", 1)[1]


@cache
def _load(entry: str) -> type[Adapter]:
    module, cls = entry.split(":")
    return getattr(importlib.import_module(module), cls)


def adapters() -> dict[str, type[Adapter]]:
    """name -> adapter class, in registry order."""
    classes = [_load(entry) for entry in ADAPTERS]
    return {cls.name: cls for cls in classes}


def adapter_class(name: str) -> type[Adapter]:
    for entry in ADAPTERS:
        if adapter_name(entry) == name:
            return _load(entry)
    known = ", ".join(map(adapter_name, ADAPTERS))
    raise KeyError(f"unknown adapter {name!r}; known: {known}")
