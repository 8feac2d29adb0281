"""EMNS in its native layout: metadata.csv (`|`-separated) + cleaned_webm/<name>.webm (or a converted copy)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from schemas import columns as c
from tests.adapters.conftest import read_source

HEADER = "id|utterance|description|emotion|date_created|status|gender|age|level|audio_recording|user_id\n"
ROWS = [
    '247|He was a plucked instrument instructor.|"With a {emotion} voice, {user_id} said {transcription}."|Happy'
    "|2022-06-19 15:10:07.316318|Complete|Female|20s|2|wavs/recorded_audio_0J52MEJ.webm|3\n",
    "868|The cuckolded Herringbone then entombs them alive.|In an {emotion} voice, {user_id} says {transcription}. "
    "emphasising on {entombs them alive} and {basement}.|Sarcastic|2022-07-29 13:15:05.960066|Complete|Female|20s|1"
    "|wavs/recorded_audio_InfsDmN.webm|3\n",
    "43|The original concrete station building has been demolished.|{user_id} said {transcription} With a {emotion} "
    "voice.|Disgust|2022-05-20 11:03:03.458320|Complete|Female|20s|9|wavs/recorded_audio_ej7C6C8.webm|3\n",
    "50|No such audio.|{transcription}|Angry|2022-05-20 11:03:03|Complete|Female|20s|7|wavs/recorded_audio_gone.webm|3\n",
    "51|A mood nobody knows.|{transcription}|Bored|2022-05-20 11:03:03|Complete|Female|20s|7|wavs/recorded_audio_x.webm|3\n",
    "52|Too few cells.|Happy|Complete\n",
]


def make_emns(root, audio, suffix):
    folder = "cleaned_webm" if suffix == ".webm" else "cleaned_flac"
    for name, text in [("0J52MEJ", "He was a plucked instrument instructor."), ("InfsDmN", "The cuckolded Herringbone."),
                       ("ej7C6C8", "The original concrete station.")]:  # fmt: skip
        wav = audio.speech(root / "src" / f"{name}.wav", text, voice="en+f3")
        target = root / folder / f"recorded_audio_{name}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".webm":
            subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", str(target)], check=True)
        else:
            subprocess.run(["sox", str(wav), str(target)], check=True)
    (root / "metadata.csv").write_text(HEADER + "".join(ROWS), encoding="utf-8")


def test_records_ids_transcripts_and_attributes_from_a_converted_copy(tmp_path, audio):
    make_emns(tmp_path, audio, ".flac")
    read = read_source("emns", tmp_path, {"audio_dir": "cleaned_flac", "audio_suffix": ".flac"}, name="EMNS")
    clips = read.by_id()
    assert sorted(clips) == ["247", "43", "868"]
    first = clips["247"]
    assert first[c.CLIP_ID] == "EMNS/247"
    assert first[c.AUDIO_PATH] == "cleaned_flac/recorded_audio_0J52MEJ.flac"
    assert first[c.TRANSCRIPT] == "He was a plucked instrument instructor."
    assert first[c.ATTRIBUTES] == {
        "Speaker": "3", "Gender": "Female", "Age": "20s", "Language": "English", "Accent": "British English",
        "Emotion": "Happy", "Expressiveness": 2,
    }  # fmt: skip
    assert clips["868"][c.ATTRIBUTES]["Emotion"] == "Sarcastic"
    assert clips["868"][c.ATTRIBUTES]["Emphasised words"] == "entombs them alive, basement"
    assert (clips["43"][c.ATTRIBUTES]["Emotion"], clips["43"][c.ATTRIBUTES]["Expressiveness"]) == ("Disgusted", 9)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    assert any(r["input_ref"].endswith("metadata.csv:6") and r["reason"] == "bad_metadata" for r in read.rejects)
    assert any(r["input_ref"].endswith("metadata.csv:7") and r["reason"] == "bad_metadata" for r in read.rejects)
    assert any("recorded_audio_gone.flac" in r["detail"] for r in read.rejects if r["reason"] == "audio_missing")


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="ffmpeg writes the WebM fixture")
def test_native_webm_clips_are_decoded_by_ffmpeg(tmp_path, audio):
    make_emns(tmp_path, audio, ".webm")
    read = read_source("emns", tmp_path)
    clips = read.by_id()
    assert sorted(clips) == ["247", "43", "868"]
    assert clips["247"][c.AUDIO_PATH] == "cleaned_webm/recorded_audio_0J52MEJ.webm"
    assert all(r[c.DURATION_S] > 1.0 and r[c.SAMPLE_RATE] == 48000 for r in read.records)  # Opus decodes at 48 kHz
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]


def test_a_folder_without_metadata_is_reported(tmp_path):
    from adapters.emns import EMNS

    assert "metadata.csv" in EMNS(str(tmp_path)).check()
