"""A bounded in-memory cache of whole answers, per worker process (issue 5 §2).

The dataset changes only at a build, so an answer is fully determined by the entity tag
of its request (:func:`cnamkg.web.caching.entity_tag`: dataset version, host, path,
normalised query, ``Accept``, ``Accept-Language``). Entries live under that tag: a new
build changes every tag, and the old entries age out (least recently used first) within
the size bound. Streamed answers (SPARQL results) are kept only when they end normally
and fit in one eighth of the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedAnswer:
    """One answer: status, headers (without per-request ones) and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


#: Bytes counted for an entry besides its body and headers (key, objects, dictionary slot):
#: a cache of many tiny answers must stay within its bound too (field report).
ENTRY_OVERHEAD = 600

#: Headers set per request, never replayed from the cache.
PER_REQUEST = frozenset({"x-request-id", "date", "content-length", "set-cookie"})


class ResponseCache:
    """Least-recently-used answers by entity tag, bounded in bytes (bodies, headers, keys
    and a fixed overhead per entry).

    :param capacity_bytes: total size of the bodies kept (0: the cache keeps nothing).
    """

    def __init__(self, capacity_bytes: int) -> None:
        self.capacity = capacity_bytes
        self.max_entry = capacity_bytes // 8
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> CachedAnswer | None:
        """The answer kept under ``key`` (counted as a hit), or ``None`` (a miss)."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    @staticmethod
    def _cost(key: str, answer: CachedAnswer) -> int:
        headers = sum(len(k) + len(v) for k, v in answer.headers)
        return len(answer.body) + headers + len(key) + ENTRY_OVERHEAD

    def put(self, key: str, answer: CachedAnswer) -> None:
        """Keep ``answer`` unless it is larger than one entry may be."""
        size = self._cost(key, answer)
        if size > self.max_entry:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= self._cost(key, old)
            self._entries[key] = answer
            self._size += size
            while self._size > self.capacity and self._entries:
                evicted_key, evicted = self._entries.popitem(last=False)
                self._size -= self._cost(evicted_key, evicted)

    def keep_stream(
        self, key: str, status: int, headers: tuple[tuple[str, str], ...], body: Iterable[bytes]
    ) -> Iterator[bytes]:
        """Pass a streamed body through, keeping a copy that is stored if the stream ends
        normally within :attr:`max_entry` bytes."""
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in body:
                if size <= self.max_entry:
                    parts.append(chunk)
                    size += len(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:  # the WSGI server closes our generator, we close theirs
                close()
        if size <= self.max_entry:
            self.put(key, CachedAnswer(status, headers, b"".join(parts)))

    def stats(self) -> dict[str, int]:
        """Hits, misses, entries, bytes kept and capacity, for ``/readyz`` and the logs."""
        with self._lock:
            return {
                "hits": self.hits,
                "misses": self.misses,
                "entries": len(self._entries),
                "bytes": self._size,
                "capacity_bytes": self.capacity,
            }
