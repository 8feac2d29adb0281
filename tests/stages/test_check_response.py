"""CheckResponse: keep rows with text, name why otherwise, and derive the finish reason."""

from __future__ import annotations

import pyarrow as pa

from schemas import columns as c
from schemas.tables import schema_of
from stages.check_response import CheckResponse

COLUMNS = (c.ID, c.RESPONSE, c.COMPLETION_TOKENS, c.MAX_TOKENS, c.ENGINE_ERROR)


def check(*rows: tuple) -> list[dict]:
    table = pa.Table.from_pylist(
        [dict(zip(COLUMNS, (f"s/a#{i}", *row))) for i, row in enumerate(rows)], schema=schema_of(COLUMNS)
    )
    return CheckResponse()(table).to_pylist()


def test_good_response_is_kept_stripped_with_stop():
    (row,) = check(("  A dog barks.\n", 5, 96, ""))
    assert (row[c.KEEP], row[c.RESPONSE], row[c.FINISH_REASON]) == (True, "A dog barks.", "stop")
    assert row[c.DROP_REASON] is None and row[c.DROP_STAGE] is None


def test_empty_or_whitespace_response_is_dropped():
    rows = check(("", 0, 96, ""), ("   \n\t", 3, 96, ""), (None, 0, 96, ""))
    for row in rows:
        assert (row[c.KEEP], row[c.DROP_REASON], row[c.DROP_STAGE]) == (False, "empty_response", "generate")
        assert row[c.DROP_DETAIL]
        assert row[c.RESPONSE] == ""


def test_engine_error_is_dropped_with_the_message():
    (row,) = check(("", None, 96, "CUDA out of memory while decoding"))
    assert (row[c.KEEP], row[c.DROP_REASON]) == (False, "engine_error")
    assert row[c.DROP_DETAIL] == "CUDA out of memory while decoding"
    assert row[c.FINISH_REASON] is None


def test_engine_error_wins_over_text():
    (row,) = check(("partial text", 10, 96, "engine died"))
    assert (row[c.KEEP], row[c.DROP_REASON], row[c.DROP_DETAIL]) == (False, "engine_error", "engine died")


def test_finish_reason_length_when_the_budget_is_used():
    rows = check(("a", 95, 96, ""), ("b", 96, 96, ""), ("c", 97, 96, ""), ("d", None, 96, ""))
    assert [r[c.FINISH_REASON] for r in rows] == ["stop", "length", "length", "stop"]
    assert all(r[c.KEEP] for r in rows)  # a truncated answer is still an answer


def test_rows_are_judged_independently():
    rows = check(("ok", 1, 8, ""), ("", 0, 8, ""), ("x", 0, 8, "boom"), ("fine", 8, 8, ""))
    assert [r[c.KEEP] for r in rows] == [True, False, False, True]
    assert [r[c.DROP_REASON] for r in rows] == [None, "empty_response", "engine_error", None]
    assert [r[c.ID] for r in rows] == [f"s/a#{i}" for i in range(4)]
