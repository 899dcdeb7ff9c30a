"""Write RDF graphs (lists of triples) in the offered formats, with canonical IRIs.

Turtle, N-Triples and RDF/XML use pyoxigraph's writers; JSON-LD uses rdflib's writer
(compacted with our prefixes, language tags kept as ``@language``: JSON-LD 1.1
Processing Algorithms §8.4, field case BUG-16). Before RDF/XML is written, every
predicate must split into a namespace and an XML NCName (RDF 1.1 XML Syntax,
"Serializing an RDF Graph"; field case BUG-14) and no literal may hold a character
outside XML 1.0 ``Char`` (XML 1.0 §2.2; field case BUG-11); otherwise
:class:`cnamkg.errors.NotRepresentable` is raised before anything is sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pyoxigraph as ox

from cnamkg.errors import NotRepresentable
from cnamkg.representation.formats import JSON_LD, OXIGRAPH_RDF, RDF_XML, Format
from cnamkg.terms import rdflib_graph_of

#: Characters that XML 1.0 cannot carry (complement of the ``Char`` production, §2.2).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

#: An XML NCName at the end of an IRI (the local part RDF/XML needs for a predicate).
_NCNAME_TAIL = re.compile(r"[A-Za-z_\u00c0-\ufffd][\w.\-\u00b7\u00c0-\ufffd]*$")


def check_xml_text(values: Iterable[str], media_type: str) -> None:
    """Raise :class:`NotRepresentable` if a value holds an XML-illegal character."""
    for v in values:
        m = XML_ILLEGAL.search(v)
        if m:
            raise NotRepresentable(
                media_type, f"a value contains U+{ord(m.group()):04X}, which XML 1.0 forbids"
            )


def escape_cr(xml: bytes) -> bytes:
    """Write carriage returns as ``&#13;``: an XML parser turns a raw CR into LF (XML 1.0
    §2.11), which would change the literal. pyoxigraph's XML writers end lines with LF
    only, so every CR in their output belongs to a value."""
    return xml.replace(b"\r", b"&#13;")


def _check_rdf_xml(triples: list[ox.Triple]) -> None:
    for t in triples:
        if not _NCNAME_TAIL.search(t.predicate.value):
            raise NotRepresentable(
                RDF_XML.media_type,
                f"the predicate <{t.predicate.value}> has no XML QName form",
            )
    check_xml_text(
        (t.object.value for t in triples if isinstance(t.object, ox.Literal)), RDF_XML.media_type
    )
    check_xml_text((t.subject.value for t in triples), RDF_XML.media_type)


def serialize_graph(triples: Iterable[ox.Triple], fmt: Format, prefixes: dict[str, str]) -> bytes:
    """Serialise triples in ``fmt``.

    :param triples: the graph.
    :param fmt: one of :data:`cnamkg.representation.formats.GRAPH_RESULT_FORMATS`.
    :param prefixes: prefix name → namespace IRI, for Turtle, RDF/XML and the JSON-LD context.
    :return: UTF-8 bytes.
    :raises NotRepresentable: the graph cannot be written in ``fmt``.
    """
    ordered = sorted(triples, key=triple_order)
    prefixes = used_prefixes(ordered, prefixes)
    if fmt == JSON_LD:
        return _json_ld(ordered, prefixes)
    if fmt == RDF_XML:
        _check_rdf_xml(ordered)
    ox_format = OXIGRAPH_RDF[fmt]
    used = prefixes if ox_format not in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else None
    body = ox.serialize(ordered, format=ox_format, prefixes=used) or b""
    return escape_cr(body) if fmt == RDF_XML else body


#: A local name every Turtle parser reads back without escapes (RDF 1.1 Turtle §6.5
#: ``PN_LOCAL`` restricted to letters, digits, ``_``, ``-`` and inner dots).
_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")


def used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    r"""The prefixes whose namespace starts at least one IRI of ``triples``, and under
    which every such IRI has a plain local name.

    A prefix under which some IRI would need a backslash escape (``topic:c.d\.``,
    ``id:Mercury_\(planet\)``) is dropped, and those IRIs are written in full: escaped
    local names are valid Turtle but some parsers in use (rdflib 7) reject them (field
    case BUG-13).
    """
    iris = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    }
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    kept = {}
    for p, ns in prefixes.items():
        locals_ = [i[len(ns) :] for i in iris if i.startswith(ns)]
        if locals_ and all(_PLAIN_LOCAL.fullmatch(name) for name in locals_):
            kept[p] = ns
    return kept


def triple_order(t: ox.Triple) -> tuple[int, str, str, str]:
    """The order triples are written in: IRI subjects before blank ones, then by
    subject, predicate and object."""
    return (isinstance(t.subject, ox.BlankNode), t.subject.value, t.predicate.value, str(t.object))


def _json_ld(triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in triples):
        raise NotRepresentable(
            JSON_LD.media_type, "JSON-LD 1.1 has no form for RDF 1.2 triple terms"
        )
    text = rdflib_graph_of(triples).serialize(
        format="json-ld", context=dict(prefixes), auto_compact=True
    )
    # Re-dump to guarantee one canonical UTF-8 JSON text (non-ASCII kept as is).
    return json.dumps(json.loads(text), ensure_ascii=False, indent=2).encode("utf-8")
