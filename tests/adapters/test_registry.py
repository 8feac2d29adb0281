"""The adapter registry: 51 dataset adapters (the release's sources) + generic + hf, each complete and tested."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

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
    kespeech = run_cli("sources", "--name", "kespeech", timeout=120).stdout
    assert ("splits (default ['train_phase1', 'train_phase2']; one or more of: train_phase1, train_phase2, dev_phase1, "
            "dev_phase2, test): ") in kespeech  # fmt: skip


# Selection (issue 10): every dataset adapter either exposes the dataset's own held-out partitions, never read
# by default, or says in its docstring that the dataset has none. Per adapter: the held-out names of its
# `splits` (as the dataset spells them; an empty list where the names are the copy's own, e.g. a Hub form).
HELD_OUT = {
    "globe": ["val", "test"], "meld": ["dev", "test"], "expresso": ["dev", "test"], "voxceleb1": ["test"],
    "kespeech": ["dev_phase1", "dev_phase2", "test"], "esd": ["evaluation", "test"], "commonvoice": ["dev", "test"],
    "librispeech_c": ["dev-clean", "dev-other", "test-clean", "test-other"],
    "libritts_r": ["dev-clean", "dev-other", "test-clean", "test-other"], "dusha": ["test"],
    "msp_podcast": ["Development", "Test1", "Test2", "Test3"], "alimeeting": ["Eval", "Test"], "cszs": ["dev", "test"],
    "ntuml2021": ["dev", "test"], "speech_commands": ["validation", "test"], "voxlingua": ["dev"], "asvspoof": ["dev", "eval"],
    "paraspeechcaps": ["dev", "holdout"], "thmint_qi": ["test"], "audioset": ["eval_segments"], "audiocaps": ["val", "test"],
    "clotho": ["validation", "evaluation"], "vocalsound": ["validation", "test"], "fsd50k": ["val", "eval"],
    "nsynth": ["valid", "test"], "fma": ["validation", "test"],
    "prompttts": [], "biic_podcast": [], "vctk_musan": [], "dynamic_superb_noise_reverb": [],
}  # fmt: skip
NO_HELD_OUT_SPLIT = [
    "iemocap", "dailytalk", "vctk", "accentdb", "anispeech", "msp_improv", "fair_speech", "crema_d", "cafe", "emovo",
    "speech_accent_archive", "emns", "l2_arctic", "emov_db", "libricount", "codecfake", "wavcaps", "esc50", "opensinger",
    "gtzan", "mridangam",
]  # fmt: skip
SELECTION_FIELDS = ("splits", "subsets", "locales", "sessions", "folds", "tracks")


def test_every_dataset_adapter_has_decided_its_selection():
    assert sorted([*HELD_OUT, *NO_HELD_OUT_SPLIT]) == sorted(dataset_adapters())


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_held_out_splits_are_allowed_but_never_read_by_default(name):
    cls = adapter_class(name)
    default = cls.Options.model_fields["splits"].default
    assert default and not set(default) & set(HELD_OUT[name]), f"{name} reads {default} by default"
    if HELD_OUT[name]:
        cls.Options.model_validate({"splits": HELD_OUT[name]})  # each held-out split can be asked for
    else:
        assert default == ["train"]  # split names are the copy's own: only `train` by default
    assert "Selection" in sys.modules[cls.__module__].__doc__, f"{name}: the docstring documents its selection"


@pytest.mark.parametrize("name", NO_HELD_OUT_SPLIT)
def test_datasets_without_a_held_out_split_say_so(name):
    doc = " ".join(sys.modules[adapter_class(name).__module__].__doc__.split())
    assert re.search(r"Selection: [^.]*\bno\b[^.]*split", doc), f"{name}: the docstring says the dataset has no held-out split"
    default = adapter_class(name).Options.model_fields.get("splits")
    assert default is None or len(default.default) == 1  # at most the dataset's one split


def _selection_options() -> list[tuple[str, str, list]]:
    """(adapter, option, allowed values or []) for every selection option of every adapter."""
    found = []
    for name, cls in adapters().items():
        for key, spec in cls.Options.model_json_schema().get("properties", {}).items():
            if key in SELECTION_FIELDS:
                items = next((c.get("items", {}) for c in [spec, *spec.get("anyOf", [])] if "items" in c), {})
                found.append((name, key, items.get("enum", [])))
    return found


@pytest.mark.parametrize("name,key,allowed", _selection_options())
def test_an_unknown_selection_name_fails_config_validation_naming_the_key(name, key, allowed):
    from pipeline.config import SourceConfig

    source = {"name": "S", "adapter": name, "root": "/data/S", "domain": "speech"}
    with pytest.raises(ValidationError) as raised:
        SourceConfig.model_validate({**source, "options": {key: ["no/such-" + key]}})
    message = str(raised.value)
    assert f"options.{key}.0: " in message
    assert all(repr(value) in message for value in allowed if isinstance(value, str)), "the known names are listed"
    with pytest.raises(ValidationError, match=rf"options\.{key}: List should have at least 1 item"):
        SourceConfig.model_validate({**source, "options": {key: []}})


def test_the_recipe_selects_training_data_only_and_what_the_release_used():
    import yaml

    from pipeline.config import SourceConfig

    recipe = yaml.safe_load((HERE.parents[1] / "configs" / "aqa5m.yaml").read_text(encoding="utf-8"))
    sources = {s["name"]: SourceConfig.model_validate(s) for s in recipe["sources"]}  # every selection is valid
    assert len(sources) == 51
    for name, source in sources.items():
        options = adapter_class(source.adapter).Options.model_validate(source.options)
        held_out = set(HELD_OUT.get(source.adapter, [])) & set(getattr(options, "splits", []))
        assert not held_out, f"{name} reads held-out split(s) {held_out}"
    assert sources["CommonVoice"].options["locales"] == ["en", "zh-CN"]  # the release: CommonVoice (EN+CN)
