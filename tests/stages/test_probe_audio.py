"""ProbeAudio on real files written with soundfile: durations, formats and every way a file can be bad."""

from __future__ import annotations

import math

import fsspec
import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf

from schemas import columns as c
from stages.probe_audio import ProbeAudio, ProbeConfig


def probe_table(rows, config=None) -> list[dict]:
    """rows: [(uri, start, end)] -> the probed rows as dicts."""
    table = pa.table(
        {
            c.AUDIO_URI: pa.array([str(r[0]) for r in rows], pa.string()),
            c.START_S: pa.array([r[1] for r in rows], pa.float64()),
            c.END_S: pa.array([r[2] for r in rows], pa.float64()),
        }
    )
    return ProbeAudio(config)(table).to_pylist()


def probe_one(uri, start=None, end=None, config=None) -> dict:
    (row,) = probe_table([(uri, start, end)], config)
    return row


def test_16k_mono_wav(write_wav, tmp_path):
    row = probe_one(write_wav(tmp_path / "a.wav", 2.0))
    assert row[c.DURATION_S] == pytest.approx(2.0, abs=1e-9)
    assert (row[c.SAMPLE_RATE], row[c.CHANNELS]) == (16000, 1)
    assert row[c.KEEP] is True and row[c.DROP_REASON] is None


def test_44k1_stereo_flac(write_wav, tmp_path):
    row = probe_one(write_wav(tmp_path / "b.flac", 1.5, sr=44100, channels=2))
    assert row[c.DURATION_S] == pytest.approx(1.5, abs=1e-9)
    assert (row[c.SAMPLE_RATE], row[c.CHANNELS]) == (44100, 2)
    assert row[c.KEEP] is True


def test_longer_than_one_block(write_wav, tmp_path):
    path = write_wav(tmp_path / "long.wav", 3.0, sr=8000)
    row = probe_one(path, config=ProbeConfig(block_frames=1000))  # 24 blocks
    assert row[c.DURATION_S] == pytest.approx(3.0)
    assert row[c.KEEP]


def test_segment_duration_is_end_minus_start(write_wav, tmp_path):
    path = write_wav(tmp_path / "a.wav", 4.0)
    rows = probe_table([(path, 0.5, 1.5), (path, 1.0, None), (path, None, 2.25), (path, 0.0, 4.0)])
    assert [r[c.DURATION_S] for r in rows] == pytest.approx([1.0, 3.0, 2.25, 4.0])
    assert all(r[c.KEEP] for r in rows)


def test_segment_end_within_10ms_of_the_file_end_is_clamped(write_wav, tmp_path):
    path = write_wav(tmp_path / "a.wav", 2.0)
    row = probe_one(path, 0.5, 2.005)
    assert row[c.KEEP]
    assert row[c.DURATION_S] == pytest.approx(1.5)


@pytest.mark.parametrize("start,end", [(1.5, 3.0), (2.5, None), (0.0, 2.05), (2.0, 2.5)])
def test_segment_beyond_the_end_is_out_of_range(write_wav, tmp_path, start, end):
    path = write_wav(tmp_path / "a.wav", 2.0)
    row = probe_one(path, start, end)
    assert (row[c.KEEP], row[c.DROP_REASON], row[c.DROP_STAGE]) == (False, "segment_out_of_range", "probe")
    assert row[c.DURATION_S] is None and row[c.SAMPLE_RATE] is None and row[c.CHANNELS] is None
    assert row[c.DROP_DETAIL].startswith(f"{path}: ")


def test_missing_file_is_audio_missing_and_named(tmp_path):
    path = tmp_path / "nope.wav"
    row = probe_one(path)
    assert (row[c.KEEP], row[c.DROP_REASON], row[c.DROP_STAGE]) == (False, "audio_missing", "probe")
    assert row[c.DROP_DETAIL].startswith(f"{path}: ")
    assert row[c.DURATION_S] is None


def test_missing_file_url_is_audio_missing(tmp_path):
    assert probe_one(f"file://{tmp_path / 'nope.wav'}")[c.DROP_REASON] == "audio_missing"


def test_missing_fsspec_file_is_audio_missing():
    row = probe_one("memory://desta-tests/does-not-exist.wav")
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_missing")


def test_fsspec_url_is_decoded(write_wav, tmp_path):
    local = write_wav(tmp_path / "a.flac", 1.25, sr=22050)
    fs = fsspec.filesystem("memory")
    fs.pipe("/desta-tests/a.flac", local.read_bytes())
    try:
        row = probe_one("memory://desta-tests/a.flac", 0.25, None)
    finally:
        fs.rm("/desta-tests/a.flac")
    assert row[c.KEEP]
    assert (row[c.SAMPLE_RATE], row[c.CHANNELS]) == (22050, 1)
    assert row[c.DURATION_S] == pytest.approx(1.0, abs=1 / 22050)


def test_file_url_is_a_local_file(write_wav, tmp_path):
    path = write_wav(tmp_path / "a.wav", 1.0)
    row = probe_one(f"file://{path}")
    assert row[c.KEEP] and row[c.DURATION_S] == pytest.approx(1.0)


def test_random_bytes_named_wav_are_undecodable(tmp_path):
    path = tmp_path / "noise.wav"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    row = probe_one(path)
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_undecodable")
    assert row[c.DROP_DETAIL].startswith(f"{path}: ")


def test_text_file_named_flac_is_undecodable(tmp_path):
    path = tmp_path / "notes.flac"
    path.write_text("this is not audio\n" * 20)
    row = probe_one(path)
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_undecodable")


def test_zero_byte_file_is_dropped(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    row = probe_one(path)
    assert row[c.KEEP] is False
    assert row[c.DROP_REASON] in ("audio_undecodable", "audio_empty")
    assert str(path) in row[c.DROP_DETAIL]


def test_header_only_wav_is_dropped_as_empty(tmp_path):
    path = tmp_path / "header.wav"
    sf.write(str(path), np.zeros(0, dtype="float32"), 16000)  # a valid WAV with no frames
    row = probe_one(path)
    assert row[c.KEEP] is False
    assert row[c.DURATION_S] is None
    assert row[c.DROP_DETAIL].startswith(f"{path}: ")


def test_header_only_wav_is_audio_empty(tmp_path):
    path = tmp_path / "header.wav"
    sf.write(str(path), np.zeros(0, dtype="float32"), 16000)
    row = probe_one(path)
    assert row[c.DROP_REASON] == "audio_empty"
    assert "None" not in row[c.DROP_DETAIL]


def test_truncated_wav_is_caught_by_its_header(write_wav, tmp_path):
    """libsndfile reads what is there; the RIFF data-chunk size tells a cut-off file from a short one."""
    path = write_wav(tmp_path / "cut.wav", 2.0, subtype="PCM_16")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    row = probe_one(path)  # must not raise
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_truncated")
    assert f"{len(data) - len(data) // 2} more bytes" in row[c.DROP_DETAIL]


def test_complete_wav_with_trailing_chunk_is_not_truncated(write_wav, tmp_path):
    path = write_wav(tmp_path / "ok.wav", 1.0, subtype="PCM_16")
    path.write_bytes(path.read_bytes() + b"LIST" + (4).to_bytes(4, "little") + b"INFO")
    assert probe_one(path)[c.KEEP] is True


def test_nan_samples_are_not_finite(tmp_path):
    path = tmp_path / "nan.wav"
    data = np.zeros(16000, dtype="float32")
    data[1234] = np.nan
    sf.write(str(path), data, 16000, subtype="FLOAT")
    row = probe_one(path)
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "audio_not_finite")
    assert row[c.DROP_DETAIL].startswith(f"{path}: ")


def test_inf_samples_are_not_finite(tmp_path):
    path = tmp_path / "inf.wav"
    data = np.zeros(16000, dtype="float32")
    data[-1] = np.inf
    sf.write(str(path), data, 16000, subtype="FLOAT")
    assert probe_one(path)[c.DROP_REASON] == "audio_not_finite"


def test_nan_outside_the_segment_is_not_read(tmp_path):
    path = tmp_path / "nan.wav"
    data = np.zeros(32000, dtype="float32")
    data[30000] = np.nan  # at 1.875 s
    sf.write(str(path), data, 16000, subtype="FLOAT")
    row = probe_one(path, 0.0, 1.0)
    assert row[c.KEEP] and row[c.DURATION_S] == pytest.approx(1.0)


def test_min_duration(write_wav, tmp_path):
    short = write_wav(tmp_path / "short.wav", 0.5)
    long = write_wav(tmp_path / "long.wav", 1.5)
    rows = probe_table([(short, None, None), (long, None, None)], ProbeConfig(min_duration_s=1.0))
    assert (rows[0][c.KEEP], rows[0][c.DROP_REASON]) == (False, "audio_too_short")
    assert rows[1][c.KEEP] and rows[1][c.DURATION_S] == pytest.approx(1.5)


def test_one_bad_row_does_not_affect_the_others(write_wav, tmp_path):
    good_a = write_wav(tmp_path / "a.wav", 1.0)
    good_b = write_wav(tmp_path / "b.flac", 2.5, sr=44100, channels=2)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF0000WAVEjunk")
    rows = probe_table([(good_a, None, None), (bad, None, None), (tmp_path / "gone.wav", None, None), (good_b, 0.5, 2.0)])
    assert [r[c.KEEP] for r in rows] == [True, False, False, True]
    assert (rows[0][c.DURATION_S], rows[0][c.SAMPLE_RATE], rows[0][c.CHANNELS]) == (pytest.approx(1.0), 16000, 1)
    assert (rows[3][c.DURATION_S], rows[3][c.SAMPLE_RATE], rows[3][c.CHANNELS]) == (pytest.approx(1.5), 44100, 2)
    assert rows[0][c.DROP_REASON] is None and rows[3][c.DROP_REASON] is None
    assert rows[1][c.DROP_DETAIL].startswith(f"{bad}: ")
    assert rows[2][c.DROP_DETAIL].startswith(f"{tmp_path / 'gone.wav'}: ")


def test_earlier_drop_marks_are_kept(write_wav, tmp_path):
    path = tmp_path / "gone.wav"
    table = pa.table(
        {
            c.AUDIO_URI: [str(path)],
            c.START_S: pa.array([None], pa.float64()),
            c.END_S: pa.array([None], pa.float64()),
            c.KEEP: [False],
            c.DROP_REASON: ["earlier_reason"],
            c.DROP_DETAIL: ["earlier detail"],
            c.DROP_STAGE: ["earlier"],
        }
    )
    (row,) = ProbeAudio()(table).to_pylist()
    assert (row[c.KEEP], row[c.DROP_REASON], row[c.DROP_DETAIL], row[c.DROP_STAGE]) == (
        False, "earlier_reason", "earlier detail", "earlier",
    )  # fmt: skip


def test_missing_input_column_raises_key_error():
    with pytest.raises(KeyError, match="start_s"):
        ProbeAudio()(pa.table({c.AUDIO_URI: ["a.wav"], c.END_S: pa.array([None], pa.float64())}))


def test_infinite_segment_end_is_dropped_not_raised(write_wav, tmp_path):
    path = write_wav(tmp_path / "a.wav", 1.0)
    good = write_wav(tmp_path / "b.wav", 1.0)
    rows = probe_table([(path, 0.0, math.inf), (good, None, None)])
    assert rows[0][c.KEEP] is False
    assert rows[1][c.KEEP] is True


# ---- containers libsndfile cannot read: FFmpeg (torchcodec) ---------------------------------------------


def ffmpeg_encode(source, target, *codec):
    import shutil
    import subprocess

    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is needed (make install installs it)")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(source), *codec, str(target)], check=True)
    return target


@pytest.mark.parametrize("suffix,codec", [(".m4a", ["-c:a", "aac"]), (".webm", ["-c:a", "libopus"]), (".mp4", ["-c:a", "aac"])])
def test_containers_libsndfile_cannot_read_are_decoded_by_ffmpeg(write_wav, tmp_path, suffix, codec):
    encoded = ffmpeg_encode(write_wav(tmp_path / "a.wav", 2.0, sr=16000), tmp_path / f"a{suffix}", *codec)
    row = probe_one(encoded)
    assert row[c.KEEP] is True, row[c.DROP_DETAIL]
    assert row[c.DURATION_S] == pytest.approx(2.0, abs=0.05)
    assert row[c.CHANNELS] == 1 and row[c.SAMPLE_RATE] in (16000, 48000)
    segment = probe_one(encoded, 0.5, 1.5)
    assert segment[c.DURATION_S] == pytest.approx(1.0, abs=0.03)
    beyond = probe_one(encoded, 0.5, 9.0)
    assert (beyond[c.KEEP], beyond[c.DROP_REASON]) == (False, "segment_out_of_range")


def test_broken_and_missing_mp4_are_quarantined_not_raised(tmp_path):
    (tmp_path / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 this is not a movie")
    broken, missing = probe_table([(tmp_path / "broken.mp4", None, None), (tmp_path / "absent.mp4", None, None)])
    assert (broken[c.KEEP], broken[c.DROP_REASON]) == (False, "audio_undecodable")
    assert (missing[c.KEEP], missing[c.DROP_REASON]) == (False, "audio_missing")


def test_mp3_duration_is_what_decodes_every_time(tmp_path):
    """An MP3 header over-counts its frames (encoder padding); the probe reports the decoded length, never
    the unfilled tail of a buffer (which made the same file NaN on some reads and fine on others)."""
    import shutil
    import subprocess

    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        pytest.skip("espeak-ng and sox are needed")
    wav, mp3 = tmp_path / "s.wav", tmp_path / "s.mp3"
    subprocess.run(["espeak-ng", "-v", "en-us+f3", "-w", str(wav), "Please call Stella."], check=True)
    subprocess.run(["sox", str(wav), "-r", "44100", "-c", "1", str(mp3)], check=True)
    decoded, rate = sf.read(str(mp3), dtype="float32")
    with sf.SoundFile(str(mp3)) as header:
        assert header.frames > len(decoded)  # the premise: the header declares more than decodes
    rows = probe_table([(mp3, None, None)] * 40, ProbeConfig(block_frames=4096))
    assert all(row[c.KEEP] for row in rows), {row[c.DROP_REASON] for row in rows}
    assert {row[c.DURATION_S] for row in rows} == {len(decoded) / rate}
