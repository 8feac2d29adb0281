"""Dusha in its native layout: <subset>/raw_<subset>.jsonl|.tsv (one row per annotation) + <subset>/wavs/*.wav."""

from __future__ import annotations

import json

from schemas import columns as c
from tests.adapters.conftest import read_source


def row(hash_id, annotator_emo, annotator_id, text="", golden_emo="", speaker_emo="", source_id=""):
    return {"hash_id": hash_id, "audio_path": f"wavs/{hash_id}.wav", "duration": 2.5, "annotator_emo": annotator_emo,
            "golden_emo": golden_emo, "annotator_id": annotator_id, "speaker_text": text, "speaker_emo": speaker_emo,
            "source_id": source_id}  # fmt: skip


def make_dusha(root, audio):
    crowd = [
        row("a1", "angry", "w1", "афина поприкольней было", speaker_emo="angry", source_id="s01"),
        row("b2", "sad", "w1", "ну и ладно", speaker_emo="sad", source_id="s02"),
        row("a1", "angry", "w2", "афина поприкольней было", speaker_emo="angry", source_id="s01"),
        row("b2", "positive", "w2", "ну и ладно", speaker_emo="sad", source_id="s02"),
        row("a1", "neutral", "w3", "афина поприкольней было", speaker_emo="angry", source_id="s01"),
        row("c3", "neutral", "w3", "привет", golden_emo="positive", speaker_emo="positive", source_id="s03"),
        row("d4", "sad", "w1", "нет звука", speaker_emo="sad", source_id="s04"),
        row("e5", "bored", "w1", "скучно", source_id="s05"),
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in crowd]
    lines.insert(6, '{"hash_id": "x9", "audio_path": ')  # a cut-off line
    (root / "crowd_train").mkdir()
    (root / "crowd_train" / "raw_crowd_train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for hash_id, voice in [("a1", "ru+m3"), ("b2", "ru+f3"), ("c3", "ru+f3")]:
        audio.speech(root / "crowd_train" / "wavs" / f"{hash_id}.wav", "Привет.", voice=voice)
    header = "hash_id\taudio_path\tduration\tannotator_emo\tgolden_emo\tspeaker_text\tspeaker_emo\tsource_id\tannotator_id\n"
    (root / "podcast_test").mkdir()
    (root / "podcast_test" / "raw_podcast_test.tsv").write_text(
        header + 'f6\twavs/f6.wav\t3.1\tneutral\t\tон сказал "да"\t\tpod7\tw9\n' + "g7\twavs/g7.wav\t3.1\tneutral\n",
        encoding="utf-8",
    )
    audio.speech(root / "podcast_test" / "wavs" / "f6.wav", "Да.", voice="ru+m3")


def test_records_labels_and_attributes(tmp_path, audio):
    make_dusha(tmp_path, audio)
    read = read_source("dusha", tmp_path, {"splits": ["train", "test"]}, name="Dusha")
    clips = read.by_id()
    assert sorted(clips) == ["a1", "b2", "c3", "f6"]
    first = clips["a1"]
    assert first[c.CLIP_ID] == "Dusha/a1"
    assert first[c.AUDIO_PATH] == "crowd_train/wavs/a1.wav"
    assert first[c.TRANSCRIPT] == "афина поприкольней было"
    assert first[c.ATTRIBUTES] == {"Speaker": "s01", "Language": "Russian", "Emotion": "Angry", "Speaker emotion": "Angry"}
    assert clips["b2"][c.ATTRIBUTES] == {"Speaker": "s02", "Language": "Russian", "Speaker emotion": "Sad"}  # a 1-1 tie
    assert clips["c3"][c.ATTRIBUTES]["Emotion"] == "Happy"  # the golden label wins over the vote
    podcast = clips["f6"]
    assert podcast[c.AUDIO_PATH] == "podcast_test/wavs/f6.wav"
    assert podcast[c.TRANSCRIPT] == 'он сказал "да"'
    assert podcast[c.ATTRIBUTES] == {"Speaker": "pod7", "Language": "Russian", "Emotion": "Neutral"}


def test_bad_rows_and_missing_audio_are_quarantined(tmp_path, audio):
    make_dusha(tmp_path, audio)
    read = read_source("dusha", tmp_path, {"splits": ["train", "test"]})
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata", "bad_metadata"]
    refs = sorted(r["input_ref"].split(str(tmp_path) + "/")[1] for r in read.rejects if r["reason"] == "bad_metadata")
    assert refs == ["crowd_train/raw_crowd_train.jsonl:7", "crowd_train/raw_crowd_train.jsonl:9", "podcast_test/raw_podcast_test.tsv:3"]
    assert any("crowd_train/wavs/d4.wav" in r["detail"] for r in read.rejects if r["reason"] == "audio_missing")


def test_subsets_and_splits_and_empty_folder(tmp_path, audio):
    make_dusha(tmp_path, audio)
    assert sorted(read_source("dusha", tmp_path).by_id()) == ["a1", "b2", "c3"]  # train only: the test folders are held out
    read = read_source("dusha", tmp_path, {"subsets": ["podcast"], "splits": ["test"]})
    assert [r[c.CLIP_ID] for r in read.records] == ["src/f6"]
    assert read_source("dusha", tmp_path, {"subsets": ["podcast"]}).records == []  # no podcast_train folder here
    from adapters.dusha import Dusha

    assert "raw_crowd_train.jsonl" in Dusha(str(tmp_path / "nothing")).check()
