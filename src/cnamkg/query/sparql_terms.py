"""Safe SPARQL term syntax for values that the code puts into queries.

Values never reach a query by string pasting: an IRI is checked against the IRIREF
production (SPARQL 1.1 Query §19.5; field case BUG-25) and a literal is escaped,
backslash included (§19.7).
"""

from __future__ import annotations

import re

_IRIREF_ILLEGAL = re.compile(r'[<>"{}|^`\\\x00-\x20]')
#: A ``u``/``U`` right after a backslash of an escaped string (only ``\\\\`` can precede it).
_LETTER_AFTER_BACKSLASH = re.compile(r"(?<=\\)[uU]")


def iri_ref(iri: str) -> str:
    """``<iri>`` for a query.

    :raises ValueError: the IRI holds a character IRIREF forbids.
    """
    if _IRIREF_ILLEGAL.search(iri):
        raise ValueError(f"not a valid IRI for SPARQL: {iri!r}")
    return f"<{iri}>"


def string_literal(text: str) -> str:
    """A double-quoted SPARQL string literal with every special character escaped.

    A backslash followed by ``u`` or ``U`` would read, to an engine that replaces
    codepoint escapes before parsing (§19.2, as rdflib does, even after an escaped
    backslash), as the start of ``\\uXXXX``; so that ``u``/``U`` is itself written as a
    codepoint escape, which every reading turns back into the letter (its eight-digit
    form, which no following hex digit can lengthen).
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    escaped = _LETTER_AFTER_BACKSLASH.sub(lambda m: f"\\U{ord(m[0]):08X}", escaped)
    return f'"{escaped}"'
