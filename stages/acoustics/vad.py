"""Silero VAD (the model shipped in the silero-vad wheel), run over whole clips at once.

The stock model is streamed one 32 ms chunk at a time from Python (~70x real time here). Only its LSTM
is sequential, so this runs the same weights in three batched steps: the STFT and the conv encoder over
every chunk of every clip of a batch in one go, then the LSTM over clips of similar length together. The probabilities
match the streamed model to ~1e-5 (tested).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

CHUNK_S = 0.032  # one probability per 32 ms chunk at either rate
# rate -> (chunk samples, context samples, STFT length, STFT hop, attribute of the JIT model)
SHAPES = {16000: (512, 64, 256, 128, "_model"), 8000: (256, 32, 128, 64, "_model_8k")}
ENCODER_STRIDES = (1, 2, 2, 1)
BLOCK_CHUNKS = 4096  # encoder chunks per step: bounds memory on long clips


def model_file() -> Path:
    """The JIT file inside the wheel, found without importing the package (its import sets torch threads)."""
    spec = importlib.util.find_spec("silero_vad")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("silero-vad is not installed (pip install silero-vad)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "silero_vad.jit"


@lru_cache(maxsize=2)
def load_vad(rate: int = 8000) -> "SileroVad":
    """One model per worker process: Ray runs many batches in one process, each would reload (~60 ms)."""
    return SileroVad(rate)


class SileroVad:
    def __init__(self, rate: int = 8000):
        import torch

        self.rate = rate
        self.chunk, self.context, self.n_fft, self.hop, attribute = SHAPES[rate]
        jit = torch.jit.load(str(model_file()), map_location="cpu")
        weights = {k: v.detach().clone() for k, v in getattr(jit, attribute).state_dict().items()}
        self.basis = weights["stft.forward_basis_buffer"]
        self.convs = [(weights[f"encoder.{i}.reparam_conv.weight"], weights[f"encoder.{i}.reparam_conv.bias"]) for i in range(4)]
        self.lstm = torch.nn.LSTM(128, 128)
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(self.lstm, f"{name}_l0").copy_(weights[f"decoder.rnn.{name}"])
        self.head = (weights["decoder.decoder.2.weight"][0, :, 0], weights["decoder.decoder.2.bias"])

    def probabilities(self, clips: list[np.ndarray]) -> list[np.ndarray]:
        """Speech probability per 32 ms chunk for each clip (mono float32 at `self.rate`)."""
        import torch

        counts = [len(x) // self.chunk for x in clips]
        probs = [np.zeros(0, np.float32) for _ in clips]
        if not any(counts):
            return probs
        with torch.no_grad():
            chunks = torch.cat([self._chunks(x, n) for x, n in zip(clips, counts) if n])
            features = torch.cat([self._encode(chunks[i : i + BLOCK_CHUNKS]) for i in range(0, len(chunks), BLOCK_CHUNKS)])
            sequences = dict(zip([i for i, n in enumerate(counts) if n], torch.split(features, [n for n in counts if n])))
            for group in _length_groups({i: counts[i] for i in sequences}):
                padded = torch.nn.utils.rnn.pad_sequence([sequences[i] for i in group])  # (time, clips, 128)
                hidden, _ = self.lstm(padded)
                out = torch.sigmoid(torch.relu(hidden) @ self.head[0] + self.head[1]).T.numpy()
                for row, i in enumerate(group):
                    probs[i] = out[row, : counts[i]].copy()
        return probs

    def _chunks(self, x: np.ndarray, n: int):
        """(n, context + chunk + pad): each chunk after the previous chunk's tail, reflect-padded as the model does."""
        import torch
        import torch.nn.functional as F

        signal = F.pad(torch.from_numpy(np.ascontiguousarray(x[: n * self.chunk])), (self.context, 0))
        chunks = signal.unfold(0, self.chunk + self.context, self.chunk)
        return F.pad(chunks.unsqueeze(1), (0, self.context), mode="reflect")[:, 0]

    def _encode(self, chunks):
        import torch
        import torch.nn.functional as F

        y = F.conv1d(chunks.unsqueeze(1), self.basis, stride=self.hop)
        half = self.n_fft // 2 + 1
        y = torch.sqrt(y[:, :half] ** 2 + y[:, half:] ** 2)
        for (weight, bias), stride in zip(self.convs, ENCODER_STRIDES):
            y = F.relu(F.conv1d(y, weight, bias, stride=stride, padding=1))
        return y.squeeze(-1)


def _length_groups(lengths: dict[int, int], waste: float = 1.25) -> list[list[int]]:
    """Clips grouped by length so that padding each group to its longest costs at most `waste` times the
    real steps: one plain batched LSTM call per group (exact: padding only follows the real steps)."""
    groups, group, total = [], [], 0
    for i in sorted(lengths, key=lengths.get, reverse=True):
        if group and (len(group) + 1) * lengths[group[0]] > waste * (total + lengths[i]):
            groups.append(group)
            group, total = [], 0
        group.append(i)
        total += lengths[i]
    return groups + [group] if group else groups


def speech_mask(probs: np.ndarray, on: float = 0.5, off: float = 0.35, min_gap_s: float = 0.25, min_speech_s: float = 0.1) -> np.ndarray:
    """Per-chunk speech mask: hysteresis (start at `on`, stop below `off`), pauses shorter than
    `min_gap_s` bridged (they belong to speech, as in articulation-rate practice), islands shorter than
    `min_speech_s` dropped."""
    mask = np.zeros(len(probs), bool)
    active = False
    for i, p in enumerate(probs):
        active = p >= on or (active and p >= off)
        mask[i] = active
    runs = _runs(mask)
    for (s0, e0), (s1, _) in zip(runs, runs[1:]):
        if (s1 - e0) * CHUNK_S < min_gap_s:
            mask[e0:s1] = True
    for start, end in _runs(mask):
        if (end - start) * CHUNK_S < min_speech_s:
            mask[start:end] = False
    return mask


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[::2], edges[1::2]))
