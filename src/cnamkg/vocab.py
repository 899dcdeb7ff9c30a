"""Namespace IRIs used by the code (as plain strings: pyoxigraph and rdflib both take them)."""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
FRAPO = "http://purl.org/cerif/frapo/"
#: Our ontology's namespace, as the data, ontology and shape files write it.
CNAMKG = "https://w3id.org/cnamkg/ontology#"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
SKOS_PREFLABEL = SKOS + "prefLabel"
SCHEMA_NAME = SCHEMA + "name"
DCTERMS_SOURCE = DCTERMS + "source"
PROV_WAS_DERIVED_FROM = PROV + "wasDerivedFrom"

#: Prefixes offered to SPARQL users and used when writing Turtle (own ones are added per base).
COMMON_PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "org": ORG,
    "foaf": FOAF,
    "frapo": FRAPO,
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": VOID,
    "dcat": DCAT,
}
