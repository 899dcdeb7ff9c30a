#!/usr/bin/env bash
# Vendor YASGUI (the SPARQL query editor) from its npm package into the package's static
# files, so that pages never load it from a CDN. Run again to upgrade; commit the result.
#   usage: scripts/vendor-yasgui.sh [VERSION]
set -euo pipefail
version="${1:-4.6.2}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/cnamkg/web/static/yasgui"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@zazuko/yasgui@$version" >/dev/null && tar xzf zazuko-yasgui-*.tgz)
mkdir -p "$dest"
cp "$work/package/build/yasgui.min.js" "$work/package/build/yasgui.min.css" "$dest/"
cp "$work/package/package.json" "$dest/package.json"
sha256sum "$dest/yasgui.min.js" "$dest/yasgui.min.css" | sed "s|$dest/||" > "$dest/SHA256SUMS"
echo "vendored @zazuko/yasgui@$version into $dest"
