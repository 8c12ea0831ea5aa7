#!/usr/bin/env bash
# Runs every test of ebazhao: vet, then the whole suite on SQLite, then the whole
# suite again on PostgreSQL (each test package starts its own throwaway cluster
# with initdb + pg_ctl on a free loopback port and removes it afterwards).
# Installs what the tests need first (Chromium, poppler-utils, fonts, PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/deps.sh test
export GOFLAGS="${GOFLAGS:-} -count=1"
echo "== go vet =="
go vet ./...
echo "== staticcheck =="
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
echo "== govulncheck (known vulnerabilities in reachable code) =="
scripts/vulncheck.sh
echo "== tests on SQLite =="
EBAZHAO_TEST_ENGINE=sqlite go test -timeout 30m ./...
echo "== tests on PostgreSQL =="
EBAZHAO_TEST_ENGINE=postgres go test -timeout 30m ./...
# Nothing may depend on the day the suite runs or the machine's zone: once more on
# SQLite with the clock started at Taipei's next New Year's night (00:30 on 1
# January, still the old year in UTC and in Honolulu, the machine's zone here).
next_year=$(( $(date -u +%Y) + 1 ))
echo "== tests on SQLite at ${next_year}-01-01T00:30:00+08:00 (Taipei), TZ=Pacific/Honolulu =="
TZ=Pacific/Honolulu EBAZHAO_TEST_NOW="${next_year}-01-01T00:30:00+08:00" EBAZHAO_TEST_ENGINE=sqlite go test -timeout 30m ./...
echo "== fuzz targets (bounded) =="
scripts/fuzz.sh "${EBAZHAO_FUZZ_SECONDS:-8}"
echo "== all tests passed on SQLite and PostgreSQL =="
