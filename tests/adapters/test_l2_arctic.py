"""L2-ARCTIC in its native layout: <SPEAKER>/wav/arctic_<id>.wav + <SPEAKER>/transcript/arctic_<id>.txt + suitcase_corpus/."""

from __future__ import annotations

from adapters.l2_arctic import L2Arctic
from schemas import columns as c
from tests.adapters.conftest import read_source


def make_l2_arctic(root, audio):
    for speaker, prompt, text, voice in [
        ("ABA", "arctic_a0001", "Author of the danger trail, Philip Steels, etc.", "en-us+m3"),
        ("ABA", "arctic_b0002", "Not at this particular case, Tom, apologized Whittemore.", "en-us+m3"),
        ("LXC", "arctic_a0001", "Author of the danger trail, Philip Steels, etc.", "en-us+f3"),
    ]:
        audio.speech(root / speaker / "wav" / f"{prompt}.wav", text, voice=voice, rate=44100)
        (root / speaker / "transcript").mkdir(parents=True, exist_ok=True)
        (root / speaker / "transcript" / f"{prompt}.txt").write_text(text, encoding="utf-8")
    (root / "LXC" / "transcript" / "arctic_a0002.txt").write_text("For the twentieth time that evening.", encoding="utf-8")  # no wav
    audio.speech(root / "LXC" / "wav" / "arctic_a0001_retake.wav")  # not an ARCTIC prompt name
    (root / "ABA" / "annotation").mkdir()
    (root / "ABA" / "annotation" / "arctic_a0001.TextGrid").write_text("File type = \"ooTextFile\"\n", encoding="utf-8")
    audio.speech(root / "suitcase_corpus" / "wav" / "aba.wav", "So the man takes a suitcase.", voice="en-us+m3", rate=44100)
    (root / "suitcase_corpus" / "transcript").mkdir(parents=True)
    (root / "suitcase_corpus" / "transcript" / "aba.txt").write_text("so the man takes a suitcase\n", encoding="utf-8")
    audio.speech(root / "suitcase_corpus" / "wav" / "xyz.wav")  # not a speaker of the corpus


def test_records_transcripts_and_speaker_table(tmp_path, audio):
    make_l2_arctic(tmp_path, audio)
    read = read_source("l2_arctic", tmp_path, name="L2-ARCTIC")
    clips = read.by_id()
    assert sorted(clips) == ["ABA_arctic_a0001", "ABA_arctic_b0002", "LXC_arctic_a0001", "suitcase_corpus_ABA"]
    first = clips["ABA_arctic_a0001"]
    assert first[c.CLIP_ID] == "L2-ARCTIC/ABA_arctic_a0001"
    assert first[c.AUDIO_PATH] == "ABA/wav/arctic_a0001.wav"
    assert first[c.TRANSCRIPT] == "Author of the danger trail, Philip Steels, etc."
    assert first[c.ATTRIBUTES] == {"Speaker": "ABA", "Gender": "Male", "Native language": "Arabic", "Accent": "Arabic-accented English"}
    assert clips["LXC_arctic_a0001"][c.ATTRIBUTES] == {
        "Speaker": "LXC", "Gender": "Female", "Native language": "Mandarin", "Accent": "Mandarin-accented English",
    }  # fmt: skip
    suitcase = clips["suitcase_corpus_ABA"]
    assert suitcase[c.AUDIO_PATH] == "suitcase_corpus/wav/aba.wav"
    assert suitcase[c.TRANSCRIPT] == "so the man takes a suitcase"
    assert suitcase[c.ATTRIBUTES] == {"Speaker": "ABA", "Gender": "Male", "Native language": "Arabic", "Accent": "Arabic-accented English"}
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_bad_names_and_missing_audio_are_quarantined(tmp_path, audio):
    make_l2_arctic(tmp_path, audio)
    read = read_source("l2_arctic", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_file_name"]
    assert any("arctic_a0001_retake.wav" in r["detail"] for r in read.rejects)
    assert any("suitcase_corpus/wav/xyz.wav" in r["detail"] for r in read.rejects)
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert missing["input_ref"].endswith("LXC/transcript/arctic_a0002.txt") and "LXC/wav/arctic_a0002.wav" in missing["detail"]


def test_suitcase_is_optional_and_an_empty_folder_is_reported(tmp_path, audio):
    make_l2_arctic(tmp_path, audio)
    read = read_source("l2_arctic", tmp_path, {"subsets": ["arctic"]})
    assert "suitcase_corpus_ABA" not in read.by_id() and "ABA_arctic_a0001" in read.by_id()
    suitcase = read_source("l2_arctic", tmp_path, {"subsets": ["suitcase"]})
    assert list(suitcase.by_id()) == ["suitcase_corpus_ABA"] and suitcase.reasons() == ["bad_file_name"]  # xyz.wav
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no <SPEAKER>/wav/" in L2Arctic(str(empty)).check()
