#!/bin/sh
# The whole benchmark in one command (issue 5 §4–§5): install the peers, then run the
# mix at each scale (default 10^4, 10^5, 10^6 triples) and write the growth table and
# plot. Arguments go to bench/growth.py, e.g. `bench/run.sh --scales 10000 100000`.
set -eu
cd "$(dirname "$0")/.."
make setup >/dev/null
bench/setup.sh
exec .venv/bin/python bench/growth.py "$@"
