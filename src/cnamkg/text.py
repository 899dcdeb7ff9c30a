"""Text folding shared by search (query layer) and label ordering (representation)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text (« École » → « ecole »): Unicode
    case folding, then canonical decomposition with the combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_rank(needle: str, hay: str) -> int | None:
    """How a typed text matches a name, both already folded: 0 the same, 1 the name
    starts with it, 2 one of its words does, 3 it is inside; ``None`` when it is not.

    >>> match_rank("univ", "sorbonne universite")
    2
    """
    if needle not in hay:
        return None
    if hay == needle:
        return 0
    if hay.startswith(needle):
        return 1
    if any(w.startswith(needle) for w in hay.replace("-", " ").split()):
        return 2
    return 3
