"""End to end: the real CLI, real Ray (local), real vLLM (CPU build) and the real SmolLM2 demo model."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import yaml

from schemas.records import AUDIO_MARKER, OutputRow
from schemas.tables import OUTPUT_COLUMNS

from cli_helpers import REPO, run_cli

DEMO_CONFIG = REPO / "configs" / "demo.yaml"
REQUIRED = ("id", "dataset", "seed_description", "prompt", "response", "messages", "audio_path", "duration_s",
            "metadata", "prompt_id", "model", "temperature", "top_p", "sampling_seed", "finish_reason",
            "prompt_tokens", "completion_tokens")  # fmt: skip

pytestmark = pytest.mark.slow


def demo_lines() -> list[dict]:
    lines = [json.loads(x) for x in (REPO / "demo/manifest.jsonl").read_text().splitlines() if x.strip()]
    csv_rows = (REPO / "demo/extra.csv").read_text().strip().splitlines()[1:]
    return lines + [{"id": row.split(",")[1], "domain": "speech"} for row in csv_rows]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("demo-run")
    result = run_cli("run", "--config", str(DEMO_CONFIG), "--output", str(output))
    assert result.returncode == 0, result.stderr[-3000:]
    return output, result


def test_one_row_per_clip_and_prompt(demo_run):
    """Every (clip, prompt) becomes exactly one row: in the shards, or in flagged/ when a check flagged it."""
    output, _ = demo_run
    table = pq.read_table(output / "data")
    flagged = pq.read_table(output / "flagged") if (output / "flagged").exists() else None
    per_clip = yaml.safe_load(DEMO_CONFIG.read_text())["prompts"]["per_clip"]
    clips = demo_lines()
    ids = table["id"].to_pylist() + (flagged["id"].to_pylist() if flagged is not None else [])
    assert len(ids) == len(clips) * per_clip
    assert len(set(ids)) == len(ids)
    expected = {f"{src}/{line['id']}#{i}" for line in clips for i in range(per_clip)
                for src in (["demo-csv"] if line["id"].startswith("csv_") else ["demo"])}  # fmt: skip
    assert set(ids) == expected
    assert table.column_names == list(OUTPUT_COLUMNS)


def test_required_columns_have_no_nulls_and_rows_validate(demo_run):
    output, _ = demo_run
    rows = pq.read_table(output / "data").to_pylist()
    for column in REQUIRED:
        assert all(row[column] is not None for row in rows), column
    for row in rows:
        OutputRow.model_validate(row)
        assert row["response"].strip(), row["id"]
        assert row["model"] == "SmolLM2-135M-Instruct"
        assert row["prompt"] in row["messages"][1]["content"]


def test_speech_seed_descriptions_hold_their_transcripts(demo_run):
    output, _ = demo_run
    transcripts = {line["id"]: line.get("transcript") for line in demo_lines()}
    rows = pq.read_table(output / "data").to_pylist()
    speech = [row for row in rows if row["domain"] == "speech"]
    assert len(speech) >= 10
    for row in speech:
        clip = row["clip_id"].split("/", 1)[1]
        if transcripts.get(clip):
            assert transcripts[clip] in row["seed_description"], row["id"]
            assert row["messages"][1]["audios"][0]["text"] == transcripts[clip]
    assert any("Gender: Female" in row["seed_description"] for row in speech)
    assert any("Gender: Male" in row["seed_description"] for row in speech)
    assert any("Sound events:" in row["seed_description"] for row in rows if row["domain"] == "sound")


def test_every_row_satisfies_the_trainer_rules(demo_run):
    output, _ = demo_run
    for row in pq.read_table(output / "data").to_pylist():
        roles = [m["role"] for m in row["messages"]]
        assert roles == ["system", "user"], row["id"]
        user = row["messages"][1]
        assert user["content"].count(AUDIO_MARKER) == len(user["audios"]) == 1
        for audio in user["audios"]:
            assert isinstance(audio["text"], str) and audio["text"]
            assert (REPO / audio["audio"]).is_file(), audio["audio"]


def test_output_loads_with_datasets(demo_run):
    from datasets import load_dataset

    output, _ = demo_run
    dataset = load_dataset("parquet", data_dir=str(output / "data"), split="train")
    assert dataset.num_rows == pq.read_table(output / "data").num_rows
    assert dataset[0]["messages"][1]["audios"][0]["audio"].startswith("demo/audio/")


def test_manifest_json_records_the_run(demo_run):
    output, result = demo_run
    manifest = json.loads((output / "manifest.json").read_text())
    table = pq.read_table(output / "data")
    assert manifest["rows"] == table.num_rows
    assert sum(manifest["rows_per_source"].values()) == table.num_rows
    assert set(manifest["rows_per_source"]) == {"demo", "demo-csv"}
    assert len(manifest["config_fingerprint"]) == 16
    assert manifest["model"] == "SmolLM2-135M-Instruct"
    assert {"ray", "pyarrow"} <= set(manifest["package_versions"])
    assert manifest["quarantined_total"] == 0
    assert f"shards: {output}/data/" in result.stdout


def test_full_recipe_fails_fast_with_a_one_line_reason():
    result = run_cli("run", "--config", str(REPO / "configs/aqa5m.yaml"), timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("desta-data: error: sources[0] 'IEMOCAP': root /data/aqa5m/IEMOCAP not found (and ")
    assert "not found" in lines[0] and "Traceback" not in result.stderr



def test_the_checks_are_counted_and_audit_agrees_with_the_run_row_for_row(demo_run, tmp_path):
    """The run's own verdict (data/ passed, flagged/ with flag and detail) is what `desta-data audit` finds
    again over the run's output, with the settings the run saved (config.json)."""
    import collections

    output, result = demo_run
    kept = pq.read_table(output / "data")
    flagged = pq.read_table(output / "flagged") if (output / "flagged").exists() else None
    run_flags = dict(zip(flagged["id"].to_pylist(), zip(flagged["flag"].to_pylist(), flagged["flag_detail"].to_pylist()))) if flagged else {}
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["flagged"] == dict(collections.Counter(flag for flag, _ in run_flags.values()))
    assert manifest["flagged_total"] == len(run_flags)
    first = manifest["checks"]["flagged_first_pass"]
    rounds = manifest["checks"]["rounds"]
    assert sum(first.values()) == (rounds[0]["retried"] if rounds else len(run_flags))
    assert "  checks: " in result.stdout

    audited = run_cli("audit", "--input", str(output), "--output", str(tmp_path / "audit"), timeout=600)
    assert audited.returncode == 0, audited.stderr[-3000:]
    audit_kept = pq.read_table(tmp_path / "audit" / "kept")["id"].to_pylist()
    audit_flagged = pq.read_table(tmp_path / "audit" / "flagged") if (tmp_path / "audit" / "flagged").exists() else None
    audit_flags = dict(zip(audit_flagged["id"].to_pylist(), zip(audit_flagged["flag"].to_pylist(), audit_flagged["flag_detail"].to_pylist()))) if audit_flagged else {}
    assert sorted(audit_kept) == sorted(kept["id"].to_pylist())
    assert audit_flags == run_flags


def test_retries_use_their_own_seed_and_temperature_and_are_counted(demo_run):
    """Demo config: retries (1) at temperature 0.7. A row in the shards passed at its first generation (seed
    from (seed, id)) or was rescued by a retry (seed from (seed, id, attempt)); flagged rows made every attempt."""
    from stages.sample_prompts import sampling_seed

    output, _ = demo_run
    config = yaml.safe_load(DEMO_CONFIG.read_text())
    seed, retries = config["seed"], config["filters"]["retries"]
    manifest = json.loads((output / "manifest.json").read_text())
    rescued = 0
    for row in pq.read_table(output / "data").to_pylist():
        attempt = next(a for a in range(1, retries + 2) if row["sampling_seed"] == sampling_seed(seed, row["id"], a))
        if attempt > 1:
            rescued += 1
            assert row["temperature"] == config["filters"]["retry_temperature"], row["id"]
    assert rescued == manifest["checks"]["rescued"] == sum(r["rescued"] for r in manifest["checks"]["rounds"])
    if (output / "flagged").exists():
        for row in pq.read_table(output / "flagged").to_pylist():
            assert row["attempt"] == retries + 1 and row["sampling_seed"] == sampling_seed(seed, row["id"], retries + 1)


def test_report_and_status_of_the_demo_output(demo_run, tmp_path):
    output, result = demo_run
    table = pq.read_table(output / "data", columns=["dataset"])
    rows = {name: table["dataset"].to_pylist().count(name) for name in ("demo", "demo-csv")}
    report = run_cli("report", "--input", str(output), "--output", str(tmp_path / "report"))
    assert report.returncode == 0, report.stderr[-3000:]
    expected = f"rows per source: demo {rows['demo']}, demo-csv {rows['demo-csv']}"
    assert expected in report.stdout and expected in (tmp_path / "report" / "index.html").read_text()
    assert len(list((tmp_path / "report").glob("*.png"))) >= 8
    summary = json.loads((tmp_path / "report" / "report.json").read_text())
    assert summary["rows"] == sum(rows.values()) and summary["measures"]["snr"]["values"] > 0  # attributes were measured
    status = json.loads(run_cli("status", str(output), "--json").stdout)
    assert status["complete"] is True
    assert {name: s["rows"] for name, s in status["sources"].items()} == rows
    clips = {"demo-csv": sum(line["id"].startswith("csv_") for line in demo_lines())}
    clips["demo"] = len(demo_lines()) - clips["demo-csv"]
    per_clip = yaml.safe_load(DEMO_CONFIG.read_text())["prompts"]["per_clip"]
    assert {name: (s["planned"], s["plan_complete"]) for name, s in status["sources"].items()} == {
        name: (n * per_clip, True) for name, n in clips.items()}  # every manifest line read by ingest
    assert "progress: " in result.stderr and "Running Dataset" not in result.stderr  # redirected: plain lines, no Ray Data log
