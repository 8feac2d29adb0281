"""The final id order of a run's committed parts: sorted in the driver up to LOCAL_SORT_ROWS rows, by Ray
Data's distributed sort above; both give the same batches (the shards of a run do not depend on its size)."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
from publish_fixtures import make_rows

from pipeline import retries
from schemas import columns as c
from schemas.tables import CHECKED_SCHEMA


def write_parts(folder, rows: list[dict]) -> list[str]:
    """Committed parts in a shuffled order, some rows flagged, as the checks step writes them."""
    shuffled = list(rows)
    random.Random(5).shuffle(shuffled)
    folder.mkdir(parents=True)
    paths = []
    for index in range(0, len(shuffled), 7):
        part = [{**row, c.FLAG: "truncated" if row["completion_tokens"] % 4 == 0 else None,
                 c.FLAG_DETAIL: "cut" if row["completion_tokens"] % 4 == 0 else None, c.ATTEMPT: 1}
                for row in shuffled[index : index + 7]]  # fmt: skip
        path = folder / f"{index:04d}.parquet"
        pq.write_table(pa.Table.from_pylist(part, schema=CHECKED_SCHEMA), path)
        paths.append(str(path))
    return paths


def batches(parts, output_dir, flagged, batch_size) -> list[list[dict]]:
    return [batch.to_pylist() for batch in retries.checked_rows(parts, output_dir, flagged=flagged, batch_size=batch_size)]


def test_the_driver_sort_and_ray_s_sort_give_the_same_batches(local_ray, tmp_path, monkeypatch):
    rows = make_rows(clips=9, per_clip=2)  # 54 rows over three sources
    parts = write_parts(tmp_path / "parts", rows)
    local = {flagged: batches(parts, str(tmp_path), flagged, 10) for flagged in (False, True)}
    monkeypatch.setattr(retries, "LOCAL_SORT_ROWS", 0)
    assert batches(parts, str(tmp_path), False, 10) == local[False]  # the same code path serves flagged=True
    passing, flagged = [row for batch in local[False] for row in batch], [row for batch in local[True] for row in batch]
    assert [row["id"] for row in passing] == sorted(row["id"] for row in rows if row["completion_tokens"] % 4)
    assert [len(batch) for batch in local[False]] == [10] * (len(passing) // 10) + ([len(passing) % 10] if len(passing) % 10 else [])
    assert set(passing[0]) == set(rows[0]) and all(row[c.FLAG] == "truncated" for row in flagged)
    assert len(passing) + len(flagged) == len(rows) and len(flagged) > 0
