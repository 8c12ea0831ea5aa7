#!/usr/bin/env bash
# The counter load test of docs/benchmarks/README.md, against a generated database:
#   ebazhao demo --scale city --data DIR [--db URL]      (once; see the benchmark document)
#   scripts/loadtest.sh DIR [DB-URL]                       (SQLite in DIR, or PostgreSQL)
# Starts the server on loopback, runs the realistic mix at ten times the city's peak
# hour (open loop, EBAZHAO_LOAD_RATE, default 100 requests/s), then at saturation
# (closed loop, 8 clerks), and stops the server. EBAZHAO_LOAD_SECONDS sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
data="${1:?usage: scripts/loadtest.sh DATA-DIR [DB-URL]}"
dburl="${2:-}"
secs="${EBAZHAO_LOAD_SECONDS:-60}"
rate="${EBAZHAO_LOAD_RATE:-100}"
people="${EBAZHAO_LOAD_PEOPLE:-2820000}"
archive_docs="${EBAZHAO_LOAD_ARCHIVE_DOCS:-1000000}"
port="${EBAZHAO_LOAD_PORT:-18091}"
mix="${EBAZHAO_LOAD_MIX:-person=25,search=10,home=5,visit=15,receipt=15,document=8,calc=10,archive=10,seal=2}"
mkdir -p bin
go build -o bin/ebazhao ./cmd/ebazhao
go build -o bin/ebzload ./cmd/ebzload
args=(serve --data "$data" --addr "127.0.0.1:$port" --demo --backup-every 0 --listed-per-hour -1) # 8 clerks at 10× peak search far past a person's hourly budget
[ -n "$dburl" ] && args+=(--db "$dburl")
bin/ebazhao "${args[@]}" >"$data/loadtest-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
load=(bin/ebzload -url "http://127.0.0.1:$port" -people "$people" -archive-docs "$archive_docs" -mix "$mix")
echo "== open loop, $rate requests/s for ${secs}s (mix $mix)"
"${load[@]}" -rate "$rate" -d "${secs}s"
echo "== saturation, 8 clerks in a closed loop for ${secs}s"
"${load[@]}" -c 8 -d "${secs}s"
