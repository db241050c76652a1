"""Any str or bytes gives a report or a coded error, never a crash (a derandomised run of
the fuzz campaign in tests/fuzzing.py; benchmarks/fuzz.py runs thousands of examples)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from fuzzing import check, published, schema_validator, source, title

pytestmark = pytest.mark.model
VALIDATOR: Any = schema_validator()


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(src=source, day=published, head=title)
def test_any_input_gives_a_report_or_a_coded_error(
    src: str | bytes, day: str | None, head: str | None
) -> None:
    check(src, day, head, VALIDATOR)
