"""AliMeeting in its native layout: <Part>_Ali_<far|near>/audio_dir/*.wav + textgrid_dir/*.TextGrid."""

from __future__ import annotations

from schemas import columns as c
from tests.adapters.conftest import read_source


def textgrid(tiers: dict[str, list[tuple[float, float, str]]], xmax: float = 6.0) -> str:
    """A Praat long-format TextGrid, as the AliMeeting release stores them."""
    lines = ['File type = "ooTextFile"', 'Object class = "TextGrid"', "", "xmin = 0 ", f"xmax = {xmax} ", "tiers? <exists> ",
             f"size = {len(tiers)} ", "item []: "]  # fmt: skip
    for number, (name, intervals) in enumerate(tiers.items(), start=1):
        lines += [f"    item [{number}]:", '        class = "IntervalTier" ', f'        name = "{name}" ', "        xmin = 0 ",
                  f"        xmax = {xmax} ", f"        intervals: size = {len(intervals)} "]  # fmt: skip
        for index, (start, end, text) in enumerate(intervals, start=1):
            lines += [f"        intervals [{index}]:", f"            xmin = {start} ", f"            xmax = {end} ", f'            text = "{text}" ']
    return "\n".join(lines) + "\n"


MEETING = {
    "R0001_M0001_F_SPK0001": [(0, 0.5, ""), (0.5, 2.0, "你好，大家好"), (2.0, 3.5, ""), (3.5, 5.0, "今天开会"), (5.0, 6.0, "")],
    "R0001_M0001_M_SPK0002": [(0, 1.8, ""), (1.8, 3.2, "好的"), (3.2, 6.0, "")],
}


def make_alimeeting(root, audio):
    far = root / "Train_Ali_far"
    audio.tone(far / "audio_dir" / "R0001_M0001_MS001.wav", seconds=6.0, channels=8)
    (far / "textgrid_dir").mkdir(parents=True)
    (far / "textgrid_dir" / "R0001_M0001.TextGrid").write_text(textgrid(MEETING), encoding="utf-8")
    (far / "textgrid_dir" / "R0002_M0002.TextGrid").write_text("not a textgrid\n", encoding="utf-8")
    # UTF-16 (as Praat saves non-Latin text), one tier not named after a speaker; its recording is absent
    other = {"Speaker1": [(0, 1.0, "嗯")], "R0003_M0003_M_SPK0009": [(0, 1.0, ""), (1.0, 2.5, "对")]}
    (far / "textgrid_dir" / "R0003_M0003.TextGrid").write_text(textgrid(other, xmax=3.0), encoding="utf-16")
    # the held-out evaluation set
    held_out = root / "Eval_Ali" / "Eval_Ali_far"
    audio.tone(held_out / "audio_dir" / "R8001_M8001_MS801.wav", seconds=3.0, channels=8)
    (held_out / "textgrid_dir").mkdir(parents=True)
    grid = textgrid({"R8001_M8001_F_SPK8001": [(0, 0.5, ""), (0.5, 2.0, "测试")]}, xmax=3.0)
    (held_out / "textgrid_dir" / "R8001_M8001.TextGrid").write_text(grid, encoding="utf-8")


def test_meetings_become_windowed_segments_with_turns(tmp_path, audio):
    make_alimeeting(tmp_path, audio)
    read = read_source("alimeeting", tmp_path, {"window_s": 3.0}, name="AliMeeting")
    clips = read.by_id()
    assert sorted(clips) == ["R0001_M0001_MS001-0000050-0000320", "R0001_M0001_MS001-0000350-0000500"]
    first = clips["R0001_M0001_MS001-0000050-0000320"]
    assert first[c.AUDIO_PATH] == "Train_Ali_far/audio_dir/R0001_M0001_MS001.wav"
    assert (first[c.START_S], first[c.END_S]) == (0.5, 3.2)
    assert first[c.TURNS] == [
        {"start": 0.0, "end": 1.5, "transcript": "你好，大家好", "Speaker": "SPK0001", "Gender": "Female"},
        {"start": 1.3, "end": 2.7, "transcript": "好的", "Speaker": "SPK0002", "Gender": "Male"},
    ]
    assert first[c.TRANSCRIPT] == "你好，大家好 好的"
    assert first[c.ATTRIBUTES] == {"Speaker count": 2, "Language": "Chinese"}
    assert first[c.CHANNELS] == 8 and abs(first[c.DURATION_S] - 2.7) < 0.01
    second = clips["R0001_M0001_MS001-0000350-0000500"]
    assert second[c.TURNS] == [{"start": 0.0, "end": 1.5, "transcript": "今天开会", "Speaker": "SPK0001", "Gender": "Female"}]
    # one window for the whole meeting when it is short enough
    whole = read_source("alimeeting", tmp_path, {"window_s": 60})
    assert [r[c.CLIP_ID] for r in whole.records] == ["src/R0001_M0001_MS001-0000050-0000500"]
    assert len(whole.records[0][c.TURNS]) == 3


def test_bad_textgrids_tiers_and_missing_recordings_are_quarantined(tmp_path, audio):
    make_alimeeting(tmp_path, audio)
    read = read_source("alimeeting", tmp_path)
    assert read.reasons() == ["audio_missing", "bad_metadata", "bad_metadata"]
    by_reason = {r["reason"]: r for r in read.rejects if r["reason"] != "bad_metadata"}
    assert "Train_Ali_far/audio_dir/R0003_M0003.wav" in by_reason["audio_missing"]["detail"]
    details = " ".join(r["detail"] for r in read.rejects)
    assert "R0002_M0002.TextGrid" in details and "'Speaker1'" in details


def test_near_field_headsets_and_nested_eval_folder(tmp_path, audio):
    near = tmp_path / "Eval_Ali" / "Eval_Ali_near"
    audio.speech(near / "audio_dir" / "R0008_M0054_M_SPK0123.wav", "Hello there, everyone.", voice="en-us+m3")
    (near / "textgrid_dir").mkdir(parents=True)
    grid = textgrid({"SPK0123": [(0, 0.2, ""), (0.2, 1.0, "大家好")]}, xmax=1.0)
    (near / "textgrid_dir" / "R0008_M0054_M_SPK0123.TextGrid").write_text(grid, encoding="utf-8")
    read = read_source("alimeeting", tmp_path, {"splits": ["Eval"], "mic": "near"})
    assert [r[c.CLIP_ID] for r in read.records] == ["src/R0008_M0054_M_SPK0123-0000020-0000100"]
    assert read.records[0][c.TURNS] == [{"start": 0.0, "end": 0.8, "transcript": "大家好", "Speaker": "SPK0123", "Gender": "Male"}]


def test_eval_and_test_meetings_are_read_only_when_named(tmp_path, audio):
    make_alimeeting(tmp_path, audio)
    train = read_source("alimeeting", tmp_path, {"window_s": 60})
    assert {r[c.AUDIO_PATH] for r in train.records} == {"Train_Ali_far/audio_dir/R0001_M0001_MS001.wav"}
    held_out = read_source("alimeeting", tmp_path, {"splits": ["Eval"]})
    assert [r[c.CLIP_ID] for r in held_out.records] == ["src/R8001_M8001_MS801-0000050-0000200"] and held_out.rejects == []
    assert held_out.records[0][c.AUDIO_PATH] == "Eval_Ali/Eval_Ali_far/audio_dir/R8001_M8001_MS801.wav"
    both = read_source("alimeeting", tmp_path, {"splits": ["Train", "Eval"], "window_s": 60})
    assert sorted(r[c.CLIP_ID] for r in both.records) == ["src/R0001_M0001_MS001-0000050-0000500", "src/R8001_M8001_MS801-0000050-0000200"]
