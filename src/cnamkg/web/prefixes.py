"""The prefixes written in Turtle/JSON-LD output and offered in the query form."""

from __future__ import annotations

from cnamkg.iris import KINDS, graph_iri, ontology_iri
from cnamkg.vocab import COMMON_PREFIXES
from cnamkg.web import context


def prefixes() -> dict[str, str]:
    """Common vocabularies, our ontology (``cnamkg:``), and one prefix per entity kind."""
    base = context.settings().base_iri
    own = {"cnamkg": ontology_iri(base) + "#", "graph": graph_iri(base, "")}
    own.update({kind: f"{base}id/{kind}/" for kind in KINDS})
    return {**COMMON_PREFIXES, **own}


def shorten(iri: str, known: dict[str, str] | None = None) -> str:
    """``prefix:local`` for an IRI under one of :func:`prefixes` (the longest namespace
    that leaves a non-empty local name wins), else the IRI itself."""
    table = prefixes() if known is None else known
    best = max(
        ((p, ns) for p, ns in table.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri
