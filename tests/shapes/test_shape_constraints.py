"""SHACL shapes: every constraint fails on a broken fixture; the real data conforms.

Each file under ``tests/data/shapes/`` is a tiny standalone graph (the defective entity,
the document it points at, and whatever valid entity it links to) with exactly one
defect, named in the file's header comment. The table below gives, for each fixture,
the result the shapes must report: focus node, ``sh:resultPath`` and
``sh:sourceConstraintComponent``. Every result of a fixture must be about that one
focus node (a blank node focus is written ``BLANK``).

Validation goes through the project API :func:`cnamkg.pipeline.validate.validate`
(pySHACL, inference "none", the ontology as ontology graph).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from cnamkg.errors import SourceSyntaxError
from cnamkg.pipeline.validate import ValidationReport, Violation, validate

ROOT = Path(__file__).parents[2]
SHAPES = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology"
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "data" / "shapes"

ID = "https://w3id.org/cnamkg/id/"
RDF_ = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FRAPO = "http://purl.org/cerif/frapo/"
CNAMKG = "https://w3id.org/cnamkg/ontology#"
SHACL = "http://www.w3.org/ns/shacl#"
OWL = "http://www.w3.org/2002/07/owl#"
#: Stands for "some blank node" as expected focus node.
BLANK = "_:"

#: (fixture stem, expected focus node, expected sh:resultPath, expected component)
#: component is the local name without "ConstraintComponent".
CASES: list[tuple[str, str, str | None, str]] = [
    ("entity-blank-node", BLANK, None, "NodeKind"),
    ("sameas-wikidata-https", ID + "organization/x", OWL + "sameAs", "Or"),
    ("sameas-ror-short", ID + "organization/x", OWL + "sameAs", "Or"),
    ("identifier-unknown-registry", BLANK, SCHEMA + "propertyID", "In"),
    ("identifier-bad-uai", BLANK, None, "Or"),
    ("identifier-isni-spaces", BLANK, None, "Or"),
    ("website-literal", ID + "organization/x", SCHEMA + "url", "NodeKind"),
    ("entity-bad-slug", ID + "organization/Bad_Slug", None, "Pattern"),
    ("label-missing-fr", ID + "organization/x", RDFS + "label", "QualifiedMinCount"),
    ("label-missing-en", ID + "organization/x", RDFS + "label", "QualifiedMinCount"),
    ("label-other-language", ID + "organization/x", RDFS + "label", "LanguageIn"),
    ("label-untagged", ID + "organization/x", RDFS + "label", "LanguageIn"),
    ("label-two-french", ID + "organization/x", RDFS + "label", "UniqueLang"),
    ("label-control-character", ID + "organization/x", RDFS + "label", "Pattern"),
    ("label-blank", ID + "organization/x", RDFS + "label", "Pattern"),
    ("type-missing", ID + "organization/x", RDF_ + "type", "MinCount"),
    ("type-literal", ID + "organization/x", RDF_ + "type", "NodeKind"),
    ("source-missing", ID + "organization/x", DCTERMS + "source", "MinCount"),
    ("source-not-document", ID + "organization/x", DCTERMS + "source", "Class"),
    ("description-other-language", ID + "organization/x", SCHEMA + "description", "LanguageIn"),
    ("description-two-french", ID + "organization/x", SCHEMA + "description", "UniqueLang"),
    ("altlabel-untagged", ID + "organization/x", SKOS + "altLabel", "Datatype"),
    ("organization-wrong-kind", ID + "project/x", None, "Pattern"),
    ("organization-not-org-typed", ID + "organization/x", None, "Class"),
    ("unit-of-not-organization", ID + "organization/x", ORG + "unitOf", "Class"),
    ("unit-without-parent", ID + "organization/x", ORG + "unitOf", "MinCount"),
    ("has-unit-not-unit", ID + "organization/x", ORG + "hasUnit", "Class"),
    ("member-not-organization", ID + "organization/x", SCHEMA + "member", "Class"),
    ("funded-by-not-programme", ID + "organization/x", FRAPO + "isFundedBy", "Class"),
    ("address-not-postal-address", ID + "organization/x", SCHEMA + "address", "Class"),
    ("contact-point-not-contact-point", ID + "organization/x", SCHEMA + "contactPoint", "Class"),
    ("founder-not-organization", ID + "organization/x", SCHEMA + "founder", "Class"),
    ("learners-not-quantity", ID + "organization/x", CNAMKG + "learnersTrained", "Class"),
    ("promotes-value-not-concept", ID + "organization/x", CNAMKG + "promotesValue", "Class"),
    ("founding-date-string", ID + "organization/x", SCHEMA + "foundingDate", "Or"),
    ("founding-date-two-values", ID + "organization/x", SCHEMA + "foundingDate", "MaxCount"),
    ("project-wrong-kind", ID + "organization/p", None, "Pattern"),
    ("project-not-project-typed", ID + "project/p", None, "Class"),
    ("coordinator-not-organization", ID + "project/p", CNAMKG + "coordinator", "Class"),
    ("two-coordinators", ID + "project/p", CNAMKG + "coordinator", "MaxCount"),
    ("partner-not-organization", ID + "project/p", CNAMKG + "partner", "Class"),
    ("selected-in-not-call", ID + "project/p", CNAMKG + "selectedIn", "Class"),
    ("training-target-not-quantity", ID + "project/p", CNAMKG + "trainingTarget", "Class"),
    ("project-subject-not-concept", ID + "project/p", DCTERMS + "subject", "Class"),
    ("programme-wrong-kind", ID + "call/f", None, "Pattern"),
    ("programme-part-of-not-programme", ID + "programme/q", DCTERMS + "isPartOf", "Class"),
    ("call-wrong-kind", ID + "programme/x", None, "Pattern"),
    ("call-without-programme", ID + "call/c", DCTERMS + "isPartOf", "MinCount"),
    ("call-part-of-not-programme", ID + "call/c", DCTERMS + "isPartOf", "Class"),
    ("event-wrong-kind", ID + "topic/e", None, "Pattern"),
    ("event-name-untagged", ID + "event/e", SCHEMA + "name", "Datatype"),
    ("event-without-date", ID + "event/e", SCHEMA + "startDate", "MinCount"),
    ("event-start-date-string", ID + "event/e", SCHEMA + "startDate", "Or"),
    ("event-end-date-string", ID + "event/e", SCHEMA + "endDate", "Or"),
    ("organizer-not-organization", ID + "event/e", SCHEMA + "organizer", "Class"),
    ("co-organizer-not-organization", ID + "event/e", CNAMKG + "coOrganizer", "Class"),
    ("event-about-not-concept", ID + "event/e", SCHEMA + "about", "Class"),
    ("audience-not-audience", ID + "event/e", SCHEMA + "audience", "Class"),
    ("session-format-not-concept", ID + "event/e", CNAMKG + "sessionFormat", "Class"),
    ("open-to-public-string", ID + "event/e", CNAMKG + "openToPublic", "Datatype"),
    ("open-to-public-two-values", ID + "event/e", CNAMKG + "openToPublic", "MaxCount"),
    ("location-not-place", ID + "event/e", SCHEMA + "location", "Or"),
    ("attendance-mode-unknown", ID + "event/e", SCHEMA + "eventAttendanceMode", "In"),
    ("concept-wrong-kind", ID + "organization/c", None, "Pattern"),
    ("concept-without-scheme", ID + "topic/c", SKOS + "inScheme", "MinCount"),
    ("concept-scheme-not-scheme", ID + "topic/d", SKOS + "inScheme", "Class"),
    ("concept-top-concept-of-not-scheme", ID + "topic/c", SKOS + "topConceptOf", "Class"),
    ("concept-pref-label-other-language", ID + "topic/c", SKOS + "prefLabel", "LanguageIn"),
    ("concept-pref-label-two-french", ID + "topic/c", SKOS + "prefLabel", "UniqueLang"),
    ("audience-not-concept", ID + "topic/c", None, "Class"),
    ("scheme-wrong-kind", ID + "document/s", None, "Pattern"),
    ("scheme-top-concept-not-concept", ID + "topic/s", SKOS + "hasTopConcept", "Class"),
    ("document-wrong-kind", ID + "organization/d", None, "Pattern"),
    ("document-without-url", ID + "document/d", SCHEMA + "url", "MinCount"),
    ("document-url-string", ID + "document/d", SCHEMA + "url", "NodeKind"),
    ("document-title-untagged", ID + "document/d", DCTERMS + "title", "Datatype"),
    ("publisher-not-organization", ID + "document/d", DCTERMS + "publisher", "Class"),
    ("document-about-literal", ID + "document/d", SCHEMA + "about", "NodeKind"),
    ("document-language-tagged", ID + "document/d", SCHEMA + "inLanguage", "Datatype"),
    ("document-language-not-code", ID + "document/d", SCHEMA + "inLanguage", "Pattern"),
    ("quantity-without-value", BLANK, None, "Xone"),
    ("quantity-value-and-lower-bound", BLANK, None, "Xone"),
    ("money-without-currency", BLANK, SCHEMA + "currency", "MinCount"),
    ("money-currency-name", BLANK, SCHEMA + "currency", "Pattern"),
    ("budget-not-money", ID + "project/p", CNAMKG + "totalBudget", "Class"),
    ("geo-latitude-out-of-range", BLANK, SCHEMA + "latitude", "MaxInclusive"),
    ("identifier-bad-ea", BLANK, None, "Or"),
    ("supervisor-not-organization", ID + "organization/x", CNAMKG + "supervisor", "Class"),
    ("two-main-supervisors", ID + "organization/x", CNAMKG + "mainSupervisor", "MaxCount"),
    ("public-utility-date-year", ID + "organization/x", CNAMKG + "publicUtilityDate", "Datatype"),
    ("call-operator-not-organization", ID + "call/c", CNAMKG + "operator", "Class"),
    ("laureate-count-zero", ID + "call/c", CNAMKG + "laureateCount", "MinInclusive"),
    ("selection-date-string", ID + "project/p", CNAMKG + "selectionDate", "Datatype"),
    ("project-duration-string", ID + "project/p", SCHEMA + "duration", "Datatype"),
    ("quantity-two-values", BLANK, SCHEMA + "value", "MaxCount"),
    ("quantity-value-decimal", BLANK, SCHEMA + "value", "Datatype"),
    ("quantity-without-unit", BLANK, SCHEMA + "unitText", "MinCount"),
    ("quantity-unit-untagged", BLANK, SCHEMA + "unitText", "LanguageIn"),
    ("quantity-unit-two-french", BLANK, SCHEMA + "unitText", "UniqueLang"),
    ("quantity-period-string", BLANK, CNAMKG + "period", "Datatype"),
    ("quantity-two-periods", BLANK, CNAMKG + "period", "MaxCount"),
    ("address-without-street", BLANK, SCHEMA + "streetAddress", "MinCount"),
    ("address-street-tagged", BLANK, SCHEMA + "streetAddress", "Datatype"),
    ("address-postcode-bad", BLANK, SCHEMA + "postalCode", "Pattern"),
    ("address-postcode-integer", BLANK, SCHEMA + "postalCode", "Datatype"),
    ("address-without-locality", BLANK, SCHEMA + "addressLocality", "MinCount"),
    ("address-country-name", BLANK, SCHEMA + "addressCountry", "Pattern"),
    ("address-locality-tagged", BLANK, SCHEMA + "addressLocality", "Datatype"),
    ("address-country-tagged", BLANK, SCHEMA + "addressCountry", "Datatype"),
    ("contact-point-without-type", ID + "organization/x", SCHEMA + "contactType", "MinCount"),
    ("contact-point-type-untagged", ID + "organization/x", SCHEMA + "contactType", "LanguageIn"),
    ("location-without-name", BLANK, SCHEMA + "name", "MinCount"),
    ("location-name-untagged", BLANK, SCHEMA + "name", "LanguageIn"),
    ("site-of-not-organization", BLANK, ORG + "siteOf", "Class"),
]


def _validate(*paths: Path) -> ValidationReport:
    return validate(list(paths), shapes_dir=SHAPES, ontology_dir=ONTOLOGY)


def _focus(v: Violation) -> str:
    return BLANK if v.focus_node.startswith("_:") else v.focus_node


def test_real_data_conforms() -> None:
    """The curated data under data/ satisfies every shape."""
    report = _validate(*sorted(DATA.glob("*.ttl")))
    assert report.conforms, report.describe()
    assert not report.violations, report.describe()


@pytest.mark.parametrize(("stem", "focus", "path", "component"), CASES, ids=[c[0] for c in CASES])
def test_broken_fixture_fails(stem: str, focus: str, path: str | None, component: str) -> None:
    """One defect, one reported focus node, with the expected path and constraint."""
    fixture = FIXTURES / f"{stem}.ttl"
    report = _validate(fixture)
    assert not report.conforms, f"{fixture.name} should not conform"
    got = {(_focus(v), v.path, v.constraint) for v in report.violations}
    assert (focus, path, f"{SHACL}{component}ConstraintComponent") in got, report.describe()
    assert {g[0] for g in got} == {focus}, report.describe()
    for v in report.violations:
        assert v.severity == f"{SHACL}Violation"
        assert v.message, "every result carries an English message"
        assert v.data_file == fixture or v.focus_node.startswith("_:")


def test_every_fixture_is_in_the_table() -> None:
    """No fixture is left untested, and no table row lacks its fixture."""
    on_disk = {p.stem for p in FIXTURES.glob("*.ttl")} - {"syntax-error"}
    assert on_disk == {c[0] for c in CASES}


def test_syntax_error_reports_file_and_line() -> None:
    """An unparsable Turtle file raises SourceSyntaxError naming file, line and column."""
    with pytest.raises(SourceSyntaxError) as info:
        _validate(FIXTURES / "syntax-error.ttl")
    err = info.value
    assert err.path.name == "syntax-error.ttl"
    assert err.line == 7
    assert err.message


def _shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in sorted(SHAPES.glob("*.ttl")):
        g.parse(f)
    return g


def test_every_class_used_in_the_data_has_a_node_shape() -> None:
    """Each class the data uses is the sh:targetClass of a kind-specific node shape."""
    data = rdflib.Graph()
    for f in sorted(DATA.glob("*.ttl")):
        data.parse(f)
    shapes = _shapes_graph()
    entity_shape = rdflib.URIRef("https://w3id.org/cnamkg/shapes#EntityShape")
    targeted = {c for s, c in shapes.subject_objects(SH.targetClass) if s != entity_shape}
    used = set(data.objects(None, RDF.type))
    assert used - targeted == set()


def test_every_shape_constraint_has_an_english_message() -> None:
    """Every shape that declares a constraint gives an English (or untagged) sh:message."""
    shapes = _shapes_graph()
    constraint_params = {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.minCount,
        SH.maxCount,
        SH.pattern,
        SH.languageIn,
        SH.uniqueLang,
        SH["in"],
        SH["or"],
        SH.qualifiedMinCount,
    }
    for s in set(shapes.subjects()):
        if not any((s, p, None) in shapes for p in constraint_params):
            continue
        if (None, SH.qualifiedValueShape, s) in shapes or (None, RDF.first, s) in shapes:
            continue  # inner shapes of sh:qualifiedValueShape / sh:or report through their parent
        messages = list(shapes.objects(s, SH.message))
        assert messages, f"shape {s} has no sh:message"
        assert all(getattr(m, "language", None) in (None, "en") for m in messages)
