"""Helpers for adapter tests: real short audio (espeak-ng speech, sox tones) written into a native layout,
and `read_source`, which runs an adapter through the real ingest and probe stages."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemas import columns as c
from stages.ingest_manifest import IngestManifest, SourceSpec
from stages.probe_audio import ProbeAudio

if not (shutil.which("espeak-ng") and shutil.which("sox")):
    pytest.skip("espeak-ng and sox are needed (make install installs them)", allow_module_level=True)


FFMPEG_ONLY = (".mp4", ".m4a", ".webm")  # containers sox cannot write: encoded from a WAV by ffmpeg


class AudioMaker:
    """Writes real audio files; the format follows the suffix (.wav .flac .ogg .mp3 via sox; .mp4 .m4a .webm
    via ffmpeg)."""

    def _sox(self, path: Path, command: list[str]) -> Path:
        """Run a sox command whose output is `{out}`, writing `path` (through a WAV for the containers only ffmpeg writes)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        target = path.with_name(path.name + ".sox.wav") if path.suffix in FFMPEG_ONLY else path
        subprocess.run([str(target) if part == "{out}" else part for part in command], check=True, capture_output=True)
        if target != path:
            codec = ["-c:a", "libopus"] if path.suffix == ".webm" else ["-c:a", "aac"]
            subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(target), *codec, str(path)], check=True, capture_output=True)
            target.unlink()
        return path

    def speech(self, path: Path | str, text: str = "Hello there.", voice: str = "en-us+f3", rate: int = 16000, channels: int = 1) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = path.with_name(path.name + ".espeak.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True, capture_output=True)
        self._sox(path, ["sox", str(raw), "-r", str(rate), "-c", str(channels), "{out}"])
        raw.unlink()
        return path

    def tone(self, path: Path | str, frequency: float = 440.0, seconds: float = 1.0, rate: int = 16000, channels: int = 1) -> Path:
        synth = ["synth", str(seconds), "sine", str(frequency), "vol", "0.5"]
        return self._sox(Path(path), ["sox", "-n", "-r", str(rate), "-c", str(channels), "{out}", *synth])

    def noise(self, path: Path | str, seconds: float = 1.0, rate: int = 16000) -> Path:
        synth = ["synth", str(seconds), "pinknoise", "vol", "0.3"]
        return self._sox(Path(path), ["sox", "-n", "-r", str(rate), "-c", "1", "{out}", *synth])


@pytest.fixture(scope="session")
def audio() -> AudioMaker:
    return AudioMaker()


def write_hub_parquet(dataset, root: Path, split: str = "train") -> Path:
    """A `datasets.Dataset` as the Hub stores it: audio bytes embedded, `data/<split>-00000-of-00001.parquet`."""
    from datasets.table import embed_table_storage

    path = root / "data" / f"{split}-00000-of-00001.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    dataset.with_format("arrow").map(embed_table_storage, batched=True).to_parquet(str(path))
    return path


@dataclass
class SourceRead:
    records: list[dict]  # kept clips: attributes/turns parsed from JSON, duration probed
    rejects: list[dict]  # quarantined: {input_ref, reason, detail, stage}

    def by_id(self) -> dict[str, dict]:
        return {r[c.CLIP_ID].split("/", 1)[1]: r for r in self.records}

    def reasons(self) -> list[str]:
        return sorted(r["reason"] for r in self.rejects)


def read_source(adapter: str, root: Path | str, options: dict | None = None, name: str = "src", domain: str | None = None) -> SourceRead:
    """Read a source the way a run does (adapter -> ingest -> probe), without Ray."""
    from adapters.registry import adapter_class

    spec = SourceSpec(name, adapter, str(root), domain or adapter_class(adapter).domain, "", options or {})
    records, rejects = [], []
    for table in IngestManifest(chunk_rows=64).read(spec):
        kept = table.filter(table[c.KEEP])
        probed = ProbeAudio()(kept) if kept.num_rows else kept
        for row in table.to_pylist() + probed.to_pylist():
            if not row[c.KEEP]:
                rejects.append({"input_ref": row[c.INPUT_REF], "reason": row[c.DROP_REASON], "detail": row[c.DROP_DETAIL], "stage": row[c.DROP_STAGE]})
        for row in probed.to_pylist():
            if row[c.KEEP]:
                row[c.ATTRIBUTES] = json.loads(row[c.ATTRIBUTES])
                row[c.TURNS] = json.loads(row[c.TURNS])
                records.append(row)
    return SourceRead(records, rejects)
