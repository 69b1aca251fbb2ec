#!/usr/bin/env bash
# Quick start: install what is missing, build in Release, and trace the default scenario
# (the SSRS farm behind reports.corp.contoso.com whose nodes run as NetworkService).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/deps.sh"
kerbsim_install_deps
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" --target kerbsim -j "$(nproc)"
echo
exec "$root/build/tools/kerbsim/kerbsim" trace "$root/scenarios/ssrs-farm-networkservice.json" "$@"
