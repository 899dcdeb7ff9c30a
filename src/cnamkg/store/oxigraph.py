"""The embedded Oxigraph backend (pyoxigraph), on disk or in memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from cnamkg.errors import QuerySyntaxError, StoreUnavailable
from cnamkg.store.base import DatasetInfo, QueryResult


class OxigraphStore:
    """A read-only view of a pyoxigraph ``Store``; the default graph is the union graph.

    :param store: an opened pyoxigraph store.
    :param info: what was built into it.
    """

    def __init__(self, store: ox.Store, info: DatasetInfo) -> None:
        self._store = store
        self.info = info

    @classmethod
    def open_read_only(cls, db_path: Path, info: DatasetInfo) -> OxigraphStore:
        """Open a built store directory read-only (several processes may share it).

        :raises StoreUnavailable: the directory is missing or not a valid store.
        """
        if not db_path.is_dir():
            raise StoreUnavailable(f"{db_path}: no store here; run `cnamkg build`")
        try:
            return cls(ox.Store.read_only(str(db_path)), info)
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreUnavailable(
                f"{db_path}: cannot open the store ({exc}); "
                "run `cnamkg build --force` to rebuild it"
            ) from exc

    @classmethod
    def in_memory(cls, quads: Iterable[ox.Quad], info: DatasetInfo) -> OxigraphStore:
        """A store held in memory, filled with ``quads`` (tests, tiny data)."""
        store = ox.Store()
        store.extend(quads)
        return cls(store, info)

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query; see :meth:`cnamkg.store.base.Store.query`.

        The store's own default graph holds the union of the named graphs (written so by
        :func:`cnamkg.pipeline.build.store_quads`), so a query's ``FROM``/``FROM NAMED``
        keep their standard meaning with no need to detect them.
        """
        kwargs: dict[str, object] = {"base_iri": base_iri}
        if default_graphs is not None or named_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        try:
            return self._store.query(text, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"the store cannot be read: {exc}") from exc

    def close(self) -> None:
        """Drop the reference to the underlying store (pyoxigraph closes it when freed)."""
        del self._store
