"""SamplePrompts: the bundled pools and seeded, order-independent sampling of n prompts per clip."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pytest

from schemas import columns as c
from stages.sample_prompts import PromptsConfig, SamplePrompts, load_pool

SPEECH = load_pool(None, "speech")
SOUND_MUSIC = load_pool(None, "sound_music")
SPEECH_IDS = {pid for pid, _ in SPEECH}
SOUND_MUSIC_IDS = {pid for pid, _ in SOUND_MUSIC}


def clips(n: int = 40) -> list[tuple[str, str]]:
    domains = ["speech", "sound", "music", "speech"]
    return [(f"src/clip_{i:03d}.wav", domains[i % len(domains)]) for i in range(n)]


def sample(pairs, per_clip=1, seed=0, pools=None, extra=None) -> list[dict]:
    columns = {c.CLIP_ID: [p[0] for p in pairs], c.DOMAIN: [p[1] for p in pairs]}
    columns.update(extra or {})
    stage = SamplePrompts(PromptsConfig(per_clip=per_clip, seed=seed, pools=pools))
    return stage(pa.table(columns)).to_pylist()


def by_clip(rows) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for row in rows:
        out.setdefault(row[c.CLIP_ID], []).append((row[c.ID], row[c.PROMPT_ID], row[c.PROMPT], row[c.SAMPLING_SEED]))
    return out


# ---- bundled pools -----------------------------------------------------------------------------------


def test_bundled_pools_are_large_and_separate():
    assert len(SPEECH) + len(SOUND_MUSIC) >= 300
    assert len(SPEECH) >= 50 and len(SOUND_MUSIC) >= 50
    assert SPEECH_IDS.isdisjoint(SOUND_MUSIC_IDS)
    assert {p for _, p in SPEECH}.isdisjoint({p for _, p in SOUND_MUSIC})


@pytest.mark.parametrize("pool", [SPEECH, SOUND_MUSIC], ids=["speech", "sound_music"])
def test_bundled_pool_entries_are_unique_and_clean(pool):
    ids = [pid for pid, _ in pool]
    prompts = [p for _, p in pool]
    assert len(set(ids)) == len(ids)
    assert len(set(prompts)) == len(prompts)
    assert all(p.strip() == p and p for p in prompts)
    # A prompt lands inside the user turn next to the audio placeholder: it must not hold one itself.
    for marker in ("<|AUDIO|>", "<start_audio>", "<end_audio>", "{prompt}"):
        assert not any(marker in p for p in prompts), marker


# ---- rows per clip -----------------------------------------------------------------------------------


def test_n_prompts_per_clip_give_n_rows_with_indexed_ids():
    pairs = clips(6)
    rows = sample(pairs, per_clip=3)
    assert len(rows) == 18
    for clip_id, _ in pairs:
        mine = [r for r in rows if r[c.CLIP_ID] == clip_id]
        assert [r[c.ID] for r in mine] == [f"{clip_id}#0", f"{clip_id}#1", f"{clip_id}#2"]
        assert [r[c.PROMPT_INDEX] for r in mine] == [0, 1, 2]
        assert len({r[c.PROMPT_ID] for r in mine}) == 3
        assert len({r[c.PROMPT] for r in mine}) == 3


def test_prompt_text_matches_its_pool_entry():
    table = dict(SPEECH + SOUND_MUSIC)
    for row in sample(clips(12), per_clip=2):
        assert table[row[c.PROMPT_ID]] == row[c.PROMPT]


def test_other_columns_are_repeated_per_prompt():
    pairs = [("s/a", "speech"), ("s/b", "sound")]
    rows = sample(pairs, per_clip=2, extra={c.TRANSCRIPT: ["hello", None]})
    assert [(r[c.CLIP_ID], r[c.TRANSCRIPT]) for r in rows] == [("s/a", "hello"), ("s/a", "hello"), ("s/b", None), ("s/b", None)]


def test_speech_uses_the_speech_pool_and_sound_music_the_other():
    rows = sample(clips(40), per_clip=4)
    for row in rows:
        expected = SPEECH_IDS if row[c.DOMAIN] == "speech" else SOUND_MUSIC_IDS
        assert row[c.PROMPT_ID] in expected, row


def test_empty_batch_gives_no_rows():
    rows = sample([], per_clip=2)
    assert rows == []


# ---- determinism -------------------------------------------------------------------------------------


def test_same_seed_and_clip_give_the_same_prompts_whatever_the_batch():
    pairs = clips(40)
    reference = by_clip(sample(pairs, per_clip=3, seed=7))
    shuffled = pairs[:]
    random.Random(1).shuffle(shuffled)
    assert by_clip(sample(shuffled, per_clip=3, seed=7)) == reference
    subset = shuffled[:5]
    assert by_clip(sample(subset, per_clip=3, seed=7)) == {k: reference[k] for k, _ in subset}
    for clip_id, domain in pairs[:3]:
        assert by_clip(sample([(clip_id, domain)], per_clip=3, seed=7)) == {clip_id: reference[clip_id]}


def test_a_different_seed_changes_most_selections():
    pairs = clips(40)
    first = by_clip(sample(pairs, per_clip=2, seed=1))
    second = by_clip(sample(pairs, per_clip=2, seed=2))
    changed = sum(
        [p[1] for p in first[clip_id]] != [p[1] for p in second[clip_id]] for clip_id, _ in pairs
    )
    assert changed >= 0.8 * len(pairs)


def test_sampling_seed_is_per_row_and_deterministic():
    pairs = clips(30)
    rows = sample(pairs, per_clip=2, seed=5)
    again = sample(list(reversed(pairs)), per_clip=2, seed=5)
    seeds = {r[c.ID]: r[c.SAMPLING_SEED] for r in rows}
    assert seeds == {r[c.ID]: r[c.SAMPLING_SEED] for r in again}
    assert len(set(seeds.values())) == len(seeds)  # different rows, different seeds
    assert all(0 <= s < 2**31 for s in seeds.values())
    other = {r[c.ID]: r[c.SAMPLING_SEED] for r in sample(pairs, per_clip=2, seed=6)}
    assert sum(seeds[k] != other[k] for k in seeds) == len(seeds)


# ---- custom pools ------------------------------------------------------------------------------------


def write_pool(path, entries) -> str:
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return str(path)


def test_custom_pool_replaces_the_bundled_one(tmp_path):
    pool = write_pool(
        tmp_path / "mine.jsonl",
        [{"prompt_id": f"mine-{i}", "prompt": f"Custom question {i}?"} for i in range(4)],
    )
    rows = sample(clips(8), per_clip=3, pools={"speech": pool})
    speech = [r for r in rows if r[c.DOMAIN] == "speech"]
    others = [r for r in rows if r[c.DOMAIN] != "speech"]
    assert speech and others
    assert {r[c.PROMPT_ID] for r in speech} <= {f"mine-{i}" for i in range(4)}
    assert all(r[c.PROMPT] == f"Custom question {r[c.PROMPT_ID][5:]}?" for r in speech)
    assert all(r[c.PROMPT_ID] in SOUND_MUSIC_IDS for r in others)


def test_custom_pool_prompts_are_stripped_and_blank_lines_skipped(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('\n{"prompt_id": "a", "prompt": "  Padded?  "}\n\n', encoding="utf-8")
    assert load_pool(str(path), "speech") == [("a", "Padded?")]


@pytest.mark.parametrize("bad", [{"prompt_id": "p2", "prompt": "   "}, {"prompt_id": "p2", "prompt": ""},
                                 {"prompt_id": "p2"}, {"prompt": "No id?"}])  # fmt: skip
def test_pool_line_without_prompt_or_id_raises_naming_file_and_line(tmp_path, bad):
    path = write_pool(tmp_path / "bad.jsonl", [{"prompt_id": "p1", "prompt": "Fine?"}, bad])
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        load_pool(path, "speech")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        SamplePrompts(PromptsConfig(pools={"sound_music": path})).setup()


def test_empty_pool_file_raises(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="empty"):
        load_pool(str(path), "speech")
