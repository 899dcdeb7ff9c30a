"""The public endpoint's query policy, checked before any evaluation.

- ``SERVICE`` is refused: evaluating it would make the server send requests to any
  address a client names (field case BUG-21; SPARQL 1.1 Federated Query §2.4 and
  SPARQL 1.1 Query §21, Security Considerations). Oxigraph does evaluate ``SERVICE``
  over HTTP, so this check is the barrier and errs on the side of refusing.
- Updates never reach the store: a ``QueryUnit`` cannot hold one (SPARQL 1.1 Query
  §19.8); a text that starts like an update is refused with that reason.
- Over-long texts and over-deep nesting are refused (settings ``max_query_bytes``,
  ``max_query_depth``): Oxigraph's recursive-descent parser overflows its stack on a few
  thousand nested groups and kills the worker.

The check tokenises the query with the terminals of the SPARQL 1.1 grammar (§19.8):
comments, IRIs (with ``UCHAR`` escapes), strings, language tags, variables, prefixed
names (with ``PN_LOCAL_ESC`` escapes) and numbers are single tokens, so only a bare word
can be a keyword. Oxigraph's parser also splits keywords glued to what precedes them
(``trueSERVICE`` reads as ``true SERVICE``) and backtracks from failed readings
(``SERVICE:x``, ``1<2)…#>``), so a bare word, a prefix or a doubtful IRI that merely
*contains* ``SERVICE`` counts. Because a lexical check cannot be proved to match a
backtracking parser, :mod:`cnamkg.web.sandbox` also denies Internet sockets to the
serving processes. Oxigraph decodes codepoint escapes (§19.2) only inside strings and
IRIs; the words outside them are checked once more with escapes decoded, for parsers that
decode everywhere (field case BUG-25).
"""

from __future__ import annotations

import functools
import re

from cnamkg.errors import QueryRefused, QueryTooLarge

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_VAR_CHARS = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040"  # VARNAME: no '-'
_PN_CHARS = _VAR_CHARS + "\\-"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_PN_LOCAL = (
    rf"(?:(?:[{_PN_CHARS}:]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?"
)
_NUMBER = r"(?P<number>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)"
_WORD = r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)"

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<comment>#[^\n\r]*)",
            r'(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)',
            r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
            r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
            r'|"(?:[^"\\\n\r]|\\[^\n\r])*"'
            r"|'(?:[^'\\\n\r]|\\[^\n\r])*')",
            # a string that never closes: the rest of the text (long quotes) or of the
            # line (short quotes) is one token, read once; retrying it at each quote
            # took quadratic time (field report: 60 KB of "\ held a worker for 120 s)
            r'(?P<unclosed>"""(?:[^"\\]|\\.|"(?!""))*'
            r"|'''(?:[^'\\]|\\.|'(?!''))*"
            r'|"(?:[^"\\\n\r]|\\[^\n\r])*'
            r"|'(?:[^'\\\n\r]|\\[^\n\r])*)",
            r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            rf"(?P<var>[?$][{_VAR_CHARS}]+)",
            # a run of name characters: a PNAME_NS prefix when ':' follows, else split
            # into words and punctuation by _scan (one pass: linear in the text's length)
            rf"(?P<run>[{_PN_CHARS_BASE}][{_PN_CHARS}.]*)",
            rf"(?P<pname>:{_PN_LOCAL})",  # empty prefix
            _NUMBER,
            _WORD,
            r"(?P<other>\S)",
        ]
    ),
    re.DOTALL,
)
_LOCAL = re.compile(_PN_LOCAL)
_PIECE = re.compile(rf"{_NUMBER}|{_WORD}|(?P<other>\S)")


class _Token:
    """One terminal of the query text, read like a regular-expression match."""

    __slots__ = ("lastgroup", "_text", "_start")

    def __init__(self, kind: str, text: str, start: int) -> None:
        self.lastgroup = kind
        self._text = text
        self._start = start

    def group(self) -> str:
        return self._text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._start + len(self._text)


@functools.lru_cache(maxsize=4)
def _scan(query: str) -> tuple[_Token, ...]:
    """The terminals of ``query`` in order (whitespace skipped).

    A single regular expression would try a prefixed name at every character of a long
    run of name characters with no ``:`` after it, rescanning the run each time (quadratic:
    49,000 ``é`` took minutes); here each run is read once, then split.

    The last few scans are kept: one request reads its query through several checks
    (policy, nesting, cache key, form), which would otherwise scan it again each time.
    """
    tokens: list[_Token] = []
    pos = 0
    while (m := _TOKEN.search(query, pos)) is not None:
        kind, start = m.lastgroup or "other", m.start()
        if kind != "run":
            tokens.append(_Token(kind, m.group(), start))
            pos = m.end()
            continue
        text = m.group()
        prefix_end = start + len(text.rstrip("."))  # PN_PREFIX never ends with "."
        if query.startswith(":", prefix_end):
            local = _LOCAL.match(query, prefix_end + 1)
            end = local.end() if local else prefix_end + 1
            tokens.append(_Token("pname", query[start:end], start))
            pos = end
            continue
        for piece in _PIECE.finditer(text):
            tokens.append(_Token(piece.lastgroup or "other", piece.group(), start + piece.start()))
        pos = m.end()
    return tuple(tokens)


#: First keywords of SPARQL 1.1 Update operations (SPARQL 1.1 Update §3).
_UPDATE_FORMS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


def _decode(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def tokens(query: str) -> list[_Token]:
    """The terminals of ``query`` in order, whitespace skipped; each has ``lastgroup``
    (its kind: ``word``, ``iri``, ``string``, ``comment``…) and ``group()`` (its text)."""
    return list(_scan(query))


def keywords(query: str) -> list[str]:
    """The bare words of a query (upper-cased), in order: its keywords and function names.

    Comments, IRIs, strings, language tags, variables, prefixed names and numbers are
    skipped.
    """
    return [m.group().upper() for m in _scan(query) if m.lastgroup == "word"]


#: The start of an absolute IRI (RFC 3987 ``scheme ":"``).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def keyword_candidates(query: str) -> list[str]:
    """Every upper-cased piece of text Oxigraph might read as a keyword or function name
    (bare words, prefixes of prefixed names, the inside of doubtful IRIs), escapes
    decoded too: a caller checks whether one *contains* a word it fears."""
    plain, decoded = _candidates(query)
    return plain + decoded


def _candidates(query: str) -> tuple[list[str], list[str]]:
    """The keyword candidates as written, and those of two readings with codepoint
    escapes decoded (empty when the text holds no backslash): outside terms only, and in
    the whole text before it is read at all — SPARQL 1.1 Query §19.2's reading, which
    rdflib follows, where a ``\\u000a`` inside a comment ends the comment and what follows
    it is query text (found by the break-it review: ``# \\u000a SERVICE <…>``)."""
    plain = _service_candidates(query)
    if "\\" not in query:
        return plain, []
    decoded = _service_candidates(_ESCAPE.sub(_decode, _outside_terms(query)))
    return plain, decoded + _service_candidates(_ESCAPE.sub(_decode, query))


def _service_candidates(query: str) -> list[str]:
    """Every upper-cased piece of text that Oxigraph might read as a keyword.

    Besides bare words: the prefix of a prefixed name (Oxigraph backtracks from a failed
    ``SERVICE:x`` triple to ``SERVICE :x``), and the inside of an "IRI" that may really
    be a ``<`` comparison (``FILTER(1<2)SERVICE?x#>``): one with no scheme, or with
    parentheses.
    """
    found: list[str] = []
    for m in _scan(query):
        kind, text = m.lastgroup, m.group()
        if kind == "word":
            found.append(text.upper())
        elif kind == "pname":
            found.append(text.split(":", 1)[0].upper())
        elif kind == "iri":
            inner = text[1:-1]
            if not _SCHEME.match(inner) or "(" in inner or ")" in inner:
                found.extend(_service_candidates(inner))
    return found


def _outside_terms(query: str) -> str:
    """The query with every comment, IRI, string, language tag, variable and prefixed
    name replaced by a space: what is left is keywords, numbers and punctuation, in place."""
    parts: list[str] = []
    end = 0
    for m in _scan(query):
        parts.append(query[end : m.start()])
        parts.append(m.group() if m.lastgroup in ("word", "number", "other") else " ")
        end = m.end()
    parts.append(query[end:])
    return "".join(parts)


def nesting_depth(query: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` outside strings, IRIs and comments;
    a chain of ``!`` (logical not, SPARQL 1.1 Query §17.4.1.1) nests one level per ``!``,
    as the parser reads it: 20,000 of them overflow Oxigraph's parser."""
    depth = deepest = nots = 0
    for m in _scan(query):
        text = m.group() if m.lastgroup == "other" else ""
        nots = nots + 1 if text == "!" else 0
        deepest = max(deepest, depth + nots)
        if text and text in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif text and text in "})]":
            depth = max(depth - 1, 0)
    return deepest


def _significant(query: str) -> list[_Token]:
    return [m for m in _scan(query) if m.lastgroup != "comment"]


def _prefixes(tokens: list[_Token]) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations, read lexically."""
    found = {}
    for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if a.lastgroup == "word" and a.group().upper() == "PREFIX" and b.lastgroup == "pname":
            if c.lastgroup == "iri":
                found[b.group().rstrip(":")] = c.group()[1:-1]
    return found


def _iri_after(tokens: list[_Token], i: int, prefixes: dict[str, str]) -> str | None:
    """The IRI written by token ``i`` (an IRI, or a prefixed name with a declared prefix)."""
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.lastgroup == "iri":
        return _ESCAPE.sub(_decode, tok.group()[1:-1])
    if tok.lastgroup == "pname":
        prefix, _, local = tok.group().partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def _check_dataset(tokens: list[_Token], graphs: frozenset[str]) -> None:
    """``FROM``/``FROM NAMED`` may only name graphs of this dataset (issue policy; SPARQL 1.1
    Query §13.2 lets a service refuse a dataset it will not load; field case BUG-23)."""
    prefixes = _prefixes(tokens)
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.lastgroup == "other" and tok.group() in "{}":
            depth += 1 if tok.group() == "{" else -1
        # a dataset clause stands outside every group (SPARQL 1.1 Query §19.8, [13]–[15])
        if depth == 0 and tok.lastgroup == "word" and tok.group().upper() == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j].group().upper() == "NAMED":
                j += 1
            iri = _iri_after(tokens, j, prefixes)
            if iri is None or iri not in graphs:
                named = iri or (tokens[j].group() if j < len(tokens) else "(nothing)")
                raise QueryRefused(
                    f"FROM {named} names no graph of this dataset; this endpoint loads "
                    f"nothing from elsewhere. Its graphs: {', '.join(sorted(graphs))}"
                )


def _check_service(query: str, tokens: list[_Token], allowed: frozenset[str]) -> None:
    candidates, decoded = _candidates(query)
    services = [w for w in (*candidates, *decoded) if "SERVICE" in w]
    if not services:
        return
    refusal = QueryRefused(
        "SERVICE (federated query) is disabled on this endpoint for any endpoint not in "
        "its allow-list: it would make the server send requests to other hosts "
        "(SPARQL 1.1 Query §21)"
    )
    bare = [t for t in tokens if t.lastgroup == "word" and t.group().upper() == "SERVICE"]
    if not allowed or len(services) != len(bare) or decoded:
        # only the plain form ``SERVICE [SILENT] <allowed IRI>`` is ever let through
        raise refusal
    prefixes = _prefixes(tokens)
    for i, tok in enumerate(tokens):
        if tok.lastgroup == "word" and tok.group().upper() == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j].group().upper() == "SILENT":
                j += 1
            if _iri_after(tokens, j, prefixes) not in allowed:
                raise refusal


def check_query(
    query: str,
    *,
    max_bytes: int,
    max_depth: int = 100,
    graphs: frozenset[str] | None = None,
    allowed_services: frozenset[str] = frozenset(),
) -> None:
    """Apply the public policy to a query text.

    :param query: SPARQL query text.
    :param max_bytes: largest accepted size of the UTF-8 text, in bytes.
    :param max_depth: deepest accepted nesting of groups, brackets and parentheses.
    :param graphs: the dataset's named graphs, which ``FROM`` may name (``None``: not checked).
    :param allowed_services: endpoint IRIs ``SERVICE`` may call (default: none).
    :raises QueryTooLarge: the text is too long (413).
    :raises QueryRefused: the text is an update, uses ``SERVICE`` outside the allow-list,
        names a graph that is not in the dataset, or nests too deep.
    """
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryTooLarge(
            f"query text is {size} bytes; this endpoint accepts at most {max_bytes}"
        )
    as_read = keywords(query)
    form = next((w for w in as_read if w not in ("PREFIX", "BASE")), "")
    if form in _UPDATE_FORMS:
        raise QueryRefused(
            f"{form} is a SPARQL Update operation; this endpoint is read-only and answers "
            "queries only (SPARQL 1.1 Protocol §2.2, Query §19.8)"
        )
    tokens = _significant(query)
    _check_service(query, tokens, allowed_services)
    depth = nesting_depth(query)
    if depth > max_depth:
        raise QueryRefused(
            f"query nesting is {depth} levels deep; this endpoint accepts at most {max_depth}"
        )
    if graphs is not None:
        _check_dataset(tokens, graphs)
