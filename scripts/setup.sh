#!/usr/bin/env bash
# Installs every Debian package that fanzha's build, tests, benchmarks and demo need.
# Idempotent; run as root (or with sudo available) on a fresh Debian 12 machine.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libsqlite3-dev sqlite3
  libphonenumber-dev libprotobuf-dev libicu-dev
  libpsl-dev libcurl4-openssl-dev
  libopencc-dev opencc
  libcli11-dev nlohmann-json3-dev libsimdjson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsodium-dev
  libboost-dev                 # the server's HTTP transport: Boost.Asio and Boost.Beast (headers)
  libcpp-httplib-dev           # the HTTP client of the server's tests
  libpqxx-dev postgresql
)
# Hyperscan is x86-only; Vectorscan is its portable fork with the same API.
if [ "$(dpkg --print-architecture)" = amd64 ]; then PACKAGES+=(libhyperscan-dev); else PACKAGES+=(libvectorscan-dev); fi
# The web dashboard's browser tests: Debian's headless Chromium, and CJK fonts for its screenshots.
PACKAGES+=(chromium fonts-noto-cjk)
# The case file's PDF summary: pdftoppm, pdftotext and pdffonts read it back in its tests.
PACKAGES+=(poppler-utils)
# Benchmarks: an HTTP load generator and client (serve_bench.sh), python3 (trace_vs_postgres.sh).
PACKAGES+=(wrk curl python3)
# The checking build and the fuzzers (scripts/check-build.sh, scripts/fuzz.sh): clang with its
# sanitizer and libFuzzer runtimes.
PACKAGES+=(clang-14 libclang-rt-14-dev)
# The source's one layout (.clang-format), checked by scripts/format.sh in the test run.
PACKAGES+=(clang-format-14)
# takedown/: SHA-1 (libcrypto) for the deterministic UUIDv5 ids of STIX objects.
PACKAGES+=(libssl-dev)
# The bank interchange: the NATS C client with JetStream, and the server its tests and benchmarks run.
PACKAGES+=(libnats-dev nats-server)
# iso20022/: ISO 20022 bank messages (camt statements, recalls) with libxml2.
PACKAGES+=(libxml2-dev)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  bash "$(dirname "$0")/build-web.sh"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: installed ${#missing[@]} packages"
bash "$(dirname "$0")/build-web.sh"
