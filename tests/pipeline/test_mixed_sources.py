"""One run over five native-layout sources (speech, conversation, sound, music) and a local Hugging Face dataset:
every seed description speaks the one normalised vocabulary, whatever each dataset wrote."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from cli_helpers import run_cli
from schemas.vocabulary import ATTRIBUTE_VALUES, normalise_name, normalise_value
from tests.adapters.conftest import AudioMaker
from tests.adapters.test_crema_d import make_crema_d
from tests.adapters.test_esc50 import make_esc50
from tests.adapters.test_gtzan import make_gtzan
from tests.adapters.test_hf import OPTIONS as HF_OPTIONS
from tests.adapters.test_hf import build as build_hf
from tests.adapters.test_iemocap import make_iemocap
from tests.adapters.test_nsynth import make_nsynth

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("mixed")
    data, audio = tmp_path / "data", AudioMaker()
    make_crema_d(data / "CREMA-D", audio)
    make_iemocap(data / "IEMOCAP", audio)
    make_esc50(data / "ESC-50", audio)
    make_gtzan(data / "GTZAN", audio)
    make_nsynth(data / "NSynth", audio)
    build_hf(tmp_path / "hf-src", audio).save_to_disk(str(data / "my-hf"))
    sources = [
        {"name": "CREMA-D", "adapter": "crema_d", "root": "CREMA-D"},
        {"name": "IEMOCAP", "adapter": "iemocap", "root": "IEMOCAP", "options": {"clips": "dialogs"}},
        {"name": "ESC-50", "adapter": "esc50", "root": "ESC-50"},
        {"name": "GTZAN", "adapter": "gtzan", "root": "GTZAN"},
        {"name": "NSynth", "adapter": "nsynth", "root": "NSynth", "options": {"splits": ["test"]}},  # the fixture's bad notes are in test
        {"name": "my-hf", "adapter": "hf", "root": "my-hf", "domain": "speech", "options": HF_OPTIONS},
    ]
    return tmp_path, data, sources


def test_a_run_mixing_native_layouts_and_a_hf_dataset(mixed_run, small_config):
    tmp_path, data, sources = mixed_run
    config = small_config(per_clip=1, max_tokens=8, sources=sources, data_root=str(data))
    result = run_cli("run", "--config", str(config))
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path.parent / config.parent.name / "out"
    rows = pq.read_table(out / "data").to_pylist()
    by_source = {}
    for row in rows:
        by_source.setdefault(row["dataset"], []).append(row)
    assert {k: len(v) for k, v in by_source.items()} == {"CREMA-D": 3, "IEMOCAP": 1, "ESC-50": 3, "GTZAN": 4, "NSynth": 3, "my-hf": 3}
    seeds = {row["clip_id"]: row["seed_description"] for row in rows}

    # each dataset's own spellings came out in the vocabulary's
    assert "Don't forget a jacket. (Speaker: 1001, Gender: Male, Age: 51, Emotion: Angry," in seeds["CREMA-D/1001_DFA_ANG_XX"]
    dialog = seeds["IEMOCAP/Ses01F_impro01"].split("\n")
    assert dialog[0].startswith("[00:00-00:") and "Duration:" in dialog[0]  # the whole clip's line, timed, first
    assert dialog[1] == "[00:01-00:04] Did you get the mail? (Speaker: Ses01M, Gender: Male, Emotion: Angry)"
    assert dialog[2] == "[00:06-00:08] Excuse me. (Speaker: Ses01F, Gender: Female, Emotion: Neutral)"
    assert all(line.startswith("[") for line in dialog)  # no untimed line after the turns
    assert "Sound events: door wood knock, Duration: 1s)" in seeds["ESC-50/3-120644-A-30"]
    assert "Genre: Hip-Hop" in seeds["GTZAN/hiphop.00042"]
    assert "Instrument family: Bass, Instrument source: Electronic, MIDI note: 022" in seeds["NSynth/bass_electronic_018-022-100"]
    assert "Hello there. (Gender: Male, Accent: American English" in seeds["my-hf/spk1-001"]

    # and across all of them: canonical names, canonical categorical values
    for row in rows:
        metadata = json.loads(row["metadata"])
        for name, value in metadata.items():
            if not name[:1].isupper() or not isinstance(value, str):
                continue  # measured numbers (`pitch_mean_hz`) and bookkeeping keep their snake_case keys
            assert normalise_name(name) == name, (row["clip_id"], name)
            assert normalise_value(name, value) == value, (row["clip_id"], name, value)
            if name in ATTRIBUTE_VALUES:
                assert value in set(ATTRIBUTE_VALUES[name].values()), (row["clip_id"], name, value)
    genders = {json.loads(r["metadata"]).get("Gender") for r in rows} - {None}
    assert genders == {"Male", "Female"}

    # the fixtures' bad entries were quarantined with the file that held them, and counted
    quarantine = pq.read_table(out / "quarantine").to_pylist()
    reasons = {(q["dataset"], q["drop_reason"]) for q in quarantine}
    assert {("CREMA-D", "bad_file_name"), ("ESC-50", "audio_missing"), ("GTZAN", "audio_undecodable"), ("NSynth", "audio_missing")} <= reasons
    assert any(q["input_ref"].endswith("VideoDemographics.csv:4") for q in quarantine)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows_per_source"]["my-hf"] == 3
    assert manifest["quarantined_total"] == len(quarantine)
