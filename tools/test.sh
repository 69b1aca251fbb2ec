#!/usr/bin/env bash
# Builds and runs every test: the unit tests, `kerbsim check` over every bundled scenario, the
# pinned golden traces and the command-line tests. Installs missing Debian packages first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/deps.sh"
kerbsim_install_deps
jobs="$(nproc)"

cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DKERBSIM_WERROR=ON >/dev/null
cmake --build "$root/build" -j "$jobs"
(cd "$root/build" && ctest --output-on-failure -j "$jobs")
