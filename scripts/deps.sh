#!/usr/bin/env bash
# Installs the Debian packages ebazhao needs on a new machine, if missing.
#   scripts/deps.sh run    fonts for printed documents (CNS11643 Sung and Kai)
#   scripts/deps.sh test   the above plus headless Chromium, poppler-utils, the sftp client and PostgreSQL
set -euo pipefail
want=(fonts-cns11643-sung fonts-cns11643-kai poppler-utils) # poppler: PDF uploads to the archive are rendered with pdftoppm
if [ "${1:-run}" = "test" ]; then
  want+=(chromium poppler-utils openssh-client)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || want+=(postgresql)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
