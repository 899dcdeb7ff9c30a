"""The IRI scheme (DESIGN.md, "IRIs"): pure functions from kind/slug to canonical IRIs.

Entities are ``{base}id/{kind}/{slug}``; named graphs ``{base}graph/{name}``; the ontology
``{base}ontology#Term``. Nothing here knows HTTP: :mod:`cnamkg.web.urls` maps these IRIs
onto the serving host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Entity kinds, in the order lists and the home page show them.
KINDS: tuple[str, ...] = (
    "organization",
    "project",
    "programme",
    "call",
    "event",
    "topic",
    "document",
    "place",
)

#: A slug: lowercase ASCII letters and digits in groups joined by single hyphens.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class EntityRef:
    """An entity named by kind and slug.

    :param kind: one of :data:`KINDS`.
    :param slug: matches :data:`SLUG_RE`.
    """

    kind: str
    slug: str

    def iri(self, base: str) -> str:
        """The canonical IRI ``{base}id/{kind}/{slug}``."""
        return f"{base}id/{self.kind}/{self.slug}"


def is_valid_ref(kind: str, slug: str) -> bool:
    """True when ``kind`` is a known kind and ``slug`` a well-formed slug.

    Used before any value reaches a query, so a path can never inject SPARQL (field case
    BUG-25; SPARQL 1.1 Query §19.5 IRIREF).
    """
    return kind in KINDS and SLUG_RE.fullmatch(slug) is not None


def entity_ref(iri: str, base: str) -> EntityRef | None:
    """The kind and slug of an entity IRI of this dataset, or ``None`` for any other IRI."""
    prefix = f"{base}id/"
    if not iri.startswith(prefix):
        return None
    kind, _, slug = iri[len(prefix) :].partition("/")
    return EntityRef(kind, slug) if is_valid_ref(kind, slug) else None


def graph_iri(base: str, name: str) -> str:
    """The IRI of the named graph ``name`` (a data file's stem, or ``ontology``)."""
    return f"{base}graph/{name}"


def ontology_iri(base: str) -> str:
    """The ontology's IRI (its terms are ``{ontology_iri}#Term``)."""
    return f"{base}ontology"


def dataset_iri(base: str) -> str:
    """The IRI of the dataset as a whole (``{base}dataset``)."""
    return f"{base}dataset"
