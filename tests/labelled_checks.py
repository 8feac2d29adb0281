"""The team's labelled evaluation set for the response checks (tests/data/response_checks_labelled.jsonl)
and how the checks score on it. Shared by tests/stages/test_checks_labelled.py and benchmarks/audit.py.

Each line: seed_description, prompt, response, finish_reason (null where the release would have none),
expected (a reason or `clean`: the first reason in pipeline/checks.py's order that applies), note, split
(`dev`: written while the rules were developed; `heldout`: written afterwards and scored without changes).
Rows are checked as the pipeline checks them: messages built from the prompt and the seed's transcript
the way BuildMessages does, the checks in order, the first flag wins.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from pipeline.checks import REASONS, build_checks, run_checks
from pipeline.config import FiltersConfig
from schemas import columns as c
from schemas.tables import COLUMN_TYPES
from stages.build_messages import BuildMessages, audio_text
from stages.checks.seed import parse_seed

LABELLED = Path(__file__).resolve().parent / "data" / "response_checks_labelled.jsonl"
DEMO_TOKENIZER = Path(__file__).resolve().parents[1] / ".models" / "SmolLM2-135M-Instruct"
GOALS = {"refusal": (0.95, 0.9), "leak": (0.95, 0.9), "repetition": (0.95, 0.9), "truncated": (0.95, 0.9), "contradiction": (0.9, None)}


def load(split: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if split in (None, row["split"])]


def as_table(rows: list[dict]) -> pa.Table:
    transcripts = [parse_seed(row["seed_description"]).transcript.split("\n")[0] for row in rows]
    table = pa.table(
        {
            c.ID: pa.array([row["id"] for row in rows], pa.string()),
            c.SOURCE: pa.array([row["dataset"] for row in rows], pa.string()),
            c.SEED_DESCRIPTION: pa.array([row["seed_description"] for row in rows], pa.string()),
            c.PROMPT: pa.array([row["prompt"] for row in rows], pa.string()),
            c.RESPONSE: pa.array([row["response"] for row in rows], pa.string()),
            c.FINISH_REASON: pa.array([row.get("finish_reason") for row in rows], pa.string()),
            c.AUDIO_PATH: pa.array([f"audio/{row['id']}.wav" for row in rows], pa.string()),
            c.TRANSCRIPT: pa.array([audio_text(t) for t in transcripts], COLUMN_TYPES[c.TRANSCRIPT]),
        }
    )
    return BuildMessages()(table)


def predict(rows: list[dict], tokenizer: str | None = str(DEMO_TOKENIZER)) -> list[str]:
    """The first flag of the checks (default settings) on each row, or `clean`."""
    checks = build_checks(FiltersConfig(), tokenizer)
    flags = run_checks(as_table(rows), checks)[c.FLAG].to_pylist()
    return [flag or "clean" for flag in flags]


def scores(rows: list[dict], predicted: list[str]) -> dict[str, dict]:
    """{reason: {labelled, flagged, hits, precision, recall}} (precision/recall None when undefined)."""
    result = {}
    for reason in REASONS:
        labelled = sum(row["expected"] == reason for row in rows)
        flagged = sum(p == reason for p in predicted)
        hits = sum(row["expected"] == reason == p for row, p in zip(rows, predicted))
        result[reason] = {
            "labelled": labelled, "flagged": flagged, "hits": hits,
            "precision": hits / flagged if flagged else None, "recall": hits / labelled if labelled else None,
        }  # fmt: skip
    clean = [p for row, p in zip(rows, predicted) if row["expected"] == "clean"]
    result["clean"] = {"labelled": len(clean), "kept": sum(p == "clean" for p in clean)}
    return result


def mistakes(rows: list[dict], predicted: list[str]) -> list[tuple[str, str, str, str]]:
    return [(row["id"], row["expected"], p, row["note"]) for row, p in zip(rows, predicted) if row["expected"] != p]
