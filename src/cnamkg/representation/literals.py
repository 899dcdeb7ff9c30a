"""Typed literals shown as readers of each language expect: numbers with the language's
digit grouping, dates spelled out, booleans as words, durations in years and months.

The lexical forms follow XML Schema 1.1 Part 2 (§3.3: ``xsd:date``, ``xsd:dateTime``,
``xsd:gYearMonth``, ``xsd:gMonthDay``, ``xsd:duration``, ``xsd:boolean``, numeric types);
a literal whose lexical form is not valid for its datatype is shown as written.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cnamkg.vocab import XSD

_MONTHS = {
    "fr": (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}
_UNITS = {
    "fr": {
        "Y": ("an", "ans"),
        "M": ("mois", "mois"),
        "D": ("jour", "jours"),
        "H": ("heure", "heures"),
        "MIN": ("minute", "minutes"),
        "S": ("seconde", "secondes"),
    },
    "en": {
        "Y": ("year", "years"),
        "M": ("month", "months"),
        "D": ("day", "days"),
        "H": ("hour", "hours"),
        "MIN": ("minute", "minutes"),
        "S": ("second", "seconds"),
    },
}
_BOOLEAN = {"fr": ("non", "oui"), "en": ("no", "yes")}
_NUMERIC = {
    XSD + name
    for name in (
        "integer decimal int long short byte nonNegativeInteger positiveInteger "
        "nonPositiveInteger negativeInteger unsignedInt unsignedLong unsignedShort unsignedByte"
    ).split()
}
_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?")
_DATETIME = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"
)
_YEAR_MONTH = re.compile(r"(-?\d{4,})-(\d{2})(Z|[+-]\d{2}:\d{2})?")
_MONTH_DAY = re.compile(r"--(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?")
_YEAR = re.compile(r"(-?\d{4,})(Z|[+-]\d{2}:\d{2})?")
_DURATION = re.compile(
    r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)


def _month(number: str, lang: str) -> str | None:
    m = int(number)
    return _MONTHS[lang][m - 1] if 1 <= m <= 12 else None


def _day(day: str, month: str, lang: str) -> str | None:
    name = _month(month, lang)
    if name is None or not 1 <= int(day) <= 31:
        return None
    return f"{int(day)} {name}"


def _number(lexical: str, lang: str) -> str | None:
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return None
    text = f"{value:,}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _zone(zone: str | None) -> str:
    if not zone:
        return ""
    return " (UTC)" if zone == "Z" else f" (UTC{zone})"


def _duration(lexical: str, lang: str) -> str | None:
    m = _DURATION.fullmatch(lexical)
    if m is None or lexical in ("P", "PT"):
        return None
    parts = []
    for amount, unit in zip(m.groups(), ("Y", "M", "D", "H", "MIN", "S"), strict=True):
        if amount is not None:
            one, many = _UNITS[lang][unit]
            parts.append(f"{amount} {one if Decimal(amount) == 1 else many}")
    return " ".join(parts) if parts else None


def format_literal(lexical: str, datatype: str, lang: str) -> str | None:
    """The display text of a typed literal in ``lang`` (``fr`` or ``en``), or ``None``
    when the datatype has no special display or the lexical form is invalid.

    >>> format_literal("19000", XSD + "integer", "en")
    '19,000'
    >>> format_literal("2025-10-02T09:00:00+02:00", XSD + "dateTime", "fr")
    '2 octobre 2025, 09:00 (UTC+02:00)'
    >>> format_literal("P5Y", XSD + "duration", "fr")
    '5 ans'
    """
    if datatype in _NUMERIC:
        return _number(lexical, lang)
    if datatype == XSD + "boolean":
        if lexical in ("true", "1", "false", "0"):
            return _BOOLEAN[lang][lexical in ("true", "1")]
        return None
    if datatype == XSD + "date" and (m := _DATE.fullmatch(lexical)):
        day = _day(m.group(3), m.group(2), lang)
        return f"{day} {m.group(1)}{_zone(m.group(4))}" if day else None
    if datatype == XSD + "dateTime" and (m := _DATETIME.fullmatch(lexical)):
        day = _day(m.group(3), m.group(2), lang)
        return f"{day} {m.group(1)}, {m.group(4)}:{m.group(5)}{_zone(m.group(6))}" if day else None
    if datatype == XSD + "gYearMonth" and (m := _YEAR_MONTH.fullmatch(lexical)):
        month = _month(m.group(2), lang)
        return f"{month} {m.group(1)}{_zone(m.group(3))}" if month else None
    if datatype == XSD + "gYear" and (m := _YEAR.fullmatch(lexical)):
        # a year reads as one, with no datatype beside it
        return f"{m.group(1)}{_zone(m.group(2))}"
    if datatype == XSD + "gMonthDay" and (m := _MONTH_DAY.fullmatch(lexical)):
        return _day(m.group(2), m.group(1), lang)
    if datatype == XSD + "duration":
        return _duration(lexical, lang)
    return None


def period_parts(
    start: tuple[str, str], end: tuple[str, str] | None, lang: str
) -> tuple[str, str | None, str, str]:
    """The display of a period from ``start`` to ``end``, each a ``(lexical form,
    datatype IRI)``, as ``(start text, end text or None, separator, suffix)``: two times
    of one day in one zone name the day and the zone once.

    >>> period_parts(("2025-10-02T09:00:00+02:00", XSD + "dateTime"),
    ...              ("2025-10-02T19:30:00+02:00", XSD + "dateTime"), "en")
    ('2 October 2025, 09:00', '19:30', '–', ' (UTC+02:00)')
    >>> period_parts(("2025-10-02", XSD + "date"), ("2025-10-03", XSD + "date"), "fr")
    ('2 octobre 2025', '3 octobre 2025', ' – ', '')
    """
    first = format_literal(*start, lang) or start[0]
    if end is None:
        return first, None, "", ""
    if start[1] == end[1] == XSD + "dateTime":
        a, b = _DATETIME.fullmatch(start[0]), _DATETIME.fullmatch(end[0])
        if a and b and first != start[0] and a.group(1, 2, 3, 6) == b.group(1, 2, 3, 6):
            zone = _zone(a.group(6))
            return first.removesuffix(zone), f"{b.group(4)}:{b.group(5)}", "–", zone
    return first, format_literal(*end, lang) or end[0], " – ", ""
