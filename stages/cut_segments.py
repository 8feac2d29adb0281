"""CutSegments: a clip that is a segment of a longer file (`start_s`/`end_s` set: AliMeeting windows, a
manifest line with start/end) becomes its own audio file, so the trainer, which loads `audios[].audio`
whole, gets the segment and not the whole recording.

The segment is decoded, mixed to mono, resampled to 16 kHz (the DeSTA trainer's input rate; torchaudio's
sinc resampler, as the measures use) and written as 16-bit FLAC to
`<destination>/<dataset>/<clip name>-<hash>.flac`: the clip name is the clip id made file-system safe, the
hash (of the whole clip id) keeps two clips whose safe names coincide apart. `audio_path` then points at that
file relative to `relative_to` (the data root, the one root every `audios[].audio` is relative to).

Written exactly once: a file that already exists at 16 kHz mono with the segment's duration (within 10 ms)
is kept as it is (a resumed run does not rewrite it); a new file is written under a hidden temporary name and
renamed when complete, so a killed run leaves no partial file under the final name. Whole-file clips pass
through untouched. A segment that cannot be decoded or written is dropped with reason `segment_cut_failed`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import uuid
from dataclasses import dataclass

import fsspec
import numpy as np
import soundfile as sf

from schemas import columns as c
from stages.acoustics.signal import RATE, AudioIssue, read_segment, resample
from stages.base import Stage, mark_dropped, with_columns

DURATION_TOLERANCE_S = 0.01  # a cut file matches its row when their durations differ by at most this
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 96  # characters of the clip id kept in the file name (the hash keeps names unique)


@dataclass(frozen=True)
class CutConfig:
    destination: str  # folder (local path or fsspec URL) the segment files go under
    relative_to: str  # `audio_path` of a cut clip is relative to this root (the data root)


def safe_name(text: str) -> str:
    return UNSAFE.sub("_", text).strip("._")[:MAX_NAME] or "clip"


def segment_file(clip_id: str, dataset: str) -> str:
    """`<dataset>/<safe clip name>-<hash>.flac`: file-system safe, and distinct for distinct clip ids."""
    name = clip_id.removeprefix(f"{dataset}/")
    digest = hashlib.sha1(clip_id.encode("utf-8")).hexdigest()[:10]
    return f"{safe_name(dataset)}/{safe_name(name)}-{digest}.flac"


def relative_path(target: str, root: str) -> str:
    """`target` relative to `root` (both local, or `target` under the URL `root`); else `target` as it is."""
    if "://" not in target and "://" not in root:
        return os.path.relpath(target, root).replace(os.sep, "/")
    prefix = root.rstrip("/") + "/"
    return target[len(prefix) :] if target.startswith(prefix) else target


class CutSegments(Stage):
    name = "cut"
    inputs = {
        c.SOURCE: "the dataset: the folder of its segment files",
        c.CLIP_ID: "names the segment file",
        c.AUDIO_URI: "local path or fsspec URL of the long file",
        c.START_S: "segment start (s) or null",
        c.END_S: "segment end (s) or null",
        c.DURATION_S: "segment duration (s), from the probe",
        c.AUDIO_PATH: "path of the long file relative to the data root",
    }
    outputs = {c.AUDIO_PATH: "a segment's own 16 kHz mono FLAC file (relative to the data root); whole files unchanged"}

    def __init__(self, config: CutConfig):
        super().__init__(config)

    def process(self, table):
        paths, failures = table[c.AUDIO_PATH].to_pylist(), {}
        columns = [c.SOURCE, c.CLIP_ID, c.AUDIO_URI, c.START_S, c.END_S, c.DURATION_S]
        for i, (dataset, clip_id, uri, start, end, duration) in enumerate(zip(*(table[n].to_pylist() for n in columns))):
            if start is None and end is None:
                continue  # a whole file: the trainer loads the source file itself
            target = posixpath.join(self.config.destination.rstrip("/"), segment_file(clip_id, dataset))
            try:
                self.cut(uri, start, end, duration, target)
            except (AudioIssue, OSError, RuntimeError, ValueError, sf.LibsndfileError) as error:
                failures[i] = ("segment_cut_failed", f"{uri} [{start}-{end}s] -> {target}: {str(error)[:200]}")
                continue
            paths[i] = relative_path(target, self.config.relative_to)
        return mark_dropped(with_columns(table, {c.AUDIO_PATH: paths}), self.name, failures)

    def cut(self, uri: str, start: float | None, end: float | None, duration: float, target: str) -> None:
        fs, path = fsspec.core.url_to_fs(target)
        if fs.exists(path) and complete(fs, path, duration):
            return  # written by an earlier run: exactly once
        data, rate = read_segment(uri, start, end, max_seconds=duration + 1.0)
        if not len(data):
            raise AudioIssue("the segment has no samples")
        mono = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
        if rate != RATE:
            mono = resample(mono, rate, RATE)
        folder = posixpath.dirname(path)
        fs.makedirs(folder, exist_ok=True)
        scratch = f"{folder}/.{posixpath.basename(path)}.tmp-{uuid.uuid4().hex[:8]}"  # hidden until complete
        try:
            with fs.open(scratch, "wb") as handle:
                sf.write(handle, np.clip(mono, -1.0, 1.0), RATE, format="FLAC", subtype="PCM_16")
            fs.mv(scratch, path)
        finally:
            if fs.exists(scratch):
                fs.rm(scratch)


def complete(fs, path: str, duration: float) -> bool:
    """The file at `path` is a finished cut of this segment: 16 kHz mono, `duration` long (within 10 ms)."""
    try:
        with fs.open(path, "rb") as handle:
            info = sf.info(handle)
    except (OSError, RuntimeError, sf.LibsndfileError):
        return False
    return info.samplerate == RATE and info.channels == 1 and abs(info.frames / RATE - duration) <= DURATION_TOLERANCE_S
