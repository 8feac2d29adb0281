"""The one base class of a stage: a declared column contract around a pure Arrow batch transform."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from schemas import columns as c
from schemas.tables import COLUMN_TYPES


class Stage:
    """A pure transform over an Arrow table.

    Subclasses declare `inputs` (columns read) and `outputs` (columns added or replaced), each as
    `{column: description}`; every other column passes through unchanged. `__init__` is cheap,
    `setup()` loads anything heavy (called once per worker), `process(table)` does the work.
    A stage that rejects rows sets `keep`/`drop_reason`/`drop_detail` instead of raising.
    """

    name: str = "stage"
    inputs: dict[str, str] = {}
    outputs: dict[str, str] = {}

    def __init__(self, config: Any = None):
        self.config = config
        self._ready = False

    def setup(self) -> None:
        """Load models or other heavy state. Called once before the first batch."""

    def process(self, table: pa.Table) -> pa.Table:
        raise NotImplementedError

    def __call__(self, table: pa.Table) -> pa.Table:
        missing = [name for name in self.inputs if name not in table.column_names]
        if missing:
            raise KeyError(f"stage {self.name!r} needs columns {missing}; the batch has {table.column_names}")
        if not self._ready:
            self.setup()
            self._ready = True
        return self.process(table)


def with_columns(table: pa.Table, values: dict[str, list | pa.Array]) -> pa.Table:
    """Replace or append columns, typed by `schemas.tables.COLUMN_TYPES`."""
    for name, data in values.items():
        array = data if isinstance(data, (pa.Array, pa.ChunkedArray)) else pa.array(data, COLUMN_TYPES[name])
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, array)
        else:
            table = table.append_column(pa.field(name, COLUMN_TYPES[name]), array)
    return table


def mark_dropped(table: pa.Table, stage: str, failures: dict[int, tuple[str, str]]) -> pa.Table:
    """Set keep=False with (reason, detail) on the given row positions, keeping earlier marks."""
    n = table.num_rows
    keep = table[c.KEEP].to_pylist() if c.KEEP in table.column_names else [True] * n
    reason = table[c.DROP_REASON].to_pylist() if c.DROP_REASON in table.column_names else [None] * n
    detail = table[c.DROP_DETAIL].to_pylist() if c.DROP_DETAIL in table.column_names else [None] * n
    where = table[c.DROP_STAGE].to_pylist() if c.DROP_STAGE in table.column_names else [None] * n
    for i, (why, what) in failures.items():
        if keep[i]:
            keep[i], reason[i], detail[i], where[i] = False, why, what, stage
    return with_columns(table, {c.KEEP: keep, c.DROP_REASON: reason, c.DROP_DETAIL: detail, c.DROP_STAGE: where})
