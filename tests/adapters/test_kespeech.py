"""KeSpeech in its native layout: Tasks/ASR/<part>/{wav.scp,text,utt2spk,utt2subdialect} + Metadata/spk2* + Audio/."""

from __future__ import annotations

from adapters.kespeech import KeSpeech
from schemas import columns as c
from tests.adapters.conftest import read_source


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_kespeech(root, audio):
    task = root / "Tasks" / "ASR" / "test"
    write(task / "wav.scp", "1000001_a1b2 Audio/1000001/phase1/1000001_a1b2.wav\n"
                            "1000002_c3d4 Audio/1000002/phase1/1000002_c3d4.wav\n"
                            "1000002_e5f6 Audio/1000002/phase2/1000002_e5f6.wav\n"
                            "1000003_dead\n"
                            "1000003_beef Audio/1000003/phase1/1000003_beef.wav\n"
                            "1000004_0001 Audio/1000004/phase1/1000004_0001.wav\n")  # fmt: skip
    write(task / "text", "1000001_a1b2 今天天气很好\n1000002_c3d4 我们去<SPOKEN_NOISE>吃饭吧\n1000002_e5f6 好的\n"
                         "1000003_beef 你好\n1000004_0001 没有文件\n")  # fmt: skip
    write(task / "utt2spk", "1000001_a1b2 1000001\n1000002_c3d4 1000002\n1000002_e5f6 1000002\n1000003_beef 1000003\n1000004_0001 1000004\n")
    write(task / "utt2subdialect", "1000001_a1b2 Southwestern\n1000002_c3d4 Mandarin\n1000002_e5f6 Ji-Lu\n"
                                   "1000003_beef Cantonese\n1000004_0001 Beijing\n")  # fmt: skip
    write(root / "Metadata" / "spk2gender", "1000001 Female\n1000002 Male\n1000003 unknown\n")
    write(root / "Metadata" / "spk2age", "1000001 24\n1000002 41\n")
    write(root / "Metadata" / "spk2city", "1000001 Chengdu\n1000002 Beijing\n")
    for path, voice in [("1000001/phase1/1000001_a1b2", "en-us+f3"), ("1000002/phase1/1000002_c3d4", "en-us+m3"),
                        ("1000002/phase2/1000002_e5f6", "en-us+m3"), ("1000003/phase1/1000003_beef", "en-us+f3")]:  # fmt: skip
        audio.speech(root / "Audio" / f"{path}.wav", "Ni hao.", voice=voice)
    train = root / "Tasks" / "ASR" / "train_phase1"  # the training split: one utterance
    write(train / "wav.scp", "1000005_0001 Audio/1000005/phase1/1000005_0001.wav\n")
    write(train / "text", "1000005_0001 早上好\n")
    write(train / "utt2spk", "1000005_0001 1000005\n")
    write(train / "utt2subdialect", "1000005_0001 Zhongyuan\n")
    audio.speech(root / "Audio" / "1000005" / "phase1" / "1000005_0001.wav", "Zao shang hao.", voice="en-us+m3")


def test_records_with_subdialect_accent_and_speaker_metadata(tmp_path, audio):
    make_kespeech(tmp_path, audio)
    read = read_source("kespeech", tmp_path, {"splits": ["test"]}, name="KeSpeech")
    clips = read.by_id()
    assert sorted(clips) == ["1000001_a1b2", "1000002_c3d4", "1000002_e5f6"]
    first = clips["1000001_a1b2"]
    assert first[c.CLIP_ID] == "KeSpeech/1000001_a1b2"
    assert first[c.AUDIO_PATH] == "Audio/1000001/phase1/1000001_a1b2.wav"
    assert first[c.TRANSCRIPT] == "今天天气很好"
    assert first[c.ATTRIBUTES] == {
        "Language": "Chinese", "Accent": "Southwestern Mandarin", "Speaker": "1000001", "Gender": "Female", "Age": 24, "City": "Chengdu",
    }  # fmt: skip
    assert clips["1000002_c3d4"][c.TRANSCRIPT] == "我们去 吃饭吧"
    assert clips["1000002_c3d4"][c.ATTRIBUTES]["Accent"] == "Standard Mandarin"
    assert clips["1000002_e5f6"][c.ATTRIBUTES] == {
        "Language": "Chinese", "Accent": "Ji-Lu Mandarin", "Speaker": "1000002", "Gender": "Male", "Age": 41, "City": "Beijing",
    }  # fmt: skip


def test_bad_lines_and_missing_audio_are_quarantined(tmp_path, audio):
    make_kespeech(tmp_path, audio)
    read = read_source("kespeech", tmp_path, {"splits": ["test"]})
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata", "bad_metadata"]
    by_ref = {r["input_ref"].rsplit("/", 1)[1]: r for r in read.rejects}
    assert "unknown" in by_ref["spk2gender:3"]["detail"]
    assert "1000003_dead" in by_ref["wav.scp:4"]["detail"]
    assert "Cantonese" in by_ref["wav.scp:5"]["detail"]
    assert by_ref["wav.scp:6"]["reason"] == "audio_missing"


def test_splits_not_downloaded_are_named_before_the_run(tmp_path, audio):
    make_kespeech(tmp_path, audio)
    problem = KeSpeech(str(tmp_path)).check()
    assert problem and "Tasks/ASR/train_phase2/wav.scp" in problem and "Tasks/ASR/test/wav.scp" not in problem
    assert KeSpeech(str(tmp_path), {"splits": ["test"]}).check() is None
    assert KeSpeech(str(tmp_path), {"splits": ["train_phase1", "test"]}).check() is None


def test_the_default_reads_the_training_phases_and_test_only_when_named(tmp_path, audio):
    make_kespeech(tmp_path, audio)
    train = read_source("kespeech", tmp_path, {"splits": ["train_phase1"]})
    assert list(train.by_id()) == ["1000005_0001"] and train.reasons() == ["bad_metadata"]  # spk2gender:3, read whatever the split
    default = read_source("kespeech", tmp_path)  # train_phase2 is absent here: reported as such, never test
    assert list(default.by_id()) == ["1000005_0001"]
    assert [r["detail"] for r in default.rejects if "train_phase2" in r["detail"]]
    assert "1000001_a1b2" in read_source("kespeech", tmp_path, {"splits": ["train_phase1", "test"]}).by_id()
