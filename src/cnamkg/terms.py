"""Conversions between pyoxigraph terms and rdflib terms (RDF 1.1 Concepts §3).

pyoxigraph evaluates queries and parses sources; rdflib feeds pyshacl. A plain
``xsd:string`` literal becomes rdflib's literal without datatype, which both libraries and
SHACL's ``sh:datatype xsd:string`` treat as the same term (field case BUG-19).
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from cnamkg.vocab import XSD

_XSD_STRING = XSD + "string"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: OxTerm | ox.DefaultGraph) -> rdflib.term.Node:
    """The rdflib term equal to a pyoxigraph term.

    :raises TypeError: for an RDF-star triple term (not used by cnamkg).
    """
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"no rdflib equivalent for {term!r}")


def term_key(term: OxTerm) -> str:
    """A stable string naming a subject: the IRI, or ``_:id`` for a blank node."""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
