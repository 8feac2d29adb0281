"""ParaSpeechCaps: the Hub annotations (data/<split>-*.parquet) over the source datasets' audio under the root."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from adapters.paraspeechcaps import ParaSpeechCaps
from schemas import columns as c
from tests.adapters.conftest import read_source

pytest.importorskip("datasets")

EXPRESSO = "audio_48khz/read/ex01/happy/base/ex01_happy_00001.wav"
EARS = "p001/emo_adoration_freeform.wav"
EMILIA = "EN/EN_B00030/EN_B00030_S01984/mp3/EN_B00030_S01984_W000037.mp3"


def row(source, path, transcription, descriptions, intrinsic, situational, speaker, gender, accent):
    return {
        "source": source, "relative_audio_path": path, "text_description": descriptions, "transcription": transcription,
        "intrinsic_tags": intrinsic, "situational_tags": situational, "basic_tags": ["low-pitched"], "all_tags": (intrinsic or []) + (situational or []),
        "speakerid": speaker, "name": "Someone", "duration": 2.0, "gender": gender, "accent": accent, "pitch": "slightly low pitch",
        "speaking_rate": "measured speed", "noise": "very clear", "utterance_pitch_mean": 120.5, "snr": 60.1, "phonemes": "h @ l oU",
    }  # fmt: skip


def make_paraspeechcaps(root, audio, split="train_base"):
    audio.speech(root / "expresso" / EXPRESSO, "We won the whole thing!", voice="en-us+m3")
    audio.speech(root / "ears" / EARS, "You are wonderful.", voice="en-us+f3")
    audio.speech(root / "emilia" / EMILIA, "And that is how it went.", voice="en-us+m3")
    rows = [
        row("Expresso", EXPRESSO, "We won the whole thing!", ["A happy man speaks.", "A man with a deep voice speaks happily and loudly."],
            ["deep"], ["happy"], "ex01", "male", None),
        row("EARS", EARS, "You are wonderful.", ["A woman speaks with adoration."], None, ["admiring"], "p001", "female", "American"),
        row("Emilia", EMILIA, "And that is how it went.", ["A man with a husky voice speaks."], ["husky"], None, "EN_B00030_S01984", "male", None),
        row("EARS", "p002/emo_anger_freeform.wav", "Go away.", ["An angry woman shouts."], None, ["angry"], "p002", "female", None),  # audio absent
        row("LibriTTS", "84/121123/84_121123_000007_000001.wav", "Maximilian.", ["A woman speaks."], None, None, "84", "female", None),
    ]  # fmt: skip
    (root / "data").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), root / "data" / f"{split}-00000-of-00001.parquet")


def test_annotations_point_at_each_source_datasets_audio(tmp_path, audio):
    root = tmp_path / "ParaSpeechCaps"
    make_paraspeechcaps(root, audio)
    read = read_source("paraspeechcaps", root, name="ParaSpeechCaps")
    clips = read.by_id()
    assert sorted(clips) == [
        "ears/p001/emo_adoration_freeform",
        "emilia/EN/EN_B00030/EN_B00030_S01984/mp3/EN_B00030_S01984_W000037",
        "expresso/audio_48khz/read/ex01/happy/base/ex01_happy_00001",
    ]
    expresso = clips["expresso/audio_48khz/read/ex01/happy/base/ex01_happy_00001"]
    assert expresso[c.CLIP_ID] == "ParaSpeechCaps/expresso/audio_48khz/read/ex01/happy/base/ex01_happy_00001"
    assert expresso[c.AUDIO_PATH] == f"expresso/{EXPRESSO}"
    assert expresso[c.TRANSCRIPT] == "We won the whole thing!"
    assert expresso[c.CAPTION] == "A man with a deep voice speaks happily and loudly."  # the longer description
    assert expresso[c.ATTRIBUTES] == {
        "Speaker": "ex01", "Gender": "Male", "Pitch": "slightly low pitch", "Speaking speed": "measured speed", "Noise level": "very clear",
        "Intrinsic tags": ["deep"], "Situational tags": ["happy"],
    }  # fmt: skip
    ears = clips["ears/p001/emo_adoration_freeform"]
    assert ears[c.AUDIO_PATH] == f"ears/{EARS}"
    assert ears[c.ATTRIBUTES]["Accent"] == "American" and ears[c.ATTRIBUTES]["Gender"] == "Female"
    assert "Intrinsic tags" not in ears[c.ATTRIBUTES]
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_unknown_sources_and_missing_audio_are_quarantined(tmp_path, audio):
    root = tmp_path / "ParaSpeechCaps"
    make_paraspeechcaps(root, audio)
    read = read_source("paraspeechcaps", root)
    assert read.reasons() == ["audio_missing", "bad_metadata"]
    assert any("'libritts'" in r["detail"] for r in read.rejects)
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert "ears/p002/emo_anger_freeform.wav" in missing["detail"]


def test_split_and_source_folders_are_options(tmp_path, audio):
    root = tmp_path / "ParaSpeechCaps"
    make_paraspeechcaps(root, audio, split="holdout")
    (root / "ears").rename(root / "EARS_dataset")
    assert "cannot read split 'train_base'" in ParaSpeechCaps(str(root)).check()  # holdout is read only when named
    read = read_source("paraspeechcaps", root, {"splits": ["holdout"], "source_dirs": {"ears": "EARS_dataset", "expresso": "expresso", "emilia": "emilia"}})
    assert read.by_id()["ears/p001/emo_adoration_freeform"][c.AUDIO_PATH] == f"EARS_dataset/{EARS}"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert ParaSpeechCaps(str(empty)).root_required and str(empty) in ParaSpeechCaps(str(empty)).check()


def test_the_default_reads_train_base_and_held_out_splits_only_when_named(tmp_path, audio):
    root = tmp_path / "ParaSpeechCaps"
    make_paraspeechcaps(root, audio)
    holdout = pa.Table.from_pylist([row("EARS", EARS, "You are wonderful.", ["A woman speaks."], None, None, "p001", "female", None)])
    pq.write_table(holdout, root / "data" / "holdout-00000-of-00001.parquet")
    train = read_source("paraspeechcaps", root)
    assert len(train.records) == 3 and all("[train_base]" in r[c.INPUT_REF] for r in train.records)
    held_out = read_source("paraspeechcaps", root, {"splits": ["holdout"]})
    assert [r[c.INPUT_REF].rsplit("[", 2)[1] for r in held_out.records] == ["holdout]"]
