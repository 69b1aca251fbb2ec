#!/usr/bin/env bash
# Static analysis gates: clang-tidy (.clang-tidy), cppcheck, and clang-format conformance (.clang-format)
# over sim/, tools/ and include/. Needs a configured build folder with compile_commands.json.
# Usage: tools/check-code.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
cd "$root"
mapfile -t sources < <(git ls-files 'sim/*.cpp' 'tools/*.cpp')
mapfile -t all < <(git ls-files 'sim/*.cpp' 'sim/*.h' 'tools/*.cpp' 'tools/*.h' 'include/*.h' 'tests/*.cpp')
status=0

echo "== clang-format"
if ! clang-format --dry-run -Werror "${all[@]}" 2>/tmp/kerbsim-format.$$; then
  head -40 /tmp/kerbsim-format.$$
  echo "clang-format: files differ from .clang-format (clang-format -i FILE... fixes them)"
  status=1
fi
rm -f /tmp/kerbsim-format.$$

echo "== cppcheck"
if ! cppcheck --enable=warning,performance,portability --std=c++20 --inline-suppr --quiet --error-exitcode=1 \
    -I include -I sim sim tools include; then
  status=1
fi

echo "== clang-tidy"
if [ ! -f "$build/compile_commands.json" ]; then
  echo "clang-tidy: no $build/compile_commands.json (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)"
  exit 1
fi
findings="$(printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet \
  --extra-arg=-Wno-unknown-warning-option 2>/dev/null | grep -E "(error|warning):" || true)"
if [ -n "$findings" ]; then
  echo "$findings"
  status=1
fi
[ "$status" -eq 0 ] && echo "static analysis: clean"
exit "$status"
