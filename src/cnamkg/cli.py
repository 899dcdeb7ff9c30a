"""The ``cnamkg`` command: validate | build | serve | query.

Each sub-command is a thin call into the pipeline, store and web modules. Exit codes:
0 success, 1 the data violates the shapes (or a query fails), 2 unreadable input or a
usage error.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cnamkg.errors import (
    CnamkgError,
    QueryRefused,
    QuerySyntaxError,
    SourceMissingError,
    SourceSyntaxError,
    StoreUnavailable,
    ValidationFailed,
)
from cnamkg.external import WIKIDATA_SPARQL
from cnamkg.pipeline.build import build, load_and_validate, read_current
from cnamkg.pipeline.load import rdf_files
from cnamkg.settings import Settings
from cnamkg.store.registry import open_store, store_path

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        name: Path(value)
        for name in ("data_dir", "shapes_dir", "ontology_dir")
        if (value := getattr(args, name, None)) is not None
    }
    if getattr(args, "store", None):
        overrides["store"] = args.store  # type: ignore[assignment]
    if getattr(args, "workers", None) is not None:
        overrides["workers"] = args.workers  # type: ignore[assignment]
    return Settings.from_env().with_overrides(**overrides)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the data against the shapes; print the report."""
    from cnamkg.pipeline.validate import validate  # pySHACL: imported when used

    s = _settings(args)
    report = validate(
        rdf_files(s.data_dir),
        shapes_dir=s.shapes_dir,
        ontology_dir=s.ontology_dir,
        base_iri=s.base_iri,
    )
    print(report.describe())
    return EXIT_OK if report.conforms else EXIT_VIOLATIONS


def _store_dir(s: Settings) -> Path:
    path = store_path(s.store)
    if path is None:
        raise SourceMissingError(f"'build' needs an on-disk store (oxigraph:PATH), not {s.store!r}")
    return path


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, then build the on-disk store, or upload to a remote engine with
    ``--target sparql:URL --graph-store URL`` (only when the sources changed)."""
    s = _settings(args)
    target = args.target or s.store
    if target.startswith("sparql:"):
        from cnamkg.pipeline.upload import upload

        if not args.graph_store:
            raise SourceMissingError(
                "--target sparql:URL needs --graph-store URL, the remote's SPARQL 1.1 Graph "
                "Store Protocol endpoint (e.g. http://127.0.0.1:7878/store for Oxigraph)"
            )
        sent = upload(
            s,
            endpoint=target.removeprefix("sparql:"),
            graph_store=args.graph_store,
            force=args.force,
        )
        if sent.uploaded:
            gone = f", {len(sent.deleted)} stale graphs deleted" if sent.deleted else ""
            print(f"uploaded {sent.triples} triples to {args.graph_store}{gone}")
        else:
            print(f"up to date: {target} holds this version (sources unchanged)")
        return EXIT_OK
    result = build(s, _store_dir(s), force=args.force)
    if result.rebuilt:
        print(f"built {result.path} ({result.triples} quads, {len(result.info.graphs)} graphs)")
        print("; ".join(f"{step} {secs:.2f} s" for step, secs in result.seconds.items()))
    else:
        print(f"up to date: {result.path} (sources unchanged)")
    return EXIT_OK


def _prepare_embedded(args: argparse.Namespace) -> int:
    """Build the embedded store if missing or stale, or keep the last good build when the
    sources no longer build; then open it once, so that a store that cannot be opened
    (damaged, from another version) is one clear error, not a traceback in every worker.

    :raises SourceSyntaxError, ValidationFailed: the sources do not build and there is no
        earlier build to serve.
    :raises StoreUnavailable: the store cannot be opened.
    """
    s = _settings(args)
    try:
        result = build(s, _store_dir(s))
    except (SourceSyntaxError, ValidationFailed) as exc:
        last_good = read_current(_store_dir(s))
        if last_good is None:
            raise  # nothing good to serve: refuse, with the message
        # the sources changed into something invalid: the last good build serves on
        if isinstance(exc, ValidationFailed):
            print(exc.report.describe(), file=sys.stderr)  # type: ignore[attr-defined]
        else:
            print(f"error: {exc}", file=sys.stderr)
        print(
            f"the sources do not build; serving the last good build {last_good[1].parent} "
            "(fix them, then run `cnamkg build`: the server picks it up)",
            file=sys.stderr,
        )
    else:
        state = "rebuilt" if result.rebuilt else "up to date"
        print(f"store {state}: {result.path}", file=sys.stderr)
    open_store(s).close()
    return EXIT_OK


def _child(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> None:
    """Body of :func:`_in_fresh_process`: run ``func`` as :func:`main` runs a command."""
    _configure_logging()
    sys.exit(_guarded(func, args))


def _in_fresh_process(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run ``func(args)`` in a new interpreter (multiprocessing's ``spawn``) and return its
    exit code. The serving process must never open the embedded store itself: RocksDB
    starts threads and global state that a ``fork`` does not carry over whole, and every
    gunicorn worker forked after it crashed with SIGSEGV when it exited."""
    process = multiprocessing.get_context("spawn").Process(target=_child, args=(func, args))
    process.start()
    process.join()
    code = process.exitcode
    return code if code is not None and code >= 0 else EXIT_INPUT


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the store if missing or stale, then serve with gunicorn. The embedded store
    is built and checked in a fresh process (see :func:`_in_fresh_process`); the
    ``memory`` store's sources are validated here first, so that bad data is refused with
    the same file:line message and report as ``build``, before any worker starts."""
    from cnamkg.web.server import check_serving, serve

    s = _settings(args)
    check_serving(s)  # before any build: a contradiction is refused at once
    if store_path(s.store) is not None:
        code = _in_fresh_process(_prepare_embedded, args)
        if code != EXIT_OK:
            return code
    elif s.store == "memory":
        load_and_validate(s)
    serve(s, host=args.host, port=args.port)
    return EXIT_OK


#: Where ``cnamkg link --accept`` writes the reviewed links (one named graph).
LINKS_FILE = "wikidata-links.ttl"


def cmd_link(args: argparse.Namespace) -> int:
    """Find Wikidata candidates for our unlinked organisations and write a review file;
    with ``--accept FILE``, turn its accepted lines into ``data/wikidata-links.ttl``
    (validated; the previous file is kept when the result does not validate)."""
    import pyoxigraph as ox

    from cnamkg.linking import (
        SAME_AS,
        accepted_links,
        find_candidates,
        links_turtle,
        unlinked_organizations,
        write_review,
    )
    from cnamkg.store.remote import RemoteStore

    s = _settings(args)
    target = s.data_dir / LINKS_FILE
    if args.accept:
        links = {e: (e, i, u) for e, i, u in accepted_links(Path(args.accept), s.base_iri)}
        if target.exists():  # links accepted earlier stay, unless replaced now
            endpoint = args.endpoint
            for q in ox.parse(path=target, format=ox.RdfFormat.TURTLE):
                if q.predicate.value == SAME_AS and q.subject.value not in links:
                    links[q.subject.value] = (q.subject.value, q.object.value, endpoint)
        previous = target.read_bytes() if target.exists() else None
        target.write_text(links_turtle(sorted(links.values()), s.base_iri), encoding="utf-8")
        try:
            load_and_validate(s)
        except BaseException:
            if previous is None:
                target.unlink()
            else:
                target.write_bytes(previous)
            raise
        print(f"{len(links)} links to Wikidata in {target}; run `cnamkg build` to publish them")
        return EXIT_OK
    store = open_store(s)
    remote = RemoteStore(args.endpoint, base=s.base_iri, timeout_s=args.timeout, describe=False)
    candidates = []
    unlinked = unlinked_organizations(store, s.base_iri)
    for entity, names in unlinked.items():
        candidates += find_candidates(remote, entity, names)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_review(out, candidates, args.endpoint)
    print(
        f"{len(candidates)} candidates for {len(unlinked)} organisations without a Wikidata "
        f"link, in {out}: write yes in `accept` for the right ones, then run "
        f"`cnamkg link --accept {out}`"
    )
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    """Run one query against the configured store and print the result."""
    from cnamkg.query.guard import check_query
    from cnamkg.representation import formats as F
    from cnamkg.representation.rdf import serialize_graph
    from cnamkg.representation.results import serialize_results
    from cnamkg.store.base import is_graph
    from cnamkg.vocab import COMMON_PREFIXES

    s = _settings(args)
    text = Path(args.file).read_text("utf-8") if args.file else args.query
    if not text:
        print("error: give a query, or --file FILE", file=sys.stderr)
        return EXIT_INPUT
    store = open_store(s)
    check_query(
        text, max_bytes=max(s.max_query_bytes, len(text.encode())), max_depth=s.max_query_depth
    )
    result = store.query(text)
    graph = is_graph(result)
    offers = F.RDF_FORMATS if graph else F.RESULTS_FORMATS
    fmt = (
        F.by_extension(args.format, offers)
        if args.format
        else offers[0]
        if graph
        else F.RESULTS_TSV
    )
    if fmt is None:
        names = ", ".join(f.extension for f in offers)
        print(
            f"error: --format {args.format} does not fit this query; use one of {names}",
            file=sys.stderr,
        )
        return EXIT_INPUT
    if graph:
        body = serialize_graph(result, fmt, COMMON_PREFIXES)
    else:
        body = serialize_results(result, fmt)
    sys.stdout.buffer.write(body if body.endswith(b"\n") else body + b"\n")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cnamkg", description="Validate, build, serve and query the cnamkg knowledge graph."
    )
    sub = p.add_subparsers(dest="command", required=True)

    def sources(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", dest="data_dir", help="data folder (default: data/)")
        sp.add_argument("--shapes", dest="shapes_dir", help="shapes folder (default: shapes/)")
        sp.add_argument(
            "--ontology", dest="ontology_dir", help="ontology folder (default: ontology/)"
        )

    v = sub.add_parser("validate", help="validate data/ against shapes/ (exit 1 on violations)")
    sources(v)
    v.set_defaults(func=cmd_validate)

    b = sub.add_parser("build", help="validate, then build the store if the sources changed")
    sources(b)
    b.add_argument("--store", help="store setting, e.g. oxigraph:var/store")
    b.add_argument("--force", action="store_true", help="rebuild even if sources are unchanged")
    b.add_argument(
        "--target", help="where to build: oxigraph:PATH (default: --store) or sparql:URL (remote)"
    )
    b.add_argument(
        "--graph-store", help="with --target sparql:URL: the remote's Graph Store Protocol URL"
    )
    b.set_defaults(func=cmd_build)

    sv = sub.add_parser("serve", help="build if needed, then serve over HTTP with gunicorn")
    sources(sv)
    sv.add_argument("--store", help="store setting, e.g. oxigraph:var/store or memory")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    sv.add_argument(
        "--workers", type=int, help="gunicorn worker processes (default: CNAMKG_WORKERS, 2)"
    )
    sv.set_defaults(func=cmd_serve)

    lk = sub.add_parser(
        "link", help="find Wikidata candidates for unlinked organisations (a review file)"
    )
    sources(lk)
    lk.add_argument("--store", help="store setting, e.g. oxigraph:var/store or memory")
    lk.add_argument(
        "--endpoint",
        default=WIKIDATA_SPARQL,
        help="SPARQL endpoint with Wikidata-shaped data (default: Wikidata Query Service)",
    )
    lk.add_argument("--out", default="var/link-review.csv", help="review file to write (CSV)")
    lk.add_argument("--timeout", type=float, default=60.0, help="seconds per query (default 60)")
    lk.add_argument(
        "--accept", metavar="FILE", help="turn a reviewed file's accepted lines into data"
    )
    lk.set_defaults(func=cmd_link)

    q = sub.add_parser("query", help="run a SPARQL query against the store")
    q.add_argument("query", nargs="?", help="the query text")
    q.add_argument("--file", help="read the query from FILE")
    q.add_argument("--store", help="store setting (default: CNAMKG_STORE or oxigraph:var/store)")
    q.add_argument(
        "--format", default="", help="tsv|csv|srj|srx for SELECT; ttl|nt|jsonld|rdf for graphs"
    )
    q.set_defaults(func=cmd_query)
    return p


def _configure_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # rdflib logs a traceback for every ill-typed literal (e.g. "2020-13-45"^^xsd:date);
    # such literals are valid RDF (RDF 1.1 Concepts §3.3) and the shapes judge them.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cnamkg`` console script; returns the exit code."""
    _configure_logging()
    args = _parser().parse_args(argv)
    return _guarded(args.func, args)


def _guarded(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; turn the errors users cause into a message and an exit code."""
    try:
        code: int = func(args)
        return code
    except SourceSyntaxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ValidationFailed as exc:
        print(exc.report.describe(), file=sys.stderr)  # type: ignore[attr-defined]
        print(
            "error: the data does not conform to the shapes; the store was not changed",
            file=sys.stderr,
        )
        return EXIT_VIOLATIONS
    except (QuerySyntaxError, QueryRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_VIOLATIONS
    except (SourceMissingError, StoreUnavailable, CnamkgError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
