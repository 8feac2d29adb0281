"""Select: a source's budget (max_clips, max_hours, fraction) applied by a hash of (run seed, clip id).

Every clip gets a 64-bit hash of (seed, clip id), and a budget keeps the clips with the smallest hashes,
as many as all its caps allow: `fraction` keeps hashes below fraction x 2^64, `max_clips` the k smallest,
`max_hours` the smallest until the hours are used. The selection therefore depends on the seed and on the
source's own clip ids (and durations) alone: not on file order, not on other sources; and a larger budget
keeps every clip of a smaller one, since its cut-off hash is at least as large. Rows left out are not bad
input: they leave without being quarantined.

`fraction` alone needs no look at the data. `max_clips` and `max_hours` need the whole source seen once
first: `BudgetCut` takes (hash, duration) of every clip, keeping only those that can still be selected (the
k smallest hashes; the hash-prefix that fits in max_hours), so its memory is bounded by the selection,
16 bytes a clip; its `cutoff()` then drives `SelectClips` over a second read of the source.
Durations come from the manifest or adapter (`duration`, or a segment's end - start); else from the
audio header (`header_duration`), which reads no samples.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from schemas import columns as c
from stages.base import Stage

HASH_SPACE = 1 << 64
COMPACT_EVERY = 1 << 16  # buffered clips between compactions of a cut


def clip_hash(seed: int, clip_id: str) -> int:
    """A 64-bit hash of (seed, clip id), stable across processes and machines."""
    return int.from_bytes(hashlib.blake2b(f"{seed}\x1f{clip_id}".encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class ClipBudget:
    """A source's caps; None: no cap of that kind. All set caps apply together."""

    max_clips: int | None = None
    max_hours: float | None = None
    fraction: float | None = None

    @property
    def limited(self) -> bool:
        return any(cap is not None for cap in (self.max_clips, self.max_hours, self.fraction))

    @property
    def needs_pass(self) -> bool:
        """Whether the source must be read once before anything is selected."""
        return self.max_clips is not None or self.max_hours is not None

    @property
    def bound(self) -> int:
        """Hashes below this pass the fraction."""
        return HASH_SPACE if self.fraction is None else min(HASH_SPACE, math.floor(self.fraction * HASH_SPACE))


@dataclass(frozen=True)
class Cutoff:
    """Selected: clips whose hash is at most `limit` (-1: none)."""

    seed: int
    limit: int

    def selects(self, clip_id: str) -> bool:
        return clip_hash(self.seed, clip_id) <= self.limit


@dataclass(frozen=True)
class Selection:
    """What a budget selects from one source."""

    cutoff: Cutoff
    offered: int  # distinct valid clips read
    clips: int  # clips selected
    seconds: float  # their known duration
    unknown_durations: int  # selected clips whose duration was not known


def known_duration(declared: float | None, start: float | None, end: float | None) -> float | None:
    """The duration the metadata states: a declared `duration`, else a segment's end - start."""
    if declared is not None and declared > 0:
        return float(declared)
    if end is not None:
        length = end - (start or 0.0)
        return length if length > 0 else None
    return None


def header_duration(uri: str, start: float | None, end: float | None) -> float | None:
    """Seconds of [start, end) from the audio header alone (no samples decoded); None if unreadable."""
    from stages.probe_audio import open_audio, readable_by_soundfile

    try:
        if readable_by_soundfile(uri):
            import soundfile as sf

            with open_audio(uri) as source:
                info = sf.info(source)
            total = info.frames / info.samplerate if info.samplerate else None
        else:
            from torchcodec.decoders import AudioDecoder

            with open_audio(uri) as source:
                metadata = AudioDecoder(source).metadata
            total = metadata.duration_seconds_from_header or metadata.duration_seconds
    except Exception:  # missing, unreadable or not audio: the probe names the reason in a run
        return None
    if not total:
        return None
    length = min(total, end if end is not None else total) - (start or 0.0)
    return length if length > 0 else None


class BudgetCut:
    """First pass of a budget: fed every clip of a source, it finds the cut-off hash.

    Holds (hash, seconds) of the clips that can still be selected; with no clip or hour cap it only counts.
    """

    def __init__(self, budget: ClipBudget, seed: int):
        self.budget, self.seed = budget, seed
        self.hashes: list[np.ndarray] = []
        self.seconds: list[np.ndarray] = []
        self.buffered = self.offered = self.admitted = 0
        self.total_seconds, self.unknown = 0.0, 0  # running totals, used when nothing is cut
        self.headers_read = 0

    def add(self, clip_ids: list[str], seconds: list[float | None]) -> np.ndarray:
        """Offer clips (distinct, valid); returns their hashes (uint64), in the given order."""
        hashes = np.fromiter((clip_hash(self.seed, clip) for clip in clip_ids), dtype=np.uint64, count=len(clip_ids))
        durations = np.array([np.nan if s is None else s for s in seconds], dtype=np.float64)
        self.offered += len(hashes)
        admitted = hashes < np.uint64(self.budget.bound) if self.budget.bound < HASH_SPACE else np.ones(len(hashes), bool)
        self.admitted += int(admitted.sum())
        if not self.budget.needs_pass:
            chosen = durations[admitted]
            self.total_seconds += float(np.nansum(chosen))
            self.unknown += int(np.isnan(chosen).sum())
            return hashes
        self.hashes.append(hashes[admitted])
        self.seconds.append(durations[admitted])
        self.buffered += int(admitted.sum())
        if self.buffered >= max(COMPACT_EVERY, 2 * (self.budget.max_clips or 0)):
            self._compact()
        return hashes

    def add_table(self, table: pa.Table, read_headers: bool = False) -> tuple[pa.Table, np.ndarray]:
        """Offer an ingest table's valid clips; (those rows, their hashes). Durations: stated, else the
        header's when `read_headers` (needed for max_hours), else unknown."""
        valid = table.filter(table[c.KEEP]) if c.KEEP in table.column_names else table
        columns = [valid[name].to_pylist() for name in (c.DECLARED_DURATION_S, c.START_S, c.END_S, c.AUDIO_URI)]
        seconds = []
        for declared, start, end, uri in zip(*columns):
            length = known_duration(declared, start, end)
            if length is None and read_headers:
                length = header_duration(uri, start, end) or 0.0  # unreadable: the probe quarantines it
                self.headers_read += 1
            seconds.append(length)
        return valid, self.add(valid[c.CLIP_ID].to_pylist(), seconds)

    def _compact(self) -> None:
        hashes = np.concatenate(self.hashes) if self.hashes else np.zeros(0, np.uint64)
        seconds = np.concatenate(self.seconds) if self.seconds else np.zeros(0)
        order = np.argsort(hashes, kind="stable")
        hashes, seconds = hashes[order], seconds[order]
        keep = len(hashes)
        if self.budget.max_clips is not None:
            keep = min(keep, self.budget.max_clips)
        if self.budget.max_hours is not None:
            used = np.cumsum(np.nan_to_num(seconds[:keep]))
            keep = int(np.searchsorted(used, self.budget.max_hours * 3600.0, side="right"))
        self.hashes, self.seconds = [hashes[:keep]], [seconds[:keep]]
        self.buffered = keep

    def result(self) -> Selection:
        bound_limit = self.budget.bound - 1
        if not self.budget.needs_pass:
            cutoff = Cutoff(self.seed, bound_limit)
            return Selection(cutoff, self.offered, self.admitted, self.total_seconds, self.unknown)
        self._compact()
        hashes, seconds = self.hashes[0], self.seconds[0]
        cut = len(hashes) < self.admitted  # a cap took effect
        limit = (int(hashes[-1]) if len(hashes) else -1) if cut else bound_limit
        return Selection(Cutoff(self.seed, limit), self.offered, len(hashes), float(np.nansum(seconds)), int(np.isnan(seconds).sum()))


def fit_cutoff(tables, budget: ClipBudget, seed: int) -> Cutoff:
    """The first pass over a source's ingest tables: where its budget cuts."""
    cut = BudgetCut(budget, seed)
    if budget.needs_pass:
        for table in tables:
            cut.add_table(table, read_headers=budget.max_hours is not None)
    return cut.result().cutoff


class SelectClips(Stage):
    """Keeps the rows of selected clips (and rows without a clip id, which are bad input for quarantine)."""

    name = "select"
    inputs = {c.CLIP_ID: "stable clip id (null on a bad entry)"}
    outputs: dict[str, str] = {}

    def __init__(self, config: Cutoff):
        super().__init__(config)

    def process(self, table):
        keep = [clip is None or self.config.selects(clip) for clip in table[c.CLIP_ID].to_pylist()]
        return table if all(keep) else table.filter(pa.array(keep, pa.bool_()))
