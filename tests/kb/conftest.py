"""Fixtures for the KB tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .kbdata import write_kb


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb")
