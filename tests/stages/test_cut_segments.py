"""CutSegments on real speech (espeak-ng, resampled by sox to a 22.05 kHz stereo recording): each segment
becomes its own 16 kHz mono FLAC file of the segment's duration, written once; whole files pass through."""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf

from schemas import columns as c
from schemas.tables import schema_of
from stages.cut_segments import CutConfig, CutSegments, segment_file
from stages.probe_audio import ProbeAudio

INPUTS = (c.SOURCE, c.CLIP_ID, c.AUDIO_URI, c.AUDIO_PATH, c.START_S, c.END_S)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    """About 4 s of speech, 22.05 kHz, two channels, under data/long.wav."""
    root = tmp_path_factory.mktemp("data")
    speech = root / "speech.wav"
    text = "The hogs were fed chopped corn and garbage. Rice is often served in round bowls."
    subprocess.run(["espeak-ng", "-w", str(speech), text], check=True)
    subprocess.run(["sox", str(speech), "-r", "22050", "-c", "2", str(root / "long.wav")], check=True)
    return root


def rows(root, *segments) -> pa.Table:
    uri = str(root / "long.wav")
    base = {c.SOURCE: "Meet/ing", c.AUDIO_URI: uri, c.AUDIO_PATH: "long.wav"}
    data = [{**base, c.CLIP_ID: f"Meet/ing/{clip}", c.START_S: start, c.END_S: end} for clip, start, end in segments]
    return ProbeAudio()(pa.Table.from_pylist(data, schema=schema_of(INPUTS)))


def test_segments_become_16k_mono_flac_files_of_their_duration(recording, tmp_path):
    table = rows(recording, ("whole", None, None), ("a/b 01", 0.5, 1.7), ("a?b:01", 1.0, 2.55), ("tail", 2.0, None))
    cut = CutSegments(CutConfig(destination=str(tmp_path / "out" / "audio"), relative_to=str(recording)))
    out = cut(table).to_pylist()
    assert out[0][c.AUDIO_PATH] == "long.wav"  # a whole file keeps pointing at the source file
    paths = [row[c.AUDIO_PATH] for row in out[1:]]
    prefix = os.path.relpath(tmp_path / "out" / "audio" / "Meet_ing", recording) + "/"  # relative to the data root
    assert len(set(paths)) == 3 and all(p.startswith(prefix) and p.endswith(".flac") for p in paths)
    assert "/" not in paths[0].rsplit("/", 1)[1] and "?" not in paths[1] and ":" not in paths[1]
    for row in out[1:]:
        info = sf.info(os.path.join(recording, row[c.AUDIO_PATH]))
        assert (info.samplerate, info.channels, info.format) == (16000, 1, "FLAC")
        assert abs(info.frames / 16000 - row[c.DURATION_S]) <= 0.01
    assert abs(out[1][c.DURATION_S] - 1.2) <= 0.001 and abs(out[2][c.DURATION_S] - 1.55) <= 0.001
    # the content is the segment: the cut matches the recording's own [1.0, 2.55) resampled
    original, rate = sf.read(str(recording / "long.wav"), dtype="float32")
    from stages.acoustics.signal import resample

    expected = resample(original[round(1.0 * rate) : round(2.55 * rate)].mean(axis=1), rate, 16000)
    written, _ = sf.read(os.path.join(recording, paths[1]), dtype="float32")
    assert len(written) == len(expected) and np.max(np.abs(written - np.clip(expected, -1, 1))) < 1e-3


def test_an_existing_complete_file_is_kept_and_a_partial_one_rewritten(recording, tmp_path):
    table = rows(recording, ("x", 0.5, 1.7), ("y", 1.0, 2.0))
    cut = CutSegments(CutConfig(destination=str(tmp_path / "audio"), relative_to=str(tmp_path)))
    first = [tmp_path / row[c.AUDIO_PATH] for row in cut(table).to_pylist()]
    stamps = [p.stat().st_mtime_ns for p in first]
    first[1].write_bytes(first[1].read_bytes()[:2000])  # a cut file damaged after the fact
    again = [tmp_path / row[c.AUDIO_PATH] for row in cut(table).to_pylist()]
    assert again == first
    assert first[0].stat().st_mtime_ns == stamps[0]  # complete: not rewritten
    assert abs(sf.info(str(first[1])).duration - 1.0) <= 0.01  # incomplete: written again
    assert sorted(p.name for p in (tmp_path / "audio" / "Meet_ing").iterdir()) == sorted(p.name for p in first)  # no temp files left


def test_a_segment_that_cannot_be_cut_is_dropped_with_a_reason(recording, tmp_path):
    table = rows(recording, ("ok", 0.5, 1.0), ("gone", 0.5, 1.0))
    table = table.set_column(table.column_names.index(c.AUDIO_URI), c.AUDIO_URI, pa.array([str(recording / "long.wav"), str(tmp_path / "nope.wav")]))
    out = CutSegments(CutConfig(destination=str(tmp_path / "audio"), relative_to=str(tmp_path)))(table).to_pylist()
    assert out[0][c.KEEP] and not out[1][c.KEEP]
    assert out[1][c.DROP_REASON] == "segment_cut_failed" and "nope.wav" in out[1][c.DROP_DETAIL]


def test_segment_file_names_are_safe_and_distinct():
    names = {segment_file(clip, "D") for clip in ("D/a b", "D/a_b", "D/a?b", "D/../../etc", "D/" + "x" * 500, "D/会议")}
    assert len(names) == 6
    for name in names:
        folder, file = name.split("/")
        assert folder == "D" and ".." not in file.split("-")[0] and len(file) <= 120 and not file.startswith(".")
