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
