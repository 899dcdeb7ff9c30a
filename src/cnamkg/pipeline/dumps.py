"""Whole-dataset dumps, written by ``cnamkg build`` beside the store (DESIGN.md, HTTP
surface ``/dumps/…``): the union graph as Turtle and gzipped N-Triples, the named graphs
as gzipped N-Quads and as JSON-LD, and an ``index.json`` listing each file's size and
SHA-256 checksum."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from cnamkg.vocab import COMMON_PREFIXES

INDEX = "index.json"


#: Each dump, in the order written: file name, media type, content encoding. The union
#: graph as Turtle and gzipped N-Triples, the named graphs as gzipped N-Quads and JSON-LD.
LAYOUT: tuple[tuple[str, str, str | None], ...] = (
    ("dataset.ttl", "text/turtle", None),
    ("dataset.nt.gz", "application/n-triples", "gzip"),
    ("dataset.nq.gz", "application/n-quads", "gzip"),
    ("dataset.jsonld", "application/ld+json", None),
)


def served_media_type(media_type: str, encoding: str | None) -> str:
    """The ``Content-Type`` a dump is served with: a gzipped file is ``application/gzip``
    (its bytes are gzip; RFC 6713), any other its own media type."""
    return "application/gzip" if encoding == "gzip" else media_type


@dataclass(frozen=True)
class DumpFile:
    """One dump: file name, media type, content encoding, size in bytes, SHA-256 (hex)."""

    name: str
    media_type: str
    encoding: str | None
    size: int
    sha256: str


def write_dumps(
    quads: list[ox.Quad], directory: Path, *, prefixes: dict[str, str] | None = None
) -> list[DumpFile]:
    """Write the dumps of ``quads`` into ``directory`` and its ``index.json``.

    :param quads: the dataset, one named graph per source.
    :param directory: created if missing.
    :param prefixes: for the Turtle dump (default: the common vocabularies).
    :return: what was written. Quads and triples are written in sorted order, so the same
        dataset (with the same blank node labels) always gives the same bytes, whichever
        process writes them and in whatever order its store returns them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    quads = sorted(set(quads), key=str)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    prefixes = prefixes or COMMON_PREFIXES
    bodies = (
        ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        gzip.compress(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", mtime=0),
        gzip.compress(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", mtime=0),
        ox.serialize(quads, format=ox.RdfFormat.JSON_LD),
    )
    files = []
    for (name, media_type, encoding), body in zip(LAYOUT, bodies, strict=True):
        data = body or b""
        (directory / name).write_bytes(data)
        files.append(
            DumpFile(name, media_type, encoding, len(data), hashlib.sha256(data).hexdigest())
        )
    (directory / INDEX).write_text(json.dumps([asdict(f) for f in files], indent=2), "utf-8")
    return files


def read_index(directory: Path) -> list[DumpFile]:
    """The dumps listed in ``directory/index.json`` (empty when there is none)."""
    try:
        return [DumpFile(**entry) for entry in json.loads((directory / INDEX).read_text("utf-8"))]
    except (OSError, ValueError, TypeError):
        return []
