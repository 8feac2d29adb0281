"""VCTK 0.92 in its native layout: wav48_silence_trimmed/<spk>/<spk>_<utt>_mic<N>.flac, txt/, speaker-info.txt."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source

SPEAKER_INFO = (
    "ID  AGE  GENDER  ACCENTS  REGION COMMENTS \n"
    "p225  23  F    English    Southern  England\n"
    "p226  22  M    Scottish    Fife\n"
    "p280  25  F    Unknown    France  (mic2 files unavailable)\n"
    "p999  xx  F    English    Nowhere\n"
)


def make_vctk(root, audio):
    for speaker, utterance, text, voice in [
        ("p225", "001", "Please call Stella.", "en-us+f3"),
        ("p225", "002", "Ask her to bring these things.", "en-us+f3"),
        ("p226", "001", "Please call Stella.", "en-us+m3"),
        ("p280", "001", "Six spoons of fresh snow peas.", "en-us+f3"),
    ]:
        for mic in ("mic1", "mic2"):
            if speaker == "p280" and mic == "mic2":
                continue
            audio.speech(root / "wav48_silence_trimmed" / speaker / f"{speaker}_{utterance}_{mic}.flac", text, voice=voice, rate=48000)
        (root / "txt" / speaker).mkdir(parents=True, exist_ok=True)
        (root / "txt" / speaker / f"{speaker}_{utterance}.txt").write_text(text + "\n", encoding="utf-8")
    (root / "txt" / "p226" / "p226_003.txt").write_text("Five thick slabs of blue cheese.\n", encoding="utf-8")  # no audio
    audio.speech(root / "wav48_silence_trimmed" / "p226" / "p226_take2.flac")  # not a VCTK name
    (root / "speaker-info.txt").write_text(SPEAKER_INFO, encoding="utf-8")


def test_records_ids_transcripts_and_speaker_attributes(tmp_path, audio):
    make_vctk(tmp_path, audio)
    read = read_source("vctk", tmp_path, name="VCTK")
    clips = read.by_id()
    assert sorted(clips) == ["p225_001_mic1", "p225_002_mic1", "p226_001_mic1", "p280_001_mic1"]
    first = clips["p225_001_mic1"]
    assert first[c.CLIP_ID] == "VCTK/p225_001_mic1"
    assert first[c.AUDIO_PATH] == "wav48_silence_trimmed/p225/p225_001_mic1.flac"
    assert first[c.TRANSCRIPT] == "Please call Stella."
    assert first[c.ATTRIBUTES] == {"Speaker": "p225", "Gender": "Female", "Age": 23, "Accent": "England English", "Region": "Southern England"}
    assert clips["p226_001_mic1"][c.ATTRIBUTES] == {"Speaker": "p226", "Gender": "Male", "Age": 22, "Accent": "Scottish English", "Region": "Fife"}
    # an `Unknown` accent is left out; the trailing `(comment)` is not part of the region
    assert clips["p280_001_mic1"][c.ATTRIBUTES] == {"Speaker": "p280", "Gender": "Female", "Age": 25, "Region": "France"}
    assert all(r[c.DURATION_S] > 0.5 for r in read.records)


def test_mic2_is_an_option(tmp_path, audio):
    make_vctk(tmp_path, audio)
    read = read_source("vctk", tmp_path, {"mic": "mic2"})
    assert sorted(read.by_id()) == ["p225_001_mic2", "p225_002_mic2", "p226_001_mic2"]
    # p280 has no mic2 recording and p226_003 no audio at all: both are missing audio
    assert read.reasons() == ["audio_missing", "audio_missing", "bad_file_name", "bad_metadata"]


def test_bad_names_bad_speaker_lines_and_missing_audio_are_quarantined(tmp_path, audio):
    make_vctk(tmp_path, audio)
    read = read_source("vctk", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_file_name", "bad_metadata"]
    assert any(r["input_ref"].endswith("speaker-info.txt:5") for r in read.rejects)
    assert any("p226_take2.flac" in r["detail"] for r in read.rejects)
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert missing["stage"] == "probe" and "p226_003_mic1.flac" in missing["detail"]
