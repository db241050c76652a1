"""Accuracy gate: the dev-set figures must stay at or above benchmarks/floors.toml."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, shared_path

pytestmark = [pytest.mark.model, pytest.mark.shared]


def test_accuracy_is_at_or_above_the_checked_in_floors() -> None:
    shared_path("eval", "score.py")
    shared_path("data", "re3d.jsonl")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "accuracy.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BELOW FLOOR" not in proc.stderr
