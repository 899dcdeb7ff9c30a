"""A deterministic generator of datasets shaped like ours, at any size.

Organisations (and their units), funding programmes, calls, projects (coordinator,
partners, call, topics, budget), events (dates, organisers, topics), topics in a concept
scheme, and the source documents every entity cites; labels in French and English. The
output passes our SHACL shapes (``cnamkg validate --data DIR``).

Run: ``.venv/bin/python bench/generate.py --triples 100000 --out var/bench/1e5``; the
same arguments always write the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ID = "https://w3id.org/cnamkg/id/"
PREFIXES = """@prefix cnamkg: <https://w3id.org/cnamkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix frapo: <http://purl.org/cerif/frapo/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""
WORDS = (
    "données apprentissage réseau vision langage robotique santé énergie climat éducation "
    "sécurité calcul confiance éthique société industrie agriculture mobilité culture droit"
).split()
#: Triples one "unit" of the dataset holds (one project with its share of the others).
TRIPLES_PER_UNIT = 17


def _label(rng: random.Random, kind: str, i: int) -> tuple[str, str]:
    a, b = rng.sample(WORDS, 2)
    return f"{kind.capitalize()} {a} {b} {i}", f"{kind.capitalize()} {b} {a} {i}"


def _entity(kind: str, i: int) -> str:
    return f"<{ID}{kind}/{kind}-{i}>"


def _common(rng: random.Random, kind: str, i: int, doc: str) -> str:
    fr, en = _label(rng, kind, i)
    return (
        f'    rdfs:label "{fr}"@fr , "{en}"@en ;\n'
        f'    schema:description "Description de {fr}."@fr , "Description of {en}."@en ;\n'
        f"    dcterms:source {doc} .\n"
    )


def generate(units: int, out: Path, seed: int = 1) -> int:
    """Write ``out/generated.ttl`` for ``units`` projects and their surroundings.

    :return: the approximate number of triples written.
    """
    rng = random.Random(seed)
    orgs = max(10, units // 4)
    programmes = max(2, units // 500)
    calls = max(4, units // 50)
    events = max(2, units // 10)
    topics = max(10, units // 20)
    docs = max(2, units // 100)
    parts = [PREFIXES]
    for d in range(docs):
        doc = _entity("document", d)
        parts.append(
            f"{doc} a foaf:Document ;\n    schema:url <https://example.org/source/{d}> ;\n"
            + _common(rng, "document", d, doc)
        )

    def doc() -> str:
        return _entity("document", rng.randrange(docs))

    scheme = f"<{ID}topic/themes>"
    parts.append(
        f'{scheme} a skos:ConceptScheme ;\n    rdfs:label "Thèmes"@fr , "Themes"@en ;\n'
        f"    dcterms:source {_entity('document', 0)} .\n"
    )
    for t in range(topics):
        parts.append(
            f"{_entity('topic', t)} a skos:Concept ;\n    skos:inScheme {scheme} ;\n"
            + _common(rng, "topic", t, doc())
        )
    for o in range(orgs):
        unit = o % 5 == 4
        extra = f"    org:unitOf {_entity('organization', o - 1)} ;\n" if unit else ""
        cls = (
            "org:Organization , org:OrganizationalUnit"
            if unit
            else "org:Organization , org:FormalOrganization"
        )
        parts.append(
            f"{_entity('organization', o)} a {cls} ;\n{extra}"
            f'    schema:foundingDate "{1800 + o % 220}"^^xsd:gYear ;\n'
            + _common(rng, "organization", o, doc())
        )
    for p in range(programmes):
        parts.append(
            f"{_entity('programme', p)} a frapo:FundingProgramme ;\n"
            + _common(rng, "programme", p, doc())
        )
    for c in range(calls):
        parts.append(
            f"{_entity('call', c)} a cnamkg:CallForProjects ;\n"
            f"    dcterms:isPartOf {_entity('programme', c % programmes)} ;\n"
            + _common(rng, "call", c, doc())
        )
    for e in range(events):
        day = 1 + e % 28
        month = 1 + e % 12
        parts.append(
            f"{_entity('event', e)} a schema:Event ;\n"
            f'    schema:startDate "{2020 + e % 6}-{month:02d}-{day:02d}"^^xsd:date ;\n'
            f"    schema:organizer {_entity('organization', rng.randrange(orgs))} ;\n"
            f"    schema:about {_entity('topic', rng.randrange(topics))} ;\n"
            + _common(rng, "event", e, doc())
        )
    for p in range(units):
        partners = sorted({rng.randrange(orgs) for _ in range(3)})
        partner_list = " , ".join(_entity("organization", x) for x in partners)
        parts.append(
            f"{_entity('project', p)} a schema:Project ;\n"
            f"    cnamkg:coordinator {_entity('organization', rng.randrange(orgs))} ;\n"
            f"    cnamkg:partner {partner_list} ;\n"
            f"    cnamkg:selectedIn {_entity('call', rng.randrange(calls))} ;\n"
            f"    dcterms:subject {_entity('topic', rng.randrange(topics))} ;\n"
            f'    schema:startDate "{2018 + p % 8}-09-01"^^xsd:date ;\n'
            + _common(rng, "project", p, doc())
        )
    out.mkdir(parents=True, exist_ok=True)
    text = "\n".join(parts)
    (out / "generated.ttl").write_text(text, encoding="utf-8")
    return text.count(" ;\n") + text.count(" .\n") + text.count(" , ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, required=True, help="about how many triples")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    units = max(1, args.triples // TRIPLES_PER_UNIT)
    n = generate(units, args.out, args.seed)
    print(f"wrote {args.out / 'generated.ttl'} (about {n} triples, {units} projects)")


if __name__ == "__main__":
    main()
