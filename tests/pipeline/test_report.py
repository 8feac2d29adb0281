"""`desta-data report` over a built output made without Ray (publish fixtures) with measured attributes in
`metadata`, a quarantine and flagged rows: the figures are the ones the rows hold, the page and plots exist."""

from __future__ import annotations

import json
import struct

import pyarrow as pa
import pyarrow.parquet as pq

from publishing.report import Histogram, prompt_category, report
from publish_fixtures import make_rows, write_output
from schemas import columns as c
from schemas.tables import QUARANTINE_SCHEMA


def rows_with_metadata() -> list[dict]:
    rows = make_rows(clips=10, per_clip=2)
    for row in rows:
        clip = int(row["clip_id"][-3:])
        if row["dataset"] == "alpha":  # speech: measured values and labels
            gender = "Female" if clip % 2 else "Male"
            row["metadata"] = json.dumps({"pitch_mean_hz": 210.0 if gender == "Female" else 110.0, "Gender": gender,
                                          "volume_dbfs": -20.0, "speaking_rate_sps": 4.1, "snr_db": 30.0, "c50_db": 12.0,
                                          "Emotion": "happy" if clip < 3 else "neutral", "Language": "English"})  # fmt: skip
        row["prompt_id"] = f"{'speech' if row['dataset'] == 'alpha' else 'sound'}-{row['id'][-1]}00{clip % 3}"
    return rows


def test_report_figures_page_and_plots(tmp_path, cli):
    built = write_output(str(tmp_path / "built"), rows=rows_with_metadata())
    quarantine = pa.table({c.CLIP_ID: ["alpha/x", "beta/y", "beta/z"], c.SOURCE: ["alpha", "beta", "beta"], c.INPUT_REF: ["a:1", "b:1", "b:2"],
                           c.DROP_STAGE: ["probe"] * 3, c.DROP_REASON: ["audio_missing", "audio_missing", "too_short"], c.DROP_DETAIL: [""] * 3},
                          schema=QUARANTINE_SCHEMA)  # fmt: skip
    (tmp_path / "built" / "quarantine").mkdir()
    pq.write_table(quarantine, tmp_path / "built" / "quarantine" / "probe-1.parquet")
    (tmp_path / "built" / "flagged").mkdir()
    pq.write_table(pa.table({"id": ["a#0", "b#1"], "flag": ["refusal", "leak"]}), tmp_path / "built" / "flagged" / "part-00000.parquet")

    result = cli("report", "--input", built, "--output", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr
    assert "rows per source: alpha 20, beta 20, gamma 20" in result.stdout

    summary = json.loads((tmp_path / "report" / "report.json").read_text())
    assert summary["rows"] == 60 and summary["clips"] == 30
    assert summary["hours_per_source"]["alpha"] * 3600 == sum(1.0 + i * 0.5 for i in range(10))  # clip_duration(0, i)
    assert summary["rows_per_domain"] == {"music": 20, "sound": 20, "speech": 20}
    assert summary["labels"]["gender"] == {"Female": 5, "Male": 5}  # clips, not rows
    assert summary["labels"]["emotion"] == {"happy": 3, "neutral": 7}
    assert summary["measures"]["pitch (Female)"] == {"values": 5, "median": 212.5}  # the 210-215 Hz bin's centre
    assert summary["measures"]["pitch (Male)"]["median"] == 112.5
    assert summary["measures"]["snr"]["values"] == 10 and summary["measures"]["volume"]["values"] == 10
    assert summary["prompts_per_category"] == {"sound": 40, "speech": 20}
    assert summary["finish_reasons"] == {"length": 12, "stop": 48}  # clips 0 and 5 of each source stop at the budget
    assert summary["quarantine_reasons"] == {"audio_missing": 2, "too_short": 1}  # from quarantine/, not the manifest
    assert summary["flag_reasons"] == {"leak": 1, "refusal": 1}

    pngs = sorted(p.name for p in (tmp_path / "report").glob("*.png"))
    assert len(pngs) >= 8
    page = (tmp_path / "report" / "index.html").read_text()
    for name in pngs:
        assert f'src="{name}"' in page
        width, height = struct.unpack(">II", (tmp_path / "report" / name).read_bytes()[16:24])  # the PNG's IHDR
        assert width > 300 and height > 200
    assert "rows per source: alpha 20, beta 20, gamma 20" in page


def test_report_is_deterministic_and_reads_a_sharded_folder(tmp_path, cli):
    built = write_output(str(tmp_path / "built"), rows=rows_with_metadata(), manifest_extra={"flagged": {"refusal": 4}})
    first, second = report(built, str(tmp_path / "r1")), report(built, str(tmp_path / "r2"))
    for name in first.files:
        assert (tmp_path / "r1" / name).read_bytes() == (tmp_path / "r2" / name).read_bytes(), name
    # no quarantine/ or flagged/ folder (as in a sharded folder): the manifest's counts
    assert first.summary["quarantine_reasons"] == {"audio_missing": 2, "bad_json": 1}
    assert first.summary["flag_reasons"] == {"refusal": 4}


def test_fixed_bin_histogram_and_prompt_categories():
    histogram = Histogram(0.0, 10.0, 1.0)
    histogram.add([0.5, 1.5, 1.6, 99.0, None, float("nan"), -3.0])
    assert histogram.counts.tolist() == [2, 2, 0, 0, 0, 0, 0, 0, 0, 1]  # out of range -> first or last bin
    assert histogram.total == 5 and histogram.quantile(0.5) == 1.5
    assert prompt_category("speech-0001") == "speech" and prompt_category("sound_music-12") == "sound_music"
    assert prompt_category("custom") == "custom" and prompt_category(None) == "unknown"


def test_shard_puts_the_key_plots_into_the_card(tmp_path):
    from pipeline.config import ShardConfig
    from publishing.shard import shard

    built = write_output(str(tmp_path / "built"), rows=rows_with_metadata())
    shard(built, str(tmp_path / "shards"), ShardConfig())
    plots = sorted(p.name for p in (tmp_path / "shards" / "plots").glob("*.png"))
    assert plots == ["clip_durations.png", "quarantine_flag_reasons.png", "response_tokens.png", "rows_per_source.png"]
    card = (tmp_path / "shards" / "README.md").read_text()
    assert "## Plots" in card and "![Rows per source](plots/rows_per_source.png)" in card
    assert "rows per source: alpha 20, beta 20, gamma 20" in card and "finish" not in card.split("## Plots")[1]
