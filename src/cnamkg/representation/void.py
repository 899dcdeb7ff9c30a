"""The dataset's self-description: VoID (W3C Interest Group Note "Describing Linked
Datasets with the VoID Vocabulary") and DCAT 3 (W3C Recommendation), computed from the
store, served at ``/.well-known/void`` (VoID §7.2, well-known location)."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from cnamkg.external import EXTERNAL_DATASETS
from cnamkg.iris import dataset_iri, ontology_iri
from cnamkg.pipeline.dumps import DumpFile
from cnamkg.query.sparql_terms import string_literal
from cnamkg.store.base import Store
from cnamkg.vocab import COMMON_PREFIXES, DCAT, DCTERMS, FOAF, RDF_TYPE, VOID

#: The data licence (DESIGN.md, Licences): Licence Ouverte / Open Licence 2.0 (Etalab).
LICENCE = "https://spdx.org/licenses/etalab-2.0.html"
TITLE = {
    "fr": "cnamkg : le paysage public français de l'IA autour du Cnam",
    "en": "cnamkg: the French public AI landscape around the Cnam",
}
DESCRIPTION = {
    "fr": "Graphe de connaissances en données liées ouvertes : établissements, laboratoires, "
    "écoles, projets, programmes et appels de financement, événements, thèmes et documents "
    "sources, chaque fait dans le graphe nommé du document qui l'énonce.",
    "en": "A linked open data knowledge graph: institutions, laboratories, schools, projects, "
    "funding programmes and calls, events, topics and source documents, each fact in the "
    "named graph of the document that states it.",
}


def _n(term: str) -> ox.NamedNode:
    return ox.NamedNode(term)


def _count(store: Store, query: str) -> list[tuple[str, int]]:
    return [(row[0].value, int(row[1].value)) for row in store.query(query)]  # type: ignore[union-attr]


def _scalar(store: Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)  # type: ignore[call-overload]


#: IANA media type registry, the namespace DCAT 3 §6.8.4 uses for ``dcat:mediaType``.
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _label(text: str) -> str:
    """A blank node label derived from ``text``: the same document on every request, so
    that GET and HEAD agree and one entity tag means one content (RFC 9110 §8.8.3)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _distribution(url: str, dump: DumpFile) -> list[ox.Triple]:
    """A ``dcat:Distribution`` of one dump: download URL, media type, compression, size,
    SHA-256 checksum (DCAT 3 §6.8, SPDX 2.3 Checksum) and licence."""
    key = _label(dump.name)
    t, dist = ox.Triple, ox.BlankNode(f"distribution-{key}")
    checksum = ox.BlankNode(f"checksum-{key}")
    triples = [
        t(dist, _n(RDF_TYPE), _n(DCAT + "Distribution")),
        t(dist, _n(DCAT + "downloadURL"), _n(url)),
        t(dist, _n(DCAT + "mediaType"), _n(IANA_MEDIA_TYPES + dump.media_type)),
        t(
            dist,
            _n(DCAT + "byteSize"),
            ox.Literal(str(dump.size), datatype=_n(XSD + "nonNegativeInteger")),
        ),
        t(dist, _n(DCTERMS + "license"), _n(LICENCE)),
        t(dist, _n(SPDX + "checksum"), checksum),
        t(checksum, _n(RDF_TYPE), _n(SPDX + "Checksum")),
        t(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
        t(
            checksum,
            _n(SPDX + "checksumValue"),
            ox.Literal(dump.sha256, datatype=_n(XSD + "hexBinary")),
        ),
    ]
    if dump.encoding == "gzip":
        triples.append(
            t(dist, _n(DCAT + "compressFormat"), _n(IANA_MEDIA_TYPES + "application/gzip"))
        )
    return triples


def void_description(
    store: Store, *, base: str, sparql_url: str, dumps: list[tuple[str, DumpFile]]
) -> list[ox.Triple]:
    """VoID + DCAT triples about ``{base}dataset``.

    :param store: the store (counts and partitions are computed from it).
    :param base: the namespace base.
    :param sparql_url: the public SPARQL endpoint URL.
    :param dumps: the whole-dataset dumps with the URL of each.
    """
    ds = _n(dataset_iri(base))
    t = ox.Triple
    triples = [
        t(ds, _n(RDF_TYPE), _n(VOID + "Dataset")),
        t(ds, _n(RDF_TYPE), _n(DCAT + "Dataset")),
        t(ds, _n(DCTERMS + "license"), _n(LICENCE)),
        t(ds, _n(VOID + "sparqlEndpoint"), _n(sparql_url)),
        t(ds, _n(VOID + "uriSpace"), ox.Literal(f"{base}id/")),
        t(ds, _n(VOID + "rootResource"), _n(f"{base}id/organization/cnam")),
        t(ds, _n(DCTERMS + "publisher"), _n(f"{base}id/organization/cnam")),
        t(ds, _n(VOID + "vocabulary"), _n(ontology_iri(base) + "#")),
    ]
    for lang in ("fr", "en"):
        triples.append(t(ds, _n(DCTERMS + "title"), ox.Literal(TITLE[lang], language=lang)))
        triples.append(
            t(ds, _n(DCTERMS + "description"), ox.Literal(DESCRIPTION[lang], language=lang))
        )
    service = ox.BlankNode("sparql-service")
    triples += [
        t(ds, _n(DCAT + "accessService"), service),
        t(service, _n(RDF_TYPE), _n(DCAT + "DataService")),
        t(service, _n(DCAT + "endpointURL"), _n(sparql_url)),
    ]
    for url, dump in dumps:
        distribution = _distribution(url, dump)
        triples += [
            t(ds, _n(VOID + "dataDump"), _n(url)),
            t(ds, _n(DCAT + "distribution"), distribution[0].subject),
            *distribution,
        ]
    prefix = string_literal(f"{base}id/")
    triples_n = _scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    entities_n = _scalar(
        store,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix})) }}",
    )
    triples += [
        t(ds, _n(VOID + "triples"), ox.Literal(triples_n)),
        t(ds, _n(VOID + "entities"), ox.Literal(entities_n)),
    ]
    classes = _count(
        store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
    )
    properties = _count(
        store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
    )
    # VoID §4.5: one partition per class (with its entity count) and per property
    # (with its triple count)
    for rows, link, term, count in (
        (classes, "classPartition", "class", "entities"),
        (properties, "propertyPartition", "property", "triples"),
    ):
        for iri, n in rows:
            part = ox.BlankNode(f"{term}-{_label(iri)}")
            triples += [
                t(ds, _n(VOID + link), part),
                t(part, _n(VOID + term), _n(iri)),
                t(part, _n(VOID + count), ox.Literal(n)),
            ]
    used = {iri for iri, _ in classes} | {iri for iri, _ in properties}
    for ns in sorted(set(COMMON_PREFIXES.values())):
        if any(i.startswith(ns) for i in used):
            triples.append(t(ds, _n(VOID + "vocabulary"), _n(ns)))
    triples.append(t(ds, _n(FOAF + "homepage"), _n(sparql_url.rsplit("/sparql", 1)[0] + "/")))
    return triples + linksets(store, base)


def _predicate_name(iri: str) -> str:
    """``owl-sameAs`` for a property of a known vocabulary, else a digest of the IRI."""
    for prefix, ns in sorted(COMMON_PREFIXES.items()):
        local = iri[len(ns) :]
        if iri.startswith(ns) and local.replace("_", "").replace("-", "").isalnum():
            return f"{prefix}-{local}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def linksets(store: Store, base: str) -> list[ox.Triple]:
    """One ``void:Linkset`` per external dataset and link property (VoID §5.1 and §4.4:
    ``void:subjectsTarget``, ``void:objectsTarget``, ``void:linkPredicate``,
    ``void:triples``), and a description of each target dataset linked to.

    Linksets are ``void:subset`` of our dataset and named by fragments of its IRI
    (``{base}dataset#linkset-wikidata-owl-sameAs``); targets are ``{base}dataset#wikidata``.
    Only triples whose subject is one of our entities and whose object is an IRI in the
    target's ``void:uriSpace`` are counted (:data:`cnamkg.external.EXTERNAL_DATASETS`).
    """
    ds = _n(dataset_iri(base))
    by_key = {d.key: d for d in EXTERNAL_DATASETS}
    values = " ".join(
        f"({string_literal(d.key)} {string_literal(d.uri_space)})" for d in EXTERNAL_DATASETS
    )
    prefix = string_literal(f"{base}id/")
    text = (
        f"SELECT ?t ?p (COUNT(*) AS ?n) WHERE {{ VALUES (?t ?ns) {{ {values} }} ?s ?p ?o "
        f"FILTER(isIRI(?o) && isIRI(?s) && STRSTARTS(STR(?s), {prefix}) "
        "&& STRSTARTS(STR(?o), ?ns)) } GROUP BY ?t ?p ORDER BY ?t ?p"
    )
    t = ox.Triple
    triples: list[ox.Triple] = []
    described: set[str] = set()
    for row in store.query(text):  # type: ignore[union-attr]
        target = by_key[row["t"].value]
        predicate = row["p"].value
        linkset = _n(f"{ds.value}#linkset-{target.key}-{_predicate_name(predicate)}")
        target_node = _n(f"{ds.value}#{target.key}")
        triples += [
            t(ds, _n(VOID + "subset"), linkset),
            t(linkset, _n(RDF_TYPE), _n(VOID + "Linkset")),
            t(linkset, _n(VOID + "subjectsTarget"), ds),
            t(linkset, _n(VOID + "objectsTarget"), target_node),
            t(linkset, _n(VOID + "linkPredicate"), _n(predicate)),
            t(linkset, _n(VOID + "triples"), ox.Literal(int(row["n"].value))),
        ]
        if target.key not in described:
            described.add(target.key)
            triples += [
                t(target_node, _n(RDF_TYPE), _n(VOID + "Dataset")),
                t(target_node, _n(DCTERMS + "title"), ox.Literal(target.title)),
                t(target_node, _n(FOAF + "homepage"), _n(target.homepage)),
                t(target_node, _n(VOID + "uriSpace"), ox.Literal(target.uri_space)),
            ]
    return triples
