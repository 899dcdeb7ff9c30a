"""Every entity IRI that issue #2 promises exists in the real graph and dereferences:
page in fr and en with its label as title, and RDF in the four formats."""

from __future__ import annotations

import re

import pytest
import rdflib
import rdflib.compare
from flask.testing import FlaskClient
from markupsafe import escape

PROMISED = [
    *(
        f"organization/{s}"
        for s in (
            "cnam",
            "dicen-idf",
            "ht2s",
            "afas",
            "liberation",
            "ecole-numerique-ia",
            "arts-et-metiers",
            "cesi",
            "universite-bourgogne-europe",
            "paris-school-of-business",
            "sorbonne-universite",
            "mistral-ai",
            "edtech-france",
            "cnam-direction-communication",
            "alliance-mistral-ai",
        )
    ),
    "programme/france-2030",
    "programme/strategie-nationale-ia",
    "call/competences-metiers-avenir",
    "call/ia-cluster",
    "project/caire",
    "project/postgenai-paris",
    "event/journee-etude-ia-societe",
    "document/communique-journee-ia",
]
BASE = "https://w3id.org/cnamkg/id/"


@pytest.mark.parametrize("path", PROMISED)
def test_promised_entity_dereferences(kg: FlaskClient, path: str) -> None:
    r = kg.get(f"/id/{path}", headers={"Accept": "text/html"})
    assert r.status_code == 303
    g = rdflib.Graph().parse(data=kg.get(f"/data/{path}.ttl").data, format="turtle")
    iri = rdflib.URIRef(BASE + path)
    labels = {o.language: str(o) for o in g.objects(iri, rdflib.RDFS.label)}
    assert set(labels) == {"fr", "en"}
    for lang in ("fr", "en"):
        page = kg.get(f"/page/{path}?lang={lang}").get_data(as_text=True)
        assert f"<h1>{escape(labels[lang])}</h1>" in page
    for ext, fmt in (("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        other = rdflib.Graph().parse(data=kg.get(f"/data/{path}.{ext}").data, format=fmt)
        assert rdflib.compare.isomorphic(other, g), ext


def test_topics_form_a_concept_scheme(kg: FlaskClient) -> None:
    r = kg.get(
        "/sparql",
        query_string={
            "query": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a skos:Concept ; skos:inScheme ?s . ?s a skos:ConceptScheme }"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert int(r.get_json()["results"]["bindings"][0]["n"]["value"]) >= 5


def test_kind_lists_link_every_promised_entity(kg: FlaskClient) -> None:
    pages = {
        kind: kg.get(f"/{kind}").get_data(as_text=True)
        for kind in {path.split("/")[0] for path in PROMISED}
    }
    for path in PROMISED:
        assert f'href="/page/{path}?lang=fr"' in pages[path.split("/")[0]]


def test_home_shows_newest_and_most_linked(kg: FlaskClient) -> None:
    """The study day is the only dated event (2 October 2025); the Cnam is the entity most
    other entities point to (organiser, member, partner …), sources aside."""
    html = kg.get("/?lang=en").get_data(as_text=True)
    newest = html[html.index('class="newest"') : html.index('class="most-linked"')]
    assert "/page/event/journee-etude-ia-societe?lang=en" in newest
    most = html[html.index('class="most-linked"') :]
    first = re.search(r'<li><a href="([^"]+)"', most)
    assert first is not None and first.group(1) == "/page/organization/cnam?lang=en"


def test_descriptions_hold_no_repeated_triple(kg: FlaskClient) -> None:
    """A description is a graph, a set of triples (RDF 1.1 Concepts §3): the N-Triples
    document of an entity with several blank nodes repeats no line."""
    lines = kg.get("/data/event/journee-etude-ia-societe.nt").get_data(as_text=True).splitlines()
    assert lines and len(lines) == len(set(lines))


def test_lists_sort_accents_with_their_letter(kg: FlaskClient) -> None:
    """« École du numérique » sorts among the E's, before « EdTech France », not after Z."""
    page = kg.get("/organization").get_data(as_text=True)
    assert (
        page.index(">École du numérique")
        < page.index(">EdTech France<")
        < page.index(">Libération<")
    )


def test_each_claim_names_its_source(kg: FlaskClient) -> None:
    """DESIGN.md, Provenance: the press release gives 2 October, the AFAS page the year and
    hours; the page shows both claims and marks the AFAS one with its source note."""
    html = kg.get("/page/event/journee-etude-ia-societe?lang=en").get_data(as_text=True)
    start = (
        html.split('title="https://schema.org/startDate"')[1]
        .split("</dt>", 1)[1]
        .split("<dt", 1)[0]
    )
    assert ">2 October</span></dd>" in start  # the press release, the page's main source
    assert (
        '2 October 2025, 09:00 (UTC+02:00)</span><sup class="note"><a href="#source-2">[2]</a>'
        in start
    )
    sources = html.split('class="provenance"')[1]
    assert sources.index("graph/communique-journee-ia") < sources.index(
        "graph/afas-evenement-journee-ia"
    )
    assert 'id="source-2"><a href="/page/document/afas-evenement-journee-ia?lang=en"' in sources


def test_pages_embed_json_ld_and_open_graph(kg: FlaskClient) -> None:
    """Search engines read the entity: schema.org JSON-LD in the page (escaped so that no
    value can end the script block, field case BUG-24) and Open Graph title/description."""
    import json

    page = kg.get("/page/project/caire?lang=en").get_data(as_text=True)
    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "</" not in block
    g = rdflib.Graph().parse(data=json.dumps(json.loads(block)), format="json-ld")
    caire = rdflib.URIRef("https://w3id.org/cnamkg/id/project/caire")
    assert (caire, rdflib.RDF.type, rdflib.URIRef("https://schema.org/Project")) in g
    # a blank node value (the training target: a quantity) comes with its own triples,
    # as in the Turtle (found by the new-user review: it was an empty {"@id": "_:…"})
    target = g.value(caire, rdflib.URIRef("https://w3id.org/cnamkg/ontology#trainingTarget"))
    assert isinstance(target, rdflib.BNode)
    assert g.value(target, rdflib.URIRef("https://schema.org/value")).toPython() == 28000
    assert '<meta property="og:title" content="CAIRE">' in page
    assert (
        '<meta property="og:description" content="Project that aims to train 28,000 people' in page
    )


def test_alike_values_are_shown_once(kg: FlaskClient) -> None:
    """The press release and the AFAS page each describe the Cnam site of the study day
    with a blank node saying the same: the Cnam's page shows that site once."""
    html = kg.get("/page/organization/cnam?lang=en").get_data(as_text=True)
    incoming = html[html.index('<section class="incoming">') :]
    incoming = incoming[: incoming.index("</section>")]
    assert incoming.count('<dl class="nested">') == 1


def test_home_counts_only_kinds_that_have_entities(kg: FlaskClient) -> None:
    html = kg.get("/?lang=en").get_data(as_text=True)
    assert 'data-kind="project">2<' in html and 'data-kind="place"' not in html


def test_ontology_terms_link_to_the_served_documentation(kg: FlaskClient) -> None:
    """Our own terms dereference here (issue 4 §1): a value or a result cell that is one of
    them links to its entry on /ontology, not to the canonical host."""
    r = kg.get(
        "/sparql",
        query_string={
            "query": "SELECT ?c WHERE { ?s a ?c FILTER(?c = <https://w3id.org/cnamkg/ontology#StudyDay>) } LIMIT 1",
            "lang": "en",
        },
        headers={"Accept": "text/html"},
    )
    assert 'href="/ontology?lang=en#StudyDay"' in r.get_data(as_text=True)


def test_language_tags_show_only_for_another_language(kg: FlaskClient) -> None:
    """Issue 4 §2 (a literal's language "where it matters"): a value in the page's own
    language carries no tag; one in another language is tagged and marked with ``lang``
    for screen readers (WCAG 2.2 SC 3.1.2, language of parts)."""
    fr = kg.get("/page/organization/cnam?lang=fr").get_data(as_text=True)
    en = kg.get("/page/organization/cnam?lang=en").get_data(as_text=True)
    assert '<span class="literal">Conservatoire national des arts et métiers</span>' in fr
    assert (
        '<span class="literal" lang="fr">Conservatoire national des arts et métiers</span>'
        ' <span class="lang" title="language of the text">fr</span>'
    ) in en
