"""Text folding shared by search (query layer) and label ordering (representation)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text (« École » → « ecole »): Unicode
    case folding, then canonical decomposition with the combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
