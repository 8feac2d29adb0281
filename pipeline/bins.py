"""`desta-data bins fit`: bin edges for measured attributes, fitted to a sample of a config's sources.

The dataspeech way: measure a sample of clips, drop values outside mean +- k std (and values pinned at
a measure's clamp, e.g. SNR of digital silence, and values too weakly based for a word, e.g. an SNR
without a pause), then cut the remaining range into equal-width bins.
Pitch gets a set per gender label (Male, Female) and a pooled set over every clip. The result is a new
versioned file beside the current one (v2, v3, ...), never an overwrite; point `attributes.bins` at it.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pyarrow as pa

from pipeline.config import RunConfig
from schemas import columns as c
from stages.acoustics.binning import ATTRIBUTES, DEFAULT_BINS, POOLED, Bins, withheld_key, words_for
from stages.acoustics.levels import C50_RANGE_DB, SNR_RANGE_DB
from stages.describe_clip import normalise_attributes
from stages.ingest_manifest import IngestManifest
from stages.measure_acoustics import AcousticsConfig, MeasureAcoustics

CLAMPED = {"snr_db": SNR_RANGE_DB, "c50_db": C50_RANGE_DB}  # values at these bounds say "beyond range"
MIN_VALUES = 10  # fewer measured values than this: the attribute keeps its current edges


def equal_width_edges(values: list[float], levels: int, std_tolerance: float) -> list[float] | None:
    """levels - 1 interior edges over [min, max] of the values within mean +- std_tolerance * std."""
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], float)
    if len(data) < MIN_VALUES:
        return None
    mean, std = data.mean(), data.std()
    kept = data[np.abs(data - mean) <= std_tolerance * std] if std > 0 else data
    low, high = float(kept.min()), float(kept.max())
    if high <= low:
        return None
    return [round(low + (high - low) * i / levels, 3) for i in range(1, levels)]


def sample_rows(config: RunConfig, sample: int) -> pa.Table:
    """Up to `sample` clips drawn evenly from the sources, deterministically from config.seed."""
    from pipeline.runner import source_specs  # the runner imports Ray lazily; this stays light

    rng = random.Random(config.seed)
    per_source = max(1, sample // len(config.sources))
    tables = []
    for source in source_specs(config):
        rows = [t.filter(t[c.KEEP]) if c.KEEP in t.column_names else t for t in IngestManifest().read(source)]
        table = pa.concat_tables(rows) if rows else None
        if table is not None and table.num_rows:
            picks = sorted(rng.sample(range(table.num_rows), min(per_source, table.num_rows)))
            tables.append(table.take(picks))
    if not tables:
        raise ValueError("the configured sources hold no readable clips")
    return pa.concat_tables(tables, promote_options="default")


def measured_values(table: pa.Table, batch: int = 64) -> list[tuple[dict, str | None]]:
    """(metadata values, gender label) per clip."""
    stage = MeasureAcoustics(AcousticsConfig(words=()))
    found = []
    for start in range(0, table.num_rows, batch):
        out = stage(table.slice(start, batch))
        for meta, raw in zip(out[c.METADATA].to_pylist(), table.slice(start, batch)[c.ATTRIBUTES].to_pylist()):
            gender = normalise_attributes(json.loads(raw or "{}")).get("Gender")
            found.append((json.loads(meta), gender))
    return found


def fit(values: list[tuple[dict, str | None]], current: Bins, levels: int, std_tolerance: float) -> tuple[dict, dict]:
    """(attributes spec, how many values each edge set came from)."""
    spec, counts = {}, {}
    for name, (metric, _, _) in ATTRIBUTES.items():
        def collect(gender=None):
            bounds, withheld = CLAMPED.get(metric, (None, None)), withheld_key(metric)
            return [m[metric] for m, g in values
                    if metric in m and m[metric] not in bounds and withheld not in m and (gender is None or g == gender)]  # fmt: skip

        old = current.spec.get(name, {})
        entry = {"metric": metric, "words": words_for(name, levels)}
        if name == "Pitch":
            sets = {}
            for gender in ("Male", "Female", POOLED):
                picked = collect(None if gender == POOLED else gender)
                edges = equal_width_edges(picked, levels, std_tolerance)
                sets[gender] = edges or _resized(old.get("edges_by_gender", {}).get(gender), levels)
                counts[f"{name}/{gender}"] = len(picked) if edges else f"kept ({len(picked)} values)"
            entry["edges_by_gender"] = sets
        else:
            picked = collect()
            edges = equal_width_edges(picked, levels, std_tolerance)
            entry["edges"] = edges or _resized(old.get("edges"), levels)
            counts[name] = len(picked) if edges else f"kept ({len(picked)} values)"
        spec[name] = entry
    return spec, counts


def _resized(edges: list[float] | None, levels: int) -> list[float]:
    """Current edges re-cut to `levels` bins over the same range (when too few values to fit)."""
    if not edges:
        raise ValueError("too few measured values to fit and no current edges to keep")
    if len(edges) == levels - 1:
        return list(edges)
    low, high = edges[0] - (edges[-1] - edges[0]) / max(len(edges) - 1, 1), edges[-1]
    return [round(low + (high - low) * i / (levels - 1), 3) for i in range(1, levels)]


def next_version_path(folder: Path) -> Path:
    versions = [int(m.group(1)) for p in folder.glob("v*.json") if (m := re.fullmatch(r"v(\d+)\.json", p.name))]
    return folder / f"v{max(versions, default=0) + 1}.json"


def fit_bins(config: RunConfig, sample: int = 500, levels: int = 5, std_tolerance: float = 2.0) -> Path:
    """Measure a sample of the config's clips and write the next vN.json beside the current bins file."""
    current_path = Path(config.attributes.bins) if config.attributes.bins else DEFAULT_BINS
    current = Bins.load(current_path)
    table = sample_rows(config, sample)
    spec, counts = fit(measured_values(table), current, levels, std_tolerance)
    path = next_version_path(current_path.parent)
    document = {
        "version": path.stem,
        "levels": levels,
        "note": f"Fitted by `desta-data bins fit` on {table.num_rows} clips of {', '.join(s.name for s in config.sources)} "
        f"(config fingerprint {config.fingerprint()}); outliers beyond mean +- {std_tolerance} std removed, equal-width bins; "
        f"attributes with under {MIN_VALUES} values keep the edges of {current.version}.",
        "fitted_from": {"clips": table.num_rows, "values": counts, "previous": current.version},
        "attributes": spec,
    }
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite an existing version
        json.dump(document, handle, indent=2)
        handle.write("\n")
    Bins.load(path)  # what was written must load
    return path
