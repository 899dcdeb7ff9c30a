"""Moments sort in time order whatever the year's width or sign (break-it review: a
gYear "-0044" was filed under "-004" and "12345" under "1234", by the text)."""

from __future__ import annotations

from cnamkg.query.browse import EntityItem
from cnamkg.query.timeline import Moment
from cnamkg.vocab import XSD


def moment(date: str, datatype: str = "gYear") -> Moment:
    return Moment(date, XSD + datatype, "p", EntityItem("i", "event", "e"))


def test_years_of_any_width_and_sign() -> None:
    dates = ["12345", "1780", "-0044", "2025-10-02", "2025-02", "-0100", "2025"]
    types = ["gYear", "gYear", "gYear", "date", "gYearMonth", "gYear", "gYear"]
    moments = [moment(d, t) for d, t in zip(dates, types, strict=True)]
    ordered = [m.date for m in sorted(moments, key=lambda m: m.order)]
    assert ordered == ["-0100", "-0044", "1780", "2025", "2025-02", "2025-10-02", "12345"]
    assert [moment(d).year for d in ("-0044", "12345", "2020Z")] == ["-0044", "12345", "2020"]
    assert moment("2025-10-02T09:00:00+02:00", "dateTime").year == "2025"
