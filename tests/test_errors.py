from __future__ import annotations

import re

from newsgraph.errors import CATALOGUE, NewsgraphError, human_size


def test_every_code_is_an_e_number_with_one_sentence() -> None:
    for code, template in CATALOGUE.items():
        assert re.fullmatch(r"E\d{3}", code)
        assert "\n" not in template
        assert not template.endswith(".")


def test_error_reads_code_colon_sentence() -> None:
    err = NewsgraphError("E001", where="empty.txt")
    assert str(err) == "E001: the input empty.txt is empty or holds only whitespace"
    assert err.code == "E001"
    assert str(NewsgraphError("E001")) == "E001: the input is empty or holds only whitespace"


def test_human_size() -> None:
    assert human_size(12) == "12 bytes"
    assert human_size(52_428_800) == "52.4 MB"
