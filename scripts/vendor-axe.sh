#!/usr/bin/env bash
# Vendor axe-core (the accessibility rules engine the browser tests run on each page)
# from its npm package into tests/vendor/axe-core, so that the test run never fetches it.
# Run again to upgrade; commit the result.
#   usage: scripts/vendor-axe.sh [VERSION]
set -euo pipefail
version="${1:-4.11.4}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/tests/vendor/axe-core"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$version" >/dev/null && tar xzf axe-core-*.tgz)
mkdir -p "$dest"
cp "$work/package/axe.min.js" "$work/package/LICENSE" "$work/package/package.json" "$dest/"
sha256sum "$dest/axe.min.js" | sed "s|$dest/||" > "$dest/SHA256SUMS"
echo "vendored axe-core@$version into $dest"
