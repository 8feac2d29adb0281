"""`desta-data report`: draw a built dataset (an HTML page, PNG plots and report.json) before training on it.

Reads a run's output folder or a sharded folder (local or fsspec): `data/*.parquet`, `quarantine/` and
`flagged/` when present, `manifest.json`. Memory stays bounded whatever the size: the Parquet files are
streamed a batch at a time, a few columns only, into counters and fixed-bin histograms.

Clip-level figures (hours, durations, attributes) count each clip once, by its first prompt's row (id
`<clip>#0`); row-level figures (rows, prompts, response lengths, finish reasons) count every row.
"""

from __future__ import annotations

import collections
import html
import json
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from publishing.built_output import data_files
from pipeline.storage import filesystem, join, write_json_atomic, write_text_atomic
from schemas import columns as c

COLUMNS = [c.ID, c.SOURCE, c.DOMAIN, c.DURATION_S, c.METADATA, c.PROMPT_ID, c.COMPLETION_TOKENS, c.FINISH_REASON]
BATCH_ROWS = 8192
# Fixed histogram bins, so the figures stream: (metadata key or column, label, low, high, bin width).
# Values outside the range count in the first or last bin.
MEASURES = {
    "duration": (c.DURATION_S, "clip duration (s)", 0.0, 60.0, 0.25),
    "pitch": ("pitch_mean_hz", "mean pitch (Hz)", 50.0, 450.0, 5.0),
    "volume": ("volume_dbfs", "volume (dBFS)", -80.0, 0.0, 1.0),
    "speaking_rate": ("speaking_rate_sps", "speaking rate (syllables/s)", 0.0, 12.0, 0.2),
    "snr": ("snr_db", "SNR (dB)", -10.0, 80.0, 1.0),
    "c50": ("c50_db", "C50 clarity (dB)", -20.0, 60.0, 1.0),
    "response_tokens": (c.COMPLETION_TOKENS, "response length (tokens)", 0.0, 4096.0, 4.0),
}
LABELS = {"emotion": "Emotion", "gender": "Gender", "language": "Language"}  # normalised attribute names in metadata
TOP = 25  # categories drawn per bar chart (the rest summed as "other")


class Histogram:
    def __init__(self, low: float, high: float, width: float):
        self.edges = np.arange(low, high + width / 2, width)
        self.counts = np.zeros(len(self.edges) - 1, dtype=np.int64)

    def add(self, values) -> None:
        values = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
        if values.size:
            clipped = np.clip(values, self.edges[0], self.edges[-1] - 1e-9)
            self.counts += np.histogram(clipped, bins=self.edges)[0]

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def quantile(self, q: float) -> float | None:
        """Approximate quantile (bin centre) of the binned values."""
        if not self.total:
            return None
        index = int(np.searchsorted(np.cumsum(self.counts), q * self.total, side="left"))
        return float((self.edges[index] + self.edges[index + 1]) / 2)


@dataclass
class Figures:
    rows: collections.Counter = field(default_factory=collections.Counter)  # per source
    rows_by_domain: collections.Counter = field(default_factory=collections.Counter)
    clips: collections.Counter = field(default_factory=collections.Counter)  # per source
    seconds: collections.Counter = field(default_factory=collections.Counter)  # per source
    seconds_by_domain: collections.Counter = field(default_factory=collections.Counter)
    prompts: collections.Counter = field(default_factory=collections.Counter)  # per category
    finish_reasons: collections.Counter = field(default_factory=collections.Counter)
    labels: dict[str, collections.Counter] = field(default_factory=lambda: {k: collections.Counter() for k in LABELS})
    histograms: dict[str, Histogram] = field(default_factory=lambda: {k: Histogram(*spec[2:]) for k, spec in MEASURES.items() if k != "pitch"})
    pitch_by_gender: dict[str, Histogram] = field(default_factory=dict)
    quarantined: collections.Counter = field(default_factory=collections.Counter)  # per reason
    flagged: collections.Counter = field(default_factory=collections.Counter)  # per reason

    def summary(self) -> dict:
        measures = {name: {"values": h.total, "median": h.quantile(0.5)} for name, h in self.histograms.items()}
        for gender, h in sorted(self.pitch_by_gender.items()):
            measures[f"pitch ({gender})"] = {"values": h.total, "median": h.quantile(0.5)}
        return {
            "rows": sum(self.rows.values()),
            "clips": sum(self.clips.values()),
            "hours": sum(self.seconds.values()) / 3600,
            "rows_per_source": dict(sorted(self.rows.items())),
            "clips_per_source": dict(sorted(self.clips.items())),
            "hours_per_source": {k: v / 3600 for k, v in sorted(self.seconds.items())},
            "rows_per_domain": dict(sorted(self.rows_by_domain.items())),
            "hours_per_domain": {k: v / 3600 for k, v in sorted(self.seconds_by_domain.items())},
            "prompts_per_category": dict(sorted(self.prompts.items())),
            "finish_reasons": dict(sorted(self.finish_reasons.items())),
            "labels": {name: dict(counter.most_common()) for name, counter in self.labels.items()},
            "measures": measures,
            "quarantine_reasons": dict(sorted(self.quarantined.items())),
            "flag_reasons": dict(sorted(self.flagged.items())),
        }


def prompt_category(prompt_id: str | None) -> str:
    """A prompt's category: its id without the trailing number (`speech-0001` -> `speech`)."""
    if not prompt_id:
        return "unknown"
    head, _, tail = prompt_id.rpartition("-")
    return head if head and tail.isdigit() else prompt_id


def _batches(urls: list[str], columns: list[str]):
    for url in urls:
        fs, path = filesystem(url)
        with fs.open(path, "rb") as handle:
            parquet = pq.ParquetFile(handle)
            present = [name for name in columns if name in parquet.schema_arrow.names]
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=present):
                yield pa.Table.from_batches([batch])


def _folder_files(output_dir: str, folder: str) -> list[str]:
    fs, root = filesystem(join(output_dir, folder))
    if not fs.exists(root):
        return []
    return [join(output_dir, folder, p.rsplit("/", 1)[-1]) for p in sorted(fs.glob(f"{root}/*.parquet")) if not p.rsplit("/", 1)[-1].startswith(".")]


def _count(counter: collections.Counter, values) -> None:
    counter.update("none" if v is None else v for v in values)


def collect(output_dir: str) -> Figures:
    """Stream a built output into Figures."""
    figures = Figures()
    for table in _batches(data_files(output_dir), COLUMNS):
        _count(figures.rows, table[c.SOURCE].to_pylist())
        _count(figures.rows_by_domain, table[c.DOMAIN].to_pylist())
        if c.PROMPT_ID in table.column_names:
            figures.prompts.update(prompt_category(p) for p in table[c.PROMPT_ID].to_pylist())
        if c.FINISH_REASON in table.column_names:
            _count(figures.finish_reasons, table[c.FINISH_REASON].to_pylist())
        if c.COMPLETION_TOKENS in table.column_names:
            figures.histograms["response_tokens"].add(table[c.COMPLETION_TOKENS].to_pylist())
        first = table.filter(pc.ends_with(table[c.ID], "#0"))  # one row per clip
        sources, domains, durations = (first[n].to_pylist() for n in (c.SOURCE, c.DOMAIN, c.DURATION_S))
        figures.clips.update(sources)
        for source, domain, seconds in zip(sources, domains, durations):
            figures.seconds[source] += seconds or 0.0
            figures.seconds_by_domain[domain] += seconds or 0.0
        figures.histograms["duration"].add(durations)
        metadata = [json.loads(m or "{}") for m in first[c.METADATA].to_pylist()] if c.METADATA in first.column_names else []
        for name in ("volume", "speaking_rate", "snr", "c50"):
            figures.histograms[name].add(_numbers(metadata, MEASURES[name][0]))
        for record in metadata:
            for name, key in LABELS.items():
                if isinstance(record.get(key), str):
                    figures.labels[name][record[key]] += 1
            pitch = record.get(MEASURES["pitch"][0])
            if isinstance(pitch, (int, float)):
                gender = record.get("Gender") if isinstance(record.get("Gender"), str) else "unknown"
                if gender not in figures.pitch_by_gender:
                    figures.pitch_by_gender[gender] = Histogram(*MEASURES["pitch"][2:])
                figures.pitch_by_gender[gender].add([pitch])
    quarantine_files, flagged_files = _folder_files(output_dir, "quarantine"), _folder_files(output_dir, "flagged")
    for table in _batches(quarantine_files, [c.DROP_REASON]):
        _count(figures.quarantined, table[c.DROP_REASON].to_pylist())
    for table in _batches(flagged_files, ["flag"]):
        _count(figures.flagged, table["flag"].to_pylist())
    fs, manifest_path = filesystem(join(output_dir, "manifest.json"))
    manifest = json.loads(fs.cat_file(manifest_path)) if fs.exists(manifest_path) else {}
    # a sharded folder has no quarantine/ or flagged/: the run's manifest keeps their counts
    if not quarantine_files:
        figures.quarantined.update(manifest.get("quarantined") or {})
    if not flagged_files:
        figures.flagged.update(manifest.get("flagged") or {})
    return figures


def _numbers(records: list[dict], key: str) -> list[float]:
    return [r[key] for r in records if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]


# ---- plots ---------------------------------------------------------------------------------------------

PLOTS = {  # file stem -> title; KEY_PLOTS go into the dataset card
    "rows_per_source": "Rows per source",
    "hours_per_source": "Hours of audio per source",
    "rows_hours_per_domain": "Rows and hours per domain",
    "clip_durations": "Clip durations",
    "pitch_by_gender": "Mean pitch by gender",
    "volume": "Volume",
    "speaking_rate": "Speaking rate",
    "snr": "Signal-to-noise ratio",
    "c50": "C50 clarity (reverberation)",
    "labels": "Emotion, gender and language labels",
    "prompts_per_category": "Prompts per category",
    "response_tokens": "Response length",
    "finish_reasons": "Finish reasons",
    "quarantine_flag_reasons": "Quarantine and flag reasons",
}
KEY_PLOTS = ("rows_per_source", "clip_durations", "response_tokens", "quarantine_flag_reasons")


def _bar(ax, counts: dict, title: str, xlabel: str, fmt: str = "{:,.0f}") -> None:
    items = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    if len(items) > TOP:
        items = items[: TOP - 1] + [("other", sum(v for _, v in items[TOP - 1 :]))]
    ax.set_title(title)
    if not items:
        ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    names, values = [str(k) for k, _ in items][::-1], [v for _, v in items][::-1]
    bars = ax.barh(names, values, color="#4C72B0")
    ax.bar_label(bars, labels=[fmt.format(v) for v in values], padding=2, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)


def _hist(ax, histograms: dict[str, Histogram], title: str, xlabel: str) -> None:
    ax.set_title(title)
    drawn = {name: h for name, h in histograms.items() if h.total}
    if not drawn:
        ax.text(0.5, 0.5, "no values", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
        return
    used = np.nonzero(sum(h.counts for h in drawn.values()))[0]
    any_h = next(iter(drawn.values()))
    low, high = any_h.edges[max(used[0] - 1, 0)], any_h.edges[min(used[-1] + 2, len(any_h.edges) - 1)]
    for name, h in sorted(drawn.items()):
        ax.stairs(h.counts, h.edges, fill=len(drawn) == 1, alpha=0.8 if len(drawn) == 1 else 1.0,
                  label=f"{name} (n={h.total:,}, median {h.quantile(0.5):.1f})")  # fmt: skip
    ax.set_xlim(low, high)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count")
    ax.legend(fontsize=8)


def draw(figures: Figures, folder: str, only: tuple[str, ...] | None = None) -> list[str]:
    """Write the PNG plots into `folder`; returns their file names. Same figures -> same bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = figures.summary()
    fs, root = filesystem(folder)
    fs.makedirs(root, exist_ok=True)
    written = []
    for stem, title in PLOTS.items():
        if only is not None and stem not in only:
            continue
        if stem == "labels":
            fig, axes = plt.subplots(1, 3, figsize=(13, 4))
            for ax, name in zip(axes, LABELS):
                _bar(ax, s["labels"][name], f"{name} (clips)", "clips")
        elif stem == "rows_hours_per_domain":
            fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
            _bar(axes[0], s["rows_per_domain"], "rows per domain", "rows")
            _bar(axes[1], s["hours_per_domain"], "hours per domain", "hours", "{:,.3f}")
        elif stem == "quarantine_flag_reasons":
            fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
            _bar(axes[0], s["quarantine_reasons"], "quarantined (inputs and rows)", "count")
            _bar(axes[1], s["flag_reasons"], "flagged responses", "rows")
        else:
            fig, ax = plt.subplots(figsize=(7, 3.8))
            if stem == "rows_per_source":
                _bar(ax, s["rows_per_source"], title, "rows")
            elif stem == "hours_per_source":
                _bar(ax, s["hours_per_source"], title, "hours", "{:,.3f}")
            elif stem == "pitch_by_gender":
                _hist(ax, figures.pitch_by_gender, title, MEASURES["pitch"][1])
            elif stem == "prompts_per_category":
                _bar(ax, s["prompts_per_category"], title, "rows")
            elif stem == "finish_reasons":
                _bar(ax, s["finish_reasons"], title, "rows")
            else:
                key = {"clip_durations": "duration"}.get(stem, stem)
                _hist(ax, {"all": figures.histograms[key]}, title, MEASURES[key][1])
        fig.suptitle(title if stem in ("labels", "rows_hours_per_domain", "quarantine_flag_reasons") else "")
        fig.tight_layout()
        with fs.open(join(root, f"{stem}.png"), "wb") as handle:
            fig.savefig(handle, format="png", dpi=90, metadata={"Software": None})
        plt.close(fig)
        written.append(f"{stem}.png")
    return written


# ---- the page ------------------------------------------------------------------------------------------


def words(summary: dict) -> dict[str, str]:
    """What each plot shows, in one line of figures (the page's captions)."""

    def listing(counts: dict, fmt: str = "{:,}") -> str:
        return ", ".join(f"{k} {fmt.format(v)}" for k, v in sorted(counts.items(), key=lambda i: (-i[1], str(i[0])))) or "none"

    def measure(name: str, unit: str) -> str:
        m = summary["measures"].get(name) or {}
        return f"{m['values']:,} clips, median {m['median']:.1f} {unit}" if m.get("values") else "no values"

    pitch = "; ".join(f"{k.removeprefix('pitch (').rstrip(')')}: {measure(k, 'Hz')}" for k in summary["measures"] if k.startswith("pitch ("))
    return {
        "rows_per_source": "rows per source: " + listing(summary["rows_per_source"]),
        "hours_per_source": "hours per source: " + listing(summary["hours_per_source"], "{:.3f}"),
        "rows_hours_per_domain": f"rows per domain: {listing(summary['rows_per_domain'])}; hours per domain: {listing(summary['hours_per_domain'], '{:.3f}')}",
        "clip_durations": "clip durations: " + measure("duration", "s"),
        "pitch_by_gender": "mean pitch by gender: " + (pitch or "no values"),
        "volume": "volume: " + measure("volume", "dBFS"),
        "speaking_rate": "speaking rate: " + measure("speaking_rate", "syllables/s"),
        "snr": "SNR: " + measure("snr", "dB"),
        "c50": "C50: " + measure("c50", "dB"),
        "labels": "; ".join(f"{name}: {listing(counts)}" for name, counts in summary["labels"].items()),
        "prompts_per_category": "prompts per category: " + listing(summary["prompts_per_category"]),
        "response_tokens": "response length: " + measure("response_tokens", "tokens").replace("clips", "rows"),
        "finish_reasons": "finish reasons: " + listing(summary["finish_reasons"]),
        "quarantine_flag_reasons": f"quarantined: {listing(summary['quarantine_reasons'])}; flagged: {listing(summary['flag_reasons'])}",
    }


def render_html(summary: dict, captions: dict[str, str], title: str) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(source)}</td><td>{summary['rows_per_source'][source]:,}</td><td>{summary['clips_per_source'].get(source, 0):,}</td>"
        f"<td>{summary['hours_per_source'].get(source, 0.0):.3f}</td></tr>"
        for source in summary["rows_per_source"]
    )
    plots = "".join(
        f'<figure><img src="{stem}.png" alt="{html.escape(PLOTS[stem])}"><figcaption>{html.escape(captions[stem])}</figcaption></figure>'
        for stem in PLOTS
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}} td:first-child{{text-align:left}}
figure{{margin:1.5em 0}} img{{max-width:100%}} figcaption{{color:#333}}</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{summary['rows']:,} rows, {summary['clips']:,} clips, {summary['hours']:.3f} hours of audio.
Clip-level figures count each clip once; row-level figures count every row.</p>
<table><tr><th>source</th><th>rows</th><th>clips</th><th>hours</th></tr>{rows}</table>
{plots}
</body></html>
"""


@dataclass
class ReportSummary:
    output_dir: str
    files: list[str]
    summary: dict
    captions: dict[str, str]


def report(input_dir: str, output_dir: str) -> ReportSummary:
    """index.html, the PNG plots and report.json (every figure) in `output_dir`."""
    figures = collect(input_dir)
    summary = figures.summary()
    plots = draw(figures, output_dir)
    captions = words(summary)
    title = f"desta-data report: {input_dir.rstrip('/').rsplit('/', 1)[-1]}"
    write_text_atomic(render_html(summary, captions, title), join(output_dir, "index.html"))
    write_json_atomic({**summary, "captions": captions}, join(output_dir, "report.json"))
    return ReportSummary(output_dir, ["index.html", "report.json", *plots], summary, captions)
