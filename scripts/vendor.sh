#!/usr/bin/env bash
# Re-vendors the front-end assets from the npm registry into web/static/vendor.
# Run after changing a version in web/package.json; commit the copied files.
set -euo pipefail
cd "$(dirname "$0")/../web"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp package.json "$tmp/"
(cd "$tmp" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
cp "$tmp/node_modules/htmx.org/dist/htmx.min.js" static/vendor/htmx.min.js
cp "$tmp/node_modules/chart.js/dist/chart.umd.min.js" static/vendor/chart.umd.min.js
echo "vendored: $(ls static/vendor)"
