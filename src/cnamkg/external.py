"""The external datasets our entities link to, recognised by the namespace of the IRIs
they publish (VoID §4.4: a linkset holds the triples whose subject is in one dataset and
whose object is in another)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExternalDataset:
    """A dataset outside ours that our triples point into.

    :param key: short name, used in IRIs (``wikidata``).
    :param title: its name.
    :param uri_space: the namespace of its entity IRIs (``void:uriSpace``).
    :param homepage: its home page.
    """

    key: str
    title: str
    uri_space: str
    homepage: str


#: Wikidata: its items are ``http://www.wikidata.org/entity/Q…``.
WIKIDATA = ExternalDataset(
    "wikidata", "Wikidata", "http://www.wikidata.org/entity/", "https://www.wikidata.org/"
)
#: Wikidata Query Service, the SPARQL endpoint ``cnamkg link`` asks by default.
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"

#: Datasets recognised as link targets, in the order they are listed.
EXTERNAL_DATASETS = (
    WIKIDATA,
    ExternalDataset(
        "ror", "Research Organization Registry (ROR)", "https://ror.org/", "https://ror.org/"
    ),
    ExternalDataset("isni", "ISNI", "https://isni.org/isni/", "https://isni.org/"),
    ExternalDataset("idref", "IdRef", "https://www.idref.fr/", "https://www.idref.fr/"),
    ExternalDataset("orcid", "ORCID", "https://orcid.org/", "https://orcid.org/"),
    ExternalDataset(
        "dbpedia", "DBpedia", "http://dbpedia.org/resource/", "https://www.dbpedia.org/"
    ),
    ExternalDataset(
        "geonames", "GeoNames", "https://sws.geonames.org/", "https://www.geonames.org/"
    ),
)


@dataclass(frozen=True)
class Registry:
    """A registry of identifiers our entities are listed in (``schema:propertyID``).

    :param name: the name used in ``schema:propertyID`` (``ROR``).
    :param title: its full name, for people.
    :param formatter: the URL of an identifier's record, ``{}`` standing for the
        identifier (as Wikidata's "formatter URL", P1630), or ``None`` when the registry
        has no public page per identifier.
    """

    name: str
    title: str
    formatter: str | None


#: The registries whose identifiers the shapes accept (shapes/identifier.ttl), in the
#: order pages list them.
REGISTRIES: dict[str, Registry] = {
    r.name: r
    for r in (
        Registry("Wikidata", "Wikidata", "https://www.wikidata.org/wiki/{}"),
        Registry("ROR", "Research Organization Registry", "https://ror.org/{}"),
        Registry("ISNI", "International Standard Name Identifier", "https://isni.org/isni/{}"),
        Registry("IdRef", "IdRef (Sudoc authorities)", "https://www.idref.fr/{}"),
        Registry(
            "SIREN",
            "SIREN (French business register)",
            "https://annuaire-entreprises.data.gouv.fr/entreprise/{}",
        ),
        Registry(
            "SIRET",
            "SIRET (French establishment register)",
            "https://annuaire-entreprises.data.gouv.fr/etablissement/{}",
        ),
        Registry("UAI", "UAI (French register of education establishments)", None),
        Registry("RNSR", "RNSR (French register of research structures)", None),
        Registry("EA", "EA (ministry label of a host research team, équipe d'accueil)", None),
    )
}
