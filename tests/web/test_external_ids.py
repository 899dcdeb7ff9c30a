"""External identifiers (issue 7 §1) in the real graph: the identifiers of
../shared/sources/external-ids.md are published with their source, shown on entity pages
as links to each registry's record, counted in the VoID linksets, and the Université
Bourgogne Europe is never given its predecessor's identifiers."""

from __future__ import annotations

import re

import rdflib
from flask.testing import FlaskClient

ID = "https://w3id.org/cnamkg/id/"
OWL_SAME_AS = rdflib.OWL.sameAs

#: entity slug → (Wikidata, ROR, {registry: value}) as external-ids.md lists them.
PUBLISHED = {
    "cnam": (
        "Q524289",
        "0175hh227",
        {
            "UAI": "0753471R",
            "SIREN": "197534712",
            "SIRET": "19753471200017",
            "ISNI": "000000012185090X",
            "IdRef": "027404978",
        },
    ),
    "arts-et-metiers": (
        "Q2570220",
        "018pp1107",
        {"UAI": "0753237L", "SIREN": "197534720", "ISNI": "0000000121946047", "IdRef": "02637515X"},
    ),
    "cesi": (
        "Q30255548",
        "04f87d812",
        {"UAI": "0922455U", "SIREN": "775722572", "IdRef": "035074566"},
    ),
    "sorbonne-universite": (
        "Q41497113",
        "02en5vm52",
        {"UAI": "0755890V", "SIREN": "130023385", "ISNI": "0000000123081657", "IdRef": "221333754"},
    ),
    "universite-bourgogne-europe": (None, None, {"UAI": "0212296G", "SIREN": "938230612"}),
    "dicen-idf": (None, None, {"RNSR": "200919212Y", "EA": "7339"}),
    "ht2s": (None, None, {"RNSR": "201421308E", "EA": "3716"}),
}


def _graph(kg: FlaskClient, slug: str) -> rdflib.Graph:
    r = kg.get(f"/data/organization/{slug}.ttl")
    assert r.status_code == 200
    return rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")


def test_identifiers_are_published_as_listed(kg: FlaskClient) -> None:
    schema = rdflib.Namespace("https://schema.org/")
    for slug, (qid, ror, others) in PUBLISHED.items():
        g = _graph(kg, slug)
        me = rdflib.URIRef(ID + "organization/" + slug)
        same = {str(o) for o in g.objects(me, OWL_SAME_AS)}
        expected_same = set()
        if qid:
            expected_same.add(f"http://www.wikidata.org/entity/{qid}")
        if ror:
            expected_same.add(f"https://ror.org/{ror}")
        assert same == expected_same, slug
        ids = {
            str(g.value(b, schema.propertyID)): str(g.value(b, schema.value))
            for b in g.objects(me, schema.identifier)
        }
        expected = dict(others)
        if qid:
            expected["Wikidata"] = qid
        if ror:
            expected["ROR"] = ror
        assert ids == expected, slug


def test_the_successor_is_not_given_its_predecessors_identifiers(kg: FlaskClient) -> None:
    g = _graph(kg, "universite-bourgogne-europe")
    me = rdflib.URIRef(ID + "organization/universite-bourgogne-europe")
    assert list(g.objects(me, OWL_SAME_AS)) == []
    assert {str(o) for o in g.objects(me, rdflib.DCTERMS.replaces)} == {
        "http://www.wikidata.org/entity/Q287072",
        "https://ror.org/03k1bsr36",
    }


def test_every_identifier_names_its_source(kg: FlaskClient) -> None:
    """Each identifier sits in the named graph of the source that states it."""
    query = """
    SELECT ?g (COUNT(*) AS ?n) WHERE {
      GRAPH ?g { ?e <https://schema.org/identifier> ?i } } GROUP BY ?g ORDER BY ?g"""
    r = kg.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    rows = r.get_data(as_text=True).split("\r\n")[1:-1]
    assert rows == [
        "https://w3id.org/cnamkg/graph/esr-etablissements,26",
        "https://w3id.org/cnamkg/graph/rnsr-structures,4",
    ]


def test_the_page_shows_identifiers_as_links(kg: FlaskClient) -> None:
    html = kg.get("/page/organization/cnam?lang=en").get_data(as_text=True)
    section = html[html.index('<section class="identifiers">') :]
    section = section[: section.index("</section>")]
    assert "<h2>Identifiers</h2>" in section
    for href in (
        "https://www.wikidata.org/wiki/Q524289",
        "https://ror.org/0175hh227",
        "https://isni.org/isni/000000012185090X",
        "https://www.idref.fr/027404978",
        "https://annuaire-entreprises.data.gouv.fr/entreprise/197534712",
        "https://annuaire-entreprises.data.gouv.fr/etablissement/19753471200017",
    ):
        assert f'href="{href}"' in section, href
    # UAI has no public page per identifier: shown, not linked
    assert re.search(r"<td><code>0753471R</code></td>", section)
    # the registries in a fixed order, Wikidata first
    order = re.findall(r'<abbr title="[^"]+">([^<]+)</abbr>', section)
    assert order == ["Wikidata", "ROR", "ISNI", "IdRef", "SIREN", "SIRET", "UAI"]
    # the RNSR record page given with the identifier is its link
    lab = kg.get("/page/organization/dicen-idf?lang=fr").get_data(as_text=True)
    assert "<h2>Identifiants</h2>" in lab
    assert (
        'href="https://appliweb.dgri.education.fr/rnsr/PresenteStruct.jsp?numNatStruct=200919212Y&amp;PUBLIC=OK"'
        in lab
    )


def test_void_counts_links_per_target_dataset(kg: FlaskClient) -> None:
    """VoID §5.1: one linkset per target dataset and link predicate, with its count."""
    r = kg.get("/.well-known/void.ttl")
    g = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    counts = {}
    for linkset in g.subjects(rdflib.RDF.type, void.Linkset):
        target = str(g.value(linkset, void.objectsTarget)).rsplit("#", 1)[1]
        predicate = str(g.value(linkset, void.linkPredicate))
        counts[(target, predicate)] = int(g.value(linkset, void.triples))
    assert counts[("wikidata", str(OWL_SAME_AS))] == 4
    assert counts[("ror", str(OWL_SAME_AS))] == 4
    assert counts[("wikidata", str(rdflib.DCTERMS.replaces))] == 1
    assert counts[("ror", str(rdflib.DCTERMS.replaces))] == 1


def test_sourced_facts_each_in_their_source_graph(kg: FlaskClient) -> None:
    """Founding dates and addresses of external-ids.md, each in the graph of the source
    that states it; the Cnam's two postal addresses (press release, ministry dataset)
    are both published, each with its own source, never merged into one."""
    query = """
    SELECT ?e ?d ?g WHERE { GRAPH ?g { ?e <https://schema.org/foundingDate> ?d } }"""
    r = kg.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    rows = set(r.get_data(as_text=True).split("\r\n")[1:-1])
    graph = "https://w3id.org/cnamkg/graph/"
    assert rows == {
        f"{ID}organization/cnam,1794,{graph}esr-etablissements",
        f"{ID}organization/arts-et-metiers,1780,{graph}esr-etablissements",
        f"{ID}organization/sorbonne-universite,2018-01-01,{graph}esr-etablissements",
        f"{ID}organization/dicen-idf,2009,{graph}rnsr-structures",
        f"{ID}organization/ht2s,2014,{graph}rnsr-structures",
        f"{ID}organization/afas,1872,{graph}afas-statuts",
        f"{ID}organization/alliance-mistral-ai,2025-02,{graph}communique-journee-ia",
    }
    query = """
    SELECT ?code ?g WHERE { GRAPH ?g {
      <https://w3id.org/cnamkg/id/organization/cnam> <https://schema.org/address> ?a .
      ?a <https://schema.org/postalCode> ?code } }"""
    r = kg.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert set(r.get_data(as_text=True).split("\r\n")[1:-1]) == {
        f"75003,{graph}communique-journee-ia",
        f"75141,{graph}esr-etablissements",
    }


def _rows(kg: FlaskClient, query: str) -> set[str]:
    r = kg.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    return set(r.get_data(as_text=True).split("\r\n")[1:-1])


#: (subject, property, value as SPARQL CSV writes it, graph) for each fact of
#: external-ids.md "Facts beyond the press release" published by §1, in its source's graph.
SOURCED_FACTS = [
    (
        "organization/cnam",
        "https://w3id.org/cnamkg/ontology#legalForm",
        "grand établissement",
        "esr-etablissements",
    ),
    (
        "organization/dicen-idf",
        "https://w3id.org/cnamkg/ontology#mainSupervisor",
        f"{ID}organization/cnam",
        "rnsr-structures",
    ),
    (
        "organization/dicen-idf",
        "https://w3id.org/cnamkg/ontology#supervisor",
        f"{ID}organization/universite-paris-nanterre",
        "rnsr-structures",
    ),
    (
        "organization/dicen-idf",
        "https://w3id.org/cnamkg/ontology#supervisor",
        f"{ID}organization/universite-gustave-eiffel",
        "rnsr-structures",
    ),
    (
        "organization/ht2s",
        "https://w3id.org/cnamkg/ontology#mainSupervisor",
        f"{ID}organization/cnam",
        "rnsr-structures",
    ),
    (
        "organization/afas",
        "https://w3id.org/cnamkg/ontology#publicUtilityDate",
        "1876-05-09",
        "afas-statuts",
    ),
    ("project/caire", "https://schema.org/startDate", "2023-09", "am-caire"),
    ("project/caire", "https://schema.org/startDate", "2023-09", "cesi-caire"),
    # « 60 months »: the store writes xsd:duration "P60M" in its canonical form, P5Y
    ("project/caire", "https://schema.org/duration", "P5Y", "am-caire"),
    ("project/caire", "https://schema.org/duration", "P5Y", "cesi-caire"),
    (
        "project/caire",
        "https://w3id.org/cnamkg/ontology#coordinator",
        f"{ID}organization/arts-et-metiers",
        "am-caire",
    ),
    (
        "project/caire",
        "https://w3id.org/cnamkg/ontology#coordinator",
        f"{ID}organization/arts-et-metiers",
        "cesi-caire",
    ),
    (
        "project/caire",
        "https://w3id.org/cnamkg/ontology#coordinator",
        f"{ID}organization/arts-et-metiers",
        "communique-journee-ia",
    ),
    (
        "project/postgenai-paris",
        "https://schema.org/startDate",
        "2025-04-01",
        "su-postgenai-lancement",
    ),
    (
        "project/postgenai-paris",
        "https://w3id.org/cnamkg/ontology#selectionDate",
        "2024-05-21",
        "su-postgenai-laureat",
    ),
    (
        "project/postgenai-paris",
        "http://purl.org/cerif/frapo/isFundedBy",
        f"{ID}programme/france-2030",
        "su-postgenai-laureat",
    ),
    (
        "call/ia-cluster",
        "https://w3id.org/cnamkg/ontology#resultsDate",
        "2024-05-21",
        "su-postgenai-laureat",
    ),
    (
        "call/ia-cluster",
        "https://w3id.org/cnamkg/ontology#laureateCount",
        "9",
        "su-postgenai-laureat",
    ),
    (
        "call/ia-cluster",
        "https://w3id.org/cnamkg/ontology#operator",
        f"{ID}organization/anr",
        "anr-ia-cluster",
    ),
    ("call/competences-metiers-avenir", "https://schema.org/startDate", "2021-12", "gouv-ami-cma"),
    (
        "call/competences-metiers-avenir",
        "https://w3id.org/cnamkg/ontology#operator",
        f"{ID}organization/anr",
        "gouv-ami-cma",
    ),
    (
        "call/competences-metiers-avenir",
        "https://w3id.org/cnamkg/ontology#operator",
        f"{ID}organization/banque-des-territoires",
        "gouv-ami-cma",
    ),
    (
        "organization/alliance-mistral-ai",
        "https://w3id.org/cnamkg/ontology#announcementDate",
        "2025-02-05",
        "aef-alliance",
    ),
    (
        "organization/alliance-mistral-ai",
        "https://w3id.org/cnamkg/ontology#ledBy",
        f"{ID}organization/edtech-france",
        "aef-alliance",
    ),
    (
        "organization/alliance-mistral-ai",
        "https://schema.org/member",
        f"{ID}organization/cnam",
        "aef-alliance",
    ),
]


def test_facts_beyond_the_press_release_each_in_their_source_graph(kg: FlaskClient) -> None:
    """Every fact of external-ids.md's last section that we publish sits in the named graph
    of the source that states it; a fact two sources state is published by each."""
    for slug, prop, value, graph in SOURCED_FACTS:
        query = f"""SELECT ?v WHERE {{ GRAPH <https://w3id.org/cnamkg/graph/{graph}> {{
          <{ID}{slug}> <{prop}> ?v }} }}"""
        assert value in _rows(kg, query), (slug, prop, graph)


def test_amounts_coordinates_and_counts_keep_their_units(kg: FlaskClient) -> None:
    """Money is a schema:MonetaryAmount in EUR (with its period where the source gives one),
    coordinates are decimal degrees, « more than 60 » is a lower bound, not a value."""
    money = """SELECT ?e ?v ?c ?per ?g WHERE { GRAPH ?g { ?e ?p ?m .
      ?m a <https://schema.org/MonetaryAmount> ; <https://schema.org/value> ?v ;
         <https://schema.org/currency> ?c
      OPTIONAL { ?m <https://w3id.org/cnamkg/ontology#period> ?per } } }"""
    graph = "https://w3id.org/cnamkg/graph/"
    assert _rows(kg, money) == {
        f"{ID}project/caire,12900000,EUR,,{graph}cesi-caire",
        f"{ID}project/postgenai-paris,35000000,EUR,P5Y,{graph}su-postgenai-laureat",
        f"{ID}call/competences-metiers-avenir,2000000000,EUR,,{graph}gouv-ami-cma",
    }
    geo = """SELECT ?lat ?long WHERE { <https://w3id.org/cnamkg/id/organization/cnam>
      <https://schema.org/geo> [ <https://schema.org/latitude> ?lat ;
                                 <https://schema.org/longitude> ?long ]
      FILTER(datatype(?lat) = <http://www.w3.org/2001/XMLSchema#decimal>) }"""
    assert _rows(kg, geo) == {"48.86676,2.35545"}
    partners = """SELECT ?v ?min ?unit WHERE {
      <https://w3id.org/cnamkg/id/project/postgenai-paris>
        <https://w3id.org/cnamkg/ontology#partnerCount> ?q .
      ?q <https://schema.org/unitText> ?unit FILTER(lang(?unit) = "en")
      OPTIONAL { ?q <https://schema.org/value> ?v } OPTIONAL { ?q <https://schema.org/minValue> ?min } }"""
    assert _rows(kg, partners) == {"16,,academic partners", ",61,industrial partners"}


def test_no_france_2030_amount_is_published(kg: FlaskClient) -> None:
    """external-ids.md: France 2030's amount differs by source and date; none is published."""
    query = """SELECT ?p WHERE { <https://w3id.org/cnamkg/id/programme/france-2030> ?p ?m .
      ?m a <https://schema.org/MonetaryAmount> }"""
    assert _rows(kg, query) == set()
