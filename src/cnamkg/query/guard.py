"""The public endpoint's query policy, checked before any evaluation.

- ``SERVICE`` is refused: evaluating it would make the server send requests to any
  address a client names (field case BUG-21; SPARQL 1.1 Federated Query §2.4 and
  SPARQL 1.1 Query §21, Security Considerations).
- Updates never reach the store: a ``QueryUnit`` cannot hold one (SPARQL 1.1 Query
  §19.8), so the parser rejects them; the protocol layer refuses the ``update`` parameter.
- Over-long query texts are refused (setting ``max_query_bytes``).

The check tokenises the query with the terminals of the SPARQL 1.1 grammar (§19.8):
comments, IRIs, strings, language tags, variables and prefixed names (with their
``PN_LOCAL_ESC`` escapes) are single tokens, so only a bare word can be a keyword.
SPARQL 1.1 Query §19.2 says codepoint escapes are decoded before parsing, but Oxigraph
decodes them only inside strings and IRIs (field case BUG-25): ``SERVICE`` is looked for
in both readings, and refused if either has it; ``FROM`` is read as Oxigraph reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cnamkg.errors import QueryRefused

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040\\-"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<comment>#[^\n\r]*)",
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
            r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*')",
            r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            rf"(?P<var>[?$][{_PN_CHARS}]+)",
            # PNAME_LN / PNAME_NS: optional prefix, ':', then a PN_LOCAL with escapes
            rf"(?P<pname>(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:"
            rf"(?:(?:[{_PN_CHARS}:]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<other>\S)",
        ]
    ),
    re.DOTALL,
)


#: First keywords of SPARQL 1.1 Update operations (SPARQL 1.1 Update §3).
_UPDATE_FORMS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


@dataclass(frozen=True)
class QueryShape:
    """What the policy learnt of a query.

    :param has_dataset_clause: the query has ``FROM``/``FROM NAMED`` (SPARQL 1.1 Query
        §13.2), so its own dataset replaces the default union graph.
    """

    has_dataset_clause: bool


def _decode(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def keywords(query: str) -> list[str]:
    """The bare words of a query (upper-cased), in order: its keywords and function names.

    Comments, IRIs, strings, language tags, variables and prefixed names are skipped.
    """
    return [m.group("word").upper() for m in _TOKEN.finditer(query) if m.lastgroup == "word"]


def check_query(query: str, *, max_bytes: int) -> QueryShape:
    """Apply the public policy to a query text.

    :param query: SPARQL query text.
    :param max_bytes: largest accepted size of the UTF-8 text, in bytes.
    :raises QueryRefused: the text is an update, uses ``SERVICE``, or is too long.
    """
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryRefused(f"query text is {size} bytes; this endpoint accepts at most {max_bytes}")
    as_read = keywords(query)
    form = next((w for w in as_read if w not in ("PREFIX", "BASE")), "")
    if form in _UPDATE_FORMS:
        raise QueryRefused(
            f"{form} is a SPARQL Update operation; this endpoint is read-only and answers "
            "queries only (SPARQL 1.1 Protocol §2.2, Query §19.8)"
        )
    decoded = keywords(_ESCAPE.sub(_decode, query)) if _ESCAPE.search(query) else []
    if "SERVICE" in as_read or "SERVICE" in decoded:
        raise QueryRefused(
            "SERVICE (federated query) is disabled on this endpoint: it would make the "
            "server send requests to other hosts (SPARQL 1.1 Query §21)"
        )
    return QueryShape(has_dataset_clause="FROM" in as_read)
