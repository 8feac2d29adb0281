"""Progress of a real run (CLI, Ray, vLLM, the demo model) on a terminal and redirected.

On a pseudo-terminal the live display is drawn (rich: the table, the cursor moves that redraw it), and the
shards are byte for byte those of the same config's redirected run; redirected, plain progress lines come
every --progress-every seconds, and Ray Data's own operator log ("Running Dataset", "Execution plan of
Dataset", operator names) stays out of the output."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import time

import pytest

from cli_helpers import CLI, CLI_ENV, REPO

pytestmark = pytest.mark.slow
# Ray Data's operator log. (Ray core's own warnings may still name an operator, e.g. a stalled actor: not this log.)
RAY_DATA_LOG = ("Running Dataset", "Execution plan of Dataset", "Starting execution of Dataset")


def run_in_pty(args: list[str], timeout: float = 900) -> tuple[int, str]:
    """The CLI with stdout and stderr on a pseudo-terminal; returns (exit code, everything it drew)."""
    primary, secondary = pty.openpty()
    env = {**os.environ, **CLI_ENV, "TERM": "xterm-256color", "COLUMNS": "140"}
    process = subprocess.Popen([CLI, *args], stdin=secondary, stdout=secondary, stderr=secondary, env=env, cwd=REPO, close_fds=True)
    os.close(secondary)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 1.0)
        if ready:
            try:
                data = os.read(primary, 65536)
            except OSError:  # the terminal closed: the process has exited
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(primary)
    return process.returncode, b"".join(chunks).decode(errors="replace")


def test_live_display_on_a_terminal_and_the_shards_of_a_redirected_run(small_run, tmp_path):
    """The small run's config again, on a terminal: the live display is drawn, and the shards are byte for byte
    those of the redirected run (two clean runs of one config give identical shards; the display changes nothing)."""
    config, first, _ = small_run
    second = tmp_path / "second"
    code, drawn = run_in_pty(["run", "--config", str(config), "--output", str(second)])
    assert code == 0, drawn[-3000:]
    assert "desta-data run" in drawn and "tokens/s" in drawn and "ETA" in drawn  # the live display's table and summary
    assert "\x1b[" in drawn and "━" in drawn  # drawn with terminal control sequences and progress bars
    final = drawn.rsplit("desta-data run", 1)[1]  # the last frame: every planned row done
    assert re.search(r"small\s*│\s*12\s*│\s*12\s*│", final), final[:2000]
    assert not any(marker in drawn for marker in RAY_DATA_LOG)
    names = sorted(p.name for p in (first / "data").iterdir())
    assert names == sorted(p.name for p in (second / "data").iterdir()) and names
    for name in names:
        assert (first / "data" / name).read_bytes() == (second / "data" / name).read_bytes(), name


def test_plain_lines_when_redirected(small_run):
    _, output_dir, result = small_run  # `desta-data run --progress-every 2`, output captured
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if line.startswith("desta-data: progress: ")]
    assert len(lines) >= 2, output[-3000:]  # periodic lines, then the closing one
    assert re.fullmatch(r"desta-data: progress: 12/12 rows \(100%\) \| small 12/12 \| [\d.]+ tokens/s \| quarantined 0 \| flagged 0 \| "
                        r"elapsed \d+:\d\d:\d\d \| ETA 0:00:00", lines[-1]), lines[-1]  # fmt: skip
    assert "\x1b[" not in output
    assert not any(marker in output for marker in RAY_DATA_LOG), output[-3000:]
    env = {**os.environ, **CLI_ENV}
    status = subprocess.run([CLI, "status", str(output_dir), "--json"], capture_output=True, text=True, env=env, cwd=REPO)
    figures = json.loads(status.stdout)
    assert figures["complete"] is True and figures["sources"] == {"small": {"rows": 12, "planned": 12, "plan_complete": True}}
