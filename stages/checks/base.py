"""The base of a response check: it flags rows (`flag`, `flag_detail`) instead of dropping them.

A flagged row is a bad training target, not a bad input: it is kept apart (and maybe regenerated), not
quarantined. Checks run in a fixed order (`pipeline/checks.py`); a row keeps the first flag it gets and
later checks do not look at it, so a row counts under one reason.
"""

from __future__ import annotations

import re

import pyarrow as pa

from schemas import columns as c
from stages.base import Stage, with_columns

# Text a check should not read as the model's own words: quoted speech ("...", “...”, «...», 「...」).
QUOTED = re.compile(r'"[^"\n]{0,400}"|“[^”\n]{0,400}”|«[^»\n]{0,400}»|「[^」\n]{0,400}」|『[^』\n]{0,400}』')
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def plain(text: str) -> str:
    """Case-folded text with one apostrophe and single spaces: what the phrase lists are written against."""
    return " ".join(text.translate(APOSTROPHES).casefold().split())


def unquoted(text: str) -> str:
    return QUOTED.sub(" ", text)


class ResponseCheck(Stage):
    """Subclasses set `name` (the flag reason), `inputs` and implement `find(rows) -> {position: detail}`,
    where `rows` maps each input column (and each `optional` column the table has, else None) to the
    values of the rows not flagged yet."""

    optional: dict[str, str] = {}
    arrow_inputs: frozenset[str] = frozenset()  # handed over as Arrow arrays, not Python lists (nested columns)
    outputs = {c.FLAG: "the first check that flagged the row, or null", c.FLAG_DETAIL: "what it found"}

    def find(self, rows: dict[str, list]) -> dict[int, str]:
        raise NotImplementedError

    def process(self, table: pa.Table) -> pa.Table:
        n = table.num_rows
        flags = table[c.FLAG].to_pylist() if c.FLAG in table.column_names else [None] * n
        details = table[c.FLAG_DETAIL].to_pylist() if c.FLAG_DETAIL in table.column_names else [None] * n
        pending = [i for i, flag in enumerate(flags) if flag is None]
        if pending:
            subset = table if len(pending) == n else table.take(pa.array(pending, pa.int64()))
            rows = {name: subset[name].combine_chunks() if name in self.arrow_inputs else subset[name].to_pylist() for name in self.inputs}
            for name in self.optional:
                rows[name] = subset[name].to_pylist() if name in table.column_names else [None] * len(pending)
            for position, detail in self.find(rows).items():
                flags[pending[position]], details[pending[position]] = self.name, detail
        return with_columns(table, {c.FLAG: flags, c.FLAG_DETAIL: details})
