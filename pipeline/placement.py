"""What a run asks of Ray, step by step, and whether a cluster's nodes can hold it.

Every step of the chain (pipeline/steps.py) becomes a demand: the resources of one task, one actor or one
engine bundle, and how many of them stay held for the whole run (actor pools at their minimum size, every
engine replica's bundles). Ray Data runs all steps at once, so the held units must fit on the nodes together,
and every task step must still find room next to them, or the run would wait forever.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.cluster import describe_nodes
from pipeline.config import RunConfig, StepResources

EPSILON = 1e-6  # Ray keeps resource amounts to 4 decimals


@dataclass(frozen=True)
class Demand:
    name: str  # the step
    key: str  # where the config sets it
    runs_as: str  # task, actor or engine bundle
    unit: dict[str, float]  # Ray resources of one task, actor or bundle
    held: int  # units held for the whole run (0 for tasks: they come and go)
    concurrency: str
    batch_size: int | None = None

    @property
    def where(self) -> str:
        return self.key if self.key.endswith(self.name) else f"{self.key} ({self.name})"


def unit_of(resources: StepResources) -> dict[str, float]:
    unit = {"CPU": resources.num_cpus}
    if resources.num_gpus:
        unit["GPU"] = resources.num_gpus
    if resources.memory:
        unit["memory"] = float(resources.memory)
    return {**unit, **resources.resources}


def pool_size(concurrency: int | tuple[int, int] | None) -> tuple[int, int]:
    """(min, max) actors of a pool: a number is a fixed size, a pair autoscales between its ends."""
    if isinstance(concurrency, tuple):
        return concurrency
    if concurrency is None:
        return 1, 1
    return concurrency, concurrency


def demands(config: RunConfig) -> list[Demand]:
    """The run's steps in chain order, each as what one unit of it asks of Ray."""
    from pipeline.generation import replica_bundle
    from pipeline.steps import chain

    extractor_keys = {e.name: f"attributes.extractors[{i}]" for i, e in enumerate(config.attributes.extractors)}
    result = []
    for step in chain(config, config.output.dir, run_token=""):
        resources = step.resources
        if step.kind == "tasks":
            result.append(Demand(step.name, f"placement.{step.name}", "task", unit_of(resources), 0,
                                 str(resources.concurrency or "auto"), resources.batch_size))  # fmt: skip
        elif step.kind == "actors":
            low, high = pool_size(resources.concurrency)
            result.append(Demand(step.name, extractor_keys.get(step.name, f"placement.{step.name}"), "actor", unit_of(resources), low,
                                 f"{low}" if low == high else f"{low}..{high}", resources.batch_size))  # fmt: skip
        else:
            generation = config.generation
            result.append(Demand("engine_helpers", "placement.engine_helpers", "task", unit_of(resources), 0,
                                 str(resources.concurrency or "auto"), None))  # fmt: skip
            workers = generation.engine.tensor_parallel_size
            result.append(Demand("engine", "generation.replicas / placement.engine", "engine bundle",
                                 replica_bundle(generation, config.placement.engine), generation.replicas * workers,
                                 f"{generation.replicas} replica(s) x {workers} bundle(s)", generation.batch_size))  # fmt: skip
    return result


def format_amount(key: str, amount: float) -> str:
    return f"{amount / 2**30:.3g}GiB" if key == "memory" else f"{amount:g}"


def format_unit(unit: dict[str, float]) -> str:
    return "{" + ", ".join(f"{key}: {format_amount(key, amount)}" for key, amount in unit.items()) + "}"


def placement_table(config: RunConfig) -> list[str]:
    """The placement as printed by `desta-data validate --placement`: one line per step."""
    rows = [("step", "runs as", "CPUs", "GPUs", "memory", "custom resources", "concurrency", "batch")]
    held: dict[str, float] = {}
    for d in demands(config):
        custom = {k: v for k, v in d.unit.items() if k not in ("CPU", "GPU", "memory")}
        rows.append((d.name, d.runs_as, f"{d.unit.get('CPU', 0):g}", f"{d.unit.get('GPU', 0):g}",
                     format_amount("memory", d.unit["memory"]) if "memory" in d.unit else "-",
                     ", ".join(f"{k}: {v:g}" for k, v in custom.items()) or "-", d.concurrency,
                     str(d.batch_size) if d.batch_size else "-"))  # fmt: skip
        for key, amount in d.unit.items():
            held[key] = held.get(key, 0) + amount * d.held
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.append("held for the whole run (actor pools at their minimum, every engine replica): "
                 + ", ".join(f"{key} {format_amount(key, amount)}" for key, amount in held.items() if amount))  # fmt: skip
    return lines


class _Node:
    """What is left on one node. GPUs are kept per device: Ray puts a fractional request on one GPU that has
    the fraction left, and a whole-number request on that many free GPUs."""

    def __init__(self, total: dict[str, float]):
        self.free = {key: amount for key, amount in total.items() if key != "GPU"}
        self.gpus = [1.0] * int(total.get("GPU", 0) + EPSILON)

    def _devices(self, gpus: float) -> list[int] | None:
        if gpus < 1:
            return next(([i] for i, left in enumerate(self.gpus) if left + EPSILON >= gpus), None)
        whole = [i for i, left in enumerate(self.gpus) if left + EPSILON >= 1]
        needed = int(gpus + 1 - EPSILON)  # ceil
        return whole[:needed] if len(whole) >= needed else None

    def fits(self, unit: dict[str, float]) -> bool:
        gpus = unit.get("GPU", 0)
        if gpus and self._devices(gpus) is None:
            return False
        return all(self.free.get(key, 0) + EPSILON >= amount for key, amount in unit.items() if key != "GPU" and amount)

    def take(self, unit: dict[str, float]) -> None:
        gpus = unit.get("GPU", 0)
        for device in self._devices(gpus) if gpus else []:
            self.gpus[device] -= min(gpus, 1.0)
        for key, amount in unit.items():
            if key != "GPU":
                self.free[key] = self.free.get(key, 0) - amount

    def holds(self, keys: set[str]) -> int:
        """How many of these resources this node still has some of."""
        return sum(1 for key, left in self.left(keys).items() if left > EPSILON)

    def left(self, keys) -> dict[str, float]:
        return {key: (sum(self.gpus) if key == "GPU" else self.free.get(key, 0)) for key in keys}


def _unit_problem(demand: Demand, nodes: list[dict[str, float]]) -> str | None:
    """Why no node of the cluster, even empty, can hold one unit of `demand`."""
    if any(_Node(node).fits(demand.unit) for node in nodes):
        return None
    where = demand.where
    for key, amount in demand.unit.items():
        if amount and not any(node.get(key, 0) for node in nodes):
            if key == "GPU":
                return f"{where}: one {demand.runs_as} needs {amount:g} GPU, but the cluster has no GPU ({describe_nodes(nodes)})"
            if key not in ("CPU", "memory"):
                return (f"{where}: custom resource {key!r} is on no node of the cluster ({describe_nodes(nodes)}); "
                        f"start a node with `ray start --resources='{{\"{key}\": 1}}'`")  # fmt: skip
    largest = {key: max(node.get(key, 0) for node in nodes) for key in demand.unit}
    return f"{where}: one {demand.runs_as} needs {format_unit(demand.unit)}, more than any single node holds (largest: {format_unit(largest)})"


def placement_problem(config: RunConfig, nodes: list[dict[str, float]]) -> str | None:
    """Why the run cannot be scheduled on these nodes (each a dict of its total resources), or None."""
    if not nodes:
        return "the Ray cluster has no alive node"
    items = demands(config)
    for demand in items:
        problem = _unit_problem(demand, nodes)
        if problem:
            return problem
    held: dict[str, float] = {}
    for demand in items:
        for key, amount in demand.unit.items():
            held[key] = held.get(key, 0) + amount * demand.held
    for key, amount in held.items():
        total = sum(node.get(key, 0) for node in nodes)
        if amount > total + EPSILON:
            parts = ", ".join(f"{d.name} {d.held} x {format_amount(key, d.unit[key])}" for d in items if d.held and d.unit.get(key))
            return f"the run holds {format_amount(key, amount)} {key} at once ({parts}) but the cluster has {format_amount(key, total)} ({describe_nodes(nodes)})"
    # Place every held unit, biggest first, on a node with room, preferring the node that holds the fewest of
    # the resources other steps are pinned to (custom resources a step names; GPUs, for a unit that needs none):
    # the verdict must not depend on the order Ray happens to list the nodes in.
    free = [_Node(node) for node in sorted(nodes, key=lambda node: sorted(node.items()))]
    pinned = {key for d in items for key, amount in d.unit.items() if amount and key not in ("CPU", "memory")}
    units = sorted(((d, i) for d in items for i in range(d.held)), key=lambda u: tuple(-u[0].unit.get(k, 0) for k in ("GPU", "CPU", "memory")))
    for demand, index in units:
        others = pinned - {key for key, amount in demand.unit.items() if amount}
        node = min((node for node in free if node.fits(demand.unit)), key=lambda node: node.holds(others), default=None)
        if node is None:
            left = "; ".join(format_unit(node.left(demand.unit)) for node in free)
            return (f"{demand.where}: {demand.runs_as} {index + 1} of {demand.held} {format_unit(demand.unit)} "
                    f"fits on no node next to the other held units (left per node: {left})")  # fmt: skip
        node.take(demand.unit)
    for demand in items:
        if not demand.held and not any(node.fits(demand.unit) for node in free):
            return (f"{demand.where}: a task needs {format_unit(demand.unit)}, but no node has that left next to "
                    "the actors and engine bundles: the run would wait forever")  # fmt: skip
    return None
