#!/usr/bin/env bash
# govulncheck against the Go vulnerability database, offline: the database is built
# from the golang.org/x/vulndb module (served by the module proxy, which is reachable
# where vuln.go.dev is not) and cached under ~/.cache/ebazhao. Exit 3 = vulnerable.
#   scripts/vulncheck.sh                 check ./...
#   EBAZHAO_VULNDB=v0.0.0-...  choose the database snapshot (a vulndb module version)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
snap="${EBAZHAO_VULNDB:-v0.0.0-20261105234957-e22db6528018}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ebazhao/vulndb-$snap"
if [ ! -f "$cache/index/db.json" ]; then
  src="$(cd "$(mktemp -d)" && go mod download -json "golang.org/x/vulndb@$snap" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src/data/osv" ] || { echo "vulncheck: no OSV data in golang.org/x/vulndb@$snap" >&2; exit 1; }
  rm -rf "$cache.tmp" && mkdir -p "$(dirname "$cache")"
  go run "golang.org/x/vulndb/cmd/indexdb@$snap" -vulns "$src/data/osv" -out "$cache.tmp"
  mv "$cache.tmp" "$cache"
fi
echo "vulncheck: database golang.org/x/vulndb@$snap ($(ls "$cache/ID" | grep -c "\.json$") entries)"
go run golang.org/x/vuln/cmd/govulncheck@v1.9.0 -db "file://$cache" ./...
