"""Competency questions: what a user asks of the graph, answered by SPARQL.

Each expected answer was worked out by hand from the press release
(shared/sources/communique-cnam-journee-ia.txt) and, for the year and hours of the study
day, from the AFAS event page (external-ids.md, key AFAS-EV). The store is built by the
product's own pipeline (`cnamkg build`): one named graph per data file
({base}graph/{file-stem}), the ontology files in {base}graph/ontology, queried with the
default graph as the union.

Questions:

1. Who co-organised the study day?
2. Who organised the study day, counting co-organisers (sub-properties of schema:organizer)?
3. Who coordinates CAIRE?
4. Who are CAIRE's partners?
5. What does the acronym CAIRE stand for?
6. Which projects involving the Cnam were selected in which France 2030 calls?
7. How many people does CAIRE aim to train, in what unit, and over how long?
8. Who leads PostGenAI@Paris, and is the Cnam a partner of it?
9. Which units belong to the Cnam (and does every unit name its parent back)?
10. Which of the Cnam's units are research laboratories?
11. Who are the members of the alliance with Mistral AI and EdTech France, and since when?
12. Which European values does that alliance uphold?
13. What is the Cnam's postal address?
14. Who is the Cnam's press contact?
15. How many learners does the École du numérique et de l'IA train, and per what period?
16. Which programme does the national AI strategy belong to, and which programme funds the Cnam?
17. Which calls belong to France 2030?
18. What is the study day about?
19. Who was the study day's audience?
20. In what session formats did the study day take place?
21. Was the study day open to the public, and how could one attend it?
22. When did the study day take place, according to which source (which gives the year)?
23. What is the study day billed as on the AFAS page, and when does it end?
24. Which documents are sources of the graph, and what is the press release about?
25. Does every entity have a French and an English label, a type and a source?
26. Does every statement of the AFAS file name the AFAS page as its source?
27. Does every class and property used in the data have a French and an English label?
28. How many themes does the theme scheme hold, and are there at least five?
"""

from __future__ import annotations

import pyoxigraph
import pytest

from cnamkg.pipeline.build import build
from cnamkg.settings import Settings
from cnamkg.store.base import Store
from cnamkg.store.registry import open_store

ID = "https://w3id.org/cnamkg/id/"
GRAPH = "https://w3id.org/cnamkg/graph/"
PREFIXES = """
PREFIX cnamkg:  <https://w3id.org/cnamkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX frapo:   <http://purl.org/cerif/frapo/>
PREFIX id:      <https://w3id.org/cnamkg/id/>
PREFIX org:     <http://www.w3.org/ns/org#>
PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema:  <https://schema.org/>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>
"""

CNAM = ID + "organization/cnam"
STUDY_DAY = ID + "event/journee-etude-ia-societe"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The repository's data as `cnamkg build` stores it: validated, then written to an
    on-disk Oxigraph store, one named graph per data file, opened read-only."""
    path = tmp_path_factory.mktemp("store")
    settings = Settings(store=f"oxigraph:{path}")
    build(settings, path)
    return open_store(settings)


def _py(term: object) -> object:
    """A query term as a plain Python value: IRI text, int, bool, 'text@lang' or text."""
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        if term.datatype.value == XSD_INTEGER:
            return int(term.value)
        if term.datatype.value == XSD_BOOLEAN:
            return term.value == "true"
        return term.value
    return str(term)


def select(store: Store, query: str) -> set[tuple[object, ...]]:
    """Rows of a SELECT query, as a set of tuples of Python values."""
    results = store.query(PREFIXES + query)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    names = [v.value for v in results.variables]
    return {tuple(_py(row[n]) for n in names) for row in results}


def column(store: Store, query: str) -> set[object]:
    """The single column of a SELECT query, as a set."""
    return {row[0] for row in select(store, query)}


def ask(store: Store, query: str) -> bool:
    result = store.query(PREFIXES + query)
    assert isinstance(result, pyoxigraph.QueryBoolean)
    return bool(result)


def test_q01_study_day_co_organisers(store: Store) -> None:
    """Who co-organised the study day?"""
    query = "SELECT ?o WHERE { id:event\\/journee-etude-ia-societe cnamkg:coOrganizer ?o }"
    assert column(store, query) == {
        ID + "organization/dicen-idf",
        ID + "organization/ht2s",
        ID + "organization/afas",
        ID + "organization/liberation",
    }


def test_q02_study_day_organisers_through_the_ontology(store: Store) -> None:
    """Who organised the study day, counting co-organisers (sub-properties of schema:organizer)?"""
    query = """
    SELECT DISTINCT ?label WHERE {
      ?p rdfs:subPropertyOf* schema:organizer .
      <https://w3id.org/cnamkg/id/event/journee-etude-ia-societe> ?p ?o .
      ?o rdfs:label ?label . FILTER(lang(?label) = "fr")
    }"""
    assert column(store, query) == {
        "Cnam@fr",
        "DICEN-IDF@fr",
        "HT2S@fr",
        "Association française pour l'avancement des sciences@fr",
        "Libération@fr",
    }


def test_q03_caire_coordinator(store: Store) -> None:
    """Who coordinates CAIRE?"""
    assert column(store, "SELECT ?c WHERE { id:project\\/caire cnamkg:coordinator ?c }") == {
        ID + "organization/arts-et-metiers"
    }


def test_q04_caire_partners(store: Store) -> None:
    """Who are CAIRE's partners?"""
    assert column(store, "SELECT ?p WHERE { id:project\\/caire cnamkg:partner ?p }") == {
        ID + "organization/cnam",
        ID + "organization/cesi",
        ID + "organization/universite-bourgogne-europe",
        ID + "organization/paris-school-of-business",
    }


def test_q05_caire_full_name(store: Store) -> None:
    """What does the acronym CAIRE stand for?"""
    assert column(store, "SELECT ?n WHERE { id:project\\/caire skos:altLabel ?n }") == {
        "Citizen-oriented Artificial Intelligence training for a Responsible Education@en"
    }


def test_q06_cnam_projects_selected_in_france_2030_calls(store: Store) -> None:
    """Which projects involving the Cnam were selected in which France 2030 calls?"""
    query = """
    SELECT ?project ?call WHERE {
      ?project cnamkg:coordinator|cnamkg:partner id:organization\\/cnam ;
               cnamkg:selectedIn ?call .
      ?call dcterms:isPartOf id:programme\\/france-2030 .
    }"""
    assert select(store, query) == {
        (ID + "project/caire", ID + "call/competences-metiers-avenir"),
        (ID + "project/postgenai-paris", ID + "call/ia-cluster"),
    }


def test_q07_caire_training_target(store: Store) -> None:
    """How many people does CAIRE aim to train, in what unit, and over how long?"""
    query = """
    SELECT ?value ?unit ?period WHERE {
      id:project\\/caire cnamkg:trainingTarget ?q .
      ?q schema:value ?value ; schema:unitText ?unit ; cnamkg:period ?period .
      FILTER(lang(?unit) = "en")
    }"""
    assert select(store, query) == {(28000, "people@en", "P5Y")}


def test_q08_postgenai_lead_and_cnam_role(store: Store) -> None:
    """Who leads PostGenAI@Paris, and is the Cnam a partner of it?"""
    query = "SELECT ?c WHERE { id:project\\/postgenai-paris cnamkg:coordinator ?c }"
    assert column(store, query) == {ID + "organization/sorbonne-universite"}
    assert ask(store, "ASK { id:project\\/postgenai-paris cnamkg:partner id:organization\\/cnam }")


def test_q09_units_of_the_cnam(store: Store) -> None:
    """Which units belong to the Cnam (and does every unit name its parent back)?"""
    expected = {
        ID + "organization/dicen-idf",
        ID + "organization/ht2s",
        ID + "organization/ecole-numerique-ia",
        ID + "organization/cnam-direction-communication",
    }
    assert column(store, "SELECT ?u WHERE { id:organization\\/cnam org:hasUnit ?u }") == expected
    assert column(store, "SELECT ?u WHERE { ?u org:unitOf id:organization\\/cnam }") == expected


def test_q10_laboratories_of_the_cnam(store: Store) -> None:
    """Which of the Cnam's units are research laboratories?"""
    query = """
    SELECT ?u WHERE { ?u org:unitOf id:organization\\/cnam ; a schema:ResearchOrganization }"""
    assert column(store, query) == {ID + "organization/dicen-idf", ID + "organization/ht2s"}


def test_q11_alliance_members_and_start(store: Store) -> None:
    """Who are the members of the alliance with Mistral AI and EdTech France, and since when?"""
    query = "SELECT ?m WHERE { id:organization\\/alliance-mistral-ai schema:member ?m }"
    assert column(store, query) == {
        ID + "organization/cnam",
        ID + "organization/mistral-ai",
        ID + "organization/edtech-france",
    }
    query = """
    SELECT ?d (datatype(?d) AS ?t)
    WHERE { id:organization\\/alliance-mistral-ai schema:foundingDate ?d }"""
    assert select(store, query) == {("2025-02", "http://www.w3.org/2001/XMLSchema#gYearMonth")}


def test_q12_alliance_values(store: Store) -> None:
    """Which European values does that alliance uphold?"""
    query = """
    SELECT ?label WHERE {
      id:organization\\/alliance-mistral-ai cnamkg:promotesValue ?v .
      ?v skos:inScheme id:topic\\/valeurs-europeennes ; rdfs:label ?label .
      FILTER(lang(?label) = "en")
    }"""
    assert column(store, query) == {
        "Universalism@en",
        "Equal opportunity@en",
        "Frugality@en",
        "Sovereignty@en",
    }


def test_q13_cnam_address(store: Store) -> None:
    """What is the Cnam's postal address? Two sources give one each (the press release,
    the ministry's dataset): both are published, each with its source."""
    query = """
    SELECT ?street ?code ?city ?country WHERE {
      id:organization\\/cnam schema:address ?a .
      ?a a schema:PostalAddress ; schema:streetAddress ?street ; schema:postalCode ?code ;
         schema:addressLocality ?city ; schema:addressCountry ?country .
    }"""
    assert select(store, query) == {
        ("292, rue Saint-Martin", "75003", "Paris", "FR"),
        ("292 rue Saint-Martin", "75141", "Paris Cedex 03", "FR"),
    }


def test_q14_cnam_press_contact(store: Store) -> None:
    """Who is the Cnam's press contact?"""
    query = """
    SELECT ?contact WHERE {
      id:organization\\/cnam schema:contactPoint ?contact .
      ?contact schema:contactType "press"@en .
    }"""
    assert column(store, query) == {ID + "organization/cnam-direction-communication"}


def test_q15_school_learners_per_year(store: Store) -> None:
    """How many learners does the École du numérique et de l'IA train, and per what period?"""
    query = """
    SELECT ?value ?unit ?period WHERE {
      id:organization\\/ecole-numerique-ia cnamkg:learnersTrained ?q .
      ?q schema:value ?value ; schema:unitText ?unit ; cnamkg:period ?period .
      FILTER(lang(?unit) = "fr")
    }"""
    assert select(store, query) == {(19000, "élèves@fr", "P1Y")}


def test_q16_strategy_programme_and_cnam_funding(store: Store) -> None:
    """Which programme does the national AI strategy belong to, and which one funds the Cnam?"""
    query = "SELECT ?p WHERE { id:programme\\/strategie-nationale-ia dcterms:isPartOf ?p }"
    assert column(store, query) == {ID + "programme/france-2030"}
    query = """
    SELECT ?funding ?parent WHERE {
      id:organization\\/cnam frapo:isFundedBy ?funding . ?funding dcterms:isPartOf ?parent .
    }"""
    assert select(store, query) == {
        (ID + "programme/strategie-nationale-ia", ID + "programme/france-2030")
    }


def test_q17_calls_of_france_2030(store: Store) -> None:
    """Which calls belong to France 2030?"""
    query = "SELECT ?c WHERE { ?c a cnamkg:Call ; dcterms:isPartOf id:programme\\/france-2030 }"
    assert column(store, query) == {
        ID + "call/competences-metiers-avenir",
        ID + "call/ia-cluster",
    }


def test_q18_study_day_topics(store: Store) -> None:
    """What is the study day about?"""
    query = """
    SELECT ?t WHERE {
      id:event\\/journee-etude-ia-societe schema:about ?t . ?t skos:inScheme id:topic\\/themes .
    }"""
    assert column(store, query) == {
        ID + "topic/transformation-vies-organisations",
        ID + "topic/place-de-l-humain",
        ID + "topic/impacts-societaux-ia",
        ID + "topic/opportunites-ia",
        ID + "topic/risques-ia",
        ID + "topic/dialogue-sciences-societe",
        ID + "topic/debat-public",
        ID + "topic/ia-responsable",
        ID + "topic/ethique-ia",
    }


def test_q19_study_day_audiences(store: Store) -> None:
    """Who was the study day's audience?"""
    query = """
    SELECT ?label WHERE {
      id:event\\/journee-etude-ia-societe schema:audience ?a . ?a rdfs:label ?label .
      FILTER(lang(?label) = "en")
    }"""
    assert column(store, query) == {
        "Researchers@en",
        "Academics@en",
        "Company representatives@en",
        "Public officials@en",
        "Journalists@en",
    }


def test_q20_study_day_formats(store: Store) -> None:
    """In what session formats did the study day take place?"""
    query = """
    SELECT ?label WHERE {
      id:event\\/journee-etude-ia-societe cnamkg:sessionFormat ?f . ?f rdfs:label ?label .
      FILTER(lang(?label) = "fr")
    }"""
    assert column(store, query) == {"Conférence@fr", "Table ronde@fr"}


def test_q21_open_to_public_and_attendance(store: Store) -> None:
    """Was the study day open to the public, and how could one attend it?"""
    assert ask(store, "ASK { id:event\\/journee-etude-ia-societe cnamkg:openToPublic true }")
    query = """
    SELECT ?mode ?kind WHERE {
      id:event\\/journee-etude-ia-societe schema:eventAttendanceMode ?mode ; schema:location ?l .
      ?l a ?kind . FILTER(?kind IN (schema:Place, schema:VirtualLocation))
    }"""
    assert select(store, query) == {
        ("https://schema.org/MixedEventAttendanceMode", "https://schema.org/Place"),
        ("https://schema.org/MixedEventAttendanceMode", "https://schema.org/VirtualLocation"),
    }


def test_q22_study_day_date_by_source(store: Store) -> None:
    """When did the study day take place, according to which source (which gives the year)?"""
    query = """
    SELECT ?g ?date ?doc WHERE {
      GRAPH ?g {
        id:event\\/journee-etude-ia-societe schema:startDate ?date ; dcterms:source ?doc .
      }
    }"""
    assert select(store, query) == {
        (GRAPH + "communique-journee-ia", "--10-02", ID + "document/communique-journee-ia"),
        (
            GRAPH + "afas-evenement-journee-ia",
            "2025-10-02T09:00:00+02:00",
            ID + "document/afas-evenement-journee-ia",
        ),
    }
    year = """
    SELECT ?g WHERE {
      GRAPH ?g { id:event\\/journee-etude-ia-societe schema:startDate ?d }
      FILTER(datatype(?d) IN (xsd:date, xsd:dateTime, xsd:gYearMonth, xsd:gYear))
      FILTER(YEAR(?d) = 2025)
    }"""
    assert column(store, year) == {GRAPH + "afas-evenement-journee-ia"}


def test_q23_study_day_billing_and_end(store: Store) -> None:
    """What is the study day billed as on the AFAS page, and when does it end?"""
    query = """
    SELECT ?alt ?end WHERE {
      GRAPH <https://w3id.org/cnamkg/graph/afas-evenement-journee-ia> {
        id:event\\/journee-etude-ia-societe skos:altLabel ?alt ; schema:endDate ?end .
      }
    }"""
    assert select(store, query) == {
        ("Journée d'étude Cnam – Afas – Libération@fr", "2025-10-02T19:30:00+02:00")
    }


def test_q24_source_documents(store: Store) -> None:
    """Which documents are sources of the graph, and what is the press release about?"""
    assert column(store, "SELECT DISTINCT ?d WHERE { ?s dcterms:source ?d }") == {
        ID + "document/communique-journee-ia",
        ID + "document/afas-evenement-journee-ia",
        ID + "document/esr-principaux-etablissements",
        ID + "document/rnsr-structures-recherche",
        ID + "document/afas-statuts",
        ID + "document/am-caire",
        ID + "document/cesi-caire",
        ID + "document/su-postgenai-laureat",
        ID + "document/su-postgenai-lancement",
        ID + "document/gouv-ami-cma",
        ID + "document/anr-ia-cluster",
        ID + "document/aef-alliance",
    }
    query = "SELECT ?x WHERE { id:document\\/communique-journee-ia schema:about ?x }"
    assert column(store, query) == {
        STUDY_DAY,
        ID + "topic/formation-ia",
        ID + "topic/recherche-ia",
    }


def test_q25_every_entity_has_labels_type_and_source(store: Store) -> None:
    """Does every entity have a French and an English label, a type and a source?"""
    query = """
    SELECT DISTINCT ?e WHERE {
      { ?e ?p ?o } UNION { ?s ?p ?e }
      FILTER(isIRI(?e) && STRSTARTS(STR(?e), "https://w3id.org/cnamkg/id/"))
      FILTER(
        NOT EXISTS { ?e rdfs:label ?fr FILTER(lang(?fr) = "fr") }
        || NOT EXISTS { ?e rdfs:label ?en FILTER(lang(?en) = "en") }
        || NOT EXISTS { ?e a ?type }
        || NOT EXISTS { ?e dcterms:source ?doc }
      )
    }"""
    assert column(store, query) == set()
    entities = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dcterms:source ?d }"
    # 19 organisations (15 of the press release; two DICEN-IDF supervisors from RNSR; ANR
    # and Banque des Territoires from GOUV-CMA) + 2 programmes + 2 calls + 2 projects
    # + 1 event + 12 documents (press release, AFAS event page, ESR and RNSR datasets, AFAS
    # statutes, and the seven web pages of external-ids.md's sources)
    # + 27 topics (4 schemes, 12 themes, 4 values, 5 audiences, 2 formats) = 65
    assert column(store, entities) == {65}


def test_q26_afas_file_is_sourced_to_the_afas_page(store: Store) -> None:
    """Does every statement of the AFAS file name the AFAS page as its source?"""
    query = """
    ASK {
      GRAPH <https://w3id.org/cnamkg/graph/afas-evenement-journee-ia> {
        ?s ?p ?o . FILTER(isIRI(?s))
        FILTER NOT EXISTS { ?s dcterms:source id:document\\/afas-evenement-journee-ia }
      }
    }"""
    assert not ask(store, query)


def test_q27_vocabulary_is_labelled_in_both_languages(store: Store) -> None:
    """Does every class and property used in the data have a French and an English label?"""
    query = """
    SELECT DISTINCT ?term WHERE {
      GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } }
      FILTER(?g != <https://w3id.org/cnamkg/graph/ontology>)
      FILTER(
        NOT EXISTS { GRAPH <https://w3id.org/cnamkg/graph/ontology> {
          ?term rdfs:label ?fr FILTER(lang(?fr) = "fr") } }
        || NOT EXISTS { GRAPH <https://w3id.org/cnamkg/graph/ontology> {
          ?term rdfs:label ?en FILTER(lang(?en) = "en") } }
      )
    }"""
    assert column(store, query) == set()


def test_q28_theme_scheme_size(store: Store) -> None:
    """How many themes does the theme scheme hold, and are there at least five?"""
    query = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a skos:Concept ; skos:inScheme id:topic\\/themes }"
    (n,) = column(store, query)
    assert n == 12
    assert isinstance(n, int) and n >= 5
