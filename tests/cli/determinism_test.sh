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
# Simulations: the same seed gives the same report, text and JSON; another seed gives another one.
for s in "$root"/scenarios/*.json; do
  grep -q '"workload"' "$s" || continue
  for cmd in "simulate" "simulate --format json" "simulate --format csv"; do
    # shellcheck disable=SC2086
    a="$("$kerbsim" $cmd "$s" 2>&1)"
    # shellcheck disable=SC2086
    b="$("$kerbsim" $cmd "$s" 2>&1)"
    if [ "$a" == "$b" ]; then passed=$((passed + 1)); else
      echo "FAIL: kerbsim $cmd $(basename "$s") differs between two runs"; failed=$((failed + 1)); fi
  done
  a="$("$kerbsim" simulate --format json --seed 1 "$s" 2>&1)"
  b="$("$kerbsim" simulate --format json --seed 2 "$s" 2>&1)"
  if [ "$a" != "$b" ]; then passed=$((passed + 1)); else
    echo "FAIL: kerbsim simulate $(basename "$s") gives the same report for seeds 1 and 2"; failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
