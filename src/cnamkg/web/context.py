"""Access to the application's settings and store from a request."""

from __future__ import annotations

import logging

import pyoxigraph as ox
from flask import current_app, g

from cnamkg.errors import SourceMissingError, SourceSyntaxError
from cnamkg.pipeline.load import parse_folder
from cnamkg.query.examples import Example
from cnamkg.query.runner import QueryRunner
from cnamkg.representation.shapes_doc import ShapeDoc, document_shapes
from cnamkg.settings import Settings
from cnamkg.store.base import Store
from cnamkg.terms import rdflib_graph_of

log = logging.getLogger(__name__)


def settings() -> Settings:
    """The settings of the running application."""
    value: Settings = current_app.extensions["cnamkg.settings"]
    return value


def examples() -> list[Example]:
    """The example queries of the running application."""
    value: list[Example] = current_app.extensions["cnamkg.examples"]
    return value


def runner() -> QueryRunner:
    """The query runner of this request (of the build it started on), else the app's."""
    value: QueryRunner = g.get("cnamkg_runner") or current_app.extensions["cnamkg.runner"]
    return value


def store() -> Store:
    """The store of this request (the build it started on), else the app's."""
    value: Store = g.get("cnamkg_store") or current_app.extensions["cnamkg.store"]
    return value


def shapes() -> list[ShapeDoc]:
    """What each SHACL shape of the shapes folder requires (read on first use).

    A folder that is missing or does not parse gives an empty list and a logged warning:
    ``cnamkg build`` refuses such shapes, so a served store was validated by good ones.
    """
    docs: list[ShapeDoc] | None = current_app.extensions.get("cnamkg.shapes")
    if docs is None:
        from cnamkg.web.prefixes import shorten  # prefixes needs this module

        try:
            # the folder is read once for both uses
            docs = document_shapes(rdflib_graph_of(shape_triples()), shorten)
        except (SourceMissingError, SourceSyntaxError) as exc:
            log.warning("shapes not documented: %s", exc)
            docs = []
        current_app.extensions["cnamkg.shapes"] = docs
    return docs


def shape_triples() -> tuple[ox.Triple, ...]:
    """The shapes graph (every file of the shapes folder) as triples, for ``/shapes``
    (read on first use).

    :raises SourceMissingError: the folder is missing.
    :raises SourceSyntaxError: a file does not parse (``cnamkg build`` refuses such
        shapes, so a serving process only meets this if the files changed under it).
    """
    value: tuple[ox.Triple, ...] | None = current_app.extensions.get("cnamkg.shape_triples")
    if value is None:
        files = parse_folder(settings().shapes_dir, "urn:x-cnamkg:shapes")
        value = tuple(
            dict.fromkeys(
                ox.Triple(q.subject, q.predicate, q.object) for f in files for q in f.quads
            )
        )
        current_app.extensions["cnamkg.shape_triples"] = value
    return value
