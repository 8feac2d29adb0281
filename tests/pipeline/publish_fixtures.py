"""A small built output folder (what `desta-data run` writes), made without Ray or vLLM: rows in the
real output schema, manifest.json and config.json, written through fsspec to any URL."""

from __future__ import annotations

import hashlib
import json
import random

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import RunConfig
from pipeline.storage import filesystem, join
from schemas.records import AUDIO_PLACEHOLDER
from schemas.tables import OUTPUT_SCHEMA
from stages.build_messages import DEFAULT_SYSTEM_PROMPT

SOURCES = (
    {"name": "alpha", "domain": "speech", "licence": "CC-BY-4.0", "citation": "Alpha et al., 2024 | corpus"},
    {"name": "beta", "domain": "sound", "licence": "CC0-1.0", "citation": None},
    {"name": "gamma", "domain": "music", "licence": None, "citation": "Gamma\nmulti-line"},
)


def clip_duration(source_index: int, clip: int) -> float:
    return 1.0 + source_index + clip * 0.5


def make_rows(clips: int = 12, per_clip: int = 2, sources=SOURCES) -> list[dict]:
    rows = []
    for s, source in enumerate(sources):
        for i in range(clips):
            clip_id = f"{source['name']}/clip{i:03d}"
            audio = f"audio/{source['name']}/clip{i:03d}.wav"
            text = f"words of clip {i}" if source["domain"] == "speech" else " "
            for k in range(per_clip):
                prompt = f"Question {k} about the audio?"
                row = {name: None for name in OUTPUT_SCHEMA.names}
                row.update(
                    id=f"{clip_id}#{k}", dataset=source["name"], seed_description=f"[00:00-00:0{k}] seed {i}",
                    prompt=prompt, response=f"Answer {k} for clip {i} of {source['name']}. " + "detail " * (i % 7),
                    messages=[
                        {"role": "system", "content": DEFAULT_SYSTEM_PROMPT, "audios": None},
                        {"role": "user", "content": f"{prompt} {AUDIO_PLACEHOLDER}", "audios": [{"audio": audio, "text": text}]},
                    ],
                    clip_id=clip_id, domain=source["domain"], audio_path=audio, duration_s=clip_duration(s, i),
                    metadata="{}", prompt_id=f"pool-{k:04d}", model="tiny-model", temperature=0.05, top_p=1.0,
                    max_tokens=64, sampling_seed=i * 10 + k, finish_reason="length" if i % 5 == 0 else "stop",
                    prompt_tokens=30, completion_tokens=10 + i,
                )  # fmt: skip
                rows.append(row)
    return sorted(rows, key=lambda row: row["id"])


def run_config(sources=SOURCES) -> dict:
    config = RunConfig.model_validate(
        {
            "seed": 7,
            "sources": [{**{k: v for k, v in s.items()}, "manifest": f"/data/{s['name']}.jsonl"} for s in sources],
            "generation": {"model": "org/tiny-model", "sampling": {"temperature": 0.05, "max_tokens": 64}},
            "prompts": {"per_clip": 2},
        }
    )
    return json.loads(config.model_dump_json())


def write_output(url: str, rows: list[dict] | None = None, rows_per_part: int = 20, shuffle: bool = False,
                 manifest_extra: dict | None = None, sources=SOURCES) -> str:  # fmt: skip
    """Write a built output folder at `url` (local path or fsspec URL); returns url."""
    rows = make_rows(sources=sources) if rows is None else rows
    ordered = list(rows)
    if shuffle:
        random.Random(3).shuffle(ordered)
    fs, root = filesystem(url)
    fs.makedirs(join(root, "data"), exist_ok=True)
    parts = [ordered[i : i + rows_per_part] for i in range(0, len(ordered), rows_per_part)]
    for index, part in enumerate(parts):
        with fs.open(join(root, "data", f"part-{index:05d}.parquet"), "wb") as handle:
            pq.write_table(pa.Table.from_pylist(part, schema=OUTPUT_SCHEMA), handle, compression="zstd")
    per_source: dict[str, int] = {}
    for row in rows:
        per_source[row["dataset"]] = per_source.get(row["dataset"], 0) + 1
    manifest = {
        "complete": True, "pipeline_version": "0.1.0", "config_fingerprint": "0123456789abcdef", "model": "tiny-model",
        "sampling": {"temperature": 0.05, "top_p": 1.0, "max_tokens": 64, "repetition_penalty": 1.0}, "seed": 7,
        "rows": len(rows), "rows_per_source": dict(sorted(per_source.items())),
        "shards": [f"data/part-{i:05d}.parquet" for i in range(len(parts))],
        "quarantined": {"audio_missing": 2, "bad_json": 1}, "quarantined_total": 3,
        "package_versions": {"pyarrow": pa.__version__}, "bins": None, **(manifest_extra or {}),
    }  # fmt: skip
    fs.pipe(join(root, "manifest.json"), json.dumps(manifest, indent=2).encode())
    fs.pipe(join(root, "config.json"), json.dumps(run_config(sources), indent=2).encode())
    return url


def canonical_rows(table: pa.Table) -> list[str]:
    """Rows as sorted JSON strings: equal lists mean equal row multisets."""
    return sorted(json.dumps(row, sort_keys=True) for row in table.to_pylist())


def digests(url: str) -> dict[str, str]:
    """{relative path: sha256} of every file under a folder (fsspec URL or local path)."""
    fs, root = filesystem(url)
    root = root.rstrip("/")
    return {path[len(root) + 1 :]: hashlib.sha256(fs.cat_file(path)).hexdigest() for path in sorted(fs.find(root))}
