"""PromptTTS (PromptSpeech) in a Hugging Face form, read offline: <split>/*.parquet with the assumed columns."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from adapters.prompttts import PromptTTS
from schemas import columns as c
from tests.adapters.conftest import read_source

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, Features, Value  # noqa: E402

FEATURES = Features({
    "audio": Audio(sampling_rate=16000), "text": Value("string"), "style_prompt": Value("string"), "gender": Value("string"),
    "pitch": Value("string"), "speed": Value("string"), "volume": Value("string"), "emotion": Value("string"),
})  # fmt: skip


def make_prompttts(root, audio):
    rows = []
    for name, text, voice, prompt, gender, pitch, speed, volume, emotion in [
        ("p_0001", "The meeting starts at nine.", "en-us+f3", "A lady whispers to her friend slowly.", "female", "normal", "slow", "low", "neutral"),
        ("p_0002", "I cannot believe it!", "en-us+m3", "A man shouts happily with a high pitch.", "male", "high", "fast", "high", "happy"),
    ]:
        wav = audio.speech(root.parent / "src" / f"{name}.wav", text, voice=voice)
        rows.append({"audio": {"bytes": wav.read_bytes(), "path": f"{name}.wav"}, "text": text, "style_prompt": prompt,
                     "gender": gender, "pitch": pitch, "speed": speed, "volume": volume, "emotion": emotion})  # fmt: skip
    rows.append({"audio": {"bytes": None, "path": "wavs/p_0003.wav"}, "text": "Gone.", "style_prompt": "A woman speaks.",
                 "gender": "female", "pitch": "low", "speed": "normal", "volume": "normal", "emotion": None})  # fmt: skip
    (root / "train").mkdir(parents=True)
    pq.write_table(Dataset.from_list(rows, features=FEATURES).data.table, root / "train" / "0000.parquet")


def test_rows_become_clips_with_caption_and_style_factors(tmp_path, audio):
    root = tmp_path / "PromptTTS"
    make_prompttts(root, audio)
    read = read_source("prompttts", root, name="PromptTTS")
    clips = read.by_id()
    assert sorted(clips) == ["p_0001", "p_0002"]
    first = clips["p_0001"]
    assert first[c.CLIP_ID] == "PromptTTS/p_0001"
    assert first[c.TRANSCRIPT] == "The meeting starts at nine."
    assert first[c.CAPTION] == "A lady whispers to her friend slowly."
    assert first[c.ATTRIBUTES] == {"Gender": "Female", "Pitch": "normal", "Speaking speed": "slow", "Volume": "low", "Emotion": "Neutral"}
    assert clips["p_0002"][c.ATTRIBUTES]["Emotion"] == "Happy"
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_missing_audio_is_quarantined_and_an_empty_root_is_reported(tmp_path, audio):
    root = tmp_path / "PromptTTS"
    make_prompttts(root, audio)
    read = read_source("prompttts", root)
    assert read.reasons() == ["audio_missing"]
    assert "wavs/p_0003.wav" in read.rejects[0]["detail"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert str(empty) in PromptTTS(str(empty)).check()  # no Hub id is preset: a local copy is needed
    assert PromptTTS(str(empty)).root_required


def test_the_default_reads_train_and_a_held_out_split_only_when_named(tmp_path, audio):
    root = tmp_path / "PromptTTS"
    make_prompttts(root, audio)
    (root / "test").mkdir()
    (root / "train" / "0000.parquet").rename(root / "test" / "0000.parquet")
    make_prompttts(tmp_path / "fresh", audio)
    (tmp_path / "fresh" / "train" / "0000.parquet").rename(root / "train" / "0000.parquet")
    assert sorted(read_source("prompttts", root).by_id()) == ["p_0001", "p_0002"]
    test = read_source("prompttts", root, {"splits": ["test"]})
    assert sorted(test.by_id()) == ["p_0001", "p_0002"] and {r[c.AUDIO_PATH].split("/")[1] for r in test.records} == {"test"}
