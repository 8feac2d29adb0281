"""Progress of a running build, as the driver sees it: rows done / planned per source, tokens/s,
quarantined and flagged counts and an ETA.

On a terminal: one live display (rich). In a job or with output redirected: a plain log line every
`every` seconds with the same figures. Rows and tokens come from the commit step's per-batch figures;
the plan (rows each source will give) and quarantine counts are read from the output folder, at most
every `poll_s` seconds, so the cost stays small however long the run.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.run_status import read_plan
from pipeline.storage import filesystem, join
from schemas import columns as c

log = logging.getLogger("desta_data")
EVERY_ENV = "DESTA_PROGRESS_EVERY"  # seconds between plain progress lines (default 30)
DEFAULT_EVERY_S = 30.0


def progress_every(value: float | None = None) -> float:
    """Seconds between plain progress lines: the CLI flag, else DESTA_PROGRESS_EVERY, else 30."""
    if value is not None:
        return value
    return float(os.environ.get(EVERY_ENV) or DEFAULT_EVERY_S)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class RunMonitor:
    """Figures of one run; `add` takes the commit step's batches; `start`/`close` drive the display."""

    def __init__(self, output_dir: str, sources: list[str], per_clip: int, committed: dict[str, int] | None = None,
                 every: float = DEFAULT_EVERY_S, live: bool | None = None, poll_s: float = 2.0, stream=None):  # fmt: skip
        self.output_dir, self.per_clip, self.every, self.poll_s = output_dir, per_clip, every, poll_s
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.rows = {source: (committed or {}).get(source, 0) for source in sources}
        self.rows_at_start = sum(self.rows.values())
        self.tokens = self.flagged = 0
        self.plan: dict[str, dict] = {}
        self.quarantined: dict[str, int] = {}  # per source
        self.rows_lost = 0  # planned rows that quarantine took after ingest (they will never be committed)
        self._seen_quarantine: set[str] = set()
        self._polled_at = -1e9
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live_display = None

    # ---- figures ----------------------------------------------------------------------------------

    def add(self, batch: pa.Table) -> None:
        """One batch of the commit step's figures: per source its rows, tokens and flagged rows."""
        with self._lock:
            columns = batch.column_names
            for row in batch.to_pylist():
                self.rows[row[c.SOURCE]] = self.rows.get(row[c.SOURCE], 0) + row["rows"]
                self.tokens += row.get("tokens", 0) if "tokens" in columns else 0
                self.flagged += row.get("flagged", 0) if "flagged" in columns else 0

    def poll(self, force: bool = False) -> None:
        """Reread the plan and new quarantine files (at most every poll_s seconds)."""
        if not force and time.monotonic() - self._polled_at < self.poll_s:
            return
        self._polled_at = time.monotonic()
        plan = read_plan(self.output_dir)
        fs, root = filesystem(join(self.output_dir, "quarantine"))
        new = [p for p in (fs.glob(f"{root}/*.parquet") if fs.exists(root) else []) if p not in self._seen_quarantine]
        counts, lost = {}, 0
        for path in new:
            with fs.open(path, "rb") as handle:
                table = pq.read_table(handle, columns=[c.SOURCE, c.CLIP_ID, c.DROP_STAGE])
            for source, clip, stage in zip(*(table[n].to_pylist() for n in (c.SOURCE, c.CLIP_ID, c.DROP_STAGE))):
                counts[source] = counts.get(source, 0) + 1
                if stage != "ingest":  # ingest rejects are not in the plan; later ones take a row or a clip's rows
                    lost += 1 if clip and "#" in clip else self.per_clip
        with self._lock:
            self.plan = plan
            self._seen_quarantine.update(new)
            for source, n in counts.items():
                self.quarantined[source] = self.quarantined.get(source, 0) + n
            self.rows_lost += lost

    def snapshot(self) -> dict:
        with self._lock:
            elapsed = max(time.monotonic() - self._started, 1e-9)
            done = sum(self.rows.values())
            sources = {}
            for source in sorted(set(self.rows) | set(self.plan)):
                recorded = self.plan.get(source)
                sources[source] = {
                    "rows": self.rows.get(source, 0),
                    "planned": recorded["rows"] if recorded else None,
                    "plan_complete": bool(recorded and recorded["complete"]),
                }
            planned = sum(s["planned"] for s in sources.values() if s["planned"] is not None) if self.plan else None
            plan_complete = bool(self.plan) and all(s["plan_complete"] for s in sources.values())
            new_rows = done - self.rows_at_start
            rate = new_rows / elapsed
            remaining = max(planned - done - self.rows_lost, 0) if planned is not None else None
            eta = remaining / rate if remaining is not None and rate > 0 else (0.0 if remaining == 0 else None)
            return {
                "rows": done, "planned": planned, "plan_complete": plan_complete, "sources": sources,
                "tokens": self.tokens, "tokens_per_s": self.tokens / elapsed, "rows_per_s": rate,
                "quarantined": sum(self.quarantined.values()), "flagged": self.flagged,
                "elapsed_s": elapsed, "eta_s": eta,
            }  # fmt: skip

    # ---- display --------------------------------------------------------------------------------------

    def line(self) -> str:
        """The plain progress line (also the live display's summary)."""
        s = self.snapshot()
        planned = f"{s['planned']:,}{'' if s['plan_complete'] else '+'}" if s["planned"] is not None else "?"
        percent = f" ({100 * s['rows'] / s['planned']:.0f}%)" if s["planned"] else ""
        per_source = ", ".join(
            f"{name} {info['rows']:,}/{info['planned'] if info['planned'] is not None else '?'}" for name, info in s["sources"].items()
        )
        return (f"progress: {s['rows']:,}/{planned} rows{percent} | {per_source} | {s['tokens_per_s']:.1f} tokens/s | "
                f"quarantined {s['quarantined']:,} | flagged {s['flagged']:,} | elapsed {format_duration(s['elapsed_s'])} | "
                f"ETA {format_duration(s['eta_s'])}")  # fmt: skip

    def render(self):
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table

        self.poll()
        s = self.snapshot()
        table = Table(title="desta-data run", title_justify="left", expand=False)
        for header in ("source", "rows", "planned", ""):
            table.add_column(header, justify="right" if header in ("rows", "planned") else "left")
        for name, info in s["sources"].items():
            planned = info["planned"]
            bar = ProgressBar(total=planned or None, completed=info["rows"], width=30)
            table.add_row(name, f"{info['rows']:,}", f"{planned:,}{'' if info['plan_complete'] else '+'}" if planned is not None else "?", bar)
        total_bar = ProgressBar(total=s["planned"] or None, completed=s["rows"], width=30)
        planned = f"{s['planned']:,}{'' if s['plan_complete'] else '+'}" if s["planned"] is not None else "?"
        table.add_row("[bold]total", f"[bold]{s['rows']:,}", planned, total_bar)
        summary = (f"{s['tokens_per_s']:.1f} tokens/s  {s['rows_per_s']:.2f} rows/s  quarantined {s['quarantined']:,}  "
                   f"flagged {s['flagged']:,}  elapsed {format_duration(s['elapsed_s'])}  ETA {format_duration(s['eta_s'])}")  # fmt: skip
        return Group(table, summary)

    def start(self) -> "RunMonitor":
        if self.live:
            from rich.console import Console
            from rich.live import Live

            console = Console(file=self.stream, force_terminal=True)
            self._live_display = Live(get_renderable=self.render, console=console, refresh_per_second=2, transient=False)
            self._live_display.start()
        else:
            self._thread = threading.Thread(target=self._log_lines, name="desta-progress", daemon=True)
            self._thread.start()
        return self

    def _log_lines(self) -> None:
        while not self._stop.wait(self.every):
            self.poll()
            log.info("desta-data: %s", self.line())

    def close(self) -> None:
        self._stop.set()
        self.poll(force=True)
        if self._live_display is not None:
            self._live_display.stop()  # draws the last state once more
        else:
            if self._thread is not None:
                self._thread.join(timeout=5)
            log.info("desta-data: %s", self.line())

    def __enter__(self) -> "RunMonitor":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
