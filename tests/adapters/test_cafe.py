"""CaFE in its native layout: <Émotion>/<Faible|Fort>/<AA>-<E>-<I>-<S>.wav (.aiff) + Neutre/<AA>-N-<S>.wav."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def make_cafe(root, audio):
    audio.speech(root / "Colère" / "Faible" / "01-C-1-3.wav", "Trois cygnes aveugles au bord du lac", voice="fr+m3", rate=48000)
    audio.speech(root / "Neutre" / "02-N-5.wav", "Cinq pumas fiers et passionnés", voice="fr+f3")
    audio.speech(root / "Joie" / "Fort" / "07-J-2-1.aiff", "Un cheval fou dans mon jardin", voice="fr+m3")
    audio.speech(root / "Peur" / "Fort" / "13-P-2-1.wav")  # no actor 13
    audio.speech(root / "Neutre" / "03-N-1-1.wav")  # neutral with an intensity field
    audio.speech(root / "Tristesse" / "Faible" / "05-T-1.wav")  # emotional clip without one
    (root / "Readme.txt").write_text("File naming method: AA-E-I-S.wav\n", encoding="utf-8")


def test_records_ids_transcripts_and_attributes(tmp_path, audio):
    make_cafe(tmp_path, audio)
    read = read_source("cafe", tmp_path, name="CAFE")
    clips = read.by_id()
    assert sorted(clips) == ["01-C-1-3", "02-N-5", "07-J-2-1"]
    first = clips["01-C-1-3"]
    assert first[c.CLIP_ID] == "CAFE/01-C-1-3"
    assert first[c.AUDIO_PATH] == "Colère/Faible/01-C-1-3.wav"
    assert first[c.TRANSCRIPT] == "Trois cygnes aveugles au bord du lac"
    assert first[c.ATTRIBUTES] == {
        "Speaker": "01", "Gender": "Male", "Age": 46, "Language": "French", "Accent": "Canadian French",
        "Emotion": "Angry", "Emotion intensity": "Low", "English translation": "Three blind swans by the lake",
    }  # fmt: skip
    neutral = clips["02-N-5"][c.ATTRIBUTES]
    assert neutral["Emotion"] == "Neutral" and "Emotion intensity" not in neutral
    assert (neutral["Gender"], neutral["Age"]) == ("Female", 64)
    happy = clips["07-J-2-1"]
    assert happy[c.AUDIO_PATH] == "Joie/Fort/07-J-2-1.aiff"
    assert (happy[c.ATTRIBUTES]["Emotion"], happy[c.ATTRIBUTES]["Emotion intensity"]) == ("Happy", "High")
    assert happy[c.TRANSCRIPT] == "Un cheval fou dans mon jardin"


def test_bad_names_are_quarantined(tmp_path, audio):
    make_cafe(tmp_path, audio)
    read = read_source("cafe", tmp_path)
    assert read.reasons() == ["bad_file_name"] * 3
    assert sorted(r["input_ref"].rsplit("/", 1)[1] for r in read.rejects) == ["03-N-1-1.wav", "05-T-1.wav", "13-P-2-1.wav"]


def test_a_folder_without_neutre_is_reported(tmp_path):
    from adapters.cafe import CaFE

    assert "Neutre" in CaFE(str(tmp_path)).check()
