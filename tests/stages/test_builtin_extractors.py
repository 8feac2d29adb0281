"""The builtin extractors: models shipped inside wheels (no download), run through ExtractWithModel on
espeak-ng speech made here. voice2gender must tell the male and female voices apart; pocketsphinx is
weak on synthetic speech, so it only has to produce words."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf

from schemas import columns as c
from schemas.tables import schema_of
from stages.extract_with_model import BUILTIN_MODELS, ExtractorSpec, ExtractWithModel, builtin_problem

INPUTS = (c.SOURCE, c.AUDIO_URI, c.START_S, c.END_S, c.DOMAIN, c.TRANSCRIPT, c.LABELS, c.ATTRIBUTES)
TEXT = "Hello, this is a short test of the speech recogniser on synthetic speech."
GENDER = {"name": "gender", "model": "builtin:voice2gender", "kind": "classifier", "attribute": "gender"}
ASR = {"name": "asr", "model": "builtin:pocketsphinx", "kind": "asr"}


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    """espeak-ng voices: two male, two female (22.05 kHz WAV), plus silence and a file that is no audio."""
    root = tmp_path_factory.mktemp("voices")
    paths = {}
    for voice in ("en-us+m3", "en-us+m1", "en-us+f3", "en-us+f2"):
        paths[voice] = str(root / f"{voice}.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-w", paths[voice], TEXT], check=True)
    paths["silence"] = str(root / "silence.wav")
    sf.write(paths["silence"], np.zeros(32000, np.float32), 16000)
    paths["garbage"] = str(root / "garbage.wav")
    (root / "garbage.wav").write_bytes(b"RIFF not really a wav file")
    return paths


def table(*rows: dict) -> pa.Table:
    base = {c.SOURCE: "t", c.START_S: None, c.END_S: None, c.DOMAIN: "speech", c.TRANSCRIPT: None, c.LABELS: [], c.ATTRIBUTES: "{}"}
    return pa.Table.from_pylist([{**base, **row} for row in rows], schema=schema_of(INPUTS))


def run(spec: dict, rows: pa.Table) -> list[dict]:
    out = ExtractWithModel(ExtractorSpec(**spec, batch_size=2))(rows)
    assert out.num_rows == rows.num_rows
    return out.to_pylist()


def sources(row: dict) -> dict:
    return json.loads(row[c.METADATA] or "{}").get("attribute_sources", {})


def test_voice2gender_tells_male_from_female_espeak_voices(voices):
    names = ("en-us+m3", "en-us+m1", "en-us+f3", "en-us+f2")
    out = run(GENDER, table(*({c.AUDIO_URI: voices[name]} for name in names)))
    assert [json.loads(row[c.ATTRIBUTES])["gender"] for row in out] == ["male", "male", "female", "female"]
    assert all(sources(row) == {"Gender": "model:builtin:voice2gender"} for row in out)


def test_voice2gender_fills_only_missing_genders_and_skips_bad_audio(voices):
    rows = table(
        {c.AUDIO_URI: voices["en-us+m3"], c.ATTRIBUTES: json.dumps({"Speaker_Gender": "F"})},  # labelled: kept
        {c.AUDIO_URI: voices["en-us+f3"], c.DOMAIN: "music"},  # not a configured domain
        {c.AUDIO_URI: voices["silence"]},  # no F0: stays missing
        {c.AUDIO_URI: voices["garbage"]},  # undecodable: stays missing
        {c.AUDIO_URI: voices["en-us+f3"], c.START_S: 0.2, c.END_S: 2.0},  # a segment
    )
    out = run(GENDER, rows)
    assert json.loads(out[0][c.ATTRIBUTES]) == {"Speaker_Gender": "F"} and sources(out[0]) == {}
    for row in out[1:4]:
        assert json.loads(row[c.ATTRIBUTES]) == {} and sources(row) == {}
    assert json.loads(out[4][c.ATTRIBUTES]) == {"gender": "female"}


def test_pocketsphinx_transcribes_espeak_speech(voices):
    rows = table(
        {c.AUDIO_URI: voices["en-us+m3"]},
        {c.AUDIO_URI: voices["en-us+f3"]},
        {c.AUDIO_URI: voices["en-us+f2"], c.TRANSCRIPT: "Already transcribed."},
        {c.AUDIO_URI: voices["silence"]},
        {c.AUDIO_URI: voices["garbage"]},
    )
    out = run(ASR, rows)
    for row in out[:2]:
        words = row[c.TRANSCRIPT].split()
        assert len(words) >= 3 and all(w == w.lower() for w in words), row[c.TRANSCRIPT]
        assert sources(row) == {"Transcript": "model:builtin:pocketsphinx"}
    assert out[2][c.TRANSCRIPT] == "Already transcribed." and sources(out[2]) == {}
    assert out[3][c.TRANSCRIPT] is None and out[4][c.TRANSCRIPT] is None


def test_builtins_load_no_transformers_model(voices):
    stage = ExtractWithModel(ExtractorSpec(**ASR))
    stage.setup()
    assert stage.builtin is not None and not hasattr(stage, "model")


@pytest.mark.parametrize(
    "model, kind, attribute, device, problem",
    [
        ("builtin:whisper", "asr", None, "cpu", "unknown builtin model 'builtin:whisper'; the builtins are builtin:voice2gender"),
        ("builtin:voice2gender", "asr", None, "cpu", "has kind classifier, not asr"),
        ("builtin:voice2gender", "classifier", "emotion", "cpu", "labels gender, not 'emotion'"),
        ("builtin:pocketsphinx", "asr", None, "cuda", "runs on the CPU only"),
    ],
)
def test_builtin_problems_are_named(model, kind, attribute, device, problem):
    assert problem in builtin_problem(model, kind, attribute, device)
    with pytest.raises(ValueError, match=problem.split(";")[0].replace("(", r"\(")):
        ExtractWithModel(ExtractorSpec(model=model, kind=kind, attribute=attribute, device=device)).setup()


def test_every_builtin_is_usable_as_declared():
    for name, (kind, attribute, _, _) in BUILTIN_MODELS.items():
        assert builtin_problem(f"builtin:{name}", kind, attribute and attribute.lower(), "cpu") is None
