"""LibriCount in its native layout: test/<count>_<id>.wav + test/<count>_<id>.json."""

from __future__ import annotations

import json

from schemas import columns as c
from tests.adapters.conftest import read_source

THREE = [
    {"sex": "F", "activity": [[0, 16000], [24000, 40000]], "speaker_id": 1221},
    {"sex": "M", "activity": [[8000, 32000]], "speaker_id": 5105},
    {"sex": "F", "activity": [[4000, 12000]], "speaker_id": 3570},
]


def make_libricount(root, audio):
    test = root / "test"
    audio.speech(test / "3_0a1b2c3d-4e5f.wav", "One two three four five.", voice="en-us+f3")
    (test / "3_0a1b2c3d-4e5f.json").write_text(json.dumps(THREE))
    audio.noise(test / "0_ffee.wav", seconds=1.0)
    (test / "0_ffee.json").write_text("[]")
    audio.speech(test / "1_noannotation.wav", "Alone.", voice="en-us+m3")
    (test / "2_neveraudio.json").write_text(json.dumps(THREE[:2]))
    audio.speech(test / "1_broken.wav", "Broken.", voice="en-us+m3")
    (test / "1_broken.json").write_text('[{"sex": "F", "activity": [[0, 100]')
    audio.speech(test / "mixture.wav", "No count.", voice="en-us+m3")


def test_speaker_count_and_genders_without_activity_turns(tmp_path, audio):
    make_libricount(tmp_path, audio)
    read = read_source("libricount", tmp_path, name="LibriCount")
    clips = read.by_id()
    assert sorted(clips) == ["0_ffee", "1_noannotation", "3_0a1b2c3d-4e5f"]
    three = clips["3_0a1b2c3d-4e5f"]
    assert three[c.CLIP_ID] == "LibriCount/3_0a1b2c3d-4e5f"
    assert three[c.AUDIO_PATH] == "test/3_0a1b2c3d-4e5f.wav"
    assert three[c.ATTRIBUTES] == {"Speaker count": 3, "Speaker genders": "2 female, 1 male"}
    # the voice-activity spans overlap (a cocktail party): a count, as the release gives, not one turn per span
    assert three[c.TURNS] == []
    assert three[c.TRANSCRIPT] is None
    assert clips["0_ffee"][c.ATTRIBUTES] == {"Speaker count": 0} and clips["0_ffee"][c.TURNS] == []
    assert clips["1_noannotation"][c.ATTRIBUTES] == {"Speaker count": 1}


def test_bad_names_annotations_and_missing_audio_are_quarantined(tmp_path, audio):
    make_libricount(tmp_path, audio)
    read = read_source("libricount", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata"]
    by_reason = {r["reason"]: r for r in read.rejects}
    assert by_reason["audio_missing"]["input_ref"].endswith("test/2_neveraudio.wav")
    assert by_reason["bad_file_name"]["input_ref"].endswith("test/mixture.wav")
    assert by_reason["bad_metadata"]["input_ref"].endswith("test/1_broken.json") and "not valid JSON" in by_reason["bad_metadata"]["detail"]
