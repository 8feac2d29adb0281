"""The adapter registry: 51 dataset adapters (the release's sources) + generic + hf, each complete and tested."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from adapters.base import Adapter
from adapters.hf import HuggingFaceDataset
from adapters.registry import ADAPTERS, GENERAL, adapter_class, adapter_name, adapters
from tests.pipeline.cli_helpers import run_cli

HERE = Path(__file__).resolve().parent

# The 51 sources of DeSTA-AQA5M (../shared/reference/desta-aqa5m.md): 39 speech, 7 sound, 5 music.
RELEASE = {
    "speech": ["IEMOCAP", "DailyTalk", "GLOBE", "VCTK", "MELD", "PromptTTS", "Expresso", "AccentDB", "VoxCeleb1",
               "AniSpeech", "MSP-IMPROV", "Fair-Speech", "CREMA-D", "CAFE", "EMOVO", "Speech Accent Archive", "EMNS",
               "KeSpeech", "ESD", "LibriSpeech-c", "L2-ARCTIC", "CommonVoice", "EmoV-DB", "LibriTTS-R", "Dusha",
               "MSP-Podcast", "AliMeeting", "CSZS", "NTUML2021", "Speech Commands", "LibriCount", "VoxLingua",
               "ASVspoof", "BIIC-Podcast", "CodecFake", "ParaSpeechCaps", "VCTK+MUSAN",
               "Dynamic-SUPERB-Train-noise-reverb", "THMINT-QI"],
    "sound": ["AudioSet", "AudioCaps", "WavCaps", "Clotho", "VocalSound", "ESC-50", "FSD50K"],
    "music": ["NSynth", "OpenSinger", "FMA", "GTZAN", "Mridangam"],
}  # fmt: skip


def dataset_adapters() -> dict[str, type[Adapter]]:
    return {name: cls for name, cls in adapters().items() if name not in GENERAL}


def fold(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def test_every_release_source_has_exactly_one_adapter_in_its_domain():
    registered = dataset_adapters()
    assert len(registered) == 51
    for domain, names in RELEASE.items():
        assert len(names) == {"speech": 39, "sound": 7, "music": 5}[domain]
        found = sorted(fold(cls.dataset) for cls in registered.values() if cls.domain == domain)
        assert found == sorted(map(fold, names)), domain


@pytest.mark.parametrize("entry", ADAPTERS)
def test_adapter_is_complete_and_named_after_its_module(entry):
    module = adapter_name(entry)
    cls = adapter_class(module)
    assert cls.name == module
    assert cls.domain in ("speech", "sound", "music")
    assert cls.dataset and cls.layout and cls.yields
    assert cls.__module__ == entry.split(":")[0]
    assert len(sys.modules[cls.__module__].__doc__ or "") > 80, f"{module}: the module docstring documents the native layout"
    if module not in GENERAL:
        assert cls.citation, f"{module}: no citation"
        assert (HERE / f"test_{module}.py").is_file(), f"{module}: no fixture test tests/adapters/test_{module}.py"
        assert cls.Options.model_config.get("extra") == "forbid"


@pytest.mark.parametrize("name", sorted(name for name in map(adapter_name, ADAPTERS) if name != "generic"))
def test_an_empty_folder_is_reported_not_crashed_on(tmp_path, name):
    adapter = adapter_class(name)(str(tmp_path))
    if isinstance(adapter, HuggingFaceDataset) and adapter.options.dataset:
        assert not adapter.root_required  # would stream from the Hub: not exercised offline
        return
    problem = adapter.check()
    if problem is None:  # nothing expected at the top: then reading it yields no clips
        assert [entry for entry in adapter.entries() if not isinstance(entry[1], Exception)] == []
    else:
        assert str(tmp_path) in problem


def test_cli_lists_51_adapters_plus_generic_and_hf():
    result = run_cli("sources", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "51 dataset adapters (39 speech, 7 sound, 5 music) + generic + hf"
    rows = json.loads(run_cli("sources", "--json", timeout=120).stdout)
    assert len(rows) == 53 and {r["adapter"] for r in rows} >= {"generic", "hf", "crema_d"}
    crema = next(r for r in rows if r["adapter"] == "crema_d")
    assert (crema["dataset"], crema["domain"], crema["licence"]) == ("CREMA-D", "speech", "ODbL-1.0")
    assert "Emotion" in crema["yields"]
    one = run_cli("sources", "--name", "hf", timeout=120).stdout
    assert "attribute_columns" in one and "layout:" in one
    unknown = run_cli("sources", "--name", "nope", timeout=120)
    assert unknown.returncode == 2 and "unknown adapter 'nope'" in unknown.stderr
