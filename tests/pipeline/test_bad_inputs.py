"""One real run over a manifest full of bad inputs: each is quarantined with its reason, every good row
around them is written, and the run exits 0."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
import yaml

from cli_helpers import REPO, run_cli

pytestmark = pytest.mark.slow
# Credentials live in the environment; a run must never copy them anywhere.
SECRETS = {"HF_TOKEN": "hf_desta_test_secret_0123456789", "AWS_SECRET_ACCESS_KEY": "aws/desta+test+secret+9876"}


def tone(path, seconds=1.0, rate=16000, channels=1, subtype="PCM_16"):
    t = np.arange(int(seconds * rate)) / rate
    data = 0.3 * np.sin(2 * np.pi * 220 * t)
    sf.write(path, np.repeat(data[:, None], channels, axis=1) if channels > 1 else data, rate, subtype=subtype)
    return path


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-inputs")
    audio = root / "data" / "audio"
    audio.mkdir(parents=True)
    tone(audio / "good1.wav")
    tone(audio / "good2.wav", seconds=2.0)
    tone(audio / "eight_channels.wav", rate=96000, channels=8)
    (audio / "zero.wav").write_bytes(b"")
    data = tone(audio / "whole.wav", seconds=2.0).read_bytes()
    (audio / "truncated.wav").write_bytes(data[: len(data) // 2])
    (audio / "random.wav").write_bytes(np.random.default_rng(0).bytes(8192))
    (audio / "text.flac").write_text("this is not audio\n" * 50)
    sf.write(audio / "no_samples.wav", np.zeros(0), 16000)
    tone(audio / "ten_ms.wav", seconds=0.01)
    nan = np.zeros(16000, dtype="float32")
    nan[100:200] = np.nan
    sf.write(audio / "nan.wav", nan, 16000, subtype="FLOAT")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(audio / "hour.wav"), "synth", "3600", "sine", "200", "vol", "0.1"], check=True)  # fmt: skip
    good = lambda i, **extra: json.dumps({"audio": f"audio/good{1 + i % 2}.wav", "id": f"good{i}", "transcript": f"Good clip {i}.", **extra})  # noqa: E731
    lines = [
        good(0),
        json.dumps({"audio": "audio/zero.wav", "id": "zero"}),
        json.dumps({"audio": "audio/truncated.wav", "id": "truncated"}),
        good(1),
        json.dumps({"audio": "audio/random.wav", "id": "random"}),
        json.dumps({"audio": "audio/text.flac", "id": "text"}),
        json.dumps({"audio": "audio/missing.wav", "id": "missing"}),
        json.dumps({"audio": "audio/no_samples.wav", "id": "no_samples"}),
        json.dumps({"audio": "audio/ten_ms.wav", "id": "ten_ms"}),
        json.dumps({"audio": "audio/nan.wav", "id": "nan"}),
        json.dumps({"audio": "audio/eight_channels.wav", "id": "eight_channels", "labels": ["tone"]}),
        json.dumps({"audio": "audio/hour.wav", "id": "hour", "labels": ["tone"]}),
        "{this is not json",
        json.dumps({"id": "no_audio", "transcript": "where is the audio?"}),
        json.dumps({"audio": "audio/good1.wav", "id": "wrong_type", "labels": 5}),
        good(2).encode().replace(b"Good clip", b"Good \xff\xfe clip").decode("latin-1"),
        good(3, transcript="word " * 20_000),
        good(4, transcript="Control\x00 characters\x1b\nare\x07 cleaned."),
        json.dumps({"audio": "../../etc/passwd", "id": "escape"}),
        json.dumps({"audio": "/etc/hostname", "id": "absolute"}),
        good(0),
        good(5),
    ]
    manifest = root / "data" / "manifest.jsonl"
    manifest.write_bytes("\n".join(lines).encode("latin-1") + b"\n")
    (root / "data" / "empty.jsonl").write_text("")
    config = yaml.safe_load((REPO / "configs/demo.yaml").read_text())
    config["data_root"] = str(root / "data")
    config["sources"] = [
        {"name": "bad", "manifest": "manifest.jsonl", "domain": "speech"},
        {"name": "empty", "manifest": "empty.jsonl", "domain": "sound"},
    ]
    config["prompts"]["per_clip"] = 1
    config["generation"]["model"] = str(REPO / ".models/SmolLM2-135M-Instruct")
    config["generation"]["sampling"]["max_tokens"] = 16
    # The length check is off here so that the 100,000-character transcript reaches the engine, which
    # refuses that one row (vLLM: "maximum context length"), and the row is quarantined as engine_error
    # while the rest of its batch is written (the check itself: tests/stages/test_tokenize_prompt.py).
    config["generation"]["check_prompt_length"] = False
    # A 16-token budget cuts every answer, so the response checks would move every good row to flagged/;
    # this module is about bad inputs (the checks on a run: tests/pipeline/test_checks_on_ray.py).
    config["filters"] = {"enabled": False}
    config.pop("attributes", None)
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    result = run_cli("run", "--config", str(path), "--output", str(root / "out"), env=SECRETS)
    return root / "out", result


def test_the_run_finishes_with_exit_0(bad_run):
    output, result = bad_run
    assert result.returncode == 0, result.stderr[-3000:]


def test_every_good_row_is_written(bad_run):
    output, _ = bad_run
    ids = sorted(pq.read_table(output / "data")["id"].to_pylist())
    assert ids == sorted(f"bad/{name}#0" for name in ["good0", "good1", "good4", "good5", "eight_channels", "hour"])
    assert "bad/good2#0" not in ids  # its line holds invalid UTF-8
    rows = {row["id"]: row for row in pq.read_table(output / "data").to_pylist()}
    assert "Control characters are cleaned." in rows["bad/good4#0"]["seed_description"]
    assert rows["bad/hour#0"]["duration_s"] == pytest.approx(3600.0)
    assert rows["bad/eight_channels#0"]["duration_s"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("clip", "reason"),
    [
        ("bad/zero", "audio_undecodable"),
        ("bad/truncated", "audio_truncated"),
        ("bad/random", "audio_undecodable"),
        ("bad/text", "audio_undecodable"),
        ("bad/missing", "audio_missing"),
        ("bad/no_samples", "audio_empty"),
        ("bad/ten_ms", "audio_too_short"),
        ("bad/nan", "audio_not_finite"),
        ("bad/good3#0", "engine_error"),
        (None, "bad_json"),
        (None, "invalid_entry"),
        (None, "invalid_utf8"),
        (None, "audio_outside_root"),
        ("bad/good0", "duplicate_clip"),
    ],
)
def test_each_bad_input_is_quarantined_with_its_reason(bad_run, clip, reason):
    output, _ = bad_run
    quarantine = pq.read_table(output / "quarantine").to_pylist()
    matches = [row for row in quarantine if row["drop_reason"] == reason and (clip is None or row["clip_id"] == clip)]
    assert matches, f"{clip} not quarantined as {reason}: {[(r['clip_id'], r['drop_reason']) for r in quarantine]}"
    assert all(row["input_ref"] and row["drop_detail"] and row["stage"] for row in matches)
    if reason == "engine_error":  # the engine's own words reach the quarantine
        assert all("maximum context length" in row["drop_detail"] for row in matches)


def test_quarantine_counts_reach_the_manifest_and_the_summary(bad_run):
    output, result = bad_run
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["quarantined"] == {
        "audio_empty": 1, "audio_missing": 1, "audio_not_finite": 1, "audio_outside_root": 2,
        "audio_too_short": 1, "audio_truncated": 1, "audio_undecodable": 3, "bad_json": 1,
        "duplicate_clip": 1, "engine_error": 1, "invalid_entry": 2, "invalid_utf8": 1,
    }  # fmt: skip
    assert manifest["rows_per_source"] == {"bad": 6}  # the empty manifest adds nothing and breaks nothing
    assert f"quarantined {manifest['quarantined_total']} " in result.stdout


def test_no_secret_reaches_the_output_or_the_logs(bad_run):
    output, result = bad_run
    texts = [result.stdout, result.stderr] + [p.read_bytes().decode("utf-8", "replace") for p in output.rglob("*") if p.is_file()]
    for secret in SECRETS.values():
        assert not any(secret in text for text in texts), secret
