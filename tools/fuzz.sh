#!/usr/bin/env bash
# Fuzzes the scenario loader and everything behind it with libFuzzer (clang from Debian).
# Usage: tools/fuzz.sh [SECONDS [BUILD_DIR]]   (default 60 s in build-fuzz). BUILD_DIR, if given, must
# be configured with clang and -DKERBSIM_FUZZ=ON (tools/test.sh passes its sanitizer build); otherwise
# build-fuzz is configured here. The corpus starts from scenarios/ and the bad-input corpus; new
# interesting inputs are kept in BUILD_DIR/corpus. A crash or hang leaves its input in
# BUILD_DIR/artifacts and fails the run: fix it, then add the input to tests/bad-input/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
source "$root/tools/deps.sh"
kerbsim_install_deps clang libclang-rt-14-dev
build="${2:-$root/build-fuzz}"
if [ -z "${2:-}" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKERBSIM_FUZZ=ON >/dev/null
elif ! grep -q '^KERBSIM_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz.sh: $build is not a build folder configured with -DKERBSIM_FUZZ=ON" >&2
  exit 2
fi
cmake --build "$build" --target scenario_fuzzer -j "$(nproc)"
mkdir -p "$build/corpus" "$build/artifacts"
cp "$root"/scenarios/*.json "$root"/tests/bad-input/*.json "$build/corpus/" 2>/dev/null || true
log="$build/fuzz.log"
set +e
"$build/tests/scenario_fuzzer" "$build/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
  -dict="$root/tests/fuzz/scenario.dict" >"$log" 2>&1
rc=$?
set -e
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ +DONE" "$log" || true
if [ "$rc" -ne 0 ]; then
  tail -60 "$log"
  echo "fuzzing found a problem; the input is in $build/artifacts" >&2
  exit 1
fi
echo "fuzzing: no crash, hang or leak in ${seconds}s"
