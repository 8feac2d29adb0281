"""VoxLingua107 in its native layout: <code>/<video>---<start>-<end>.wav, plus dev/<code>/..."""

from __future__ import annotations

from adapters.voxlingua import VoxLingua
from schemas import columns as c
from tests.adapters.conftest import read_source


def make_voxlingua(root, audio):
    audio.speech(root / "en" / "-2cT9MxKiCY__U__S0---0523.100-0534.960.wav", "Hello from the news.", voice="en-us+m3")
    audio.speech(root / "de" / "0aBcD_eFgHi__U__S12---0010.000-0013.450.wav", "Guten Tag.", voice="de")
    audio.speech(root / "iw" / "zZ9yY8xX7wV__U__S3---0100.250-0104.000.wav", "Shalom.", voice="en-us+f3")
    audio.speech(root / "dev" / "en" / "Qw3Er4Ty5Ui__U__S1---0001.000-0004.500.wav", "A validated clip.", voice="en-us+f3")
    audio.speech(root / "train" / "ceb" / "Zx1Cv2Bn3Mm__U__S5---0002.000-0006.000.wav", "Maayong buntag.", voice="en-us+m3")
    audio.speech(root / "xx" / "aaaaaaaaaaa__U__S1---0001.000-0002.000.wav")  # not a VoxLingua107 code
    audio.speech(root / "fr" / "bonjour.wav")  # not <video>---<start>-<end>


def test_records_ids_and_language_names(tmp_path, audio):
    make_voxlingua(tmp_path, audio)
    read = read_source("voxlingua", tmp_path, {"splits": ["train", "dev"]}, name="VoxLingua")
    clips = read.by_id()
    assert sorted(clips) == [
        "de/0aBcD_eFgHi__U__S12---0010.000-0013.450",
        "dev/en/Qw3Er4Ty5Ui__U__S1---0001.000-0004.500",
        "en/-2cT9MxKiCY__U__S0---0523.100-0534.960",
        "iw/zZ9yY8xX7wV__U__S3---0100.250-0104.000",
        "train/ceb/Zx1Cv2Bn3Mm__U__S5---0002.000-0006.000",
    ]
    english = clips["en/-2cT9MxKiCY__U__S0---0523.100-0534.960"]
    assert english[c.CLIP_ID] == "VoxLingua/en/-2cT9MxKiCY__U__S0---0523.100-0534.960"
    assert english[c.AUDIO_PATH] == "en/-2cT9MxKiCY__U__S0---0523.100-0534.960.wav"
    assert english[c.ATTRIBUTES] == {"Language": "English"}
    assert english[c.START_S] is None and english[c.END_S] is None  # times in the source video, not segments
    assert english[c.TRANSCRIPT] is None
    assert clips["de/0aBcD_eFgHi__U__S12---0010.000-0013.450"][c.ATTRIBUTES] == {"Language": "German"}
    assert clips["iw/zZ9yY8xX7wV__U__S3---0100.250-0104.000"][c.ATTRIBUTES] == {"Language": "Hebrew"}
    assert clips["dev/en/Qw3Er4Ty5Ui__U__S1---0001.000-0004.500"][c.ATTRIBUTES] == {"Language": "English"}
    assert clips["train/ceb/Zx1Cv2Bn3Mm__U__S5---0002.000-0006.000"][c.ATTRIBUTES] == {"Language": "Cebuano"}
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_unknown_folders_and_bad_file_names_are_quarantined(tmp_path, audio):
    make_voxlingua(tmp_path, audio)
    read = read_source("voxlingua", tmp_path)
    assert read.reasons() == ["bad_file_name", "bad_file_name"]
    assert any("bonjour.wav" in r["detail"] for r in read.rejects)
    assert any("'xx' is not a VoxLingua107 language code" in r["detail"] for r in read.rejects)


def test_a_folder_without_language_folders_is_reported(tmp_path):
    (tmp_path / "misc").mkdir()
    assert "no <language code>/ folder" in VoxLingua(str(tmp_path)).check()
    (tmp_path / "ceb").mkdir()
    assert VoxLingua(str(tmp_path)).check() is None



def test_the_default_reads_the_language_folders_and_dev_only_when_named(tmp_path, audio):
    make_voxlingua(tmp_path, audio)
    train = read_source("voxlingua", tmp_path)
    assert not [clip for clip in train.by_id() if clip.startswith("dev/")] and len(train.records) == 4
    dev = read_source("voxlingua", tmp_path, {"splits": ["dev"]})
    assert list(dev.by_id()) == ["dev/en/Qw3Er4Ty5Ui__U__S1---0001.000-0004.500"] and dev.rejects == []
    picked = read_source("voxlingua", tmp_path, {"locales": ["en", "ceb"]})
    assert sorted(picked.by_id()) == ["en/-2cT9MxKiCY__U__S0---0523.100-0534.960", "train/ceb/Zx1Cv2Bn3Mm__U__S5---0002.000-0006.000"]
    assert picked.rejects == []  # other language folders are not even listed
