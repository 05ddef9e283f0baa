#!/usr/bin/env bash
# Installs what Coop needs on Debian 12, then the front end's npm packages. Idempotent and quick
# when everything is already there. Run as root (or with sudo available) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential g++ cmake ninja-build ccache mold pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-client-15
  libsodium-dev libspdlog-dev libfmt-dev libcli11-dev zlib1g-dev libxlsxwriter-dev
  libcurl4-openssl-dev python3-aiosmtpd
  libcmark-gfm-dev libcmark-gfm-extensions-dev libstemmer-dev  # markdown of messages, French search
  libjpeg-dev libpng-dev  # previews of uploaded images (features/fichiers)
  poppler-utils unzip zip  # ressources: PDF text and first-page preview, office files' XML (zip: the tests' ODT)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  chromium wrk
  systemd strace  # systemd-analyze and strace: the unit checks of tests/integration/installation.test.mjs
  nodejs npm ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node 20 may come from elsewhere than Debian (this machine has it): don't replace a working node/npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The Debian postgresql package starts a cluster on port 5432; Coop's tests use their own cluster
# (scripts/pg-test.sh), so the system one is left as it is.

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js >= 20 is required (found $(node --version))." >&2
  exit 1
fi

# npm packages: reinstall when the lockfile changed since the last install.
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "setup: npm ci (web/)"
  (cd web && npm ci --no-audit --no-fund)
fi
echo "setup: ok"
