"""A Hugging Face dataset as a source: `adapter: hf`, streamed with `datasets` so nothing is loaded whole.

Where the data is, in this order:
- a local copy under `root:`: a `save_to_disk` folder (memory-mapped Arrow, iterated as a stream), or
  Parquet files (`data/<split>-*.parquet` as the Hub stores them, `<split>/*.parquet`, or, for a single
  split, `*.parquet`; `data_files:` overrides) read with the `parquet` builder in streaming mode;
- else `options.dataset: org/name`, streamed from the Hub (`root:` is then only the folder the audio
  files are written to, since the trainer reads audio paths under data_root).

Audio is read undecoded (`Audio(decode=False)`): an entry whose audio is a file on disk refers to it;
audio held as bytes (the usual Hub/Parquet form) is written once under `<root>/<audio_subdir>/<split>/`
(skipped when already there), so every clip has a path the trainer can open. Labels stored as
`ClassLabel` indices are turned into their names. Dataset adapters whose native layout is not public
subclass this with a `preset` of options (a Hub id and a column mapping).

Selection: `splits` (default `[train]`) names the dataset's splits to read, one after the other. A
dataset adapter whose splits are known declares them as a closed `Literal` in its own Options, so an
unknown split is rejected when the config is validated; for `adapter: hf` the split names are open and
an absent one is reported before the run (`check`), with the splits that are there.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from adapters.base import Adapter, Entry, EntryError, Selection

SplitName = Annotated[str, StringConstraints(pattern=r"^[\w.-]+$")]


class HuggingFaceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dataset: str | None = Field(None, description="Hub dataset id, streamed when `root` holds no local copy (a save_to_disk folder or Parquet files).")
    config_name: str | None = Field(None, description="The dataset's configuration (subset) name.")
    splits: Selection[SplitName] = Field(["train"], description="The dataset's splits to read (as it names them); default: train only.")
    data_files: str | list[str] | None = Field(None, description="Parquet file glob(s) under root, instead of the usual places.")
    revision: str | None = Field(None, description="Hub revision (commit) to read: pin it for a reproducible run.")
    audio_column: str = "audio"
    id_column: str | None = Field(None, description="Stable clip id; default: the audio file's name, else `<split>-<row>`.")
    transcript_column: str | None = None
    caption_column: str | None = None
    labels_column: str | None = Field(None, description="Tags: a list column, a ClassLabel, or text split on `,`.")
    start_column: str | None = None
    end_column: str | None = None
    attribute_columns: dict[str, str] = Field(default_factory=dict, description="Attribute name -> column, e.g. {Gender: gender}.")
    value_maps: dict[str, dict[str, str | None]] = Field(default_factory=dict, description="Attribute -> {raw value: canonical value, or null to leave the attribute out}.")
    audio_subdir: str = Field("audio", description="Where audio held as bytes is written, under root.")


class HuggingFaceDataset(Adapter):
    name = "hf"
    dataset = "(any Hugging Face dataset)"
    domain = "speech"
    yields = ("audio", "transcript", "caption", "labels", "mapped attribute columns")
    layout = "a local save_to_disk folder or Parquet files with an Audio column under root, else a Hub dataset (options.dataset)"
    Options = HuggingFaceOptions
    preset: ClassVar[dict[str, Any]] = {}  # a dataset adapter's default options; the user's options win

    def __init__(self, root: str, options: dict[str, Any] | BaseModel | None = None):
        if not isinstance(options, BaseModel):
            options = self.Options.model_validate({**self.preset, **(options or {})})
        super().__init__(root, options)

    def entries(self) -> Iterator[Entry]:
        for split in self.options.splits:
            yield from self._split_entries(split)

    def _split_entries(self, split: str) -> Iterator[Entry]:
        from datasets import Audio, ClassLabel, Sequence

        stream = self._stream(split)
        options = self.options
        features = stream.features or {}
        problem = self._audio_column_problem(features)
        if problem:
            yield self.ref(""), EntryError("bad_metadata", f"{self.ref('')}: {problem}")
            return
        stream = stream.cast_column(options.audio_column, Audio(decode=False))

        def names(column: str | None, value: Any) -> Any:
            feature = features.get(column) if column else None
            inner = getattr(feature, "feature", None) if isinstance(feature, Sequence) else feature
            if isinstance(feature, list) and feature:
                inner = feature[0]
            if isinstance(inner, ClassLabel) and value is not None:
                return [inner.int2str(v) for v in value] if isinstance(value, list) else inner.int2str(value)
            return value

        for index, row in enumerate(stream):
            ref = f"{self._where()}[{split}][{index}]"
            try:
                audio = self._audio_path(row[options.audio_column], index, split)
            except (OSError, ValueError, TypeError) as error:
                yield ref, EntryError("audio_unreadable", f"{ref}: {error}")
                continue
            if audio is None:
                yield ref, EntryError("audio_missing", f"{ref}: the audio column holds neither bytes nor a readable path")
                continue
            entry: dict[str, Any] = {"audio": audio}
            if options.id_column:
                entry["id"] = str(row.get(options.id_column))
            else:
                original = (row[options.audio_column] or {}).get("path")
                entry["id"] = posixpath.splitext(posixpath.basename(original))[0] if original else f"{split}-{index:08d}"
            for key, column in (("transcript", options.transcript_column), ("caption", options.caption_column),
                                ("start", options.start_column), ("end", options.end_column)):  # fmt: skip
                if column and row.get(column) not in (None, ""):
                    entry[key] = row[column]
            if options.labels_column:
                labels = names(options.labels_column, row.get(options.labels_column))
                entry["labels"] = [labels] if isinstance(labels, str) and "," not in labels else (
                    [t.strip() for t in labels.split(",")] if isinstance(labels, str) else [str(t) for t in labels or []]
                )
            for attribute, column in options.attribute_columns.items():
                value = names(column, row.get(column))
                if value in (None, ""):
                    continue
                mapped = options.value_maps.get(attribute, {})
                value = mapped.get(str(value), value) if mapped else value
                if value is not None:
                    entry[attribute] = value
            yield ref, entry

    def check(self) -> str | None:
        for split in self.options.splits:
            try:
                features = self._stream(split).features or {}
            except Exception as error:  # no such split, no data files, an unreachable Hub: all stop the run up front
                return f"{self._where()}: cannot read split {split!r}: {error}"
            problem = self._audio_column_problem(features)
            if problem:
                return f"{self._where()}: {problem}"
        return None

    def _audio_column_problem(self, features) -> str | None:
        if features and self.options.audio_column not in features:
            return f"no audio column {self.options.audio_column!r} (columns: {', '.join(features)})"
        return None

    # ---- where rows come from -------------------------------------------------------------------------

    def _where(self) -> str:
        return self.options.dataset or self.root

    @property
    def root_required(self) -> bool:
        return not self.options.dataset  # a Hub dataset streams; its root is only where audio is written

    def _stream(self, split: str):
        """One split: from a local copy under the root when there is one, else from the Hub dataset."""
        import datasets

        options = self.options
        if self.exists("dataset_dict.json") or self.exists("state.json"):
            loaded = datasets.load_from_disk(self.root)
            if isinstance(loaded, datasets.DatasetDict):
                if split not in loaded:
                    raise ValueError(f"{self.root}: no split {split!r} (splits: {', '.join(loaded)})")
                loaded = loaded[split]
            return loaded.to_iterable_dataset()
        files = self._parquet_files(split) if self.exists("") else []
        if files:
            return datasets.load_dataset("parquet", data_files={split: files}, split=split, streaming=True)
        if options.dataset:
            return datasets.load_dataset(options.dataset, options.config_name, split=split, revision=options.revision, streaming=True)
        present = self._local_splits()
        there = f" (Parquet splits there: {', '.join(present)})" if present else ""
        raise FileNotFoundError(f"{self.root}: neither a save_to_disk folder nor Parquet files for split {split!r}{there}")

    def _parquet_files(self, split: str) -> list[str]:
        options = self.options
        patterns = [options.data_files] if isinstance(options.data_files, str) else options.data_files
        # a flat `*.parquet` copy names no split: it stands for the one split asked for, never for several
        flat = ["*.parquet"] if len(options.splits) == 1 else []
        patterns = patterns or [f"data/{split}-*.parquet", f"{split}/*.parquet", f"{split}-*.parquet", *flat]
        for pattern in patterns:
            found = self.find(pattern)
            if found:
                return [f"{self.root}/{p}" for p in found]
        return []

    def _local_splits(self) -> list[str]:
        """The split names a Hub-layout Parquet copy under the root holds (`data/<split>-*.parquet`)."""
        if not self.exists("data"):
            return []
        return sorted({posixpath.basename(p).split("-", 1)[0] for p in self.find("data/*.parquet")})

    # ---- audio as a path under the root ---------------------------------------------------------------

    def _audio_path(self, value: dict | str | None, index: int, split: str) -> str | None:
        if isinstance(value, str):
            value = {"path": value, "bytes": None}
        if not value:
            return None
        data, original = value.get("bytes"), value.get("path")
        if data is None:
            if not original:
                return None
            if original.startswith(self.root.rstrip("/") + "/"):
                return original[len(self.root.rstrip("/")) + 1 :]
            return original  # relative to the root, or absolute (ingest checks it stays under the root)
        suffix = posixpath.splitext(original or "")[1].lower() or _sniff_suffix(data)
        base = posixpath.splitext(posixpath.basename(original))[0] if original else "clip"
        relative = posixpath.join(self.options.audio_subdir, split, f"{index:08d}-{base}{suffix}")
        target = posixpath.join(self.path, relative)
        if not (self.fs.exists(target) and self.fs.size(target) == len(data)):
            self.fs.makedirs(posixpath.dirname(target), exist_ok=True)
            partial = posixpath.join(posixpath.dirname(target), f".{posixpath.basename(target)}.partial")
            with self.fs.open(partial, "wb") as handle:  # a reader never sees half a file
                handle.write(data)
            self.fs.mv(partial, target)
        return relative


def _sniff_suffix(data: bytes) -> str:
    head = data[:12]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ".wav"
    if head[:4] == b"fLaC":
        return ".flac"
    if head[:4] == b"OggS":
        return ".ogg"
    if head[:3] == b"ID3" or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return ".mp3"
    return ".bin"
