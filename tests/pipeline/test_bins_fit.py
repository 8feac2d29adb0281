"""`desta-data bins fit`: edges fitted on measured espeak clips, written as the next version, never over
an existing file, and used by a later run's stages when the config points at it. No Ray, no engine."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.bins import equal_width_edges, fit, fit_bins, next_version_path
from pipeline.cli import app
from pipeline.config import load_config
from pipeline.runner import pre_generation_stages
from stages.acoustics.binning import DEFAULT_BINS, Bins
from stages.measure_acoustics import MeasureAcoustics

VOICES = [("en-us+m3", "M"), ("en-us+f3", "F"), ("en-gb+m1", "M"), ("en-us+f2", "F")]
SPEEDS = (120, 160, 200, 240)
TEXT = "Please call Stella and ask her to bring these things with her from the store"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """16 espeak clips (4 voices x 4 speeds) with a manifest, and a copy of v1.json to fit beside."""
    root = tmp_path_factory.mktemp("corpus")
    lines = []
    for v, (voice, gender) in enumerate(VOICES):
        for speed in SPEEDS:
            name = f"v{v}_{speed}.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(root / name), TEXT], check=True)
            lines.append(json.dumps({"audio": name, "transcript": TEXT, "gender": gender}))
    (root / "manifest.jsonl").write_text("\n".join(lines) + "\n")
    (root / "bins").mkdir()
    shutil.copy(DEFAULT_BINS, root / "bins" / "v1.json")
    return root


def write_config(corpus, tmp_path, **attributes):
    config = yaml.safe_load((DEFAULT_BINS.parents[1] / "demo.yaml").read_text())
    config.update(data_root=str(corpus), sources=[{"name": "espeak", "manifest": "manifest.jsonl", "domain": "speech"}])
    config["attributes"] = {"enabled": True, "bins": str(corpus / "bins" / "v1.json"), **attributes}
    config["generation"]["model"] = "some/model"  # not loaded: nothing here generates
    config["generation"]["check_prompt_length"] = False
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_equal_width_edges_after_outliers_are_removed():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 1.5, 2.5, 3.5, 4.5, 3.0, 1000.0]
    assert equal_width_edges(values, 5, std_tolerance=2.0) == [1.8, 2.6, 3.4, 4.2]
    assert equal_width_edges([1.0, 2.0], 5, 2.0) is None  # too few values: keep the current edges


def test_fit_leaves_out_values_too_weakly_based_for_a_word():
    """An SNR from a clip without a pause (snr_word_withheld) is not a noise level: it must not move the edges."""
    strong = [({"snr_db": float(v)}, None) for v in range(10, 30)]
    weak = [({"snr_db": float(v % 5), "snr_word_withheld": "noise floor from 0.00 s without speech"}, None) for v in range(15)]
    spec, counts = fit(strong + weak, Bins.load(), levels=5, std_tolerance=2.0)
    alone, _ = fit(strong, Bins.load(), levels=5, std_tolerance=2.0)
    assert counts["Noise level"] == 20 and spec["Noise level"] == alone["Noise level"]
    assert spec["Noise level"]["edges"] == [13.8, 17.6, 21.4, 25.2]


def test_next_version_path(tmp_path):
    assert next_version_path(tmp_path).name == "v1.json"
    for name in ("v1.json", "v3.json", "v10.json", "vx.json", "notes.json"):
        (tmp_path / name).write_text("{}")
    assert next_version_path(tmp_path).name == "v11.json"


def test_fit_writes_the_next_version_and_a_later_run_uses_it(corpus, tmp_path):
    config = load_config(write_config(corpus, tmp_path))
    path = fit_bins(config, sample=16, levels=5)
    assert path == corpus / "bins" / "v2.json"
    fitted = json.loads(path.read_text())
    assert fitted["version"] == "v2" and fitted["fitted_from"]["clips"] == 16
    speed = fitted["attributes"]["Speaking speed"]["edges"]
    assert fitted["fitted_from"]["values"]["Speaking speed"] == 16 and len(speed) == 4 and speed == sorted(speed)
    male, female = (fitted["attributes"]["Pitch"]["edges_by_gender"][g] for g in ("Male", "Female"))
    assert male[-1] < female[-1]  # fitted separately per gender label
    assert json.loads((corpus / "bins" / "v1.json").read_text()) == json.loads(DEFAULT_BINS.read_text())  # untouched
    # a later run configured with the new file measures with it
    later = load_config(write_config(corpus, tmp_path, bins=str(path)))
    (measure,) = [s for s in pre_generation_stages(later) if isinstance(s, MeasureAcoustics)]
    measure.setup()
    assert measure.bins.version == "v2" and later.attributes.bins_record()["version"] == "v2"
    assert later.fingerprint() != config.fingerprint()


def test_cli_prints_the_path_and_never_overwrites(corpus, tmp_path):
    config = write_config(corpus, tmp_path)
    first = CliRunner().invoke(app, ["bins", "fit", "--config", str(config), "--sample", "8", "--levels", "7"])
    second = CliRunner().invoke(app, ["bins", "fit", "--config", str(config), "--sample", "8"])
    assert first.exit_code == 0 and second.exit_code == 0, (first.output, second.output)
    written = [first.output.strip().splitlines()[-1], second.output.strip().splitlines()[-1]]
    assert written[0] != written[1] and all(w.startswith(str(corpus / "bins")) for w in written)
    assert len(Bins.load(written[0]).spec["Volume"]["words"]) == 7 and Bins.load(written[1]).spec["Volume"]["words"][2] == "Medium"


def test_cli_refuses_other_level_counts(corpus, tmp_path):
    result = CliRunner().invoke(app, ["bins", "fit", "--config", str(write_config(corpus, tmp_path)), "--levels", "6"])
    assert result.exit_code == 2 and "5 or 7" in result.output
