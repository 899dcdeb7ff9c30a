"""Serve the app with gunicorn (a production WSGI server, not Flask's development one)."""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from gunicorn.app.base import BaseApplication

from cnamkg.errors import QueryTimeout
from cnamkg.settings import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # settings vary across gunicorn versions
                self.cfg.set(key, value)

    def load(self) -> Any:
        from cnamkg.web.app import create_app

        return create_app(self._settings)


class _ServerLogFilter(logging.Filter):
    """gunicorn's error log as this service wants it: no client address (``ip=…`` is
    replaced by ``ip=-``), and a query stopped at its deadline while its answer was being
    sent is one warning line, not the traceback gunicorn writes for any exception raised
    by a response body (the transfer is cut all the same: the client sees it incomplete)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place; always keep it."""
        if record.exc_info and isinstance(record.exc_info[1], QueryTimeout):
            record.msg = "query stopped at its deadline while its answer was sent: %s"
            record.args = (record.exc_info[1],)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        message = record.getMessage()
        if "ip=" in message:
            record.msg, record.args = _CLIENT_IP.sub("ip=-", message), ()
        return True


#: A client address in gunicorn's messages ("Invalid request from ip=127.0.0.1: …").
_CLIENT_IP = re.compile(r"ip=\S+?(?=[:\s]|$)")


def _init_worker(worker: Any) -> None:
    """gunicorn ``post_worker_init`` hook: the worker's error log gets
    :class:`_ServerLogFilter`."""
    worker.log.error_log.addFilter(_ServerLogFilter())


def _sandbox_worker(worker: Any) -> None:
    """gunicorn ``post_worker_init`` hook: as :func:`_init_worker`, and the worker, which
    has its app and store, cannot open Internet sockets from now on (see
    :mod:`cnamkg.web.sandbox`)."""
    from cnamkg.web.sandbox import deny_internet_sockets

    _init_worker(worker)
    if deny_internet_sockets():
        worker.log.info("worker %s: Internet sockets denied (seccomp)", worker.pid)


def _close_worker(server: Any, worker: Any) -> None:
    """gunicorn ``worker_exit`` hook: stop the worker's query evaluators and close its
    store before the interpreter tears down, so that the engine's own threads are not
    left running while the process exits (a group-wide SIGTERM made workers segfault in
    libc at exit)."""
    app = getattr(worker, "wsgi", None)
    extensions = getattr(app, "extensions", {})
    for name in ("cnamkg.runner", "cnamkg.validation_runner"):
        runner = extensions.get(name)
        if runner is not None:
            runner.close()
    store = extensions.pop("cnamkg.store", None)
    if store is not None:
        store.close()


def check_serving(settings: Settings) -> None:
    """Refuse serving settings that contradict each other.

    :raises ValueError: fewer than one worker, a negative ``graceful_timeout_s``, or
        ``worker_timeout_s`` not above
        ``evaluator_start_s + query_deadline_s``, the longest a request may wait for its
        query (gunicorn would kill a worker in the middle of a query still allowed to run).
    """
    if settings.workers < 1:
        raise ValueError(f"CNAMKG_WORKERS must be at least 1, not {settings.workers}")
    if settings.graceful_timeout_s < 0:
        raise ValueError(
            f"CNAMKG_GRACEFUL_TIMEOUT_S must be 0 or more, not {settings.graceful_timeout_s:g}"
        )
    longest = settings.evaluator_start_s + settings.query_deadline_s
    if settings.worker_timeout_s <= longest:
        raise ValueError(
            f"CNAMKG_WORKER_TIMEOUT_S ({settings.worker_timeout_s:g}) must exceed "
            f"CNAMKG_EVALUATOR_START_S + CNAMKG_QUERY_DEADLINE_S ({longest:g}), the longest "
            "a request may wait for its query"
        )


def serve(settings: Settings, *, host: str, port: int) -> None:
    """Run gunicorn in the foreground with ``settings.workers`` workers; each opens the
    store read-only. SIGTERM (or SIGINT) stops it gracefully: no new connection is
    accepted, requests in flight get ``settings.graceful_timeout_s`` seconds to finish.

    :param host: address to bind (e.g. ``127.0.0.1``).
    :param port: TCP port.
    :raises ValueError: settings :func:`check_serving` refuses.
    """
    check_serving(settings)
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": settings.workers,
        # the app logs each request (request id, route, status, duration, query hash) and
        # not the client's address; gunicorn's access log would add the address
        "accesslog": None,
        "errorlog": "-",
        # gunicorn kills a silent worker; queries have their own, shorter deadline
        # (gunicorn takes whole seconds)
        "timeout": math.ceil(settings.worker_timeout_s),
        "graceful_timeout": math.ceil(settings.graceful_timeout_s),
        "preload_app": False,
        # gunicorn's control socket has one default path per user: two servers on one
        # machine would fight over it, and cnamkg does not use it.
        "control_socket_disable": True,
        # request limits enforced by gunicorn before the app sees anything
        "limit_request_line": settings.max_request_line_bytes,
        "limit_request_field_size": settings.max_header_bytes,
        "limit_request_fields": 100,
        # gunicorn would take SCRIPT_NAME and PATH_INFO from request headers of a
        # loopback client: links (and the answers kept) would then point anywhere
        "forwarder_headers": "",
    }
    options["worker_exit"] = _close_worker
    options["post_worker_init"] = _init_worker
    logging.getLogger("cnamkg.web").setLevel(logging.INFO)  # the request log
    if not settings.store.startswith("sparql:") and not settings.federation_allowlist.split():
        # an embedded store and no federation: workers need no outbound connection at all
        options["post_worker_init"] = _sandbox_worker
    _Gunicorn(settings, options).run()
