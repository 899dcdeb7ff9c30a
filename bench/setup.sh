#!/bin/sh
# Install the benchmark's peers and tools (issue 5 §4), loopback use only:
#   wrk and Virtuoso Open Source from Debian (root: apt-get), rdflib-endpoint from PyPI in
#   its own virtual environment (it pins its own rdflib), matplotlib for the growth plot.
# Oxigraph server (the `oxigraph` CLI) comes with the project's test extra.
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk virtuoso-opensource >/dev/null
else
    for tool in wrk virtuoso-t isql-vt; do
        command -v "$tool" >/dev/null || echo "missing $tool: as root, apt-get install wrk virtuoso-opensource" >&2
    done
fi
# Debian's package starts its own Virtuoso on ports 1111/8890 where systemd runs; the
# benchmark runs its own instances on free ports, so that one is not needed
if [ ! -x var/bench/venv-rdflib-endpoint/bin/rdflib-endpoint ]; then
    mkdir -p var/bench
    python3 -m venv var/bench/venv-rdflib-endpoint
    var/bench/venv-rdflib-endpoint/bin/pip install --quiet 'rdflib-endpoint[cli]'
fi
.venv/bin/pip install --quiet matplotlib
