#!/usr/bin/env bash
# Builds and runs every test: the unit tests, `kerbsim check` over every bundled scenario, the pinned
# golden traces, the command-line tests and the bad-input corpus — once in a Release build with
# warnings as errors, once under AddressSanitizer + UndefinedBehaviorSanitizer (clang) — plus static analysis
# (clang-format, cppcheck, clang-tidy), the real-KDC differential suite (tests/fidelity, Samba on
# 127.0.0.1; skipped with a message when its packages cannot be installed) and a short fuzz run of the
# sanitizer build's fuzzer.
# Installs missing Debian packages first (Graphviz and python3-jsonschema check the graph exports), and
# the npm packages of the fix scripts' PowerShell grammar test (tests/report/ps1). KERBSIM_FUZZ_SECONDS=0
# skips the fuzz run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/deps.sh"
kerbsim_install_deps clang libclang-rt-14-dev clang-tidy clang-format cppcheck graphviz python3-jsonschema
kerbsim_install_node
kerbsim_install_ps1_grammar "$root/build/ps1"
jobs="$(nproc)"

echo "== Release build (warnings are errors)"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DKERBSIM_WERROR=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build "$root/build" -j "$jobs"
(cd "$root/build" && ctest --output-on-failure -j "$jobs")

echo "== Real-KDC differential suite: kerbsim kdc against a Samba 4.17 AD DC on 127.0.0.1"
# tests/fidelity/run installs Samba's packages if it can; exit 77 means it could not, and says why.
fidelity=0
KERBSIM="$root/build/tools/kerbsim/kerbsim" "$root/tests/fidelity/run" || fidelity=$?
if [ "$fidelity" -eq 77 ]; then
  echo "== SKIPPED the real-KDC differential suite: the Samba packages are missing and cannot be installed"
elif [ "$fidelity" -ne 0 ]; then
  echo "== the real-KDC differential suite failed (exit $fidelity)" >&2
  exit 1
fi

echo "== Static analysis: clang-format, cppcheck, clang-tidy"
"$root/tools/check-code.sh" "$root/build"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build (clang, with libFuzzer's coverage for the fuzz run)"
# Line tables are all a sanitizer's stack trace needs, and much cheaper to build than full debug information.
CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DKERBSIM_FUZZ=ON \
  -DKERBSIM_WERROR=ON -DCMAKE_CXX_FLAGS="-O1" -DCMAKE_CXX_FLAGS_DEBUG="-gline-tables-only" >/dev/null
cmake --build "$root/build-asan" -j "$jobs"
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs")

seconds="${KERBSIM_FUZZ_SECONDS:-60}"
if [ "$seconds" -gt 0 ]; then
  echo "== Fuzzing the scenario loader for ${seconds}s"
  "$root/tools/fuzz.sh" "$seconds" "$root/build-asan"
fi
