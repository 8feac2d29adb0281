"""VocalSound in its native layout: audio_16k/<f|m><spk>_<n>_<sound>.wav + meta/ speaker files."""

from __future__ import annotations

import json

from schemas import columns as c
from tests.adapters.conftest import read_source


def make_vocalsound(root, audio, audio_dir="audio_16k"):
    audio.noise(root / audio_dir / "f0003_0_cough.wav", seconds=0.6)
    audio.speech(root / audio_dir / "f0003_0_laughter.wav", "ha ha ha", voice="en-us+f3")
    audio.speech(root / audio_dir / "m0004_1_throatclearing.wav", "hem", voice="en-us+m3")
    audio.noise(root / audio_dir / "m0009_0_sneeze.wav", seconds=0.5)  # a speaker with no meta row
    audio.noise(root / audio_dir / "f0003_0_yawn.wav", seconds=0.5)  # not one of the six sounds
    audio.noise(root / audio_dir / "cough.wav", seconds=0.5)  # not a VocalSound name
    (root / "class_labels_indices_vs.csv").write_text(
        "index,mid,display_name\n0,/m/01j3sz,Laughter\n1,/m/07plz5l,Sigh\n2,/m/01b_21,Cough\n"
        "3,/m/0dl9sf8,Throat clearing\n4,/m/01hsr_,Sneeze\n5,/m/07ppn3j,Sniff\n",
        encoding="utf-8",
    )
    # the official split by speaker; prep_data.py has rewritten the wav paths for someone's machine
    audio.speech(root / audio_dir / "f0100_0_sigh.wav", "haaah", voice="en-us+f3")
    lists = {"tr": ["f0003_0_cough", "f0003_0_laughter", "m0004_1_throatclearing", "m0009_0_sneeze"], "val": [], "te": ["f0100_0_sigh"]}
    (root / "datafiles").mkdir()
    for name, clips in lists.items():
        rows = [{"wav": f"/home/someone/vocalsound/data/audio_16k/{clip}.wav", "labels": "/m/01b_21"} for clip in clips]
        (root / "datafiles" / f"{name}.json").write_text(json.dumps({"data": rows}, indent=1), encoding="utf-8")


def test_records_from_names_and_speaker_rows_in_the_readme_order(tmp_path, audio):
    make_vocalsound(tmp_path, audio)
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "all_meta.csv").write_text(
        "f0003,Female,24,United States,English,no\nm0004,Male,51,India,Hindi,asthma\nm0005,Male\n", encoding="utf-8"
    )
    read = read_source("vocalsound", tmp_path, name="VocalSound")
    clips = read.by_id()
    assert sorted(clips) == ["f0003_0_cough", "f0003_0_laughter", "m0004_1_throatclearing", "m0009_0_sneeze"]
    cough = clips["f0003_0_cough"]
    assert cough[c.CLIP_ID] == "VocalSound/f0003_0_cough"
    assert cough[c.AUDIO_PATH] == "audio_16k/f0003_0_cough.wav"
    assert cough[c.LABELS] == ["Cough"] and cough[c.TRANSCRIPT] is None
    assert cough[c.ATTRIBUTES] == {
        "Speaker": "f0003", "Gender": "Female", "Age": "24", "Country": "United States",
        "Native language": "English", "Health condition": "No problem",
    }  # fmt: skip
    throat = clips["m0004_1_throatclearing"]
    assert throat[c.LABELS] == ["Throat clearing"]
    assert throat[c.ATTRIBUTES]["Health condition"] == "asthma" and throat[c.ATTRIBUTES]["Age"] == "51"
    assert clips["m0009_0_sneeze"][c.ATTRIBUTES] == {"Speaker": "m0009", "Gender": "Male"}  # nothing invented
    assert read.reasons() == ["bad_file_name", "bad_file_name", "bad_metadata"]
    assert any(r["input_ref"].endswith("meta/all_meta.csv:3") for r in read.rejects)
    assert any("f0003_0_yawn.wav" in r["input_ref"] for r in read.rejects)


def test_named_speaker_rows_and_the_44k_release(tmp_path, audio):
    make_vocalsound(tmp_path, audio, audio_dir="audio_44k")
    (tmp_path / "meta").mkdir()
    rows = [{"spk_id": "0003", "gender": "female", "age": 30, "country": "Canada", "native language": "French", "health condition": "no"}]
    (tmp_path / "meta" / "tr_meta.json").write_text(json.dumps(rows), encoding="utf-8")
    (tmp_path / "meta" / "te_meta.csv").write_text(
        "spk_id,gender,age,country,native_language,health\nm0004,male,40,Kenya,Swahili,no\n", encoding="utf-8"
    )
    read = read_source("vocalsound", tmp_path)
    clips = read.by_id()
    assert clips["f0003_0_laughter"][c.AUDIO_PATH] == "audio_44k/f0003_0_laughter.wav"
    assert clips["f0003_0_laughter"][c.ATTRIBUTES] == {
        "Speaker": "f0003", "Gender": "Female", "Age": "30", "Country": "Canada", "Native language": "French",
        "Health condition": "No problem",
    }  # fmt: skip
    assert clips["m0004_1_throatclearing"][c.ATTRIBUTES]["Native language"] == "Swahili"
    assert read.reasons() == ["bad_file_name", "bad_file_name"]


def test_an_empty_root_is_reported(tmp_path):
    from adapters.vocalsound import VocalSound

    adapter = VocalSound(str(tmp_path))
    assert adapter.missing() == ["audio_16k"]
    assert list(adapter.entries()) == []



def test_the_default_follows_the_train_list_and_held_out_speakers_are_read_when_named(tmp_path, audio):
    from adapters.vocalsound import VocalSound

    make_vocalsound(tmp_path, audio)
    audio.noise(tmp_path / "audio_16k" / "m0200_0_sniff.wav", seconds=0.5)  # no list names it: cannot be placed
    default = read_source("vocalsound", tmp_path)
    assert sorted(default.by_id()) == ["f0003_0_cough", "f0003_0_laughter", "m0004_1_throatclearing", "m0009_0_sneeze"]
    test = read_source("vocalsound", tmp_path, {"splits": ["test"]})
    assert list(test.by_id()) == ["f0100_0_sigh"] and test.by_id()["f0100_0_sigh"][c.LABELS] == ["Sigh"]
    every = read_source("vocalsound", tmp_path, {"splits": ["train", "validation", "test"]})
    assert {"f0100_0_sigh", "m0200_0_sniff"} <= set(every.by_id())
    assert VocalSound(str(tmp_path)).check() is None
    (tmp_path / "datafiles" / "te.json").unlink()
    assert "datafiles/te.json not found" in VocalSound(str(tmp_path)).check()
    assert VocalSound(str(tmp_path), {"splits": ["train", "test", "validation"]}).check() is None
