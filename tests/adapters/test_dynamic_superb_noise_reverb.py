"""Dynamic-SUPERB noise/reverb training sets in their Hub form (file, audio, instruction, label), read offline."""

from __future__ import annotations

import pytest

from adapters.dynamic_superb_noise_reverb import DynamicSuperbNoiseReverb
from schemas import columns as c
from tests.adapters.conftest import read_source

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, DatasetDict, Features, Value  # noqa: E402

INSTRUCTION = "Listen to the audio and predict its signal-to-noise ratio. The answer could be 0dB, 5dB, 10dB or 15dB."


def make_task(tmp_path, audio):
    clean = audio.speech(tmp_path / "src" / "p225_001.wav", "Please call Stella.", voice="en-us+f3")
    noisy = audio.noise(tmp_path / "src" / "p226_002.wav", seconds=1.5)
    features = Features({"file": Value("string"), "audio": Audio(), "instruction": Value("string"), "label": Value("string")})
    rows = {
        "file": ["p225_001_snr15.wav", "p226_002_snr0.wav"], "audio": [str(clean), str(noisy)],
        "instruction": [INSTRUCTION, INSTRUCTION], "label": ["15dB", "0dB"],
    }  # fmt: skip
    root = tmp_path / "NoiseSNRLevelPrediction"
    DatasetDict({"train": Dataset.from_dict(rows, features=features)}).save_to_disk(str(root))
    return root


def test_task_dataset_is_read_with_the_dynamic_superb_schema(tmp_path, audio):
    root = make_task(tmp_path, audio)
    read = read_source("dynamic_superb_noise_reverb", root, name="Dynamic-SUPERB-Train-noise-reverb")
    clips = read.by_id()
    assert sorted(clips) == ["p225_001_snr15.wav", "p226_002_snr0.wav"]
    first = clips["p225_001_snr15.wav"]
    assert first[c.CLIP_ID] == "Dynamic-SUPERB-Train-noise-reverb/p225_001_snr15.wav"
    assert first[c.AUDIO_PATH] == "audio/train/00000000-p225_001.wav"
    assert first[c.ATTRIBUTES] == {"Label": "15dB"}
    assert first[c.TRANSCRIPT] is None
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_the_label_can_be_mapped_to_a_common_attribute(tmp_path, audio):
    root = make_task(tmp_path, audio)
    read = read_source("dynamic_superb_noise_reverb", root, {"attribute_columns": {"Signal-to-noise ratio": "label"}})
    assert read.by_id()["p226_002_snr0.wav"][c.ATTRIBUTES] == {"Signal-to-noise ratio": "0dB"}


def test_no_hub_id_is_preset_so_an_empty_root_is_reported(tmp_path):
    adapter = DynamicSuperbNoiseReverb(str(tmp_path))
    assert adapter.options.dataset is None and adapter.root_required
    problem = adapter.check()
    assert problem and str(tmp_path) in problem


def test_a_public_test_set_is_read_only_when_named(tmp_path, audio):
    root = make_task(tmp_path, audio)
    test_root = tmp_path / "NoiseSNRLevelPrediction_test"
    DatasetDict({"test": datasets.load_from_disk(str(root))["train"].select([1])}).save_to_disk(str(test_root))
    assert "no split 'train' (splits: test)" in DynamicSuperbNoiseReverb(str(test_root)).check()
    read = read_source("dynamic_superb_noise_reverb", test_root, {"splits": ["test"]})
    assert list(read.by_id()) == ["p226_002_snr0.wav"] and read.records[0][c.AUDIO_PATH].startswith("audio/test/")
