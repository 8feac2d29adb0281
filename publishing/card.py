"""The dataset card (README.md) written beside the shards: YAML front matter the Hub reads, a table per
source, the generation recipe and the run's statistics. Pure functions of the manifest, the run's
config (as saved in config.json) and statistics of the rows; no timestamps, so the same input gives the
same card."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from pipeline.config import CardConfig
from schemas import columns as c

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))  # fmt: skip
POOL_FOR_DOMAIN = {"speech": "speech", "sound": "sound", "music": "music"}  # one pool per domain
NOT_DECLARED = "**not declared**"


def size_category(rows: int) -> str:
    return next((name for limit, name in SIZE_CATEGORIES if rows < limit), "n>1B")


def dataset_stats(index: pa.Table) -> dict:
    """Counts from the index columns (id, clip_id, dataset, domain, duration_s, finish_reason, split).

    Hours are the summed durations of distinct clips (a clip has one row per prompt)."""
    clips = index.group_by([c.SOURCE, c.CLIP_ID]).aggregate([(c.DURATION_S, "max")])
    hours = {row[c.SOURCE]: row[f"{c.DURATION_S}_max_sum"] / 3600 for row in
             clips.group_by(c.SOURCE).aggregate([(f"{c.DURATION_S}_max", "sum")]).to_pylist()}  # fmt: skip
    sources = {}
    for row in index.group_by(c.SOURCE).aggregate([(c.ID, "count"), (c.CLIP_ID, "count_distinct"), (c.DOMAIN, "distinct")]).to_pylist():
        sources[row[c.SOURCE]] = {
            "rows": row[f"{c.ID}_count"],
            "clips": row[f"{c.CLIP_ID}_count_distinct"],
            "hours": hours.get(row[c.SOURCE]) or 0.0,
            "domains": sorted(row[f"{c.DOMAIN}_distinct"]),
        }
    splits = {}
    if "split" in index.column_names:
        for row in index.group_by("split").aggregate([(c.ID, "count"), (c.CLIP_ID, "count_distinct")]).to_pylist():
            splits[row["split"]] = {"rows": row[f"{c.ID}_count"], "clips": row[f"{c.CLIP_ID}_count_distinct"]}
    reasons = pc.value_counts(pc.fill_null(index[c.FINISH_REASON], "none")).to_pylist()
    return {
        "rows": index.num_rows,
        "clips": pc.count_distinct(index[c.CLIP_ID]).as_py(),
        "hours": sum(source["hours"] for source in sources.values()),
        "sources": dict(sorted(sources.items())),
        "splits": dict(sorted(splits.items(), key=lambda item: item[0] != "train")),
        "finish_reasons": {item["values"]: item["counts"] for item in sorted(reasons, key=lambda item: item["values"])},
    }


def hub_licence(declared: str | None) -> str:
    """A declared licence as a Hub licence id: SPDX-like names lower-cased; free text becomes `other`."""
    if not declared:
        return "unknown"
    spdx = declared.strip().lower()
    return spdx if re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", spdx) else "other"


def front_matter(stats: dict, files: dict[str, list[str]], sources: list[dict], card: CardConfig, name: str) -> dict:
    if card.license is not None:
        licence: str | list[str] = card.license
    else:
        ids = sorted({hub_licence(s.get("licence")) for s in sources if s["name"] in stats["sources"]}) or ["unknown"]
        licence = ids[0] if len(ids) == 1 else ids
    return {
        "pretty_name": card.pretty_name or name,
        "license": licence,
        "language": card.language,
        "task_categories": card.task_categories,
        "tags": card.tags,
        "size_categories": [size_category(stats["rows"])],
        "configs": [{"config_name": "default", "data_files": [{"split": s, "path": paths} for s, paths in files.items()]}],
    }


def _cell(value) -> str:
    return " ".join(str(value).split()).replace("|", "\\|") if value not in (None, "") else ""


def _hours(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:,.1f}"


def pool_sizes(run_config: dict, domains: set[str]) -> dict[str, int | None]:
    from stages.sample_prompts import load_pool

    pools = (run_config.get("prompts") or {}).get("pools") or {}
    sizes = {}
    for pool in sorted({POOL_FOR_DOMAIN[d] for d in domains if d in POOL_FOR_DOMAIN}):
        try:
            sizes[pool] = len(load_pool(pools.get(pool), pool))
        except (OSError, ValueError):
            sizes[pool] = None  # a custom pool file that is not here any more
    return sizes


def render_card(manifest: dict, run_config: dict, stats: dict, card: CardConfig, name: str, repo_id: str | None = None,
                plots: list[tuple[str, str, str]] | None = None) -> str:  # fmt: skip
    """README.md for a sharded folder; `manifest` holds the run's manifest plus `splits` (with `files`);
    `plots`: (relative path, title, what it shows in words) of the plots to show."""
    configured = {s["name"]: s for s in run_config.get("sources") or []}
    sources = [configured.get(n, {"name": n}) for n in stats["sources"]]
    files = {split: info["files"] for split, info in manifest["splits"].items()}
    meta = front_matter(stats, files, sources, card, name)
    lines = ["---", yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000).rstrip(), "---", "", f"# {meta['pretty_name']}", ""]
    lines += [
        "Audio instruction data in the style of DeSTA-AQA5M (DeSTA2.5-Audio, arXiv 2507.02768), built with desta-data:",
        "each clip's metadata becomes a text seed description, an instruction prompt is sampled from a pool, and the",
        "backbone LLM answers the prompt seeing only the seed description. Its `response` is the training target for",
        "(audio + prompt). Audio is not included: `messages[1].audios[].audio` are paths relative to the data root",
        "(the trainer's data_root). A clip cut from a longer recording points at its own 16 kHz mono FLAC file, which the",
        "run wrote under its output (`output.segments_dir`, default `<output>/audio/<dataset>/`), by a path relative to",
        "the same root; whole-file clips point at the source file. `desta-data export --data-root` checks them all.",
        "",
        "```python",
        "from datasets import load_dataset",
        f"ds = load_dataset(\"{repo_id or 'ORG/NAME'}\")  # splits: {', '.join(files)}",
        "```",
        "",
        "For the DeSTA trainer's JSONL: `desta-data export --input <this folder> --format desta-jsonl --output DIR`.",
        "",
        "## Sources",
        "",
        "| source | rows | clips | hours | domain | licence | citation |",
        "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    undeclared = []
    for source in sources:
        counts = stats["sources"][source["name"]]
        licence = _cell(source.get("licence")) or NOT_DECLARED
        if licence == NOT_DECLARED:
            undeclared.append(source["name"])
        lines.append(f"| {_cell(source['name'])} | {counts['rows']:,} | {counts['clips']:,} | {_hours(counts['hours'])} | "
                     f"{', '.join(counts['domains'])} | {licence} | {_cell(source.get('citation'))} |")  # fmt: skip
    lines.append(f"| **total** | {stats['rows']:,} | {stats['clips']:,} | {_hours(stats['hours'])} | | | |")
    if undeclared:
        lines += ["", f"> **Licence not declared** for: {', '.join(undeclared)}. Check these sources' terms before using or "
                  "redistributing their rows; declare `licence:` for each source in the config."]  # fmt: skip
    lines += ["", *recipe_lines(manifest, run_config, stats), "", *statistics_lines(manifest, stats)]
    if plots:
        lines += ["", "## Plots", "", "From `desta-data report` (run it for the full set).", ""]
        for path, title, caption in plots:
            lines += [f"![{title}]({path})", "", f"{caption}", ""]
        lines.pop()
    return "\n".join(lines) + "\n"


def recipe_lines(manifest: dict, run_config: dict, stats: dict) -> list[str]:
    generation = run_config.get("generation") or {}
    sampling = manifest.get("sampling") or generation.get("sampling") or {}
    domains = {d for source in stats["sources"].values() for d in source["domains"]}
    pools = ", ".join(f"{pool}: {size if size is not None else 'n/a'}" for pool, size in pool_sizes(run_config, domains).items())
    bins = manifest.get("bins") or {}
    return [
        "## Generation recipe",
        "",
        f"- Model: `{manifest.get('model', 'n/a')}`",
        "- Sampling: " + (", ".join(f"{k} {v}" for k, v in sorted(sampling.items())) or "n/a"),
        f"- System prompt: `{generation.get('system_prompt', 'n/a')}`",
        f"- User turn template: `{generation.get('user_template', 'n/a')}`",
        f"- Prompt pool size: {pools or 'n/a'}; prompts per clip: {(run_config.get('prompts') or {}).get('per_clip', 'n/a')}",
        f"- Attribute bin edges: {bins.get('version', 'n/a')}",
        f"- Seed: {manifest.get('seed', 'n/a')}",
        f"- Pipeline version: desta-data {manifest.get('pipeline_version', 'n/a')}",
        f"- Config fingerprint: `{manifest.get('config_fingerprint', 'n/a')}`",
        "- Packages: " + (", ".join(f"{k} {v}" for k, v in sorted((manifest.get("package_versions") or {}).items())) or "n/a"),
    ]


def statistics_lines(manifest: dict, stats: dict) -> list[str]:
    lines = ["## Statistics", "", "| split | rows | clips | files | bytes |", "| --- | ---: | ---: | ---: | ---: |"]
    for split, info in manifest["splits"].items():
        lines.append(f"| {split} | {info['rows']:,} | {info['clips']:,} | {len(info['files'])} | {sum(info['bytes']):,} |")
    per_source = ", ".join(f"{k}: {v:,}" for k, v in (manifest.get("rows_per_source") or {}).items())
    quarantined = manifest.get("quarantined") or {}
    reasons = ", ".join(f"{k}: {v:,}" for k, v in sorted(quarantined.items()))
    lines += [
        "",
        f"- Rows (run manifest): {manifest.get('rows', stats['rows']):,}" + (f" ({per_source})" if per_source else ""),
        f"- Quarantined inputs: {manifest.get('quarantined_total', sum(quarantined.values())):,}" + (f" ({reasons})" if reasons else ""),
        "- Finish reasons: " + ", ".join(f"{k}: {v:,}" for k, v in stats["finish_reasons"].items()),
    ]
    return lines + checks_lines(manifest)


def checks_lines(manifest: dict) -> list[str]:
    """What the response checks kept out of the shards, per reason, and what retries rescued (runs since the checks)."""
    if "flagged" not in manifest:
        return []
    checks = manifest.get("checks") or {}
    flagged = manifest["flagged"] or {}
    reasons = ", ".join(f"{k}: {v:,}" for k, v in flagged.items())
    first = ", ".join(f"{k}: {v:,}" for k, v in (checks.get("flagged_first_pass") or {}).items())
    lines = [
        f"- Flagged responses, kept out of the shards (the run's `flagged/`): {sum(flagged.values()):,}" + (f" ({reasons})" if reasons else ""),
        "- Response checks, first generation: " + (first or "nothing flagged"),
    ]
    if checks.get("retries"):
        lines.append(f"- Retries: up to {checks['retries']} per flagged row, each with its own seed; {checks.get('rescued', 0):,} row(s) rescued")
    return lines
