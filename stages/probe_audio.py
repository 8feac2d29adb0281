"""Probe: decode each clip (through fsspec + soundfile) to learn its duration, sample rate and channels.

The whole segment is decoded in blocks, so a truncated or corrupt file is caught here rather than by
the trainer, while memory stays bounded by one block whatever the file's length. Containers libsndfile
does not read (MP4/M4A, WebM/Opus, as MELD, AudioCaps and EMNS ship them) are decoded by FFmpeg
through torchcodec, in blocks too.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from dataclasses import dataclass

import fsspec
import numpy as np
import soundfile as sf

from schemas import columns as c
from stages.base import Stage, mark_dropped, with_columns


MP3_SLACK_S = 0.1  # how far an MP3's decoded length may fall short of the length its header declares


@dataclass(frozen=True)
class ProbeConfig:
    block_frames: int = 65536
    min_duration_s: float = 0.0  # clips not longer than this are dropped (0: only empty clips)


class ProbeAudio(Stage):
    name = "probe"
    inputs = {
        c.AUDIO_URI: "local path or fsspec URL to open",
        c.START_S: "segment start (s) or null",
        c.END_S: "segment end (s) or null",
    }
    outputs = {c.DURATION_S: "segment duration (s)", c.SAMPLE_RATE: "Hz", c.CHANNELS: "channel count"}

    def __init__(self, config: ProbeConfig | None = None):
        super().__init__(config or ProbeConfig())

    def process(self, table):
        durations, rates, channels, failures = [], [], [], {}
        rows = zip(table[c.AUDIO_URI].to_pylist(), table[c.START_S].to_pylist(), table[c.END_S].to_pylist())
        for i, (uri, start, end) in enumerate(rows):
            try:
                duration, rate, count = self.probe(uri, start, end)
            except ProbeError as error:
                failures[i] = (error.reason, f"{uri}: {error}")
                duration = rate = count = None
            durations.append(duration)
            rates.append(rate)
            channels.append(count)
        table = with_columns(table, {c.DURATION_S: durations, c.SAMPLE_RATE: rates, c.CHANNELS: channels})
        return mark_dropped(table, self.name, failures)

    def probe(self, uri: str, start: float | None, end: float | None) -> tuple[float, int, int]:
        if not all(math.isfinite(bound) for bound in (start, end) if bound is not None):
            raise ProbeError("segment_invalid", f"segment bounds must be finite numbers, got {start}-{end}")
        try:
            with open_audio(uri) as source:
                missing = wav_missing_bytes(source)
                if missing:
                    raise ProbeError("audio_truncated", f"the WAV header declares {missing} more bytes of samples than the file holds")
            if not readable_by_soundfile(uri):
                return self._probe_ffmpeg(uri, start, end)
            with open_audio(uri) as source, sf.SoundFile(source) as audio:
                rate, total = audio.samplerate, audio.frames
                if total == 0:
                    raise ProbeError("audio_empty", "the audio has no samples")
                first = round((start or 0.0) * rate)
                last = total if end is None else round(end * rate)
                if first >= total or last > total + rate // 100:  # 10 ms tolerance on a segment's end
                    raise ProbeError("segment_out_of_range", f"segment {start}-{end}s is outside the file ({total / rate:.3f}s)")
                last = min(last, total)
                if last - first <= 0:
                    raise ProbeError("audio_empty", "the audio has no samples")
                audio.seek(first)
                decoded = 0
                # read() returns only the frames decoded (soundfile's blocks() would hand back the unfilled
                # tail of its buffer when a file holds fewer frames than its header says, as MP3s do).
                while decoded < last - first:
                    block = audio.read(min(self.config.block_frames, last - first - decoded), dtype="float32", always_2d=True)
                    if not len(block):
                        break
                    if not np.isfinite(block).all():
                        raise ProbeError("audio_not_finite", "the audio holds NaN or infinite samples")
                    decoded += len(block)
                # MP3 frame counts are estimates (encoder padding): a few ms less is the file, not a cut.
                slack = round(MP3_SLACK_S * rate) if audio.format == "MP3" else 0
                if decoded < last - first - slack or decoded == 0:
                    raise ProbeError("audio_truncated", f"decoded {decoded} of {last - first} frames")
                duration = decoded / rate
                if duration <= self.config.min_duration_s:
                    raise ProbeError("audio_too_short", f"{duration:.3f}s is not longer than {self.config.min_duration_s}s")
                return duration, rate, audio.channels
        except ProbeError:
            raise
        except FileNotFoundError as error:
            raise ProbeError("audio_missing", f"no such file ({error})") from None
        except (sf.LibsndfileError, RuntimeError, ValueError, EOFError) as error:
            raise ProbeError("audio_undecodable", str(error)) from None
        except OSError as error:
            raise ProbeError("audio_unreadable", str(error)) from None

    def _probe_ffmpeg(self, uri: str, start: float | None, end: float | None) -> tuple[float, int, int]:
        rate = channels = decoded = 0
        for block, rate in ffmpeg_blocks(uri, start, end):
            if not np.isfinite(block).all():
                raise ProbeError("audio_not_finite", "the audio holds NaN or infinite samples")
            channels, decoded = block.shape[1], decoded + len(block)
        if decoded == 0:
            raise ProbeError("audio_empty" if not start else "segment_out_of_range", f"no samples in {start or 0}-{end or 'end'}s")
        duration = decoded / rate
        if end is not None and (start or 0) + duration < end - 0.05:
            raise ProbeError("segment_out_of_range", f"segment {start}-{end}s is outside the file (ends at {(start or 0) + duration:.3f}s)")
        if duration <= self.config.min_duration_s:
            raise ProbeError("audio_too_short", f"{duration:.3f}s is not longer than {self.config.min_duration_s}s")
        return duration, rate, channels


# Containers that libsndfile reads (WAV, FLAC, OGG/Vorbis+Opus, MP3, AIFF, AU, ...); others go to FFmpeg.
FFMPEG_SUFFIXES = (".mp4", ".m4a", ".aac", ".webm", ".mkv", ".mov", ".wma", ".amr", ".opus")


def readable_by_soundfile(uri: str) -> bool:
    return not uri.lower().split("?", 1)[0].endswith(FFMPEG_SUFFIXES)


def ffmpeg_blocks(uri: str, start: float | None, end: float | None, block_s: float = 60.0):
    """(frames x channels float32 block, rate) of [start, end) decoded by FFmpeg (torchcodec), a block at a time."""
    from torchcodec.decoders import AudioDecoder

    with open_audio(uri) as source:
        handle = open(source, "rb") if isinstance(source, str) else source
        try:
            decoder = AudioDecoder(handle)
            position = start or 0.0
            while end is None or position < end:
                stop = position + block_s if end is None else min(end, position + block_s)
                try:
                    samples = decoder.get_samples_played_in_range(position, stop)
                except (RuntimeError, ValueError):
                    if position == (start or 0.0):
                        raise
                    return  # past the end of the stream
                block = samples.data.numpy().T
                if not len(block):
                    return
                yield np.ascontiguousarray(block, dtype=np.float32), samples.sample_rate
                position = stop
        finally:
            if isinstance(source, str):
                handle.close()


def read_with_ffmpeg(uri: str, start: float | None, end: float | None, max_seconds: float) -> tuple[np.ndarray, int]:
    """At most `max_seconds` of [start, end) as (frames x channels float32, rate), decoded by FFmpeg."""
    stop = (start or 0.0) + max_seconds if end is None else min(end, (start or 0.0) + max_seconds)
    blocks, rate = [], 0
    for block, rate in ffmpeg_blocks(uri, start, stop):
        blocks.append(block)
    return (np.concatenate(blocks) if blocks else np.zeros((0, 1), np.float32)), rate


def wav_missing_bytes(source) -> int:
    """Bytes a RIFF/WAVE file's `data` chunk declares beyond the end of the file (0: complete or not a WAV).

    libsndfile silently reads what is there, so a cut-off download would otherwise pass as a shorter clip.
    """
    handle = open(source, "rb") if isinstance(source, str) else source
    try:
        header = handle.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            return 0
        while True:
            chunk = handle.read(8)
            if len(chunk) < 8:
                return 0
            name, size = chunk[:4], int.from_bytes(chunk[4:], "little")
            if name == b"data":
                if size in (0, 0xFFFFFFFF):  # streaming writers leave the size unset
                    return 0
                start = handle.tell()
                end = handle.seek(0, os.SEEK_END)
                return max(0, size - (end - start))
            handle.seek(size + (size & 1), os.SEEK_CUR)
    finally:
        if isinstance(source, str):
            handle.close()
        else:
            handle.seek(0)


class ProbeError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@contextmanager
def open_audio(uri: str):
    """Local files go straight to libsndfile; anything else through fsspec."""
    if "://" not in uri or uri.startswith("file://"):
        path = uri.removeprefix("file://")
        if not os.path.isfile(path):  # libsndfile reports a missing file as a generic open error
            raise FileNotFoundError(path)
        yield path
    else:
        with fsspec.open(uri, "rb") as handle:
            yield handle


