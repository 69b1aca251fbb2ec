#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them; each prints its ratio against its baseline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/tools/deps.sh"
kerbsim_install_deps
# SimPy 3 for simulation_bench's SimPy peer; optional: without it that comparison is skipped.
kerbsim_install_deps python3-simpy3 || echo "python3-simpy3 could not be installed: the SimPy comparison is skipped"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" --target benchmarks -j "$(nproc)"
"$root/build/tools/bench/engine_bench"
echo
"$root/build/tools/bench/simulation_bench"
echo
"$root/build/tools/bench/diff_bench"
echo
"$root/build/tools/bench/graph_bench"
echo
"$root/build/tools/bench/directory_bench"
echo
"$root/build/tools/bench/replications_bench"
echo
cmake --build "$root/build" --target kerbsim -j "$(nproc)"
python3 "$root/tools/bench/enterprise_bench.py" "$root/build/tools/kerbsim/kerbsim"
