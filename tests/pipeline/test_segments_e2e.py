"""Segments end to end: a manifest of windows of one long recording (espeak-ng speech, 22.05 kHz stereo)
is run, killed after its first commit and resumed; every row's audios[].audio is then its own 16 kHz mono
FLAC file lasting the segment, exactly one per clip, and `export --data-root` verifies them."""

from __future__ import annotations

import json
import subprocess

import pyarrow.parquet as pq
import pytest
import soundfile as sf

from cli_helpers import run_cli
from test_resume import kill_when, parts

pytestmark = pytest.mark.slow
WINDOWS = [(0.0, 1.5), (1.0, 2.5), (2.0, 3.2), (3.0, None)]  # overlapping, and one to the end of the file


def test_segments_are_cut_once_and_the_trainer_paths_hold_after_a_kill(small_config, tmp_path):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    speech = tmp_path / "speech.wav"
    text = "The hogs were fed chopped corn and garbage. Rice is often served in round bowls."
    subprocess.run(["espeak-ng", "-w", str(speech), text], check=True)
    subprocess.run(["sox", str(speech), "-r", "22050", "-c", "2", str(data / "meeting.wav")], check=True)
    lines = [{"audio": "meeting.wav", "id": f"w{i}", "start": start, **({"end": end} if end else {}), "gender": "M"}
             for i, (start, end) in enumerate(WINDOWS)]  # fmt: skip
    (data / "windows.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    config = small_config(per_clip=1, max_tokens=8, sources=[{"name": "Meet", "manifest": "windows.jsonl", "domain": "speech"}])
    output = data / "run"  # under the data root: paths without '..'

    kill_when(config, output, lambda out: len(parts(out)) >= 1, tmp_path / "killed.log")
    result = run_cli("run", "--config", str(config), "--output", str(output))
    assert result.returncode == 0, result.stderr[-3000:]

    rows = pq.read_table(output / "data").to_pylist()
    assert sorted(row["clip_id"] for row in rows) == [f"Meet/w{i}" for i in range(len(WINDOWS))]
    files = sorted(p for p in (output / "audio").rglob("*") if p.is_file())
    assert [p.parent.name for p in files] == ["Meet"] * len(WINDOWS)  # exactly one file per segment clip, no temp file
    for row in rows:
        path = row["messages"][1]["audios"][0]["audio"]
        assert path.startswith("run/audio/Meet/") and path.endswith(".flac")
        info = sf.info(str(data / path))
        assert (info.samplerate, info.channels) == (16000, 1)
        assert abs(info.frames / 16000 - row["duration_s"]) <= 0.01
    durations = sorted(round(row["duration_s"], 2) for row in rows)
    assert durations[:3] == [1.2, 1.5, 1.5]  # the windows, not the whole recording

    exported = run_cli("export", "--input", str(output), "--output", str(tmp_path / "jsonl"), "--data-root", str(data))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert f"audio: {len(WINDOWS)} referenced file(s), 0 missing" in exported.stdout
