#!/usr/bin/env bash
# Same scenario, same output: every bundled scenario's trace (text and JSON), check and lint output
# is byte-identical across two runs. (Golden traces pin it across build types: both the Release and
# the sanitizer builds compare against the same files.)
# Usage: determinism_test.sh KERBSIM SOURCE_DIR
set -u
kerbsim="$1" root="$2"
export NO_COLOR=1
passed=0 failed=0
for s in "$root"/scenarios/*.json; do
  for cmd in "trace" "trace --format json" "trace --format mermaid" "check" "lint --format json"; do
    # shellcheck disable=SC2086
    a="$("$kerbsim" $cmd "$s" 2>&1)"
    # shellcheck disable=SC2086
    b="$("$kerbsim" $cmd "$s" 2>&1)"
    if [ "$a" == "$b" ]; then passed=$((passed + 1)); else
      echo "FAIL: kerbsim $cmd $(basename "$s") differs between two runs"; failed=$((failed + 1)); fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
