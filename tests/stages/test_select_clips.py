"""SelectClips / BudgetCut: budgets by a hash of (seed, clip id): exact caps, order independence, nesting."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from schemas import columns as c
from stages.select_clips import (
    COMPACT_EVERY, HASH_SPACE, BudgetCut, ClipBudget, Cutoff, SelectClips, clip_hash, header_duration, known_duration,
)  # fmt: skip


def clip_ids(n: int, source: str = "src") -> list[str]:
    return [f"{source}/clip_{i:05d}" for i in range(n)]


def lengths(ids: list[str]) -> dict[str, float]:
    """A fixed, varied duration per clip (1-20 s)."""
    rng = random.Random(7)
    return {clip: round(rng.uniform(1.0, 20.0), 3) for clip in ids}


def select(budget: ClipBudget, ids: list[str], seconds: dict[str, float] | None = None, seed: int = 0, chunk: int = 100):
    cut = BudgetCut(budget, seed)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        cut.add(part, [seconds[i] for i in part] if seconds else [None] * len(part))
    result = cut.result()
    return {clip for clip in ids if result.cutoff.selects(clip)}, result


def test_max_clips_keeps_exactly_the_k_smallest_hashes():
    ids = clip_ids(1000)
    chosen, result = select(ClipBudget(max_clips=37), ids, seed=3)
    assert chosen == set(sorted(ids, key=lambda i: clip_hash(3, i))[:37])
    assert result.clips == 37 and result.offered == 1000 and result.unknown_durations == 37


def test_max_hours_keeps_the_hash_prefix_that_fits():
    ids = clip_ids(800)
    seconds = lengths(ids)
    chosen, result = select(ClipBudget(max_hours=0.5), ids, seconds)
    ordered = sorted(ids, key=lambda i: clip_hash(0, i))
    used, expected = 0.0, set()
    for clip in ordered:
        if used + seconds[clip] > 1800:
            break
        used += seconds[clip]
        expected.add(clip)
    assert chosen == expected
    assert result.seconds == pytest.approx(used) and 1800 - 20 < used <= 1800


def test_fraction_keeps_hashes_below_its_share_of_the_hash_space():
    ids = clip_ids(5000)
    chosen, result = select(ClipBudget(fraction=0.2), ids)
    assert chosen == {i for i in ids if clip_hash(0, i) < 0.2 * HASH_SPACE}
    assert 850 < len(chosen) < 1150 and result.clips == len(chosen)


@pytest.mark.parametrize(
    "budget",
    [ClipBudget(max_clips=50), ClipBudget(max_hours=0.3), ClipBudget(fraction=0.1), ClipBudget(max_clips=120, max_hours=0.4, fraction=0.5)],
)
def test_the_same_clips_whatever_the_order_and_the_chunking(budget):
    ids = clip_ids(2000)
    seconds = lengths(ids)
    reference, _ = select(budget, ids, seconds, chunk=100)
    shuffled = ids[:]
    random.Random(1).shuffle(shuffled)
    assert select(budget, shuffled, seconds, chunk=7)[0] == reference
    assert select(budget, list(reversed(ids)), seconds, chunk=5000)[0] == reference
    assert reference and len(reference) < len(ids)


@pytest.mark.parametrize(
    "budgets",
    [
        [ClipBudget(max_clips=k) for k in (5, 40, 300)],
        [ClipBudget(max_hours=h) for h in (0.1, 0.5, 2.0)],
        [ClipBudget(fraction=f) for f in (0.05, 0.2, 0.7)],
        [ClipBudget(max_clips=30, fraction=0.3), ClipBudget(max_clips=80, fraction=0.3), ClipBudget(max_clips=200, max_hours=3.0, fraction=0.6)],
    ],
)
def test_a_grown_budget_keeps_every_clip_of_the_smaller_one(budgets):
    ids = clip_ids(1500)
    seconds = lengths(ids)
    selections = [select(budget, ids, seconds)[0] for budget in budgets]
    for smaller, larger in zip(selections, selections[1:]):
        assert smaller < larger  # strictly grown, and a superset


def test_fraction_decides_clip_by_clip_so_other_clips_change_nothing():
    a, b = clip_ids(600, "A"), clip_ids(900, "B")
    fraction = ClipBudget(fraction=0.25)
    assert {i for i in select(fraction, a + b)[0] if i.startswith("A/")} == select(fraction, a)[0]
    assert {i for i in select(fraction, a[:300])[0]} == {i for i in select(fraction, a)[0] if i in a[:300]}


def test_the_seed_changes_the_selection():
    ids = clip_ids(500)
    assert select(ClipBudget(max_clips=50), ids, seed=1)[0] != select(ClipBudget(max_clips=50), ids, seed=2)[0]


def test_no_cap_selects_everything_and_counts_stated_hours():
    ids = clip_ids(300)
    seconds = lengths(ids)
    chosen, result = select(ClipBudget(), ids, seconds)
    assert chosen == set(ids) and result.clips == 300
    assert result.seconds == pytest.approx(sum(seconds.values())) and result.unknown_durations == 0


def test_memory_holds_the_selection_not_the_source():
    cut = BudgetCut(ClipBudget(max_clips=100), seed=0)
    ids = clip_ids(3 * COMPACT_EVERY)
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        cut.add(part, [None] * len(part))
        assert cut.buffered <= COMPACT_EVERY + 1000
    assert cut.result().clips == 100 and cut.buffered == 100


def test_select_clips_stage_filters_rows_and_passes_rows_without_an_id():
    ids = clip_ids(200)
    _, result = select(ClipBudget(max_clips=20), ids)
    table = pa.table({c.CLIP_ID: pa.array(ids + [None], pa.string()), "x": list(range(201))})
    out = SelectClips(result.cutoff)(table)
    assert out.num_rows == 21
    assert set(out[c.CLIP_ID].to_pylist()) == {i for i in ids if result.cutoff.selects(i)} | {None}
    assert SelectClips(Cutoff(0, -1))(table)[c.CLIP_ID].to_pylist() == [None]  # a budget that selects nothing


def test_budget_cut_reads_durations_from_an_ingest_table(tmp_path, write_wav):
    write_wav(tmp_path / "a.wav", 2.0)
    table = pa.table({
        c.KEEP: [True, True, True, False], c.CLIP_ID: ["s/a", "s/b", "s/c", "s/d"],
        c.DECLARED_DURATION_S: [None, 4.0, None, None], c.START_S: [None, None, 1.0, None], c.END_S: [None, None, 1.5, None],
        c.AUDIO_URI: [str(tmp_path / "a.wav"), "unused", "unused", "unused"],
    })  # fmt: skip
    cut = BudgetCut(ClipBudget(), seed=0)
    valid, hashes = cut.add_table(table, read_headers=True)
    assert valid[c.CLIP_ID].to_pylist() == ["s/a", "s/b", "s/c"] and len(hashes) == 3
    assert cut.result().seconds == pytest.approx(2.0 + 4.0 + 0.5)


def test_header_duration_reads_no_samples_and_clips_segments(tmp_path, write_wav):
    wav = write_wav(tmp_path / "a.wav", 3.0, sr=8000)
    flac = write_wav(tmp_path / "b.flac", 1.25)
    assert header_duration(str(wav), None, None) == pytest.approx(3.0)
    assert header_duration(str(flac), None, None) == pytest.approx(1.25)
    assert header_duration(str(wav), 1.0, 2.5) == pytest.approx(1.5)
    assert header_duration(str(wav), 2.0, 9.0) == pytest.approx(1.0)  # an end past the file stops at the file
    assert header_duration(str(tmp_path / "missing.wav"), None, None) is None
    (tmp_path / "text.wav").write_text("not audio")
    assert header_duration(str(tmp_path / "text.wav"), None, None) is None
    assert known_duration(2.5, None, None) == 2.5 and known_duration(None, 1.0, 3.0) == 2.0 and known_duration(None, 1.0, None) is None
