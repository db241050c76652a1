"""Publication dates in the forms sources write them, read exactly or refused (E010)."""

from __future__ import annotations

import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.ingest.dates import parse_date


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2016-11-22", "2016-11-22"),
        ("20161122", "2016-11-22"),
        ("2016/11/22", "2016-11-22"),
        ("2016-11-22T10:30:00Z", "2016-11-22"),
        ("2016-11-22T23:30:00-05:00", "2016-11-22"),  # the date as written, not shifted to UTC
        ("2016-11-22 10:30:00.123+02:00", "2016-11-22"),
        ("Tue, 22 Nov 2016 10:30:00 +0000", "2016-11-22"),
        ("Mon, 21 Nov 2016 23:59:00 GMT", "2016-11-21"),
        ("Nov 22, 2016", "2016-11-22"),
        ("Nov. 22, 2016", "2016-11-22"),
        ("Sept. 5, 2016, 10:04 a.m.", "2016-09-05"),
        ("November 22nd, 2016", "2016-11-22"),
        ("Tuesday, November 22, 2016 3:04 PM ET", "2016-11-22"),
        ("22 November 2016", "2016-11-22"),
        ("22-Nov-2016", "2016-11-22"),
        ("11/22/2016", "2016-11-22"),
        ("22/11/2016", "2016-11-22"),
        ("22.11.2016", "2016-11-22"),
        ("  Nov   22,  2016 ", "2016-11-22"),
    ],
)
def test_common_forms_are_read(written: str, day: str) -> None:
    assert parse_date(written) == day


@pytest.mark.parametrize(
    "written",
    [
        "03/04/2016",  # March 4 or April 3: no single reading
        "2016-02-30",
        "Feb 30, 2016",
        "Wed, 22 Nov 2016 10:30:00 +0000",  # 22 Nov 2016 was a Tuesday
        "Monday, November 22, 2016",
        "yesterday",
        "2016",
        "Nov 2016",
        "",
        "22 Novembre 2016",
    ],
)
def test_what_no_reading_fits_is_e010(written: str) -> None:
    with pytest.raises(NewsgraphError) as info:
        parse_date(written)
    assert info.value.code == "E010"
