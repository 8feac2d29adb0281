"""Acoustic attributes throughput: audio seconds per CPU-second, against plain soundfile decoding.

Both sides read the same files (the demo audio, repeated) in one run, on one core (torch pinned to one
thread; time.process_time of this process), in several rounds, each in a new shuffled order (so batches,
and the VAD's LSTM shapes, differ as they do in a pipeline); the two sides alternate within a round, and
the figures are the median over rounds with the slowest and fastest round (the box may be shared). The
attribute side is the whole MeasureAcoustics stage in batches as the pipeline runs it: decode, mono mix,
(resample), VAD, pitch, volume, SNR, C50, speaking rate, bins; every clip is measured as speech so the
full set runs on each.

    python benchmarks/attributes.py [--repeat 5] [--rounds 5] [--batch 64] [--rate 16000]

`--rate 44100` measures copies resampled to that rate first (the resampler's cost shows up).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from schemas import columns as c  # noqa: E402
from schemas.tables import schema_of  # noqa: E402
from stages.acoustics.signal import resample  # noqa: E402
from stages.measure_acoustics import MeasureAcoustics  # noqa: E402

INPUTS = (c.AUDIO_URI, c.START_S, c.END_S, c.DOMAIN, c.TRANSCRIPT, c.ATTRIBUTES)


def demo_clips() -> list[dict]:
    lines = [json.loads(line) for line in (REPO / "demo" / "manifest.jsonl").read_text().splitlines() if line.strip()]
    return [{"path": str(REPO / "demo" / e["audio"]), "transcript": e.get("transcript"), "gender": e.get("gender")}
            for e in lines if "start" not in e]  # fmt: skip


def at_rate(clips: list[dict], rate: int, folder: Path) -> list[dict]:
    copies = []
    for i, clip in enumerate(clips):
        data, native = sf.read(clip["path"], dtype="float32")
        path = folder / f"{i:03d}.wav"
        sf.write(path, resample(data, native, rate) if native != rate else data, rate, subtype="PCM_16")
        copies.append({**clip, "path": str(path)})
    return copies


def decode_all(paths: list[str]) -> float:
    seconds = 0.0
    for path in paths:
        data, rate = sf.read(path, dtype="float32")
        seconds += len(data) / rate
    return seconds


def measure_all(stage: MeasureAcoustics, clips: list[dict], batch: int) -> None:
    rows = [{c.AUDIO_URI: clip["path"], c.START_S: None, c.END_S: None, c.DOMAIN: "speech", c.TRANSCRIPT: clip["transcript"],
             c.ATTRIBUTES: json.dumps({"gender": clip["gender"]} if clip["gender"] else {})} for clip in clips]  # fmt: skip
    for start in range(0, len(rows), batch):
        stage(pa.Table.from_pylist(rows[start : start + batch], schema=schema_of(INPUTS)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the demo audio per round")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (each in its own shuffled clip order)")
    parser.add_argument("--batch", type=int, default=64, help="rows per stage call (the pipeline's batch size)")
    parser.add_argument("--rate", type=int, default=16000, help="sample rate of the measured copies")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as folder:
        clips = demo_clips()
        if args.rate != 16000:
            clips = at_rate(clips, args.rate, Path(folder))
        clips = clips * args.repeat
        stage = MeasureAcoustics()
        stage.setup()
        measure_all(stage, random.Random(-1).sample(clips, len(clips))[: args.batch], args.batch)  # warm-up: first-call allocations

        decode_cpu, measure_cpu = [], []
        for round_ in range(args.rounds):
            # a new batch composition each round, as a pipeline sees (the VAD's LSTM shapes differ per batch)
            order = random.Random(round_).sample(clips, len(clips))
            started = time.process_time()
            audio_s = decode_all([clip["path"] for clip in order])
            decode_cpu.append(time.process_time() - started)
            started = time.process_time()
            measure_all(stage, order, args.batch)
            measure_cpu.append(time.process_time() - started)

    decode_x = sorted(audio_s / t for t in decode_cpu)
    measure_x = sorted(audio_s / t for t in measure_cpu)
    ratios = sorted(m / d for d, m in zip(decode_cpu, measure_cpu))
    median = statistics.median
    print(f"audio: {len(clips)} clips, {audio_s:.1f} s at {args.rate} Hz, {args.rounds} rounds; torch threads: {torch.get_num_threads()}")
    print("x real time per core, median of the rounds (slowest .. fastest round):")
    print(f"decode only (soundfile):               {median(decode_x):7.0f}x  ({decode_x[0]:.0f} .. {decode_x[-1]:.0f})")
    print(f"full attribute set (MeasureAcoustics): {median(measure_x):7.0f}x  ({measure_x[0]:.0f} .. {measure_x[-1]:.0f})"
          f"  {median(measure_cpu):.3f} CPU-s a round")  # fmt: skip
    print(f"ratio decode / full set: {median(ratios):.1f} ({ratios[0]:.1f} .. {ratios[-1]:.1f}): the full set costs that many times the decoding")
    print(f"goal >= 1000x real time per core: {'met' if median(measure_x) >= 1000 else 'NOT met'} (median); "
          f"slowest round {measure_x[0]:.0f}x")  # fmt: skip


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
