"""Sources: where each configured source's data is, whether it is there, and the plain-data spec ingest reads."""

from __future__ import annotations

import posixpath

from pipeline.config import ConfigError, RunConfig, SourceConfig
from pipeline.storage import filesystem
from stages.ingest_manifest import SourceSpec


def source_spec(source: SourceConfig, data_root: str) -> SourceSpec:
    """The plain-data slice of a source that ingest needs; audio paths get the root's place under data_root."""
    folder = posixpath.dirname(source.manifest) if source.adapter == "generic" else source.root
    relative = posixpath.relpath(folder, data_root) if "://" not in folder + data_root and data_root else None
    inside = relative is not None and not relative.startswith("..")
    prefix = ("" if relative == "." else relative) if inside else source.name
    if source.adapter == "generic":
        return SourceSpec.for_manifest(source.name, source.manifest, source.domain, prefix, source.allow_outside_root)
    return SourceSpec(source.name, source.adapter, folder, source.domain, prefix, dict(source.options), source.allow_outside_root)


def source_specs(config: RunConfig) -> list[SourceSpec]:
    return [source_spec(source, config.data_root) for source in config.sources]


def _adapter(source: SourceConfig):
    return source_spec(source, "").make_adapter()


def source_problem(index: int, source: SourceConfig) -> str | None:
    """Why a source cannot be read (its manifest or root is absent, or the root lacks the layout's files)."""
    what = "manifest" if source.adapter == "generic" else "root"
    where = f"sources[{index}] '{source.name}'"
    fs, path = filesystem(source.location)
    try:
        adapter = None if source.adapter == "generic" else _adapter(source)
        if (adapter is None or adapter.root_required) and not fs.exists(path):
            return f"{where}: {what} {source.location} not found"
        problem = adapter.check() if adapter else None
    except Exception as error:  # an unreachable bucket is as missing as an absent file
        return f"{where}: {what} {source.location} not readable ({error.__class__.__name__}: {error})"
    return f"{where}: {problem}" if problem else None


def check_sources(config: RunConfig) -> None:
    """ConfigError naming the first source that cannot be read (and how many more cannot)."""
    # Sources that may stream from the Hub are checked only once every local source is there: a run that
    # cannot start anyway should not wait on the network first.
    may_stream = {i for i, s in enumerate(config.sources) if s.adapter != "generic" and not _adapter(s).root_required}
    local = [i for i in range(len(config.sources)) if i not in may_stream]
    missing = [problem for i in local if (problem := source_problem(i, config.sources[i]))]
    missing = missing or [problem for i in sorted(may_stream) if (problem := source_problem(i, config.sources[i]))]
    if missing:
        more = f" (and {len(missing) - 1} more source(s) missing)" if len(missing) > 1 else ""
        raise ConfigError(f"{missing[0]}{more}; set data_root or each source's manifest/root to where the data is")
