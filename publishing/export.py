"""`desta-data export --format desta-jsonl`: the DeSTA trainer's JSONL, validated row by row.

One file per split (`train.jsonl`, `validation.jsonl`), or `train-00000-of-00004.jsonl`... with
`rows_per_file`. Every record is checked against the trainer's rules (`publishing.trainer_format`)
before it is written; the first bad row stops the export with its file, row number and id, and the
files of this export are removed, so a folder never holds a half-valid export.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow.parquet as pq

from publishing.built_output import OutputError, read_schema, split_files
from pipeline.storage import filesystem, join, open_atomic
from publishing.trainer_format import audio_paths, to_trainer_record, trainer_problems
from schemas import columns as c

FORMATS = ("desta-jsonl",)
OUR_FILES = re.compile(r"^(train|validation|test)(-\d{5}-of-\d{5})?\.jsonl$")
READ_ROWS = 1_000


class ExportError(Exception):
    """A row breaks the trainer's rules; the message names the file, the row and its id."""


@dataclass
class ExportSummary:
    output_dir: str
    files: dict[str, list[str]] = field(default_factory=dict)  # split -> file names
    rows: dict[str, int] = field(default_factory=dict)
    audio_paths: set[str] = field(default_factory=set)
    audio_durations: dict[str, float] = field(default_factory=dict)  # path -> duration_s of the first row naming it


def file_names(split: str, rows: int, rows_per_file: int | None) -> list[str]:
    if rows_per_file is None:
        return [f"{split}.jsonl"]
    count = max(1, math.ceil(rows / rows_per_file))
    return [f"{split}-{i:05d}-of-{count:05d}.jsonl" for i in range(count)]


def trainer_lines(urls: list[str], summary: ExportSummary) -> Iterator[str]:
    """JSON lines of the trainer's records, in file order; ExportError on the first invalid row."""
    for url in urls:
        fs, path = filesystem(url)
        with fs.open(path, "rb") as handle:
            number = 0
            for batch in pq.ParquetFile(handle).iter_batches(batch_size=READ_ROWS, columns=[c.ID, c.MESSAGES, c.RESPONSE, c.DURATION_S]):
                for row in batch.to_pylist():
                    record = to_trainer_record(row)
                    problems = trainer_problems(record)
                    if problems:
                        raise ExportError(f"{url}: row {number} (id {row[c.ID]!r}) breaks the trainer's rules: {'; '.join(problems)}")
                    for path in audio_paths(record):
                        summary.audio_paths.add(path)
                        summary.audio_durations.setdefault(path, row[c.DURATION_S])
                    number += 1
                    yield json.dumps(record, ensure_ascii=False) + "\n"


def export_jsonl(input_dir: str, output_dir: str, rows_per_file: int | None = None) -> ExportSummary:
    splits = split_files(input_dir)
    read_schema([url for urls in splits.values() for url in urls])  # one schema, the needed columns
    in_fs, in_root = filesystem(input_dir)
    out_fs, out_root = filesystem(output_dir)
    if in_fs.protocol == out_fs.protocol and in_root.rstrip("/") == out_root.rstrip("/"):
        raise OutputError(f"--output {output_dir} is the input folder; choose another folder for the JSONL")
    summary = ExportSummary(output_dir)
    try:
        for split, urls in splits.items():
            total = sum(_rows(url) for url in urls)
            lines = trainer_lines(urls, summary)
            names = file_names(split, total, rows_per_file)
            for name in names:
                with open_atomic(join(output_dir, name), "w") as handle:
                    handle.writelines(itertools.islice(lines, rows_per_file))
                summary.files.setdefault(split, []).append(name)
            summary.rows[split] = total
    except BaseException:
        for name in (n for names in summary.files.values() for n in names):
            out_fs.rm(join(out_root, name))
        raise
    written = {n for names in summary.files.values() for n in names}
    for path in out_fs.glob(f"{out_root.rstrip('/')}/*.jsonl"):
        name = path.rsplit("/", 1)[-1]
        if OUR_FILES.match(name) and name not in written:
            out_fs.rm(path)  # a file of an earlier export with another layout
    return summary


def _rows(url: str) -> int:
    fs, path = filesystem(url)
    with fs.open(path, "rb") as handle:
        return pq.ParquetFile(handle).metadata.num_rows


def missing_audio(paths: set[str], data_root: str) -> list[str]:
    """The referenced audio paths (relative to `data_root`, or absolute, or URLs) that do not exist, sorted."""
    root_fs, root = filesystem(data_root)
    missing = []
    for path in sorted(paths):
        if "://" in path:
            fs, target = filesystem(path)
        elif os.path.isabs(path):
            fs, target = filesystem(path)
        else:
            fs, target = root_fs, join(root, path)
        if not fs.exists(target):
            missing.append(path)
    return missing


DURATION_TOLERANCE_S = 0.01  # a referenced file and its rows' duration_s differ by at most this (MP3: its header's slack)


def audio_problems(durations: dict[str, float], data_root: str) -> list[str]:
    """What is wrong with the referenced audio (paths relative to `data_root`, absolute, or URLs), sorted by path:
    `missing: PATH`, or `duration: PATH lasts Xs, its rows say Ys` (more than 10 ms apart; a cut segment must be
    the segment, a whole file the file the row was probed from). Read from headers only; containers libsndfile
    cannot read (MP4, WebM) are checked for existence only."""
    import soundfile as sf

    from stages.probe_audio import MP3_SLACK_S, readable_by_soundfile

    root_fs, root = filesystem(data_root)
    problems = []
    for path in sorted(durations):
        fs, target = filesystem(path) if "://" in path or os.path.isabs(path) else (root_fs, join(root, path))
        if not fs.exists(target):
            problems.append(f"missing: {path}")
            continue
        if not readable_by_soundfile(path):
            continue
        try:
            with fs.open(target, "rb") as handle:
                info = sf.info(handle)
        except (OSError, RuntimeError, sf.LibsndfileError) as error:
            problems.append(f"undecodable: {path} ({str(error)[:80]})")
            continue
        lasts = info.frames / info.samplerate
        tolerance = MP3_SLACK_S if info.format == "MP3" else DURATION_TOLERANCE_S
        if abs(lasts - durations[path]) > tolerance + 1e-9:
            problems.append(f"duration: {path} lasts {lasts:.3f}s, its rows say {durations[path]:.3f}s")
    return problems
