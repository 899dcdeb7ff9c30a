#!/usr/bin/env bash
# Debian packages the test suite uses besides Python ones: libseccomp (the egress
# sandbox of the serving workers), chromium (the browser tests), curl (a client of
# the conneg tests) and wrk (the load test). Installs what is missing when run as root with apt; otherwise says
# what is missing (the tests that need it are then skipped, except under CI=true).
set -euo pipefail
missing=()
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || missing+=(libseccomp2)
command -v chromium >/dev/null || missing+=(chromium)
command -v curl >/dev/null || missing+=(curl)
command -v wrk >/dev/null || missing+=(wrk)
((${#missing[@]})) || exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "note: missing Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
fi
