#!/usr/bin/env bash
# The C++ sources in the project's one layout (.clang-format: Google style, 100 columns).
#   scripts/format.sh          rewrites every tracked .cc and .h file that differs
#   scripts/format.sh --check  changes nothing; lists the files that differ and fails if any do
# scripts/test.sh runs the check first, so a change in another layout does not land.
set -euo pipefail
cd "$(dirname "$0")/.."
FORMAT=${CLANG_FORMAT:-clang-format-14}
command -v "$FORMAT" >/dev/null || { echo "format.sh: $FORMAT not found (scripts/setup.sh installs it)" >&2; exit 2; }
# The tracked sources; outside a git checkout (an exported tree), every source but the build's.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
else
  mapfile -t files < <(find . \( -path './build*' -o -path '*/node_modules' -o -path './.git' \) -prune -o \
    -type f \( -name '*.cc' -o -name '*.h' \) -print | sed 's|^\./||' | sort)
fi
if [ "${1:-}" != --check ]; then
  "$FORMAT" -i "${files[@]}"
  exit 0
fi
differ=()
for f in "${files[@]}"; do
  "$FORMAT" --dry-run -Werror "$f" >/dev/null 2>&1 || differ+=("$f")
done
if [ ${#differ[@]} -gt 0 ]; then
  echo "format.sh: ${#differ[@]} of ${#files[@]} files are not in the project's layout; run scripts/format.sh:" >&2
  printf '  %s\n' "${differ[@]}" >&2
  exit 1
fi
echo "format.sh: ${#files[@]} files in the project's layout"
