"""The dataset card written with the shards: Hub front matter, sources, recipe, statistics."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from publishing.card import hub_licence, size_category
from pipeline.config import CardConfig, ShardConfig
from publishing.shard import shard
from publish_fixtures import SOURCES, clip_duration, make_rows, write_output
from stages.prompt_pool import load_pool


def front_matter(text: str) -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, text[:200]
    return yaml.safe_load(match.group(1))


def table_row(text: str, first_cell: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"| {first_cell} |"))
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


@pytest.fixture
def sharded(tmp_path):
    built = write_output(str(tmp_path / "built"), make_rows(clips=12, per_clip=2), manifest_extra={"bins": {"version": "v3", "file": "v3.json"}})
    summary = shard(built, str(tmp_path / "desta-mini"), ShardConfig(max_rows=20, validation_fraction=0.2))
    return tmp_path / "desta-mini", summary


def test_front_matter_is_what_the_hub_reads_and_lists_every_shard(sharded):
    folder, summary = sharded
    text = (folder / "README.md").read_text()
    meta = front_matter(text)
    shards = {split: sorted(f"data/{p.name}" for p in (folder / "data").glob(f"{split}-*.parquet")) for split in ("train", "validation")}
    assert meta["configs"] == [{"config_name": "default", "data_files": [{"split": "train", "path": shards["train"]},
                                                                         {"split": "validation", "path": shards["validation"]}]}]  # fmt: skip
    assert len(shards["train"]) >= 2 and shards["validation"]
    assert meta["license"] == ["cc-by-4.0", "cc0-1.0", "unknown"]  # gamma declares none
    assert meta["size_categories"] == ["n<1K"] and meta["language"] == ["en"] and meta["task_categories"] == ["audio-text-to-text"]
    assert meta["pretty_name"] == "desta-mini"

    from huggingface_hub import DatasetCard

    card = DatasetCard(text)  # the Hub library's own parser
    assert card.data.configs == meta["configs"] and card.data.license == meta["license"]


def test_sources_table_counts_rows_clips_and_hours_of_distinct_clips(sharded):
    folder, _ = sharded
    text = (folder / "README.md").read_text()
    for index, source in enumerate(SOURCES):
        hours = sum(clip_duration(index, clip) for clip in range(12)) / 3600  # 2 rows a clip, counted once
        cells = table_row(text, source["name"])
        assert cells[1:5] == ["24", "12", f"{hours:.3f}", source["domain"]]
    assert table_row(text, "alpha")[5:] == ["CC-BY-4.0", "Alpha et al., 2024 \\| corpus"]
    assert table_row(text, "gamma")[5:] == ["**not declared**", "Gamma multi-line"]
    assert "**Licence not declared** for: gamma." in text
    assert table_row(text, "**total**")[1:3] == ["72", "36"]


def test_recipe_and_statistics(sharded):
    folder, summary = sharded
    text = (folder / "README.md").read_text()
    speech, sound, music = (len(load_pool(None, domain)) for domain in ("speech", "sound", "music"))
    for expected in [
        "- Model: `tiny-model`",
        "- Sampling: max_tokens 64, repetition_penalty 1.0, temperature 0.05, top_p 1.0",
        "- System prompt: `You are a helpful assistant. The audio clips appear between <start_audio> and <end_audio> tags.`",
        f"- Prompt pool size: music: {music}, sound: {sound}, speech: {speech}; prompts per clip: 2",
        "- Attribute bin edges: v3",
        "- Pipeline version: desta-data 0.1.0",
        "- Config fingerprint: `0123456789abcdef`",
        "- Rows (run manifest): 72 (alpha: 24, beta: 24, gamma: 24)",
        "- Quarantined inputs: 3 (audio_missing: 2, bad_json: 1)",
        "- Finish reasons: length: 18, stop: 54",
    ]:
        assert expected in text, expected
    train = summary.splits["train"]
    assert table_row(text, "train")[1:] == [f"{train['rows']:,}", str(train["clips"]), str(len(train["files"])), f"{sum(train['bytes']):,}"]


def test_card_counts_flagged_responses_and_rescued_retries(tmp_path):
    checks = {"flagged_first_pass": {"leak": 4, "truncated": 3}, "retries": 2, "rounds": [], "rescued": 5}
    built = write_output(str(tmp_path / "built"), make_rows(clips=3), manifest_extra={"flagged": {"leak": 1, "truncated": 1}, "checks": checks})
    shard(built, str(tmp_path / "s"), ShardConfig())
    text = (tmp_path / "s" / "README.md").read_text()
    assert "- Flagged responses, kept out of the shards (the run's `flagged/`): 2 (leak: 1, truncated: 1)" in text
    assert "- Response checks, first generation: leak: 4, truncated: 3" in text
    assert "- Retries: up to 2 per flagged row, each with its own seed; 5 row(s) rescued" in text
    older = write_output(str(tmp_path / "older"), make_rows(clips=3))  # a run from before the checks says nothing about them
    shard(older, str(tmp_path / "s2"), ShardConfig())
    assert "Flagged responses" not in (tmp_path / "s2" / "README.md").read_text()


def test_card_without_bins_says_na_and_config_overrides_licence(tmp_path):
    built = write_output(str(tmp_path / "built"), make_rows(clips=3))
    card = CardConfig(license="other", pretty_name="Mini", language=["en", "zh"])
    shard(built, str(tmp_path / "s"), ShardConfig(), card)
    text = (tmp_path / "s" / "README.md").read_text()
    meta = front_matter(text)
    assert (meta["license"], meta["pretty_name"], meta["language"]) == ("other", "Mini", ["en", "zh"])
    assert "- Attribute bin edges: n/a" in text and "# Mini\n" in text


def test_load_dataset_on_the_sharded_folder_yields_the_splits(sharded, tmp_path, monkeypatch):
    folder, summary = sharded
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    loaded = datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "cache"))
    assert set(loaded) == {"train", "validation"}
    assert {split: loaded[split].num_rows for split in loaded} == {s: info["rows"] for s, info in summary.splits.items()}
    assert set(loaded["train"]["clip_id"]).isdisjoint(loaded["validation"]["clip_id"])
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["splits"]["validation"]["rows"] == loaded["validation"].num_rows


def test_size_categories_and_licence_ids():
    assert [size_category(n) for n in (0, 999, 1_000, 82_000, 4_963_845, 2_000_000_000)] == [
        "n<1K", "n<1K", "1K<n<10K", "10K<n<100K", "1M<n<10M", "n>1B"]  # fmt: skip
    assert [hub_licence(x) for x in ("CC-BY-4.0", "MIT", None, "", "custom: see website")] == ["cc-by-4.0", "mit", "unknown", "unknown", "other"]
