#!/usr/bin/env bash
# Runs ebazhao on the embedded SQLite database with demo data:
#   http://127.0.0.1:8080  (accounts clerk, supervisor, scanner, cashier, admin, clerk2; password demo)
# Extra arguments go to `ebazhao serve` (e.g. --addr 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/deps.sh run
mkdir -p bin
go build -o bin/ebazhao ./cmd/ebazhao
exec bin/ebazhao serve --demo --data "${EBAZHAO_DATA:-./data}" "$@"
