#!/usr/bin/env bash
# Runs every Go fuzz target (parsers of outside input) for a bounded time each.
#   scripts/fuzz.sh [SECONDS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
secs="${1:-10}"
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  pkg="./$(dirname "${f#./}")"
  for t in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/func //'); do
    echo "== fuzz $pkg $t (${secs}s)"
    if ! out="$(go test -run '^$' -fuzz "^${t}\$" -fuzztime "${secs}s" "$pkg" 2>&1)"; then
      echo "$out" # the failing input, its message and where it was written
      exit 1
    fi
    echo "$out" | tail -n 3
  done
done
