"""The response checks on the team's labelled set (tests/data/response_checks_labelled.jsonl), at the
issue's goals: precision >= 0.95 and recall >= 0.9 for refusal, leak, repetition and truncated; precision
>= 0.9 for contradiction. Scored per split and together: `dev` was written with the rules, `heldout` after
them (scored once, then the rules were generalised where it showed gaps), `fresh` after that (scored
once; later general fixes were checked on it). `fresh` is small (8-9 rows a reason), so it is held to
the precision goals only; its recall is printed by `benchmarks/audit.py` with the rest."""

from __future__ import annotations

import collections

import pytest

import labelled_checks as labelled
from pipeline.checks import REASONS

pytestmark = pytest.mark.skipif(not labelled.DEMO_TOKENIZER.is_dir(), reason="the demo model (tokenizer) is made by `make install`")


def test_the_set_is_large_and_covers_every_reason_with_hard_clean_rows():
    rows = labelled.load()
    assert len(rows) >= 300
    counts = collections.Counter(row["expected"] for row in rows)
    assert set(counts) == {*REASONS, "clean"}
    assert counts["clean"] >= 100 and min(counts[r] for r in REASONS if r != "too_long_for_trainer") >= 40
    assert sum(row["note"].startswith("hard") for row in rows) >= 40
    assert {row["split"] for row in rows} == {"dev", "heldout", "fresh"}
    assert len({row["id"] for row in rows}) == len(rows)


@pytest.mark.parametrize("split", ["dev", "heldout", "fresh", None])
def test_precision_and_recall_meet_the_goals(split):
    rows = labelled.load(split)
    predicted = labelled.predict(rows)
    scores = labelled.scores(rows, predicted)
    misses = labelled.mistakes(rows, predicted)
    for reason, (precision, recall) in labelled.GOALS.items():
        assert scores[reason]["precision"] >= precision, (reason, scores[reason], misses)
        if recall is not None and split != "fresh":
            assert scores[reason]["recall"] >= recall, (reason, scores[reason], misses)
    assert scores["clean"]["kept"] / scores["clean"]["labelled"] >= 0.95, misses
