"""Budgets and prompts per source in the config and at ingest: validation, the fingerprint, resume refused
naming the changed key, and the run's own ingest step (`pipeline.steps.ingest_sources`, without Ray) selecting by hash."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from pipeline.config import ConfigError, load_config
from pipeline.progress import PARTS, PROGRESS, prepare_output, skip_committed, unit_name
from pipeline.quarantine import read_quarantine
from pipeline.sources import source_specs
from pipeline.steps import ingest_sources
from schemas import columns as c
from stages.sample_prompts import PromptsConfig, SamplePrompts

REPO = Path(__file__).resolve().parents[2]
DEMO_RAW = yaml.safe_load((REPO / "configs" / "demo.yaml").read_text(encoding="utf-8"))


def write_config(tmp_path: Path, sources: list[dict], name: str = "run.yaml", **top) -> Path:
    raw = copy.deepcopy(DEMO_RAW)
    raw["data_root"] = str(tmp_path / "data")
    raw["sources"] = sources
    raw["generation"]["model"] = str(REPO / ".models" / "SmolLM2-135M-Instruct")
    raw["attributes"] = {"enabled": False}
    raw["output"] = {"dir": str(tmp_path / "out")}
    raw.update(top)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def write_source(tmp_path: Path, write_wav, name: str, clips: int, bad_line: bool = False, declared: bool = False) -> list[str]:
    """A manifest of `clips` real WAV files of 0.5-3 s (a duration per clip); returns its lines."""
    folder = tmp_path / "data" / name
    rng = random.Random(name)
    lines = []
    for i in range(clips):
        seconds = round(rng.uniform(0.5, 3.0), 2)
        write_wav(folder / "audio" / f"{i:03d}.wav", seconds, sr=8000)
        line = {"audio": f"audio/{i:03d}.wav", "id": f"c{i:03d}", "transcript": "hello"}
        lines.append(json.dumps({**line, "duration": seconds} if declared else line))
    if bad_line:
        lines.append("{not json")
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n")
    return lines


def source(name: str, **extra) -> dict:
    return {"name": name, "manifest": f"{name}/manifest.jsonl", "domain": "speech", **extra}


def ingested(config, output: Path, index: int = 0) -> list[dict]:
    """What the run's ingest step yields for one source: rows past selection, quarantine and resume."""
    batch = pa.table({"source_index": [index]})
    tables = ingest_sources(batch, source_specs(config), str(output), 4, "token", config.prompts.per_clip,
                           [s.clip_budget() for s in config.sources], config.seed, config.prompts_per_source())  # fmt: skip
    return [row for table in tables for row in table.to_pylist()]


def clips_of(rows: list[dict]) -> set[str]:
    return {row[c.CLIP_ID] for row in rows}


# ---- config -----------------------------------------------------------------------------------------


def test_budget_keys_are_validated_and_named(tmp_path):
    for budget, where in (({}, "sources.0.budget"), ({"fraction": 0}, "sources.0.budget.fraction"),
                          ({"max_clips": 0}, "sources.0.budget.max_clips"), ({"max_files": 3}, "sources.0.budget.max_files")):  # fmt: skip
        with pytest.raises(ConfigError) as info:
            load_config(write_config(tmp_path, [source("a", budget=budget)]))
        assert f": {where}" in str(info.value)
    with pytest.raises(ConfigError, match="sources.0.prompts_per_clip"):
        load_config(write_config(tmp_path, [source("a", prompts_per_clip=0)]))
    with pytest.raises(ConfigError, match="sources.0.published.source"):
        load_config(write_config(tmp_path, [source("a", published={"hours": 1, "clips": 2})]))


def test_budgets_and_prompts_per_clip_are_in_the_fingerprint_published_sizes_are_not(tmp_path):
    plain = load_config(write_config(tmp_path, [source("a")]))
    assert not {"budget", "prompts_per_clip", "published"} & set(plain.decisive()["sources"][0])  # older runs keep theirs
    assert "throughput_tokens_per_s" not in plain.decisive()["generation"]
    published = load_config(write_config(tmp_path, [source("a", published={"hours": 1.5, "clips": 9, "source": "README"})],
                                         generation={**DEMO_RAW["generation"], "model": plain.generation.model, "throughput_tokens_per_s": 99}))  # fmt: skip
    assert published.fingerprint() == plain.fingerprint()
    budgeted = load_config(write_config(tmp_path, [source("a", budget={"max_clips": 5})]))
    per_clip = load_config(write_config(tmp_path, [source("a", prompts_per_clip=3)]))
    assert len({plain.fingerprint(), budgeted.fingerprint(), per_clip.fingerprint()}) == 3
    assert per_clip.prompts_per_source() == {"a": 3} and plain.prompts_per_source() == {"a": DEMO_RAW["prompts"]["per_clip"]}


def test_a_budget_change_refuses_to_resume_naming_the_key(tmp_path, write_wav):
    write_source(tmp_path, write_wav, "a", 3)
    first = load_config(write_config(tmp_path, [source("a", budget={"max_clips": 2})]))
    assert prepare_output(first, restart=False) is None
    assert prepare_output(load_config(write_config(tmp_path, [source("a", budget={"max_clips": 2})])), restart=False) is None
    grown = load_config(write_config(tmp_path, [source("a", budget={"max_clips": 3})]))
    with pytest.raises(ConfigError, match=r"changed: sources\.0\.budget\.max_clips \(2 -> 3\)"):
        prepare_output(grown, restart=False)
    added = load_config(write_config(tmp_path, [source("a", budget={"max_clips": 2}, prompts_per_clip=4)]))
    with pytest.raises(ConfigError, match=r"sources\.0\.prompts_per_clip"):
        prepare_output(added, restart=False)


# ---- at ingest --------------------------------------------------------------------------------------


def test_ingest_selects_the_same_clips_whatever_the_manifest_order(tmp_path, write_wav):
    lines = write_source(tmp_path, write_wav, "a", 30, bad_line=True)
    config = load_config(write_config(tmp_path, [source("a", budget={"max_clips": 8})]))
    rows = ingested(config, tmp_path / "out1")
    assert len(rows) == 8 and all(row[c.CLIP_ID].startswith("a/c") for row in rows)
    shuffled = lines[:]
    random.Random(3).shuffle(shuffled)
    (tmp_path / "data" / "a" / "manifest.jsonl").write_text("\n".join(shuffled) + "\n")
    assert clips_of(ingested(config, tmp_path / "out2")) == clips_of(rows)
    # the bad line is quarantined; the 22 clips left out are not
    quarantined = read_quarantine(str(tmp_path / "out1")).to_pylist()
    assert [r[c.DROP_REASON] for r in quarantined] == ["bad_json"]


def test_a_grown_budget_keeps_the_smaller_budget_s_clips(tmp_path, write_wav):
    write_source(tmp_path, write_wav, "a", 40, declared=True)
    selections = []
    for budget in ({"max_clips": 5}, {"max_clips": 12}, {"max_clips": 12, "fraction": 0.9}, {"fraction": 0.9}):
        config = load_config(write_config(tmp_path, [source("a", budget=budget)]))
        selections.append(clips_of(ingested(config, tmp_path / f"out{len(selections)}")))
    assert len(selections[0]) == 5 and len(selections[1]) == 12
    assert selections[0] < selections[1] <= selections[2] < selections[3] < {f"a/c{i:03d}" for i in range(40)}


def test_max_hours_uses_declared_durations_or_reads_headers(tmp_path, write_wav):
    lines = write_source(tmp_path, write_wav, "a", 30, declared=True)
    seconds = {f"a/{json.loads(line)['id']}": json.loads(line)["duration"] for line in lines}
    config = load_config(write_config(tmp_path, [source("a", budget={"max_hours": 0.01})]))  # 36 s
    chosen = clips_of(ingested(config, tmp_path / "out1"))
    assert 30 < sum(seconds[clip] for clip in chosen) <= 36 and len(chosen) < 30
    # the same clips when the manifest states no durations: the headers say the same
    (tmp_path / "data" / "a" / "manifest.jsonl").write_text(
        "\n".join(json.dumps({k: v for k, v in json.loads(line).items() if k != "duration"}) for line in lines) + "\n"
    )
    assert clips_of(ingested(config, tmp_path / "out2")) == chosen


def test_each_source_is_cut_on_its_own(tmp_path, write_wav):
    write_source(tmp_path, write_wav, "a", 20)
    write_source(tmp_path, write_wav, "b", 25)
    alone = load_config(write_config(tmp_path, [source("a", budget={"max_clips": 6})]))
    both = load_config(write_config(tmp_path, [source("b", budget={"max_clips": 3}), source("a", budget={"max_clips": 6})], name="both.yaml"))
    assert clips_of(ingested(both, tmp_path / "out2", index=1)) == clips_of(ingested(alone, tmp_path / "out1"))
    assert len(clips_of(ingested(both, tmp_path / "out3", index=0))) == 3


def test_prompts_per_clip_per_source_reach_sampling_and_resume(tmp_path):
    table = pa.table({c.CLIP_ID: ["a/x", "b/y"], c.DOMAIN: ["speech", "speech"], c.SOURCE: ["a", "b"], c.TRANSCRIPT: ["hi", "yo"],
                      c.LABELS: pa.array([[], []], pa.list_(pa.string())), c.CAPTION: [None, None], c.METADATA: ["{}", "{}"]})
    rows = SamplePrompts(PromptsConfig(per_clip=1, per_source={"b": 3}))(table).to_pylist()
    assert [r[c.ID] for r in rows] == ["a/x#0", "b/y#0", "b/y#1", "b/y#2"]
    # resume: a clip is done only when all of its source's rows are committed
    output = tmp_path / "out"
    (output / PARTS).mkdir(parents=True)
    (output / PARTS / "d1.parquet").write_bytes(b"")  # the part's presence is what counts
    for unit, ids in ((unit_name("a", 0), ["a/x#0"]), (unit_name("b", 0), ["b/y#0", "b/y#1"])):
        (output / PROGRESS / unit).mkdir(parents=True)
        (output / PROGRESS / unit / "d1.ids").write_text("\n".join(ids) + "\n")
    clips = table.append_column(c.UNIT, pa.array([unit_name("a", 0), unit_name("b", 0)]))
    pending = skip_committed(clips, str(output), "t1", per_clip=1, per_source={"b": 3})
    assert pending[c.CLIP_ID].to_pylist() == ["b/y"]
    (output / PROGRESS / unit_name("b", 0) / "d1.ids").write_text("b/y#0\nb/y#1\nb/y#2\n")
    assert skip_committed(clips, str(output), "t2", per_clip=1, per_source={"b": 3}).num_rows == 0
