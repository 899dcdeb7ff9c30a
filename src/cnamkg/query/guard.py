"""The public endpoint's query policy, checked before any evaluation.

- ``SERVICE`` is refused: evaluating it would make the server send requests to any
  address a client names (field case BUG-21; SPARQL 1.1 Federated Query §2.4 and
  SPARQL 1.1 Query §21, Security Considerations).
- Updates never reach the store: a ``QueryUnit`` cannot hold one (SPARQL 1.1 Query
  §19.8), so the parser rejects them; the protocol layer refuses the ``update`` parameter.
- Over-long query texts are refused (setting ``max_query_bytes``).

The check is lexical and conservative. SPARQL 1.1 Query §19.2 says codepoint escapes are
decoded before parsing (field case BUG-25), but parsers differ: Oxigraph decodes them only
inside strings and IRIs, so ``"a\u005c"`` is a complete string to it and a string with
an escaped quote to a decode-first reader. The query is therefore read both ways
(escapes decoded first, and escapes decoded after strings, IRIs and comments are
blanked), and a keyword found in either reading counts. Keywords are matched as whole
words that are not part of a variable or prefixed name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cnamkg.errors import QueryRefused

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w?$:.\-]){word}(?![\w:\-])", re.IGNORECASE)


_SERVICE = _keyword("SERVICE")
_FROM = _keyword("FROM")


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


def keywords_texts(query: str) -> tuple[str, str]:
    """The query's keyword text in both readings: escapes decoded before, and after,
    strings, IRIs and comments are blanked."""
    return (
        _OPAQUE.sub(" ", _ESCAPE.sub(_decode, query)),
        _ESCAPE.sub(_decode, _OPAQUE.sub(" ", query)),
    )


def check_query(query: str, *, max_bytes: int) -> QueryShape:
    """Apply the public policy to a query text.

    :param query: SPARQL query text.
    :param max_bytes: largest accepted size of the UTF-8 text, in bytes.
    :raises QueryRefused: ``SERVICE`` is used, or the text is too long.
    """
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryRefused(f"query text is {size} bytes; this endpoint accepts at most {max_bytes}")
    texts = keywords_texts(query)
    if any(_SERVICE.search(t) for t in texts):
        raise QueryRefused(
            "SERVICE (federated query) is disabled on this endpoint: it would make the "
            "server send requests to other hosts (SPARQL 1.1 Query §21)"
        )
    return QueryShape(has_dataset_clause=any(_FROM.search(t) for t in texts))
