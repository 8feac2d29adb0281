"""The one base class of a source adapter: a dataset's native layout -> generic manifest entries.

An adapter knows where a dataset keeps its audio and labels (folder names, file-name patterns, metadata
files) and yields, for every clip, the same dict a generic manifest line holds (`schemas.records.
ManifestEntry`: audio path relative to the root, id, transcript, start/end, labels, caption, turns, and
any other key as an attribute). Ingest validates, resolves and cleans those entries exactly as it does
manifest lines, so an adapter never decides ids, paths or quarantine: it only reads.

Attribute values are written in the project's vocabulary (`Female`, `Angry`), as `schemas.vocabulary`
spells them; keys with no common name (MSP's `Activation`) are kept as the dataset names them.
An adapter never raises for bad data: a malformed metadata line or file name is yielded as an
`EntryError` (with the file and line), which ingest quarantines and counts.

Selection: an adapter exposes the dataset's own partitions as `Options` fields, with one vocabulary
across adapters: `splits` (the train / held-out partitions, as the dataset names them), `subsets` (parts
that are not train/held-out partitions, e.g. crowd-sourced vs podcast audio), `locales` (languages, as the
dataset's folders name them). Each is a `Selection` of the names the dataset has (a closed `Literal` where
the set is known, so an unknown name is rejected with the known ones listed) and defaults to what a
training set should use: its training split(s), never an evaluation or test split unless the config asks.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import fsspec
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Domain = Literal["speech", "sound", "music"]
Entry = tuple[str, "dict[str, Any] | EntryError"]  # (input ref "file:line", manifest entry or the error)

Name = TypeVar("Name")
# One or more of a dataset's split / subset / locale names, each once (in the order given).
Selection = Annotated[list[Name], Field(min_length=1), AfterValidator(lambda names: list(dict.fromkeys(names)))]


class EntryError(ValueError):
    """A metadata line or file name that cannot become a clip: `reason` is short and countable."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Adapter:
    """Subclass, fill the class attributes, implement `entries`; register the module in `adapters.registry`.

    `Options` is a pydantic model of the adapter's own config keys (`sources[i].options`), validated
    with the rest of the config; unknown keys are rejected.
    """

    name: ClassVar[str]  # config name: `adapter: crema_d`
    dataset: ClassVar[str]  # the source's name in DeSTA-AQA5M (`dataset` column), e.g. "CREMA-D"
    domain: ClassVar[Domain]
    licence: ClassVar[str | None] = None  # as the dataset declares it; None: not established
    citation: ClassVar[str | None] = None
    homepage: ClassVar[str | None] = None
    yields: ClassVar[tuple[str, ...]] = ()  # what its entries carry: "transcript", "Gender", "labels", ...
    layout: ClassVar[str] = ""  # one line: the native layout it reads (shown by `desta-data sources`)
    expects: ClassVar[tuple[str, ...]] = ()  # paths under the root that must exist (checked before the run)
    Options: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, root: str, options: dict[str, Any] | BaseModel | None = None):
        self.root = root.rstrip("/") if root.strip("/") else (root[:1] or ".")
        self.options = options if isinstance(options, BaseModel) else self.Options.model_validate(options or {})
        self.fs, self.path = fsspec.core.url_to_fs(self.root)

    # ---- what a subclass implements ------------------------------------------------------------------

    def entries(self) -> Iterator[Entry]:
        """(input ref, entry dict or EntryError) for every clip, in a deterministic order."""
        raise NotImplementedError

    # ---- helpers for subclasses: all I/O goes through fsspec, so roots may be URLs ---------------------

    def ref(self, relative: str, line: int | None = None) -> str:
        """How an error names a place in the dataset: `<root>/<relative>[:line]`."""
        where = f"{self.root}/{relative}" if relative else self.root
        return f"{where}:{line}" if line is not None else where

    def missing(self) -> list[str]:
        """The `expects` paths that are not under the root."""
        return [p for p in self.expects if not self.fs.exists(posixpath.join(self.path, p))]

    @property
    def root_required(self) -> bool:
        """Whether the root must exist before the run (a Hub-streamed source only writes audio there)."""
        return True

    def check(self) -> str | None:
        """Why this source cannot be read at all (checked before a run starts), or None."""
        absent = self.missing()
        return f"{self.root} does not look like {self.name}'s layout: {', '.join(absent)} not found" if absent else None

    def find(self, pattern: str) -> list[str]:
        """Paths (relative to the root, sorted) matching a glob such as `AudioWAV/*.wav` or `**/*.flac`."""
        found = self.fs.glob(posixpath.join(self.path, pattern))
        base = self.path.rstrip("/") + "/"
        return sorted(p[len(base) :] if p.startswith(base) else posixpath.relpath(p, self.path) for p in found)

    def exists(self, relative: str) -> bool:
        return self.fs.exists(posixpath.join(self.path, relative))

    def read_bytes(self, relative: str) -> bytes:
        with self.fs.open(posixpath.join(self.path, relative), "rb") as handle:
            return handle.read()

    def read_text(self, relative: str, encoding: str = "utf-8") -> str:
        """A metadata file as text (BOM stripped; a UTF-16 BOM wins over `encoding`, as some tools write
        UTF-16 text). Undecodable bytes are replaced, never fatal."""
        raw = self.read_bytes(relative)
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16", errors="replace")
        return raw.decode(encoding, errors="replace").removeprefix("\ufeff")

    def lines(self, relative: str, encoding: str = "utf-8") -> Iterator[tuple[int, str]]:
        """(1-based line number, line without its newline) for every non-blank line."""
        for number, line in enumerate(self.read_text(relative, encoding).splitlines(), start=1):
            if line.strip():
                yield number, line

    def table(
        self, relative: str, delimiter: str = ",", encoding: str = "utf-8", fieldnames: list[str] | None = None, strip: bool = True
    ) -> Iterator[tuple[int, dict[str, str] | EntryError]]:
        """Rows of a CSV/TSV with a header (or `fieldnames`): (line number, row or the error).

        A row with more or fewer cells than the header is an EntryError, not a crash. `strip=False` keeps
        cells as written (some datasets have file names that start with a space).
        """
        reader = csv.DictReader(io.StringIO(self.read_text(relative, encoding)), delimiter=delimiter, fieldnames=fieldnames)
        width = None
        for row in reader:
            width = width or len(reader.fieldnames or [])
            if None in row or any(v is None for v in row.values()):
                extra = "more" if None in row else "fewer"
                yield reader.line_num, EntryError("bad_metadata", f"{self.ref(relative, reader.line_num)}: {extra} cells than the {width} header columns")
                continue
            yield reader.line_num, {k.strip(): (v or "").strip() if strip else (v or "") for k, v in row.items()}

    def bad(self, relative: str, line: int | None, detail: str, reason: str = "bad_metadata") -> Entry:
        ref = self.ref(relative, line)
        return ref, EntryError(reason, f"{ref}: {detail}")


def parse_name(pattern: re.Pattern[str], name: str) -> dict[str, str] | None:
    """Named groups of a file-name pattern (full match), or None when the name does not follow it."""
    match = pattern.fullmatch(name)
    return match.groupdict() if match else None


def stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]
