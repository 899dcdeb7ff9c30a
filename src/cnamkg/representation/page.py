"""The view model of an entity page: what the HTML template shows, already chosen and
ordered for one language. Pure functions over triples and labels; URLs come from a
``link`` callable supplied by the web layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from cnamkg.external import REGISTRIES
from cnamkg.query.describe import Provenance
from cnamkg.representation.i18n import best_label, local_name, sort_key
from cnamkg.representation.literals import format_literal
from cnamkg.terms import term_key
from cnamkg.vocab import (
    DCTERMS_SOURCE,
    PROV_WAS_DERIVED_FROM,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
)

#: Shown in the page head, not in the property table.
_HEAD_PROPERTIES = {RDF_TYPE, RDFS + "label", SCHEMA + "description"}
#: Shown in the provenance box.
_SOURCE_PROPERTIES = {DCTERMS_SOURCE, PROV_WAS_DERIVED_FROM}
#: Shown first in the table, in this order.
_FIRST = (SKOS + "altLabel", SCHEMA + "alternateName", SKOS + "prefLabel")

Link = Callable[[str], str | None]


@dataclass
class Value:
    """One value of a property, ready to display.

    :param text: the text shown (a label for IRIs, the lexical form for literals).
    :param href: where it links (our page, or an http(s) IRI), or ``None``.
    :param iri: the IRI, when the value is one.
    :param lang: the literal's language tag.
    :param datatype: short datatype name (``xsd:date``) for typed non-string literals.
    :param nested: for a blank node, its own properties (an address, a quantity).
    :param raw: for a typed literal shown formatted, its lexical form and datatype.
    :param notes: numbers of the sources (:class:`SourceNote`) stating this value, when
        it does not come from the entity's main source.
    """

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    nested: list[PropertyGroup] = field(default_factory=list)
    raw: str | None = None
    notes: list[int] = field(default_factory=list)


@dataclass
class PropertyGroup:
    """A property and its values.

    :param iri: the property IRI.
    :param label: its label in the page language (or its local name).
    :param values: the values, sorted by text.
    :param total: for incoming links, how many there are in all (``values`` may be one
        page of them); ``None`` for outgoing properties.
    :param offset: for incoming links, the 0-based index of the first value shown.
    """

    iri: str
    label: str
    values: list[Value]
    total: int | None = None
    offset: int = 0

    @property
    def paged(self) -> bool:
        """True when the values are only part of the property's links."""
        return self.total is not None and (self.offset > 0 or self.total > len(self.values))


@dataclass
class SourceNote:
    """A source of the page's facts: one named graph and the document it transcribes.

    :param number: the note number values refer to (1 = the main source).
    :param graph: the named graph IRI.
    :param document: the document, as a displayable value (``None`` if unknown).
    """

    number: int
    graph: str
    document: Value | None


@dataclass
class Identifier:
    """One identifier of the entity in a registry (``schema:identifier``).

    :param registry: the registry's name (``schema:propertyID``), e.g. ``ROR``.
    :param title: the registry's full name, or the name again for an unknown one.
    :param value: the identifier.
    :param href: its record: the ``schema:url`` given with it, else the registry's page
        for it (:data:`cnamkg.external.REGISTRIES`), else ``None``.
    """

    registry: str
    title: str
    value: str
    href: str | None


@dataclass
class EntityPage:
    """Everything an entity page shows."""

    iri: str
    lang: str
    title: str
    description: str | None
    types: list[Value]
    properties: list[PropertyGroup]
    incoming: list[PropertyGroup]
    sources: list[SourceNote]
    identifiers: list[Identifier] = field(default_factory=list)


#: ``schema:identifier``: shown in the identifiers box.
_IDENTIFIER = SCHEMA + "identifier"


def _identifiers(own: list[ox.Triple], out: dict[str, list[ox.Triple]]) -> list[Identifier]:
    """The entity's identifiers in registries, in the order of
    :data:`cnamkg.external.REGISTRIES` (unknown registries last), each linked to its
    record where there is one. Only http(s) record URLs become links."""
    found = []
    for t in own:
        if t.predicate.value != _IDENTIFIER or not isinstance(
            t.object, ox.BlankNode | ox.NamedNode
        ):
            continue
        fields = {u.predicate.value: u.object for u in out.get(term_key(t.object), [])}
        name, value = fields.get(SCHEMA + "propertyID"), fields.get(SCHEMA + "value")
        if not isinstance(name, ox.Literal) or not isinstance(value, ox.Literal):
            continue
        registry = REGISTRIES.get(name.value)
        url = fields.get(SCHEMA + "url")
        href = url.value if isinstance(url, ox.NamedNode) else None
        if href is None and registry is not None and registry.formatter:
            href = registry.formatter.format(quote(value.value, safe=""))
        if href is not None and not href.startswith(("http://", "https://")):
            href = None
        title = registry.title if registry else name.value
        found.append(Identifier(name.value, title, value.value, href))
    order = list(REGISTRIES)
    found.sort(
        key=lambda i: (order.index(i.registry) if i.registry in order else len(order), i.value)
    )
    return found


def _short_datatype(iri: str) -> str | None:
    if iri in (XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"):
        return None
    return "xsd:" + iri[len(XSD) :] if iri.startswith(XSD) else iri


class _Builder:
    def __init__(
        self, triples: list[ox.Triple], labels: dict[str, dict[str, str]], lang: str, link: Link
    ) -> None:
        self.labels = labels
        self.lang = lang
        self.link = link
        self.notes: Callable[[ox.Triple], list[int]] | None = None
        self.out: dict[str, list[ox.Triple]] = defaultdict(list)
        for t in triples:
            self.out[term_key(t.subject)].append(t)

    def label(self, iri: str) -> str:
        return best_label(self.labels.get(iri), self.lang) or local_name(iri)

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, depth: int = 0) -> Value:
        if isinstance(term, ox.NamedNode):
            # an unlabelled value is shown as its whole IRI (a web address stays readable)
            text = best_label(self.labels.get(term.value), self.lang) or term.value
            return Value(text, self.link(term.value), iri=term.value)
        if isinstance(term, ox.BlankNode):
            nested = self.groups(self.out.get(term_key(term), []), depth + 1) if depth < 2 else []
            return Value("", nested=nested)
        datatype = term.datatype.value
        shown = None if term.language else format_literal(term.value, datatype, self.lang)
        if shown is not None:
            return Value(shown, raw=f"{term.value} ({_short_datatype(datatype)})")
        return Value(term.value, lang=term.language, datatype=_short_datatype(datatype))

    def groups(
        self, triples: list[ox.Triple], depth: int = 0, skip: set[str] | None = None
    ) -> list[PropertyGroup]:
        by_prop: dict[str, list[ox.Triple]] = defaultdict(list)
        for t in triples:
            if skip is None or t.predicate.value not in skip:
                by_prop[t.predicate.value].append(t)
        groups = []
        for prop, ts in by_prop.items():
            values = [self.value(t.object, depth) for t in ts]
            if depth == 0 and self.notes is not None:
                for value, t in zip(values, ts, strict=True):
                    value.notes = self.notes(t)
            groups.append(PropertyGroup(prop, self.label(prop), self.in_language(values)))
        first = {p: i for i, p in enumerate(_FIRST)}
        groups.sort(key=lambda g: (first.get(g.iri, len(first)), sort_key(g.label)))
        return groups

    def in_language(self, values: list[Value]) -> list[Value]:
        """Language-tagged values in the page language only, when there are some; a value
        shown twice alike (two blank nodes saying the same, from two sources) once."""
        tagged = [v for v in values if v.lang]
        mine = [v for v in tagged if v.lang == self.lang]
        if mine and len(tagged) == len(values):
            values = mine
        unique: list[Value] = []
        for v in values:
            if v not in unique:
                unique.append(v)
        return sorted(unique, key=lambda v: (sort_key(v.text), v.iri or ""))


def build_page(
    iri: str,
    triples: list[ox.Triple],
    labels: dict[str, dict[str, str]],
    provenance: Provenance,
    *,
    lang: str,
    link: Link,
    incoming_pages: dict[str, tuple[int, int]] | None = None,
) -> EntityPage:
    """Assemble the page of ``iri`` from its description.

    :param iri: the entity.
    :param triples: from :func:`cnamkg.query.describe.describe`.
    :param labels: IRI → language → label, for properties, types and linked entities.
    :param provenance: the named graph of each statement, and each graph's document;
        values stated outside the graphs that give the entity its label are marked with
        their source's note number, so that two sources' claims stay told apart.
    :param lang: page language.
    :param link: IRI → URL to link to, or ``None`` when the IRI must not be a link
        (e.g. a ``javascript:`` IRI: field case BUG-24).
    :param incoming_pages: property → ``(total, offset)`` when ``triples`` hold only one
        slice of the incoming links through that property
        (:mod:`cnamkg.query.incoming`).
    """
    b = _Builder(triples, labels, lang, link)
    own = b.out.get(iri, [])
    home = {g for (p, _), gs in provenance.statements.items() if p == RDFS + "label" for g in gs}
    ordered = sorted(provenance.graphs, key=lambda g: (g not in home, g))
    number = {g: i for i, g in enumerate(ordered, start=1)}
    b.notes = lambda t: [
        number[g]
        for g in provenance.statements.get((t.predicate.value, str(t.object)), ())
        if g not in home
    ]
    notes = [
        SourceNote(
            number[g],
            g,
            b.value(ox.NamedNode(provenance.documents[g])) if g in provenance.documents else None,
        )
        for g in ordered
    ]
    incoming_triples = [
        t
        for t in triples
        if isinstance(t.object, ox.NamedNode) and t.object.value == iri and t.subject.value != iri
    ]
    by_prop: dict[str, list[Value]] = defaultdict(list)
    for t in incoming_triples:
        if isinstance(t.subject, ox.BlankNode):
            # an anonymous node pointing here (a site, a membership): show what it says
            # besides the link back to this entity
            rest = [
                u
                for u in b.out.get(term_key(t.subject), [])
                if not (isinstance(u.object, ox.NamedNode) and u.object.value == iri)
            ]
            by_prop[t.predicate.value].append(Value("", nested=b.groups(rest, 1)))
        else:
            by_prop[t.predicate.value].append(b.value(t.subject))
    pages = incoming_pages or {}
    incoming = [
        PropertyGroup(p, b.label(p), b.in_language(v), *pages.get(p, (len(v), 0)))
        for p, v in by_prop.items()
    ]
    incoming.sort(key=lambda g: sort_key(g.label))
    descriptions = [
        t.object
        for t in own
        if t.predicate.value == SCHEMA + "description" and isinstance(t.object, ox.Literal)
    ]
    desc = best_label({d.language or "": d.value for d in descriptions}, lang)
    return EntityPage(
        iri=iri,
        lang=lang,
        title=b.label(iri),
        description=desc,
        types=sorted(
            (b.value(t.object) for t in own if t.predicate.value == RDF_TYPE), key=lambda v: v.text
        ),
        properties=b.groups(own, skip=_HEAD_PROPERTIES | _SOURCE_PROPERTIES | {_IDENTIFIER}),
        incoming=incoming,
        sources=notes,
        identifiers=_identifiers(own, b.out),
    )
