"""Slow: the NEURON race still runs (its --quick mode, 5 s of biological
time, both cells: the neuron in tissue and the pump-leak cell), and NEURON's
build of each model agrees with nakpump on a single spike to 1e-3 ms (the
script's own check).  Skipped without NEURON."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_benchmark_quick_runs_and_agrees_with_neuron():
    pytest.importorskip("neuron", reason="NEURON not installed (pip install neuron)")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_spike_train.py"), "--quick",
                           "--no-compile-timing", "--repeats", "1"],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    checks = [line for line in proc.stdout.splitlines() if line.startswith("single-pulse check")]
    assert len(checks) == 2 and all(line.endswith("(ok)") for line in checks), checks
