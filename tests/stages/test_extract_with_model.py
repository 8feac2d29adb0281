"""ExtractWithModel through the real transformers loading path: tiny random Whisper and wav2vec2
classifier saved to tmp folders (no network), loaded by path, run batched over clips of several lengths."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf
from tiny_models import GENDERS, tiny_wav2vec2_classifier, tiny_whisper

from schemas import columns as c
from schemas.tables import schema_of
from stages.extract_with_model import ExtractorSpec, ExtractWithModel

INPUTS = (c.SOURCE, c.AUDIO_URI, c.START_S, c.END_S, c.DOMAIN, c.TRANSCRIPT, c.LABELS, c.ATTRIBUTES)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    return {"asr": tiny_whisper(root / "whisper"), "classifier": tiny_wav2vec2_classifier(root / "wav2vec2")}


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """Five good clips of different lengths (0.3-2.1 s, one a stereo 44.1 kHz segment) and three bad ones."""
    root = tmp_path_factory.mktemp("clips")
    rng = np.random.default_rng(0)
    good = []
    for i, seconds in enumerate((0.3, 0.8, 1.2, 1.7, 2.1)):
        rate, channels = (44100, 2) if i == 3 else (16000, 1)
        data = (0.2 * rng.standard_normal((int(seconds * rate), channels))).astype("float32")
        sf.write(str(root / f"good{i}.wav"), data, rate)
        good.append(str(root / f"good{i}.wav"))
    (root / "garbage.wav").write_bytes(b"RIFF not really a wav file")
    sf.write(str(root / "short.wav"), np.zeros(160, "float32"), 16000)  # 10 ms
    sf.write(str(root / "nan.wav"), np.full(16000, np.nan, "float32"), 16000, subtype="FLOAT")
    return good, [str(root / name) for name in ("garbage.wav", "short.wav", "nan.wav")]


def table(*rows: dict) -> pa.Table:
    base = {c.SOURCE: "t", c.START_S: None, c.END_S: None, c.DOMAIN: "speech", c.TRANSCRIPT: None, c.LABELS: [], c.ATTRIBUTES: "{}"}
    return pa.Table.from_pylist([{**base, **row} for row in rows], schema=schema_of(INPUTS))


def run(model, rows: pa.Table, **spec) -> list[dict]:
    stage = ExtractWithModel(ExtractorSpec(model=str(model), batch_size=2, max_new_tokens=5, **spec))
    out = stage(rows)
    assert out.num_rows == rows.num_rows and set(rows.column_names) <= set(out.column_names)
    return out.to_pylist()


def sources(row: dict) -> dict:
    return json.loads(row[c.METADATA] or "{}").get("attribute_sources", {})


def test_asr_fills_only_missing_transcripts_of_speech(models, clips):
    good, bad = clips
    rows = table(
        *({c.AUDIO_URI: uri} for uri in good),  # batches of 2, 2, 1 clips of different lengths
        {c.AUDIO_URI: good[0], c.TRANSCRIPT: "Already transcribed."},
        {c.AUDIO_URI: good[1], c.DOMAIN: "sound"},
        {c.AUDIO_URI: good[4], c.START_S: 0.5, c.END_S: 1.5},
    )
    out = run(models["asr"], rows)
    for row in (*out[:5], out[7]):
        assert isinstance(row[c.TRANSCRIPT], str) and row[c.TRANSCRIPT].strip()
        assert sources(row) == {"Transcript": f"model:{models['asr']}"}
    assert out[5][c.TRANSCRIPT] == "Already transcribed." and sources(out[5]) == {}
    assert out[6][c.TRANSCRIPT] is None and sources(out[6]) == {}


def test_classifier_labels_only_clips_without_the_attribute(models, clips):
    good, _ = clips
    rows = table(
        *({c.AUDIO_URI: uri, c.ATTRIBUTES: json.dumps({"emotion": "hap"})} for uri in good),
        {c.AUDIO_URI: good[2], c.ATTRIBUTES: json.dumps({"Speaker_Gender": "F"})},  # labelled, other spelling
    )
    rows = rows.append_column(c.METADATA, pa.array([json.dumps({"attribute_sources": {"Pitch": "measured"}})] * 6))
    out = run(models["classifier"], rows, kind="classifier", attribute="gender")
    for row in out[:5]:
        attributes = json.loads(row[c.ATTRIBUTES])
        assert attributes["gender"] in GENDERS.values() and attributes["emotion"] == "hap"
        assert sources(row) == {"Pitch": "measured", "Gender": f"model:{models['classifier']}"}
    assert json.loads(out[5][c.ATTRIBUTES]) == {"Speaker_Gender": "F"}
    assert sources(out[5]) == {"Pitch": "measured"}


def test_sound_tags_fill_empty_labels(models, clips):
    good, _ = clips
    rows = table({c.AUDIO_URI: good[0], c.DOMAIN: "sound"}, {c.AUDIO_URI: good[1], c.DOMAIN: "sound", c.LABELS: ["dog bark"]})
    out = run(models["classifier"], rows, kind="classifier", attribute="sound_events", domains=("sound", "music"))
    assert out[0][c.LABELS] in ([label] for label in GENDERS.values())
    assert out[1][c.LABELS] == ["dog bark"]
    assert json.loads(out[0][c.ATTRIBUTES]) == {} and "Sound events" in sources(out[0])


@pytest.mark.parametrize("kind", ["asr", "classifier"])
def test_bad_audio_leaves_fields_missing(models, clips, kind):
    good, bad = clips
    rows = table(*({c.AUDIO_URI: uri} for uri in bad), {c.AUDIO_URI: good[0]})
    out = run(models[kind], rows, kind=kind, attribute="gender" if kind == "classifier" else None)
    for row in out[:3]:
        assert row[c.TRANSCRIPT] is None and row[c.ATTRIBUTES] == "{}" and row[c.METADATA] is None
    assert sources(out[3])  # the good clip in the same batch is filled


def test_asr_serves_only_its_sources_and_never_overwrites_a_source_transcript(models, clips):
    good, _ = clips
    rows = table(
        {c.SOURCE: "A", c.AUDIO_URI: good[0]},
        {c.SOURCE: "A", c.AUDIO_URI: good[1], c.TRANSCRIPT: "The source's own words."},
        {c.SOURCE: "B", c.AUDIO_URI: good[2]},  # not served: stays without a transcript
        {c.SOURCE: "C", c.AUDIO_URI: good[3], c.DOMAIN: "music"},  # served source and domain (sung lyrics)
        {c.SOURCE: "C", c.AUDIO_URI: good[4], c.DOMAIN: "sound"},  # served source, not a served domain
    )
    out = run(models["asr"], rows, sources=("A", "C"), domains=("speech", "music"))
    filled = [i for i, row in enumerate(out) if sources(row)]
    assert filled == [0, 3]
    assert all(out[i][c.TRANSCRIPT].strip() for i in filled)
    assert out[1][c.TRANSCRIPT] == "The source's own words."
    assert out[2][c.TRANSCRIPT] is None and out[4][c.TRANSCRIPT] is None


def test_asr_language_per_source_is_passed_to_whisper_and_absent_means_detected(tmp_path, clips):
    """Each clip's transcript is what Whisper's generate gives with that source's language (task
    transcribe), or with no language (detection) for a source without one."""
    import transformers as tf

    from stages.acoustics.signal import RATE, prepare, read_segment

    model = tiny_whisper(tmp_path / "whisper", multilingual=True)
    good, _ = clips
    rows = table({c.SOURCE: "A", c.AUDIO_URI: good[0]}, {c.SOURCE: "B", c.AUDIO_URI: good[0]}, {c.SOURCE: "C", c.AUDIO_URI: good[2]},
                 {c.SOURCE: "A", c.AUDIO_URI: good[2]})  # fmt: skip
    out = run(model, rows, languages=(("A", "en"), ("C", "zh")))
    processor, whisper = tf.AutoProcessor.from_pretrained(model), tf.AutoModelForSpeechSeq2Seq.from_pretrained(model)

    def reference(uri: str, **given) -> str:
        features = processor.feature_extractor([prepare(*read_segment(uri, None, None)).samples], sampling_rate=RATE, return_tensors="pt").input_features
        return " ".join(processor.batch_decode(whisper.generate(features, max_new_tokens=5, **given), skip_special_tokens=True)[0].split())

    english, chinese = {"language": "en", "task": "transcribe"}, {"language": "zh", "task": "transcribe"}
    expected = [reference(good[0], **english), reference(good[0]), reference(good[2], **chinese), reference(good[2], **english)]
    assert [row[c.TRANSCRIPT] for row in out] == expected
    assert out[0][c.TRANSCRIPT] != out[1][c.TRANSCRIPT]  # the language changed what the decoder was given
