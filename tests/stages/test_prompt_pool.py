"""Prompt pools: the bundled pools' size and distinctness, reading and checking pool files, near-duplicates."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import Counter

import pytest

from schemas.prompts import CATEGORIES, DOMAINS, MUSIC_ONLY_NEEDS, NEEDS
from stages.prompt_pool import (
    NEAR_DUPLICATE,
    NearDuplicateIndex,
    clusters,
    is_yes_no,
    jaccard,
    load_pool,
    near_duplicate_pairs,
    shingles,
    words,
)

POOLS = {domain: load_pool(None, domain) for domain in DOMAINS}


# ---- the bundled pools ---------------------------------------------------------------------------------


def test_bundled_pools_hold_over_7000_prompts_with_no_near_duplicates_within_or_across_pools():
    sizes = {domain: len(entries) for domain, entries in POOLS.items()}
    assert sizes["speech"] >= 4000 and sizes["sound"] >= 1500 and sizes["music"] >= 1500, sizes
    texts = {(domain, e.prompt_id): e.prompt for domain, entries in POOLS.items() for e in entries}
    assert len(texts) >= 7000
    pairs = near_duplicate_pairs(texts)
    shown = [(texts[a], texts[b], float(s)) for a, b, s in pairs[:5]]
    assert pairs == [], shown


@pytest.mark.parametrize("domain", DOMAINS)
def test_bundled_pool_entries_are_clean_and_tagged(domain):
    entries = POOLS[domain]
    ids = [e.prompt_id for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(rf"{domain}-\d{{5}}", i) for i in ids)
    prompts = [e.prompt for e in entries]
    assert len(set(p.lower() for p in prompts)) == len(prompts)
    assert all(p == " ".join(p.split()) and p[0].isupper() and p[-1] in ".?!" for p in prompts)
    # A prompt lands inside the user turn next to the audio placeholder: it must not hold one itself.
    for marker in ("<|AUDIO|>", "<start_audio>", "<end_audio>", "{", "}", "[", "]"):
        assert not any(marker in p for p in prompts), marker
    assert all(domain in CATEGORIES[e.category].domains for e in entries)
    assert all(set(e.needs) <= set(NEEDS) for e in entries)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_category_of_a_pool_is_well_filled_and_yes_no_questions_are_a_small_minority(domain):
    entries = POOLS[domain]
    counts = {name: sum(e.category == name for e in entries) for name, cat in CATEGORIES.items() if domain in cat.domains}
    assert min(counts.values()) >= 100, counts
    assert sum(map(is_yes_no, (e.prompt for e in entries))) / len(entries) < 0.08
    # Some prompts need nothing, so every clip of the domain can be asked something.
    assert sum(not e.needs for e in entries) >= 10


@pytest.mark.parametrize("domain", DOMAINS)
def test_pools_are_varied_no_opening_dominates(domain):
    openings = Counter(" ".join(words(e.prompt)[:2]) for e in POOLS[domain])
    total = sum(openings.values())
    assert openings.most_common(1)[0][1] / total < 0.06, openings.most_common(3)
    assert sum(n for _, n in openings.most_common(10)) / total < 0.3, openings.most_common(10)
    assert len(openings) >= 150


def test_sound_pool_never_asks_about_music():
    music_words = re.compile(r"\b(genres?|melod\w*|chords?|tempo|lyrics?|songs?|harmony|instruments?|music theory)\b", re.I)
    for entry in POOLS["sound"]:
        assert not set(entry.needs) & set(MUSIC_ONLY_NEEDS), entry
        assert not music_words.search(entry.prompt), entry
    for entry in POOLS["speech"]:
        assert not set(entry.needs) & set(MUSIC_ONLY_NEEDS), entry


def test_prompts_that_name_a_transcript_need_one():
    asks_for_words = re.compile(r"\b(transcribe|transcription|transcript|verbatim|word for word|translate|translation)\b", re.I)
    for domain, entries in POOLS.items():
        for entry in entries:
            if asks_for_words.search(entry.prompt):
                assert "transcript" in entry.needs, entry


# ---- reading pool files --------------------------------------------------------------------------------


def write_lines(path, lines) -> str:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), encoding="utf-8")
    return str(path)


def entry(i, **fields):
    return {"prompt_id": f"p{i}", "prompt": f"Question {i}?", "category": "description", "needs": [], **fields}


def test_custom_pool_prompts_are_stripped_and_blank_lines_skipped(tmp_path):
    path = write_lines(tmp_path / "p.jsonl", ["", json.dumps(entry(1, prompt="  Padded?  ", needs=["transcript"])), "  "])
    [loaded] = load_pool(path, "speech")
    assert (loaded.prompt_id, loaded.prompt, loaded.category, loaded.needs) == ("p1", "Padded?", "description", ["transcript"])


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"prompt_id": "p2", "prompt": "   ", "category": "description"}, "prompt"),
        ({"prompt_id": "p2", "category": "description"}, "prompt: Field required"),
        ({"prompt": "No id?", "category": "description"}, "prompt_id: Field required"),
        ({"prompt_id": "p2", "prompt": "Old style line?"}, "category: Field required"),
        (entry(2, category="gossip"), "unknown category 'gossip'"),
        (entry(2, needs=["telepathy"]), r"unknown need\(s\) \['telepathy'\]"),
        (entry(2, needs=["transcript", "transcript"]), "repeated need"),
        (entry(2, colour="red"), "colour: Extra inputs are not permitted"),
        (entry(2, category="music genre"), "category 'music genre' is not a speech category"),
        (entry(1), "prompt_id 'p1' repeats line 1"),
        ("{not json", "not a JSON object"),
    ],
)
def test_bad_pool_line_raises_naming_file_line_and_problem(tmp_path, bad, message):
    path = write_lines(tmp_path / "bad.jsonl", [entry(1), bad])
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: .*" + message):
        load_pool(path, "speech")


def test_empty_pool_file_raises(tmp_path):
    path = write_lines(tmp_path / "empty.jsonl", ["", ""])
    with pytest.raises(ValueError, match="empty"):
        load_pool(path, "speech")


# ---- near-duplicates -----------------------------------------------------------------------------------


def test_tokenisation_is_lowercase_word_characters_and_trigrams():
    assert words("What's the SPEAKER's pitch, roughly?") == ["what", "s", "the", "speaker", "s", "pitch", "roughly"]
    assert shingles("Is it loud?") == {("is", "it", "loud")}
    assert shingles("Transcribe this.") == {("transcribe", "this")}  # under three words: one shingle of them all
    assert shingles("a b c d") == {("a", "b", "c"), ("b", "c", "d")}
    assert jaccard(shingles("a b c d"), shingles("a b c e")) == pytest.approx(1 / 3)


def test_similarity_threshold_is_inclusive_and_exact():
    # 8 and 9 trigrams sharing 7 (the trigrams of w1..w9): exactly 7/10, a near-duplicate; compared as a
    # fraction, since 0.7 in floating point is not.
    base = [f"w{i}" for i in range(1, 10)]
    left, right = " ".join(base + ["x1"]), " ".join(base + ["y1", "y2"])
    similarity = jaccard(shingles(left), shingles(right))
    assert similarity == NEAR_DUPLICATE  # 7 shared, union 10
    assert near_duplicate_pairs({"l": left, "r": right}) == [("l", "r", similarity)]
    assert near_duplicate_pairs({"l": left, "r": right + " y3"}) == []  # 7 of 11


def test_prefix_filtered_join_finds_exactly_the_brute_force_pairs():
    rng = random.Random(7)
    texts = {e.prompt_id: e.prompt for e in rng.sample(POOLS["speech"], 400) + rng.sample(POOLS["sound"], 200)}
    for i, (key, text) in enumerate(list(texts.items())[:150]):  # near and not-so-near copies
        tokens = text.split()
        if i % 3 == 0:
            tokens.append("please")
        for _ in range(i % 3):
            tokens[rng.randrange(len(tokens))] = rng.choice(["really", "the", "audio", "quite", "this"])
        texts[f"copy-{i}"] = " ".join(tokens)
    sets = {k: shingles(v) for k, v in texts.items()}
    brute = {(a, b) for a, b in itertools.combinations(texts, 2) if jaccard(sets[a], sets[b]) >= NEAR_DUPLICATE}
    found = {(a, b) for a, b, _ in near_duplicate_pairs(texts)}
    assert found == brute
    assert len(brute) >= 40  # the check has something to find


def test_index_answers_for_new_text_and_clusters_join_chains():
    index = NearDuplicateIndex(["describe the speaker's voice in this clip please"])
    index.add("a", "Describe the speaker's voice in this clip, please.")
    assert [key for key, _ in index.similar("describe the speaker's voice in this clip please")] == ["a"]
    assert index.similar("What genre is this track?") == []
    pairs = [("a", "b", NEAR_DUPLICATE), ("b", "c", NEAR_DUPLICATE), ("x", "y", NEAR_DUPLICATE)]
    assert clusters(pairs) == [["a", "b", "c"], ["x", "y"]]


@pytest.mark.parametrize(
    "prompt,expected",
    [
        ("Is the speaker happy?", True),
        ("Based on the audio, does the speaker sound tired?", True),
        ("Listen: can you hear any birds?", True),
        ("Would you say the voice is deep? Explain.", True),
        ("Is the speaker male or female?", False),
        ("Does the speaker sound calm, tense, or angry?", False),
        ("Can you describe the speaker's voice?", False),
        ("Could you tell me what the speaker says?", False),
        ("Can you tell whether the speaker is smiling?", True),
        ("What is the speaker's emotion? Is it clear?", True),
        ("Describe the background noise.", False),
    ],
)
def test_yes_no_questions_are_told_from_other_questions(prompt, expected):
    assert is_yes_no(prompt) is expected
