"""How far a run is: the plan ingest records, and the state of an output folder (`desta-data status`).

The plan: each ingest task reads one source and keeps `DIR/plan/<source>.json` up to date
({"clips", "rows", "complete"}: clips it read, rows they will give = clips x prompts per clip, and whether
the source has been read to the end), so a live display and `status` can say "done / planned" while the
run goes on. The folder's state comes from what the run commits: `parts/` (rows not yet in shards),
`quarantine/`, and `manifest.json` once it is complete.
"""

from __future__ import annotations

import collections
import datetime
import json
import time

import pyarrow.parquet as pq

from pipeline.progress import PARTS, PLAN, committed_parts
from pipeline.quarantine import count_reasons, read_quarantine
from pipeline.storage import filesystem, join, write_json_atomic
from schemas import columns as c

PLAN_WRITE_EVERY_S = 2.0  # an ingest task rewrites its source's plan at most this often (and at the end)


class PlanRecorder:
    """Counts one source's clips as ingest reads them and keeps `plan/<source>.json` current."""

    def __init__(self, output_dir: str, source: str, per_clip: int):
        self.path, self.source, self.per_clip = join(output_dir, PLAN, f"{source}.json"), source, per_clip
        self.clips, self.written_at = 0, 0.0

    def add(self, clips: int) -> None:
        self.clips += clips
        if time.monotonic() - self.written_at >= PLAN_WRITE_EVERY_S:
            self._write(complete=False)

    def finish(self) -> None:
        self._write(complete=True)

    def _write(self, complete: bool) -> None:
        record = {"source": self.source, "clips": self.clips, "rows": self.clips * self.per_clip, "complete": complete}
        write_json_atomic(record, self.path)
        self.written_at = time.monotonic()


def read_plan(output_dir: str) -> dict[str, dict]:
    """{source: {"clips", "rows", "complete"}} as recorded so far ({} before ingest has begun)."""
    fs, root = filesystem(join(output_dir, PLAN))
    if not fs.exists(root):
        return {}
    plan = {}
    for path in sorted(fs.glob(f"{root}/*.json")):
        record = json.loads(fs.cat_file(path))
        plan[record["source"]] = record
    return plan


def part_figures(output_dir: str) -> tuple[dict[str, int], dict[str, int]]:
    """(rows per source, flagged rows per reason) of the committed parts, reading two columns a file."""
    rows: collections.Counter = collections.Counter()
    flags: collections.Counter = collections.Counter()
    fs, _ = filesystem(output_dir)
    for path in committed_parts(output_dir):
        with fs.open(path, "rb") as handle:
            parquet = pq.ParquetFile(handle)
            columns = [c.SOURCE] + ([c.FLAG] if c.FLAG in parquet.schema_arrow.names else [])
            table = parquet.read(columns=columns)
        rows.update(table[c.SOURCE].to_pylist())
        if c.FLAG in table.column_names:
            flags.update(v for v in table[c.FLAG].to_pylist() if v is not None)
    return dict(rows), dict(flags)


def _modified(info: dict) -> float | None:
    """A file's modification time (seconds since the epoch) from an fsspec `ls` entry, local or object store."""
    value = info.get("mtime", info.get("LastModified", info.get("last_modified", info.get("updated"))))
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return float(value) if value is not None else None


def _latest_modified(url: str, pattern: str = ".parquet") -> float | None:
    fs, root = filesystem(url)
    if not fs.exists(root):
        return None
    if fs.isfile(root):
        return _modified(fs.info(root))
    times = [_modified(info) for info in fs.ls(root, detail=True) if info["name"].endswith(pattern)]
    return max((t for t in times if t is not None), default=None)


def folder_status(output_dir: str) -> dict:
    """Where the run in `output_dir` stands: rows per source against the plan, quarantine and flag counts,
    the last commit time and whether it is complete. A folder that is being written and one whose run
    was interrupted look the same here; the last commit time tells them apart."""
    fs, root = filesystem(output_dir)
    if not fs.exists(root):
        raise FileNotFoundError(f"{output_dir}: no such output folder")
    manifest_path = join(root, "manifest.json")
    manifest = json.loads(fs.cat_file(manifest_path)) if fs.exists(manifest_path) else {}
    complete = bool(manifest.get("complete"))
    plan = read_plan(output_dir)
    if complete:
        rows, flagged = dict(manifest.get("rows_per_source") or {}), dict(manifest.get("flagged") or {})
        last_commit = _latest_modified(manifest_path)
    else:
        rows, flagged = part_figures(output_dir)
        last_commit = _latest_modified(join(output_dir, PARTS))
    if not complete and not plan and not rows and not fs.exists(join(root, "run.json")):
        raise FileNotFoundError(f"{output_dir}: not a desta-data output folder (no run.json, plan/, parts/ or manifest.json)")
    quarantined = count_reasons(read_quarantine(output_dir))
    sources = {}
    for source in sorted(set(rows) | set(plan)):
        recorded = plan.get(source, {})
        sources[source] = {"rows": rows.get(source, 0), "planned": recorded.get("rows"), "plan_complete": bool(recorded.get("complete"))}
    planned_known = bool(plan) and all(s["plan_complete"] for s in sources.values() if s["planned"] is not None)
    return {
        "output_dir": output_dir,
        "complete": complete,
        "state": "complete" if complete else ("in progress or interrupted" if rows or plan else "started, nothing committed yet"),
        "rows": sum(rows.values()),
        "planned": sum(s["planned"] or 0 for s in sources.values()) if plan else None,
        "plan_complete": planned_known,
        "sources": sources,
        "quarantined": quarantined,
        "quarantined_total": sum(quarantined.values()),
        "flagged": dict(sorted(flagged.items())),
        "flagged_total": sum(flagged.values()),
        "last_commit": datetime.datetime.fromtimestamp(last_commit, datetime.timezone.utc).isoformat(timespec="seconds") if last_commit else None,
    }


def format_status(status: dict) -> list[str]:
    planned = status["planned"]
    of = f" of {planned:,}{'' if status['plan_complete'] else '+ (plan still growing)'}" if planned is not None else ""
    lines = [f"{status['output_dir']}: {status['state']}; {status['rows']:,}{of} rows committed"]
    for source, info in status["sources"].items():
        target = f" / {info['planned']:,}{'' if info['plan_complete'] else '+'}" if info["planned"] is not None else ""
        lines.append(f"  {source}: {info['rows']:,}{target}")
    reasons = ", ".join(f"{k}: {v:,}" for k, v in status["quarantined"].items())
    lines.append(f"  quarantined: {status['quarantined_total']:,}" + (f" ({reasons})" if reasons else ""))
    flags = ", ".join(f"{k}: {v:,}" for k, v in status["flagged"].items())
    lines.append(f"  flagged: {status['flagged_total']:,}" + (f" ({flags})" if flags else ""))
    lines.append(f"  last commit: {status['last_commit'] or 'none'}")
    return lines
