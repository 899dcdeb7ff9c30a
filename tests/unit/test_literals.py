"""Typed literals formatted per language (XML Schema 1.1 Part 2 lexical forms)."""

from __future__ import annotations

import doctest

import pytest

import cnamkg.representation.literals as literals
from cnamkg.representation.literals import format_literal
from cnamkg.vocab import XSD


@pytest.mark.parametrize(
    ("lexical", "datatype", "fr", "en"),
    [
        ("19000", "integer", "19\u202f000", "19,000"),
        ("28000", "nonNegativeInteger", "28\u202f000", "28,000"),
        ("12.9", "decimal", "12,9", "12.9"),
        ("true", "boolean", "oui", "yes"),
        ("0", "boolean", "non", "no"),
        ("2025-10-02", "date", "2 octobre 2025", "2 October 2025"),
        (
            "2025-10-02T09:00:00+02:00",
            "dateTime",
            "2 octobre 2025, 09:00 (UTC+02:00)",
            "2 October 2025, 09:00 (UTC+02:00)",
        ),
        ("2025-02", "gYearMonth", "février 2025", "February 2025"),
        ("1794", "gYear", "1794", "1794"),
        ("--10-02", "gMonthDay", "2 octobre", "2 October"),
        ("P5Y", "duration", "5 ans", "5 years"),
        ("P1Y", "duration", "1 an", "1 year"),
        ("P1Y6M", "duration", "1 an 6 mois", "1 year 6 months"),
        ("PT1H30M", "duration", "1 heure 30 minutes", "1 hour 30 minutes"),
    ],
)
def test_formats(lexical: str, datatype: str, fr: str, en: str) -> None:
    assert format_literal(lexical, XSD + datatype, "fr") == fr
    assert format_literal(lexical, XSD + datatype, "en") == en


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("2020-13-45", "date"),
        ("--13-40", "gMonthDay"),
        ("abc", "integer"),
        ("maybe", "boolean"),
        ("P", "duration"),
        ("5 years", "duration"),
        ("x", "string"),
        ("http://e/", "anyURI"),
    ],
)
def test_invalid_or_plain_literals_are_left_as_written(lexical: str, datatype: str) -> None:
    assert format_literal(lexical, XSD + datatype, "fr") is None


def test_doctests() -> None:
    assert doctest.testmod(literals).failed == 0


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # one day, one zone: the day and the zone once
        (
            ("2025-10-02T09:00:00Z", XSD + "dateTime"),
            ("2025-10-02T19:30:00Z", XSD + "dateTime"),
            ("2 October 2025, 09:00", "19:30", "–", " (UTC)"),
        ),
        # two days, or two zones: both in full
        (
            ("2025-10-02T09:00:00Z", XSD + "dateTime"),
            ("2025-10-03T09:00:00Z", XSD + "dateTime"),
            ("2 October 2025, 09:00 (UTC)", "3 October 2025, 09:00 (UTC)", " – ", ""),
        ),
        (
            ("2025-10-02T09:00:00Z", XSD + "dateTime"),
            ("2025-10-02T19:30:00+02:00", XSD + "dateTime"),
            ("2 October 2025, 09:00 (UTC)", "2 October 2025, 19:30 (UTC+02:00)", " – ", ""),
        ),
        # no end; an end of another type; an invalid start, as written
        (("2025-10-02", XSD + "date"), None, ("2 October 2025", None, "", "")),
        (
            ("2025-10-02", XSD + "date"),
            ("2025-10", XSD + "gYearMonth"),
            ("2 October 2025", "October 2025", " – ", ""),
        ),
        (
            ("2025-13-02T09:00:00Z", XSD + "dateTime"),
            ("2025-13-02T10:00:00Z", XSD + "dateTime"),
            ("2025-13-02T09:00:00Z", "2025-13-02T10:00:00Z", " – ", ""),
        ),
    ],
)
def test_periods(
    start: tuple[str, str], end: tuple[str, str] | None, expected: tuple[str, ...]
) -> None:
    assert literals.period_parts(start, end, "en") == expected
