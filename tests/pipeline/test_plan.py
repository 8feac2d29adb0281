"""`desta-data plan`: the recipe's published sizes and budgets land on the release's totals; a plan of every
adapter's real fixture layout; the demo plan against the demo's own audio; calibration and throughput."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import soundfile as sf
import yaml

from cli_helpers import run_cli
from pipeline.config import load_config
from pipeline.plan import DEFAULT_THROUGHPUT, format_plan, make_plan, published_estimate
from schemas import columns as c

REPO = Path(__file__).resolve().parents[2]
AQA5M = REPO / "configs" / "aqa5m.yaml"
DEMO = REPO / "configs" / "demo.yaml"
DEMO_MODEL = REPO / ".models" / "SmolLM2-135M-Instruct"
RELEASE_ROWS, RELEASE_HOURS = 4_963_845, 7_000


def config_copy(tmp_path: Path, base: Path, change, name: str = "plan.yaml") -> Path:
    raw = yaml.safe_load(base.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# ---- the recipe's totals ----------------------------------------------------------------------------


def test_aqa5m_published_sizes_and_budgets_land_within_5_percent_of_the_release():
    config = load_config(AQA5M)
    assert len(config.sources) == 51
    per_clip = config.prompts_per_source()
    rows = hours = 0.0
    for source in config.sources:
        assert source.published and len(source.published.source) > 10, f"{source.name}: published size and its origin"
        clips, source_hours = published_estimate(source.published, source.clip_budget())
        rows += round(clips) * per_clip[source.name]
        hours += source_hours
    assert abs(rows / RELEASE_ROWS - 1) < 0.05, rows
    assert abs(hours / RELEASE_HOURS - 1) < 0.05, hours


def test_plan_of_aqa5m_without_its_data_estimates_from_published_sizes(tmp_path):
    def elsewhere(raw):
        raw["data_root"] = str(tmp_path / "absent")
        raw["attributes"]["bins"] = str(REPO / "configs" / raw["attributes"]["bins"])

    config = load_config(config_copy(tmp_path, AQA5M, elsewhere))
    plan = make_plan(config)
    totals = plan.totals()
    assert [s.basis for s in plan.sources] == ["published"] * 51
    assert abs(totals["rows"] / RELEASE_ROWS - 1) < 0.05 and abs(totals["hours"] / RELEASE_HOURS - 1) < 0.05
    assert totals["response_tokens"] == totals["rows"] * config.generation.sampling.max_tokens
    throughput = DEFAULT_THROUGHPUT["cuda"][0]
    assert totals["engine_hours"] == pytest.approx(totals["response_tokens"] / throughput / 3600)
    assert "not available offline" in plan.tokenizer  # Llama's tokenizer is not here: the fallback says so
    assert all("not found" in s.note for s in plan.sources)


def test_published_estimate_applies_every_cap():
    from pipeline.config import PublishedSize
    from stages.select_clips import ClipBudget

    size = PublishedSize(hours=100.0, clips=1000, source="test")
    assert published_estimate(size, ClipBudget()) == (1000, 100.0)
    assert published_estimate(size, ClipBudget(max_clips=250)) == pytest.approx((250, 25.0))
    assert published_estimate(size, ClipBudget(max_hours=10)) == pytest.approx((100, 10.0))
    assert published_estimate(size, ClipBudget(max_clips=300, max_hours=20, fraction=0.5)) == pytest.approx((200, 20.0))


# ---- the demo -----------------------------------------------------------------------------------------


def demo_durations() -> dict[str, float]:
    """The demo's selected clips' lengths as soundfile reads them (segments cut to their bounds)."""
    from stages.ingest_manifest import IngestManifest
    from pipeline.runner import source_specs

    lengths = {}
    for spec in source_specs(load_config(DEMO)):
        for table in IngestManifest().read(spec):
            for row in table.filter(table[c.KEEP]).to_pylist():
                total = sf.info(row[c.AUDIO_URI]).duration
                lengths[row[c.CLIP_ID]] = min(row[c.END_S] or total, total) - (row[c.START_S] or 0.0)
    return lengths


@pytest.mark.skipif(not DEMO_MODEL.is_dir(), reason="the demo model is made by `make install`")
def test_plan_of_the_demo_counts_its_clips_hours_and_tokens(tmp_path):
    config = load_config(DEMO)
    plan = make_plan(config, sample_clips=100)  # a sample as large as the sources: hours are exact
    lengths = demo_durations()
    by_name = {s.name: s for s in plan.sources}
    assert sum(s.clips for s in plan.sources) == len(lengths) and all(s.basis == "data" for s in plan.sources)
    assert sum(s.hours for s in plan.sources) * 3600 == pytest.approx(sum(lengths.values()), rel=1e-3)
    for s in plan.sources:
        assert s.quarantine_estimate == 0 and s.rows == s.clips * config.prompts.per_clip
        assert 60 < s.prompt_tokens / s.rows < 400  # system turn + prompt + a seed description, in SmolLM2 tokens
        assert s.response_tokens == s.rows * config.generation.sampling.max_tokens
        assert s.engine_hours == pytest.approx(s.response_tokens / DEFAULT_THROUGHPUT["cpu"][0] / 3600)
    assert plan.tokenizer == "SmolLM2-135M-Instruct tokenizer"
    assert by_name["demo-csv"].clips == sum(1 for k in lengths if k.startswith("demo-csv/"))

    def budgeted(raw):
        raw["data_root"] = str(REPO)
        raw["generation"]["model"] = str(DEMO_MODEL)
        raw["sources"][0]["budget"] = {"max_clips": 5}
        raw["sources"][0]["prompts_per_clip"] = 3
        raw["generation"]["throughput_tokens_per_s"] = 50.0

    small = make_plan(load_config(config_copy(tmp_path, DEMO, budgeted)))
    first = small.sources[0]
    assert (first.clips, first.rows, first.prompts_per_clip) == (5, 15, 3)
    assert first.engine_hours == pytest.approx(first.response_tokens / 50.0 / 3600)
    assert small.throughput_source == "generation.throughput_tokens_per_s"


@pytest.mark.skipif(not DEMO_MODEL.is_dir(), reason="the demo model is made by `make install`")
def test_calibrate_takes_response_tokens_from_a_finished_run(tmp_path):
    run = tmp_path / "run"
    (run / "data").mkdir(parents=True)
    table = pa.table({c.SOURCE: ["demo", "demo", "demo", "other"], c.COMPLETION_TOKENS: pa.array([10, 20, None, 70], pa.int64())})
    pq.write_table(table, run / "data" / "part-00000.parquet")
    plan = make_plan(load_config(DEMO), calibrate=str(run))
    by_name = {s.name: s for s in plan.sources}
    assert by_name["demo"].response_tokens == by_name["demo"].rows * 15  # its own mean
    assert by_name["demo-csv"].response_tokens == round(by_name["demo-csv"].rows * 100 / 3)  # the overall mean
    assert "mean completion_tokens" in plan.response_basis
    refused = run_cli("plan", "--config", str(DEMO), "--calibrate", str(tmp_path / "nothing"))
    assert refused.returncode == 2 and "--calibrate" in refused.stderr


def test_plan_cli_on_the_demo_prints_a_table_and_json(tmp_path):
    text = run_cli("plan", "--config", str(DEMO))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split()[:10] == ["source", "basis", "clips", "hours", "p/clip", "rows", "prompt", "tok", "response", "tok"]
    assert [line.split()[0] for line in lines[1:4]] == ["demo", "demo-csv", "TOTAL"]
    assert any(line.startswith("engine-hours:") and "tokens/s per replica" in line for line in lines)
    as_json = json.loads(run_cli("plan", "--config", str(DEMO), "--json").stdout)
    assert [s["name"] for s in as_json["sources"]] == ["demo", "demo-csv"]
    assert as_json["totals"]["rows"] == sum(s["rows"] for s in as_json["sources"]) > 0


# ---- every adapter, on its fixture layout ---------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_recipe(tmp_path_factory) -> Path:
    """configs/aqa5m.yaml (budgets, prompts per clip) over a data root holding every source's tiny native
    layout, each read with the options its adapter tests use."""
    pytest.importorskip("datasets")
    if not (shutil.which("espeak-ng") and shutil.which("sox") and shutil.which("ffmpeg")):
        pytest.skip("espeak-ng, sox and ffmpeg are needed (make install installs them)")
    from tests.adapters.conftest import AudioMaker
    from tests.adapters.layouts import build_all

    folder = tmp_path_factory.mktemp("recipe")
    raw = yaml.safe_load(AQA5M.read_text(encoding="utf-8"))
    options = build_all(folder / "data", raw["sources"], AudioMaker())
    for source in raw["sources"]:
        source["options"] = options[source["name"]]
    raw["data_root"] = str(folder / "data")
    raw["attributes"] = {"enabled": False}
    raw["output"] = {"dir": str(folder / "out")}
    path = folder / "aqa5m-synthetic.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_plan_reads_all_51_sources_from_their_native_layouts(synthetic_recipe):
    names = [s["name"] for s in yaml.safe_load(AQA5M.read_text(encoding="utf-8"))["sources"]]
    plan = make_plan(load_config(synthetic_recipe), tokenizer=str(DEMO_MODEL) if DEMO_MODEL.is_dir() else None)
    assert [s.name for s in plan.sources] == names
    for s in plan.sources:
        assert s.basis == "data", (s.name, s.note)
        assert s.clips >= 1 and s.hours > 0 and s.rows >= 1, s
        assert s.rows == (s.clips - s.quarantine_estimate) * s.prompts_per_clip, s
        assert s.prompt_tokens > 40 * s.rows and s.response_tokens == 512 * s.rows, s
        assert s.engine_hours == pytest.approx(s.response_tokens / plan.throughput_tokens_per_s / 3600)
    # the fixtures' deliberately missing audio shows up as a quarantine estimate, their bad lines as bad entries
    assert sum(s.quarantine_estimate for s in plan.sources) > 0 and sum(s.ingest_rejects for s in plan.sources) > 0
    printed = format_plan(plan).splitlines()
    assert [line.split("  ")[0] for line in printed[1:52]] == names
    assert printed[52].startswith("TOTAL") and f"{plan.totals()['rows']:,}" in printed[52]
