"""Safe SPARQL term syntax for values that the code puts into queries.

Values never reach a query by string pasting: an IRI is checked against the IRIREF
production (SPARQL 1.1 Query §19.5; field case BUG-25) and a literal is escaped,
backslash included (§19.7).
"""

from __future__ import annotations

import re

_IRIREF_ILLEGAL = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def iri_ref(iri: str) -> str:
    """``<iri>`` for a query.

    :raises ValueError: the IRI holds a character IRIREF forbids.
    """
    if _IRIREF_ILLEGAL.search(iri):
        raise ValueError(f"not a valid IRI for SPARQL: {iri!r}")
    return f"<{iri}>"


def string_literal(text: str) -> str:
    """A double-quoted SPARQL string literal with every special character escaped."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'
