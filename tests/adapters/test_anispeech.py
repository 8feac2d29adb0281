"""AniSpeech in its Hub form, read offline: data/ENGLISH-*.parquet (audio, caption, voice)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from adapters.anispeech import AniSpeech
from schemas import columns as c
from tests.adapters.conftest import read_source

datasets = pytest.importorskip("datasets")
from datasets import Audio, Dataset, Features, Value  # noqa: E402

FEATURES = Features({"audio": Audio(sampling_rate=22050), "caption": Value("string"), "voice": Value("int64")})


def make_anispeech(root, audio):
    shards = [[("107_5", "I will never give up!", "en-us+f3", 107), ("107_6", "Not now, not ever.", "en-us+f3", 107)],
              [("12_1", "Leave it to me.", "en-us+m3", 12), ("12_2", "", None, 12)]]  # fmt: skip
    (root / "data").mkdir(parents=True)
    for number, shard in enumerate(shards):
        rows = []
        for name, caption, voice, speaker in shard:
            if voice is None:  # listed, but its audio is not there
                rows.append({"audio": {"bytes": None, "path": f"wavs/{name}.wav"}, "caption": caption, "voice": speaker})
                continue
            wav = audio.speech(root.parent / "src" / f"{name}.wav", caption, voice=voice, rate=22050)
            rows.append({"audio": {"bytes": wav.read_bytes(), "path": f"{name}.wav"}, "caption": caption, "voice": speaker})
        table = Dataset.from_list(rows, features=FEATURES).data.table
        pq.write_table(table, root / "data" / f"ENGLISH-{number:05d}-of-00002.parquet")


def test_hub_parquet_rows_become_clips(tmp_path, audio):
    root = tmp_path / "AniSpeech"
    make_anispeech(root, audio)
    read = read_source("anispeech", root, name="AniSpeech")
    clips = read.by_id()
    assert sorted(clips) == ["107_5", "107_6", "12_1"]
    first = clips["107_5"]
    assert first[c.CLIP_ID] == "AniSpeech/107_5"
    assert first[c.AUDIO_PATH] == "audio/ENGLISH/00000000-107_5.wav"
    assert first[c.TRANSCRIPT] == "I will never give up!"
    assert first[c.ATTRIBUTES] == {"Speaker": 107}
    assert clips["12_1"][c.ATTRIBUTES] == {"Speaker": 12}
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_a_row_whose_audio_is_missing_is_quarantined(tmp_path, audio):
    root = tmp_path / "AniSpeech"
    make_anispeech(root, audio)
    read = read_source("anispeech", root)
    assert read.reasons() == ["audio_missing"]
    assert "wavs/12_2.wav" in read.rejects[0]["detail"]
    assert AniSpeech(str(root)).options.splits == ["ENGLISH"]  # the dataset's one split: it holds nothing out
