"""Conversions between pyoxigraph terms and rdflib terms (RDF 1.1 Concepts §3).

pyoxigraph evaluates queries and parses sources; rdflib feeds pyshacl and holds the
``memory`` store. A plain
``xsd:string`` literal becomes rdflib's literal without datatype, which both libraries and
SHACL's ``sh:datatype xsd:string`` treat as the same term (field case BUG-19).
"""

from __future__ import annotations

from collections.abc import Iterable

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


_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def from_rdflib(term: rdflib.term.Node) -> OxTerm:
    """The pyoxigraph term equal to an rdflib term.

    :raises ValueError: the term is not valid RDF (an ill-formed IRI or language tag, an
        ``rdf:langString`` without a language, a variable).
    """
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        if str(term.datatype) == _RDF_LANG_STRING:
            raise ValueError("rdf:langString literal without a language tag")
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise ValueError(f"not an RDF term: {term!r}")


def term_key(term: OxTerm) -> str:
    """A stable string naming a subject: the IRI, or ``_:id`` for a blank node."""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def rdflib_graph_of(statements: Iterable[ox.Triple | ox.Quad]) -> rdflib.Graph:
    """One rdflib graph of the triples (or of the quads' triples, graph names dropped).

    :raises TypeError: for an RDF 1.2 triple term (:func:`to_rdflib`).
    """
    graph = rdflib.Graph()
    for t in statements:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph
