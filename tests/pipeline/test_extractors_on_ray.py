"""Model extractors on a local Ray: the steps of pipeline/extractors.py run the tiny local Whisper and
wav2vec2 classifier as actor pools, and each actor holds the CPUs its config declares."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf
from tiny_models import GENDERS, tiny_wav2vec2_classifier, tiny_whisper

from pipeline.config import RunConfig
from pipeline.extractors import ExtractorActor, extractor_steps
from schemas import columns as c
from schemas.tables import CLIP_COLUMNS, schema_of

ray = pytest.importorskip("ray")
REPO = Path(__file__).resolve().parents[2]


class RecordingActor(ExtractorActor):
    """Adds `<extractor>_resources`: the Ray resources assigned to the actor that ran the batch."""

    def __call__(self, batch: pa.Table) -> pa.Table:
        assigned = json.dumps(ray.get_runtime_context().get_assigned_resources(), sort_keys=True)
        out = super().__call__(batch)
        return out.append_column(f"{self.stage.name}_resources", pa.array([assigned] * out.num_rows, pa.string()))


def clip_rows(folder: Path) -> pa.Table:
    rng = np.random.default_rng(0)
    rows = []
    for i, seconds in enumerate((0.4, 0.9, 1.3, 0.6, 1.1)):
        path = folder / f"clip{i}.wav"
        sf.write(str(path), (0.2 * rng.standard_normal(int(seconds * 16000))).astype("float32"), 16000)
        rows.append({c.SOURCE: "t", c.DOMAIN: "speech", c.CLIP_ID: f"t/clip{i}", c.UNIT: "t/0", c.INPUT_REF: f"m.jsonl:{i + 1}",
                     c.AUDIO_PATH: path.name, c.AUDIO_URI: str(path), c.LABELS: [], c.ATTRIBUTES: "{}"})  # fmt: skip
    rows[0][c.TRANSCRIPT], rows[1][c.ATTRIBUTES] = "Kept as it is.", json.dumps({"gender": "F"})
    return pa.Table.from_pylist(rows, schema=schema_of(CLIP_COLUMNS))


def test_extractor_steps_run_as_actor_pools_with_their_resources(local_ray, tmp_path):
    asr, classifier = tiny_whisper(tmp_path / "whisper"), tiny_wav2vec2_classifier(tmp_path / "wav2vec2")
    extractors = [
        {"name": "asr", "kind": "asr", "model": str(asr), "max_new_tokens": 4, "batch_size": 2, "num_cpus": 0.5},
        {"name": "gender", "kind": "classifier", "model": str(classifier), "attribute": "gender", "batch_size": 3, "num_cpus": 0.25},
    ]
    config = RunConfig.model_validate(
        {"sources": [{"name": "t", "manifest": "m.jsonl", "domain": "speech"}], "generation": {"model": "m"},
         "attributes": {"extractors": extractors}}  # fmt: skip
    )
    steps = extractor_steps(config, str(tmp_path / "out"), actor=RecordingActor)
    assert list(steps) == ["asr", "gender"]
    ds = ray.data.from_arrow(clip_rows(tmp_path))
    for step in steps.values():
        ds = step(ds)
    rows = sorted(ds.take_all(), key=lambda row: row[c.CLIP_ID])

    assert [row[c.CLIP_ID] for row in rows] == [f"t/clip{i}" for i in range(5)]
    assert rows[0][c.TRANSCRIPT] == "Kept as it is."
    assert all(isinstance(row[c.TRANSCRIPT], str) and row[c.TRANSCRIPT] for row in rows[1:])
    assert json.loads(rows[1][c.ATTRIBUTES]) == {"gender": "F"}
    for row in rows[:1] + rows[2:]:
        assert json.loads(row[c.ATTRIBUTES])["gender"] in GENDERS.values()
        assert json.loads(row[c.METADATA])["attribute_sources"]["Gender"] == f"model:{classifier}"
    # the declared resources reached the actors
    assert {json.loads(row["asr_resources"])["CPU"] for row in rows} == {0.5}
    assert {json.loads(row["gender_resources"])["CPU"] for row in rows} == {0.25}
    assert not (tmp_path / "out" / "quarantine").exists()


def test_builtin_extractors_run_as_actor_pools(local_ray, tmp_path):
    """The wheel-shipped models (no download) through the same steps: gender from voice2gender, transcripts
    from pocketsphinx, on espeak-ng voices, each pool with its declared CPUs."""
    import subprocess

    rows = []
    for i, voice in enumerate(("en-us+m3", "en-us+f3", "en-us+m1", "en-us+f2")):
        path = tmp_path / f"{voice}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), "The weather is lovely by the sea today."], check=True)
        rows.append({c.SOURCE: "t", c.DOMAIN: "speech", c.CLIP_ID: f"t/{i}", c.UNIT: "t/0", c.INPUT_REF: f"m.jsonl:{i + 1}",
                     c.AUDIO_PATH: path.name, c.AUDIO_URI: str(path), c.LABELS: [], c.ATTRIBUTES: "{}"})  # fmt: skip
    extractors = [
        {"name": "gender", "kind": "classifier", "model": "builtin:voice2gender", "attribute": "gender", "batch_size": 2, "num_cpus": 0.5},
        {"name": "asr", "kind": "asr", "model": "builtin:pocketsphinx", "batch_size": 2, "num_cpus": 0.25, "concurrency": 2},
    ]
    config = RunConfig.model_validate(
        {"sources": [{"name": "t", "manifest": "m.jsonl", "domain": "speech"}], "generation": {"model": "m"},
         "attributes": {"extractors": extractors}}  # fmt: skip
    )
    ds = ray.data.from_arrow(pa.Table.from_pylist(rows, schema=schema_of(CLIP_COLUMNS)))
    for step in extractor_steps(config, str(tmp_path / "out"), actor=RecordingActor).values():
        ds = step(ds)
    out = sorted(ds.take_all(), key=lambda row: row[c.CLIP_ID])

    assert [json.loads(row[c.ATTRIBUTES])["gender"] for row in out] == ["male", "female", "male", "female"]
    assert all(len(row[c.TRANSCRIPT].split()) >= 2 for row in out)
    for row in out:
        assert json.loads(row[c.METADATA])["attribute_sources"] == {"Gender": "model:builtin:voice2gender", "Transcript": "model:builtin:pocketsphinx"}
    assert {json.loads(row["gender_resources"])["CPU"] for row in out} == {0.5}
    assert {json.loads(row["asr_resources"])["CPU"] for row in out} == {0.25}


@pytest.mark.parametrize("measure", [False, True])
def test_extractors_sit_between_measure_and_describe_and_pass_the_contract_check(tmp_path, measure):
    from pipeline.runner import pre_generation_stages, preflight

    (tmp_path / "m.jsonl").write_text('{"audio": "a.wav"}\n', encoding="utf-8")
    raw = {"sources": [{"name": "t", "manifest": str(tmp_path / "m.jsonl"), "domain": "speech"}],
           "generation": {"model": "org/m", "engine": {"device": "cpu"}}}  # fmt: skip
    plain = RunConfig.model_validate(raw)
    extractors = [{"name": "asr", "kind": "asr", "model": "openai/whisper-tiny"}]
    config = RunConfig.model_validate({**raw, "attributes": {"enabled": measure, "extractors": extractors}})
    preflight(config)  # the chain's column contracts hold with the extractor in it
    names = [stage.name for stage in pre_generation_stages(config)]
    assert names[: names.index("describe") + 1] == ["probe", *(["measure"] if measure else []), "asr", "cut", "describe"]
    assert config.fingerprint() != plain.fingerprint()
    assert "extractors" not in plain.decisive()


@pytest.mark.parametrize(
    "extractor, problem",
    [
        ({"kind": "classifier"}, "attribute is required for a classifier"),
        ({"kind": "asr", "device": "cuda"}, "device cuda needs num_gpus > 0"),
        ({"kind": "asr", "num_gpus": 0.5}, "device cuda needs num_gpus > 0"),
        ({"kind": "asr", "model": "builtin:nope"}, "unknown builtin model 'builtin:nope'"),
        ({"kind": "classifier", "model": "builtin:voice2gender", "attribute": "emotion"}, "builtin:voice2gender labels gender"),
        ({"kind": "asr", "model": "builtin:voice2gender"}, "builtin:voice2gender has kind classifier"),
        ({"kind": "asr", "model": "builtin:pocketsphinx", "device": "cuda", "num_gpus": 1}, "builtin:pocketsphinx runs on the CPU only"),
    ],
)
def test_inconsistent_extractors_are_config_errors(extractor, problem):
    from pydantic import ValidationError

    raw = {"sources": [{"name": "t", "manifest": "m.jsonl", "domain": "speech"}], "generation": {"model": "m"}}
    with pytest.raises(ValidationError, match=problem):
        RunConfig.model_validate({**raw, "attributes": {"extractors": [{"name": "x", "model": "m", **extractor}]}})
    ok = {"name": "x", "model": "m", "kind": "classifier", "attribute": "emotion", "device": "cuda", "num_gpus": 0.25}
    RunConfig.model_validate({**raw, "attributes": {"extractors": [ok]}})
    builtins = [{"name": "g", "model": "builtin:voice2gender", "kind": "classifier", "attribute": "Speaker_Gender"},
                {"name": "a", "model": "builtin:pocketsphinx", "kind": "asr"}]  # fmt: skip
    RunConfig.model_validate({**raw, "attributes": {"extractors": builtins}})


def test_extractor_sources_name_configured_sources_and_the_chain_validates(tmp_path):
    from pipeline.config import ConfigError, load_config
    from pipeline.runner import preflight

    (tmp_path / "m.jsonl").write_text('{"audio": "a.wav"}\n', encoding="utf-8")
    raw = {"sources": [{"name": n, "manifest": str(tmp_path / "m.jsonl"), "domain": "speech"} for n in ("A", "B")],
           "generation": {"model": "org/m", "engine": {"device": "cpu"}}}  # fmt: skip
    asr = {"name": "asr", "kind": "asr", "model": "openai/whisper-large-v3", "sources": ["A"], "language": {"A": "en"}}
    config = RunConfig.model_validate({**raw, "attributes": {"extractors": [asr]}})
    preflight(config)
    everywhere = RunConfig.model_validate({**raw, "attributes": {"extractors": [{**asr, "sources": [], "language": None}]}})
    assert config.fingerprint() != everywhere.fingerprint()  # which sources it serves decides the rows
    assert "sources" not in everywhere.decisive()["extractors"][0]  # unset: the fingerprint of configs from before
    for wrong, key in (({"sources": ["A", "Nope"]}, "sources"), ({"sources": [], "language": {"Nope": "en"}}, "language")):
        (tmp_path / "c.yaml").write_text(json.dumps({**raw, "attributes": {"extractors": [{**asr, **wrong}]}}), encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"attributes\.extractors\.0\.{key}: unknown source\(s\) Nope; the configured sources are A, B"):
            load_config(tmp_path / "c.yaml")
    with pytest.raises(ValueError, match="language: B not among the sources it serves"):
        RunConfig.model_validate({**raw, "attributes": {"extractors": [{**asr, "language": {"B": "zh"}}]}})
