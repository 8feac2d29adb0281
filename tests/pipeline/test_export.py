"""`desta-data export --format desta-jsonl`: the trainer's JSONL, every row checked by its rules."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from pipeline.cli import EXIT_CHECK_FAILED, app
from pipeline.config import ShardConfig
from publishing.export import ExportError, export_jsonl, missing_audio
from publishing.shard import shard
from publishing.trainer_format import audio_paths, to_trainer_record, trainer_problems
from publish_fixtures import make_rows, write_output
from schemas.records import AUDIO_PLACEHOLDER

SYSTEM = "You are a helpful assistant. The audio clips appear between <start_audio> and <end_audio> tags."
# The trainer's format exactly as docs/train.md shows it (desta-aqa5m.md).
DOC_EXAMPLE = {
    "messages": [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Describe it. {AUDIO_PLACEHOLDER}", "audios": [{"audio": "a/b.wav", "text": " "}]},
    ],
    "response": "A dog barks.",
}


def broken(change) -> dict:
    record = copy.deepcopy(DOC_EXAMPLE)
    change(record)
    return record


def test_output_row_becomes_the_documented_record():
    row = {"id": "x#0", "response": "A dog barks.", "dataset": "src",
           "messages": [{"role": "system", "content": SYSTEM, "audios": None},
                        {"role": "user", "content": f"Describe it. {AUDIO_PLACEHOLDER}", "audios": [{"audio": "a/b.wav", "text": " "}]}]}  # fmt: skip
    record = to_trainer_record(row)
    assert json.dumps(record) == json.dumps(DOC_EXAMPLE)  # same keys, same order, no null audios
    assert trainer_problems(record) == []
    assert audio_paths(record) == ["a/b.wav"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r["messages"].append({"role": "assistant", "content": "hi"}), "messages[2].role must be system or user, got 'assistant'"),
        (lambda r: r["messages"][1].update(content="no marker"), "0 <|AUDIO|> marker(s) but 1 audios entry"),
        (lambda r: r["messages"][1]["audios"].append({"audio": "c.wav", "text": "x"}), "1 <|AUDIO|> marker(s) but 2 audios entries"),
        (lambda r: r["messages"][1]["audios"][0].update(text=None), "messages[1].audios[0].text must be a string"),
        (lambda r: r["messages"][1]["audios"][0].update(text=3), "messages[1].audios[0].text must be a string"),
        (lambda r: r["messages"][1]["audios"][0].update(audio=""), "messages[1].audios[0].audio must be a non-empty path"),
        (lambda r: r["messages"][1].update(audios="a.wav"), "messages[1].audios must be a list"),
        (lambda r: r.pop("response"), "response must be a non-empty string"),
        (lambda r: r.update(response="  "), "response must be a non-empty string"),
        (lambda r: r.update(messages=[]), "messages must be a non-empty list"),
        (lambda r: r.update(messages=r["messages"][:1]), "messages need a user turn"),
        (lambda r: r["messages"][0].update(content=None), "messages[0].content must be a string"),
    ],
)
def test_each_trainer_rule_is_enforced(change, problem):
    problems = trainer_problems(broken(change))
    assert any(problem in p for p in problems), problems


def test_export_of_shards_is_one_valid_file_per_split_that_datasets_reads(tmp_path):
    rows = make_rows(clips=8)
    built = write_output(str(tmp_path / "built"), rows)
    shard(built, str(tmp_path / "shards"), ShardConfig(validation_fraction=0.2, max_rows=10))
    summary = export_jsonl(str(tmp_path / "shards"), str(tmp_path / "jsonl"))
    assert summary.files == {"train": ["train.jsonl"], "validation": ["validation.jsonl"]}
    assert sorted(p.name for p in (tmp_path / "jsonl").iterdir()) == ["train.jsonl", "validation.jsonl"]

    by_id = {r["id"]: r for r in rows}
    lines = [json.loads(line) for name in ("train.jsonl", "validation.jsonl") for line in (tmp_path / "jsonl" / name).read_text().splitlines()]
    assert len(lines) == len(rows) == sum(summary.rows.values())
    assert all(trainer_problems(record) == [] for record in lines)
    assert all(list(record) == ["messages", "response"] for record in lines)
    assert sorted(json.dumps(r, sort_keys=True) for r in lines) == sorted(json.dumps(to_trainer_record(r), sort_keys=True) for r in by_id.values())
    assert summary.audio_paths == {r["audio_path"] for r in rows}

    import datasets

    loaded = datasets.load_dataset("json", data_files={s: str(tmp_path / "jsonl" / f"{s}.jsonl") for s in ("train", "validation")},
                                   cache_dir=str(tmp_path / "cache"))  # fmt: skip
    assert loaded["train"].num_rows == summary.rows["train"] and loaded["validation"].num_rows == summary.rows["validation"]
    first = loaded["train"][0]
    assert first["messages"][1]["audios"][0]["audio"].startswith("audio/") and first["messages"][1]["content"].endswith(AUDIO_PLACEHOLDER)


def test_rows_per_file_and_a_later_layout_replaces_the_files(tmp_path):
    built = write_output(str(tmp_path / "built"), make_rows(clips=5))  # 30 rows, a run's parts: all train
    summary = export_jsonl(built, str(tmp_path / "out"), rows_per_file=12)
    assert summary.files == {"train": ["train-00000-of-00003.jsonl", "train-00001-of-00003.jsonl", "train-00002-of-00003.jsonl"]}
    counts = [len((tmp_path / "out" / n).read_text().splitlines()) for n in summary.files["train"]]
    assert counts == [12, 12, 6]
    (tmp_path / "out" / "keep-me.txt").write_text("not ours")
    export_jsonl(built, str(tmp_path / "out"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["keep-me.txt", "train.jsonl"]


def test_an_invalid_row_stops_the_export_and_names_it(tmp_path):
    rows = make_rows(clips=4)
    rows[5]["messages"][1]["content"] = "lost the placeholder"
    built = write_output(str(tmp_path / "built"), rows, rows_per_part=4)
    with pytest.raises(ExportError) as error:
        export_jsonl(built, str(tmp_path / "out"), rows_per_file=2)
    message = str(error.value)
    assert "part-00001.parquet: row 1" in message and repr(rows[5]["id"]) in message and "0 <|AUDIO|> marker(s)" in message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())  # nothing half-written


def test_data_root_check_counts_missing_audio(tmp_path):
    rows = make_rows(clips=3)
    built = write_output(str(tmp_path / "built"), rows)
    root = tmp_path / "root"
    paths = sorted({r["audio_path"] for r in rows})
    durations = {r["audio_path"]: r["duration_s"] for r in rows}

    def write(path: str, seconds: float) -> None:  # real audio of the given length
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(root / path), np.zeros(round(seconds * 16000), "float32"), 16000, format="WAV")

    for path in paths[:-2]:
        write(path, durations[path])
    assert missing_audio(set(paths), str(root)) == paths[-2:]

    result = CliRunner().invoke(app, ["export", "-i", built, "-o", str(tmp_path / "j"), "--data-root", str(root)])
    assert result.exit_code == EXIT_CHECK_FAILED
    assert f"audio: {len(paths)} referenced file(s), 2 missing under {root}" in result.output
    assert f"missing: {paths[-1]}" in result.output and (tmp_path / "j" / "train.jsonl").exists()
    write(paths[-2], durations[paths[-2]])
    write(paths[-1], durations[paths[-1]] + 0.02)  # 20 ms longer than its rows say
    wrong = CliRunner().invoke(app, ["export", "-i", built, "-o", str(tmp_path / "j"), "--data-root", str(root)])
    assert wrong.exit_code == EXIT_CHECK_FAILED and "0 missing" in wrong.output
    assert f"duration: {paths[-1]} lasts {durations[paths[-1]] + 0.02:.3f}s, its rows say {durations[paths[-1]]:.3f}s" in wrong.output
    write(paths[-1], durations[paths[-1]] + 0.005)  # within 10 ms
    ok = CliRunner().invoke(app, ["export", "-i", built, "-o", str(tmp_path / "j"), "--data-root", str(root)])
    assert ok.exit_code == 0 and f"{len(paths)} referenced file(s), 0 missing" in ok.output
    unknown = CliRunner().invoke(app, ["export", "-i", built, "-o", str(tmp_path / "j"), "--format", "csv"])
    assert unknown.exit_code == 2 and "--format 'csv' is not supported" in unknown.output


def test_invalid_row_exit_code_through_the_cli(tmp_path):
    rows = make_rows(clips=2)
    rows[0]["response"] = ""
    built = write_output(str(tmp_path / "built"), rows)
    result = CliRunner().invoke(app, ["export", "-i", built, "-o", str(tmp_path / "j")])
    assert result.exit_code == EXIT_CHECK_FAILED
    assert "response must be a non-empty string" in result.output and "nothing was exported" in result.output
