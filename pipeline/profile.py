"""Where a run's CPU goes: Ray Data's per-operator stats of the main pass, as plain figures.

Each step's map function carries the step's name (pipeline/steps.py), so Ray Data names its operator after
it; consecutive task steps with the same resources run fused as one operator ("probe->cut->describe").
The figures go to the run's manifest (`steps`), and benchmarks/generation.py reads them from there.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger("desta_data")
ENGINE_OPERATOR = "vLLMEngineStage"  # ray.data.llm's engine operator: its CPU is the engine's, not overhead


def step_label(operator: str) -> str:
    """'MapBatches(probe)->MapBatches(cut)' -> 'probe->cut'; 'MapBatches(vLLMEngineStageUDF)' -> 'vLLMEngineStageUDF'."""
    names = re.findall(r"\(([^()]*)\)", operator)
    return "->".join(names) if names else operator


def profile(dataset, driver_cpu_s: float) -> dict:
    """{"operators": {label: {cpu_s, wall_s, rows}}, "driver_cpu_s": the CPU the driver spent meanwhile
    (Ray Data's scheduling loop, the progress display)} of an executed Ray Dataset; {} when Ray Data has
    no stats for it (they are a developer API)."""
    try:
        summary = dataset.get_stats_summary()
    except Exception as error:  # never fail a finished run over its statistics
        log.debug("no Ray Data stats: %s", error)
        return {}
    operators: dict[str, dict[str, float]] = {}
    pending = [summary]
    while pending:
        current = pending.pop()
        pending.extend(current.parents)
        for op in current.operators_stats:
            figures = operators.setdefault(step_label(op.operator_name), {"cpu_s": 0.0, "wall_s": 0.0, "rows": 0})
            figures["cpu_s"] += op.cpu_time.sum if op.cpu_time else 0.0
            figures["wall_s"] += op.wall_time.sum if op.wall_time else 0.0
            figures["rows"] += int(op.output_num_rows.sum) if op.output_num_rows else 0
    return {"operators": {k: {**v, "cpu_s": round(v["cpu_s"], 3), "wall_s": round(v["wall_s"], 3)} for k, v in operators.items()},
            "driver_cpu_s": round(driver_cpu_s, 3)}  # fmt: skip


def cpu_outside_engine(figures: dict) -> float:
    """CPU-seconds of every operator but the engine's, plus the driver's."""
    operators = figures.get("operators", {})
    return sum(v["cpu_s"] for k, v in operators.items() if ENGINE_OPERATOR not in k) + figures.get("driver_cpu_s", 0.0)
