"""Kernel-enforced egress block for the processes that evaluate queries.

Oxigraph evaluates ``SERVICE`` by sending HTTP requests. :mod:`cnamkg.query.guard`
refuses such queries with a clear 400, but it reads the query lexically and Oxigraph's
parser backtracks, so the guard alone is not a proof. This module makes the proof: a
seccomp filter (Linux ``seccomp(2)``, through libseccomp and pyseccomp) that makes
``socket(AF_INET, …)`` and ``socket(AF_INET6, …)`` fail with ``EACCES`` in the calling
process and all its threads. A worker serving an embedded store needs no new Internet
socket — it answers on the listening socket it inherited — so nothing it evaluates can
reach another host (SPARQL 1.1 Query §21; field case BUG-21).
"""

from __future__ import annotations

import errno
import logging
import socket

log = logging.getLogger(__name__)


def deny_internet_sockets() -> bool:
    """Install the filter in this process (irreversible).

    :return: True when the filter is installed; False when the platform cannot (no
        libseccomp, not Linux), which is logged as a warning.
    """
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("egress sandbox unavailable (%s): SERVICE is refused by the guard only", exc)
        return False
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, including the store's own
    for family in (socket.AF_INET, socket.AF_INET6):
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
    rules.load()
    return True
