#!/usr/bin/env bash
# Builds the web dashboard into web/dist (served by `fanzha serve` at /): `npm ci` from the committed
# lock file (only when the lock file changed since the last install), then `npm run build`.
# Needs Node.js >= 20.19 and npm. Called by scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm not found; install Node.js 20 or newer" >&2
  exit 1
fi
stamp=node_modules/.fanzha-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "build-web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
echo "build-web: npm run build"
npm run build --silent >/dev/null
echo "build-web: web/dist ready ($(du -sh dist | cut -f1))"
