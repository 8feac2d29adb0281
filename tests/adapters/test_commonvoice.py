"""Common Voice in its native layout: <locale>/clips/*.mp3 + <locale>/<split>.tsv (tab-separated, unquoted)."""

from __future__ import annotations

from adapters.commonvoice import CommonVoice
from schemas import columns as c
from tests.adapters.conftest import read_source

V17 = "client_id\tpath\tsentence_id\tsentence\tsentence_domain\tup_votes\tdown_votes\tage\tgender\taccents\tvariant\tlocale\tsegment\n"
OLD = "client_id\tpath\tsentence\tup_votes\tdown_votes\tage\tgender\taccent\n"


def make_commonvoice(root, audio):
    en = root / "en"
    audio.speech(en / "clips" / "common_voice_en_1.mp3", 'He said "hello" twice.', voice="en-us+m3")
    audio.speech(en / "clips" / "common_voice_en_2.mp3", "The sun is shining.", voice="en-us+f3")
    (en / "validated.tsv").write_text(
        V17
        + 'aaa111\tcommon_voice_en_1.mp3\ts1\tHe said "hello" twice.\t\t2\t0\ttwenties\tmale_masculine\tUnited States English|Canadian English\t\ten\t\n'
        + "bbb222\tcommon_voice_en_2.mp3\ts2\tThe sun is shining.\t\t3\t0\tfourties\tfemale_feminine\t\t\ten\t\n"
        + "ccc333\tcommon_voice_en_3.mp3\ts3\tNobody recorded this.\t\t2\t0\t\t\t\t\ten\t\n"  # clip absent
        + "ddd444\tcommon_voice_en_4.mp3\ttoo few cells\n"
        + "ggg777\tcommon_voice_en_7.mp3\ts7\tHeld out for testing.\t\t2\t0\t\t\t\t\ten\t\n",  # also in test.tsv
        encoding="utf-8",
    )
    (en / "train.tsv").write_text(V17 + "bbb222\tcommon_voice_en_2.mp3\ts2\tThe sun is shining.\t\t3\t0\tfourties\tdo_not_wish_to_say\t\t\ten\t\n", encoding="utf-8")
    # the held-out splits: validated.tsv lists their clips too
    audio.speech(en / "clips" / "common_voice_en_7.mp3", "Held out for testing.", voice="en-us+f3")
    (en / "test.tsv").write_text(V17 + "ggg777\tcommon_voice_en_7.mp3\ts7\tHeld out for testing.\t\t2\t0\t\t\t\t\ten\t\n", encoding="utf-8")
    (en / "dev.tsv").write_text(V17, encoding="utf-8")
    zh = root / "zh-CN"
    audio.speech(zh / "clips" / "common_voice_zh-CN_9.mp3", "ni hao", voice="en-us+f3")
    (zh / "validated.tsv").write_text(OLD + "eee555\tcommon_voice_zh-CN_9.mp3\t你好。\t2\t0\tthirties\tfemale\t\n", encoding="utf-8")
    old_en = root / "cy"
    audio.speech(old_en / "clips" / "common_voice_cy_5.mp3", "bore da", voice="en-us+m3")
    (old_en / "validated.tsv").write_text(OLD + "fff666\tcommon_voice_cy_5\tBore da.\t2\t0\tteens\tother\tengland\n", encoding="utf-8")


def test_records_ids_and_normalised_attributes(tmp_path, audio):
    make_commonvoice(tmp_path, audio)
    read = read_source("commonvoice", tmp_path, {"splits": ["validated"]}, name="CommonVoice")
    clips = read.by_id()
    assert sorted(clips) == ["common_voice_cy_5", "common_voice_en_1", "common_voice_en_2", "common_voice_zh-CN_9"]
    first = clips["common_voice_en_1"]
    assert first[c.CLIP_ID] == "CommonVoice/common_voice_en_1"
    assert first[c.AUDIO_PATH] == "en/clips/common_voice_en_1.mp3"
    assert first[c.TRANSCRIPT] == 'He said "hello" twice.'  # unquoted TSV: the quotes are the sentence's
    assert first[c.ATTRIBUTES] == {
        "Speaker": "aaa111", "Gender": "Male", "Age": "twenties", "Accent": "United States English, Canadian English", "Language": "English",
    }  # fmt: skip
    assert clips["common_voice_en_2"][c.ATTRIBUTES] == {"Speaker": "bbb222", "Gender": "Female", "Age": "forties", "Language": "English"}
    assert clips["common_voice_zh-CN_9"][c.TRANSCRIPT] == "你好。"
    assert clips["common_voice_zh-CN_9"][c.ATTRIBUTES] == {"Speaker": "eee555", "Gender": "Female", "Age": "thirties", "Language": "Chinese"}
    # an old release: path without extension, `accent` code, gender `other` left out
    old = clips["common_voice_cy_5"]
    assert old[c.AUDIO_PATH] == "cy/clips/common_voice_cy_5.mp3"
    assert old[c.ATTRIBUTES] == {"Speaker": "fff666", "Age": "teens", "Accent": "England English", "Language": "Welsh"}
    assert all(r[c.DURATION_S] > 0.3 for r in read.records)


def test_malformed_lines_and_missing_clips_are_quarantined(tmp_path, audio):
    make_commonvoice(tmp_path, audio)
    read = read_source("commonvoice", tmp_path, {"splits": ["validated"]})
    assert read.reasons() == ["audio_missing", "bad_metadata"]
    assert any(r["input_ref"].endswith("en/validated.tsv:5") for r in read.rejects)
    missing = next(r for r in read.rejects if r["reason"] == "audio_missing")
    assert missing["input_ref"].endswith("en/validated.tsv:4")


def test_split_and_locales_are_options(tmp_path, audio):
    make_commonvoice(tmp_path, audio)
    read = read_source("commonvoice", tmp_path, {"splits": ["train"], "locales": ["en", "zh-CN"]})
    assert list(read.by_id()) == ["common_voice_en_2"]
    assert read.records[0][c.ATTRIBUTES] == {"Speaker": "bbb222", "Age": "forties", "Language": "English"}
    only_zh = read_source("commonvoice", tmp_path, {"locales": ["zh-CN"], "splits": ["validated"]})
    assert list(only_zh.by_id()) == ["common_voice_zh-CN_9"]
    assert "no <locale>/other.tsv found" in CommonVoice(str(tmp_path), {"splits": ["other"]}).check()


def test_the_default_is_train_only_and_held_out_clips_stay_out_of_validated(tmp_path, audio):
    make_commonvoice(tmp_path, audio)
    assert list(read_source("commonvoice", tmp_path).by_id()) == ["common_voice_en_2"]  # train.tsv of every locale
    held_out = read_source("commonvoice", tmp_path, {"splits": ["test"]})
    assert list(held_out.by_id()) == ["common_voice_en_7"] and held_out.rejects == []
    validated = read_source("commonvoice", tmp_path, {"splits": ["validated", "test"], "locales": ["en"]})
    assert sorted(validated.by_id()) == ["common_voice_en_1", "common_voice_en_2", "common_voice_en_7"]  # once each
    # validated.tsv alone leaves test.tsv's clip out; a locale without the held-out lists is reported
    assert "common_voice_en_7" not in read_source("commonvoice", tmp_path, {"splits": ["validated"], "locales": ["en"]}).by_id()
    assert CommonVoice(str(tmp_path), {"splits": ["validated"], "locales": ["en"]}).check() is None
    problem = CommonVoice(str(tmp_path), {"splits": ["validated"], "locales": ["zh-CN"]}).check()
    assert "zh-CN/dev.tsv, zh-CN/test.tsv not found" in problem
