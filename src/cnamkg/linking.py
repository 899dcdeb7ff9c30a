"""``cnamkg link``: candidate Wikidata items for our organisations that have none, found
in a remote SPARQL endpoint, written to a review file; ``cnamkg link --accept FILE``
turns the lines a person accepted into data (issue 7 §1).

The endpoint is Wikidata Query Service by default (any endpoint holding Wikidata-shaped
RDF by setting): items are ``http://www.wikidata.org/entity/Q…``, their labels
``rdfs:label`` and aliases ``skos:altLabel`` with language tags, their classes
``wdt:P31`` / ``wdt:P279``. Candidates are items whose label or alias is exactly one of
our entity's labels or alternate labels (the same text in the same language: an index
lookup, which Wikidata's endpoint answers fast); the score weighs a label above an alias,
several matching names above one, and an item that is an organisation (``wdt:P31`` of a
subclass of ``wd:Q43229``) above one that is not. Nothing is ever written to ``data/``
without review.

Endpoint failures are :class:`cnamkg.errors.RemoteStoreError` with the endpoint named:
429 and 503 are retried after their ``Retry-After`` (:mod:`cnamkg.store.remote`),
timeouts, other statuses and malformed results are reported as they are.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cnamkg.external import WIKIDATA, WIKIDATA_SPARQL
from cnamkg.iris import entity_ref
from cnamkg.query.sparql_terms import iri_ref, string_literal
from cnamkg.store.base import Store
from cnamkg.store.remote import RemoteStore

WIKIDATA_ENTITY = WIKIDATA.uri_space
#: wd:Q43229, "organization".
ORGANIZATION = WIKIDATA_ENTITY + "Q43229"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
#: The review file's columns.
COLUMNS = ("entity", "candidate", "label", "score", "evidence", "endpoint", "accept")
#: What a reviewer writes in ``accept`` to accept a line.
YES = frozenset({"yes", "y", "x", "true", "1", "oui"})


@dataclass(frozen=True)
class Candidate:
    """A possible Wikidata item for one of our entities.

    :param entity: our entity's IRI.
    :param candidate: the item's IRI.
    :param label: the item's label in the first language that matched.
    :param score: 0–1, higher is likelier.
    :param evidence: why, for the reviewer (names matched, type found).
    """

    entity: str
    candidate: str
    label: str
    score: float
    evidence: str


def unlinked_organizations(store: Store, base: str) -> dict[str, list[ox.Literal]]:
    """Our organisations without an ``owl:sameAs`` to Wikidata, with their names (labels
    and alternate labels in any language).

    :return: entity IRI → names, entities in IRI order.
    """
    prefix = string_literal(f"{base}id/organization/")
    rows = store.query(
        "SELECT ?e ?name WHERE { ?e a <http://www.w3.org/ns/org#Organization> "
        f"FILTER(STRSTARTS(STR(?e), {prefix})) "
        "{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?name } UNION "
        "{ ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?name } "
        f"FILTER NOT EXISTS {{ ?e <{SAME_AS}> ?w "
        f"FILTER(STRSTARTS(STR(?w), {string_literal(WIKIDATA_ENTITY)})) }} }} ORDER BY ?e"
    )
    names: dict[str, list[ox.Literal]] = {}
    for row in rows:  # type: ignore[union-attr]
        names.setdefault(row["e"].value, []).append(row["name"])
    return names


def _candidate_query(names: list[ox.Literal]) -> str:
    values = " ".join(
        string_literal(n.value) + (f"@{n.language}" if n.language else "") for n in names
    )
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX wdt: <http://www.wikidata.org/prop/direct/> "
        f"SELECT ?item ?how ?name ?label ?org WHERE {{ VALUES ?name {{ {values} }} "
        '{ ?item rdfs:label ?name BIND("label" AS ?how) } UNION '
        '{ ?item skos:altLabel ?name BIND("alias" AS ?how) } '
        f"FILTER(STRSTARTS(STR(?item), {string_literal(WIKIDATA_ENTITY)})) "
        "OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = LANG(?name)) } "
        f"BIND(EXISTS {{ ?item wdt:P31/wdt:P279* <{ORGANIZATION}> }} AS ?org) }}"
    )


def find_candidates(endpoint: RemoteStore, entity: str, names: list[ox.Literal]) -> list[Candidate]:
    """The items of ``endpoint`` that bear one of ``names``, best first.

    :raises RemoteStoreError: the endpoint failed (after retries for 429/503).
    """
    found: dict[str, dict[str, object]] = {}
    for row in endpoint.query(_candidate_query(names)):  # type: ignore[union-attr]
        item = row["item"].value
        entry = found.setdefault(item, {"names": set(), "how": set(), "org": False, "label": ""})
        name = row["name"]
        entry["names"].add(f'"{name.value}"@{name.language}')  # type: ignore[attr-defined]
        entry["how"].add(row["how"].value)  # type: ignore[attr-defined]
        entry["org"] = entry["org"] or row["org"].value == "true"
        if row["label"] is not None and not entry["label"]:
            entry["label"] = row["label"].value
    candidates = []
    for item, e in found.items():
        matched = sorted(e["names"])  # type: ignore[call-overload]
        by_label = "label" in e["how"]  # type: ignore[operator]
        score = (0.5 if by_label else 0.35) + min(0.1, 0.05 * (len(matched) - 1))
        score += 0.4 if e["org"] else 0.0
        evidence = f"{'label' if by_label else 'alias'} {', '.join(matched)}; " + (
            "an organisation (P31/P279* Q43229)" if e["org"] else "not typed an organisation"
        )
        candidates.append(Candidate(entity, item, str(e["label"]), round(score, 2), evidence))
    candidates.sort(key=lambda c: (-c.score, c.candidate))
    return candidates


def write_review(path: Path, candidates: list[Candidate], endpoint: str) -> None:
    """Write the review file (CSV, RFC 4180): one line per candidate, ``accept`` empty
    for the reviewer to fill."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for c in candidates:
            w.writerow([c.entity, c.candidate, c.label, f"{c.score:.2f}", c.evidence, endpoint, ""])


class ReviewError(ValueError):
    """A review file that cannot be turned into data (its line and what is wrong)."""


def accepted_links(path: Path, base: str) -> list[tuple[str, str, str]]:
    """The accepted lines of a review file: (entity, item, endpoint).

    :raises ReviewError: missing columns, an entity that is not one of our organisations,
        an item that is not a Wikidata entity IRI, two items accepted for one entity.
    """
    links: dict[str, tuple[str, str, str]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ReviewError(f"{path}: missing columns {', '.join(sorted(missing))}")
        for row in reader:
            line = reader.line_num
            if (row["accept"] or "").strip().lower() not in YES:
                continue
            entity, item = row["entity"].strip(), row["candidate"].strip()
            ref = entity_ref(entity, base)
            if ref is None or ref.kind != "organization":
                raise ReviewError(f"{path}:{line}: {entity!r} is not one of our organisations")
            qid = item.removeprefix(WIKIDATA_ENTITY)
            if not (item.startswith(WIKIDATA_ENTITY) and qid[:1] == "Q" and qid[1:].isdigit()):
                raise ReviewError(f"{path}:{line}: {item!r} is not a Wikidata entity IRI")
            if entity in links and links[entity][1] != item:
                raise ReviewError(f"{path}:{line}: a second item accepted for {entity}")
            iri_ref(row["endpoint"].strip())  # raises ValueError on a malformed IRI
            links[entity] = (entity, item, row["endpoint"].strip())
    return list(links.values())


def links_turtle(links: list[tuple[str, str, str]], base: str) -> str:
    """The Turtle of accepted links: ``owl:sameAs`` and ``schema:identifier``, sourced to
    a document naming the reviewed endpoint (one named graph, like every source)."""
    doc = f"{base}id/document/wikidata-links"
    endpoint = links[0][2] if links else WIKIDATA_SPARQL
    lines = [
        "# Links to Wikidata accepted by a person from `cnamkg link` candidates.",
        "# Regenerated by `cnamkg link --accept FILE`; edit the review file, not this one.",
        "",
        f"<{doc}> a <http://xmlns.com/foaf/0.1/Document> , <https://schema.org/Dataset> ;",
        '    <http://www.w3.org/2000/01/rdf-schema#label> "Liens vers Wikidata vérifiés"@fr ,',
        '        "Reviewed links to Wikidata"@en ;',
        f"    <https://schema.org/url> <{endpoint}> ;",
        f"    <http://purl.org/dc/terms/source> <{doc}> .",
    ]
    for entity, item, _ in sorted(links):
        qid = item.removeprefix(WIKIDATA_ENTITY)
        lines += [
            "",
            f"<{entity}> <{SAME_AS}> <{item}> ;",
            "    <https://schema.org/identifier> [ a <https://schema.org/PropertyValue> ;",
            '        <https://schema.org/propertyID> "Wikidata" ;',
            f'        <https://schema.org/value> "{qid}" ] ;',
            f"    <http://purl.org/dc/terms/source> <{doc}> .",
        ]
    return "\n".join(lines) + "\n"
