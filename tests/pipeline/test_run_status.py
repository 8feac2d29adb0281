"""`desta-data status` on an interrupted and a finished output folder, and the progress figures behind it.

The interrupted folder is made by the run's own bookkeeping (the commit step's `commit_part`, ingest's
PlanRecorder, the quarantine's `split_rejects`) without Ray; the finished one by the publish fixtures."""

from __future__ import annotations

import datetime
import json

import pyarrow as pa
import pytest

from pipeline.monitor import RunMonitor
from pipeline.progress import commit_part
from pipeline.quarantine import split_rejects
from pipeline.run_status import PlanRecorder, folder_status, format_status
from publish_fixtures import make_rows, write_output
from schemas import columns as c
from schemas.tables import OUTPUT_SCHEMA


def committed_batch(rows: list[dict], flags: dict[str, str] | None = None) -> pa.Table:
    """Rows as the checks step hands them to commit: the output columns plus the checks' verdict."""
    flags = flags or {}
    table = pa.Table.from_pylist(rows, schema=OUTPUT_SCHEMA)
    verdict = [flags.get(r["id"]) for r in rows]
    table = table.append_column(pa.field(c.FLAG, pa.string()), pa.array(verdict, pa.string()))
    table = table.append_column(pa.field(c.FLAG_DETAIL, pa.string()), pa.array([v and "test" for v in verdict], pa.string()))
    table = table.append_column(pa.field(c.ATTEMPT, pa.int64()), pa.array([1] * len(rows), pa.int64()))
    return table.append_column(c.UNIT, pa.array([f"{r['dataset']}/000000" for r in rows], pa.string()))


@pytest.fixture
def interrupted(tmp_path):
    """alpha: 12 clips planned (24 rows), 10 rows committed; beta: plan still growing (5 clips so far), 4 rows
    committed; one beta clip quarantined at probe; gamma not reached."""
    out = str(tmp_path / "out")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "run.json").write_text("{}")
    rows = make_rows(clips=12, per_clip=2)
    alpha = [r for r in rows if r["dataset"] == "alpha"][:10]
    beta = [r for r in rows if r["dataset"] == "beta"][:4]
    figures = [commit_part(committed_batch(alpha[:6]), out), commit_part(committed_batch(alpha[6:] + beta), out)]
    plan = PlanRecorder(out, "alpha", per_clip=2)
    plan.add(12)
    plan.finish()
    growing = PlanRecorder(out, "beta", per_clip=2)
    growing.add(5)  # first add writes: the source is not read to the end yet
    rejected = pa.table({c.CLIP_ID: ["beta/clip900"], c.SOURCE: ["beta"], c.INPUT_REF: ["beta.jsonl:9"], c.KEEP: [False],
                         c.DROP_REASON: ["audio_unreadable"], c.DROP_DETAIL: ["not a WAV"], c.DROP_STAGE: ["probe"]})  # fmt: skip
    split_rejects(rejected, out)
    return out, figures


def test_commit_step_returns_rows_and_tokens_per_source(interrupted):
    _, figures = interrupted
    second = {row[c.SOURCE]: row for row in figures[1].to_pylist()}
    # alpha rows 6..9 are clips 3 and 4 (completion_tokens 10 + clip), beta rows 0..3 clips 0 and 1
    assert second["alpha"]["rows"] == 4 and second["alpha"]["tokens"] == 2 * 13 + 2 * 14
    assert second["beta"]["rows"] == 4 and second["beta"]["tokens"] == 2 * 10 + 2 * 11
    assert second["beta"]["flagged"] == 0


def test_status_of_an_interrupted_folder(interrupted):
    out, _ = interrupted
    status = folder_status(out)
    assert status["complete"] is False and status["state"] == "in progress or interrupted"
    assert status["sources"] == {
        "alpha": {"rows": 10, "planned": 24, "plan_complete": True},
        "beta": {"rows": 4, "planned": 10, "plan_complete": False},
    }
    assert status["rows"] == 14 and status["planned"] == 34 and status["plan_complete"] is False
    assert status["quarantined"] == {"audio_unreadable": 1} and status["flagged_total"] == 0
    last = datetime.datetime.fromisoformat(status["last_commit"])
    assert abs((datetime.datetime.now(datetime.timezone.utc) - last).total_seconds()) < 600
    text = "\n".join(format_status(status))
    assert "14 of 34+ (plan still growing) rows committed" in text and "  alpha: 10 / 24\n" in text and "  beta: 4 / 10+" in text


def test_status_cli_json(interrupted, cli):
    out, _ = interrupted
    result = cli("status", out, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sources"]["alpha"] == {"rows": 10, "planned": 24, "plan_complete": True}
    missing = cli("status", out + "-nowhere")
    assert missing.returncode == 2 and "no such output folder" in missing.stderr


def test_status_of_a_finished_folder(tmp_path):
    out = write_output(str(tmp_path / "built"))
    status = folder_status(out)
    assert status["complete"] is True and status["state"] == "complete"
    assert status["sources"] == {name: {"rows": 24, "planned": None, "plan_complete": False} for name in ("alpha", "beta", "gamma")}
    assert status["rows"] == 72 and status["last_commit"] is not None


def test_monitor_figures_and_eta(interrupted):
    out, figures = interrupted
    monitor = RunMonitor(out, ["alpha", "beta"], per_clip=2, committed={"alpha": 6}, poll_s=0)
    monitor.add(figures[1])
    monitor.poll(force=True)
    snapshot = monitor.snapshot()
    assert snapshot["rows"] == 14 and snapshot["planned"] == 34 and snapshot["tokens"] == 96
    assert snapshot["quarantined"] == 1
    assert snapshot["eta_s"] is not None and snapshot["eta_s"] >= 0  # 34 - 14 - 2 (the quarantined clip's rows) to go
    line = monitor.line()
    assert line.startswith("progress: 14/34+ rows (41%) | alpha 10/24, beta 4/10 |")
    assert "quarantined 1 | flagged 0" in line and "ETA" in line
