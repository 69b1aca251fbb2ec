#!/usr/bin/env bash
# `kerbsim trace --rehearse`: the seed farm's first fix rolled out step by step, its options checked
# before loading, nothing to rehearse and a rehearsal over the budget refused with exit 2 and nothing
# on standard output, the same seed giving the same report, and text that fits 100 columns.
# Usage: rehearse_test.sh KERBSIM SOURCE_DIR
set -u
kerbsim="$1" root="$2"
export NO_COLOR=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

expect() {  # expect NAME CODE PATTERN -- COMMAND...
  local name="$1" code="$2" pattern="$3"
  shift 4
  local out rc
  out="$("$@" 2>&1)"
  rc=$?
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL $name: exit $rc, expected $code"; echo "$out" | head -20; failed=$((failed + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | head -20; failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}

# A refusal prints its message on standard error and nothing on standard output.
refuses() {  # refuses NAME PATTERN -- COMMAND...
  local name="$1" pattern="$2"
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qE -- "$pattern" "$tmp/err"; then
    echo "FAIL $name: exit $rc (expected 2), stdout $(wc -c <"$tmp/out") bytes, stderr:"; head -5 "$tmp/err"
    failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}

seed="$root/scenarios/ssrs-farm-networkservice.json"
expect "help names --rehearse and its exit code" 0 "2 when no traced path has a verified fix to rehearse" -- "$kerbsim" trace --help
expect "rehearse the seed farm" 0 "Rehearsal of the first fix kerbsim prints, for \"alice opens the sales report\" via web2" \
  -- "$kerbsim" trace "$seed" --rehearse
expect "the period before the first step" 0 "^ +- +01:00 .*\(before the first step\)" -- "$kerbsim" trace "$seed" --rehearse
expect "a failure fraction per node" 0 "web1 0\.0% of [0-9,]+ · web2 100\.0% of" -- "$kerbsim" trace "$seed" --rehearse
expect "when failures stop" 0 "Failures stopped by [0-9]{2}:[0-9]{2}, " -- "$kerbsim" trace "$seed" --rehearse
expect "the default workload is said" 0 "200 users, seed 1 \(default workload\)" -- "$kerbsim" trace "$seed" --rehearse
expect "--users and --seed" 0 "50 users, seed 9 \(default workload\)" -- \
  "$kerbsim" trace "$seed" --rehearse --users 50 --seed 9
expect "--step-interval" 0 "one change every 1h" -- "$kerbsim" trace "$seed" --rehearse --step-interval 1h
expect "--order reverse" 0 "order: reverse" -- "$kerbsim" trace "$seed" --rehearse --order reverse
expect "--order spn-first" 0 "order: spn-first" -- "$kerbsim" trace "$seed" --rehearse --order spn-first
expect "json" 0 '"rehearsed": true' -- "$kerbsim" trace "$seed" --rehearse --format json
expect "json steps" 0 '"failure_fraction": ' -- "$kerbsim" trace "$seed" --rehearse --format json
expect "--output" 0 "" -- "$kerbsim" trace "$seed" --rehearse -o "$tmp/rehearsal.txt"
expect "--output content" 0 "before the first step" -- cat "$tmp/rehearsal.txt"

# Text fits 100 columns; only a command ("$ ...") may be longer, printed whole on its own line.
for s in ssrs-farm-networkservice sim-spn-moved-at-noon ssrs-farm-networkservice-double-hop; do
  long="$("$kerbsim" trace "$s" --rehearse --users 20 | perl -CS -ne 'print if length($_) > 101 && !/^ *\$ /')"
  if [ -z "$long" ]; then passed=$((passed + 1)); else
    echo "FAIL $s: lines over 100 columns:"; echo "$long"; failed=$((failed + 1)); fi
done

# Same seed, same report; another seed, another one.
for fmt in text json; do
  a="$("$kerbsim" trace "$seed" --rehearse --format "$fmt")"
  b="$("$kerbsim" trace "$seed" --rehearse --format "$fmt")"
  if [ "$a" == "$b" ]; then passed=$((passed + 1)); else
    echo "FAIL: trace --rehearse --format $fmt differs between two runs"; failed=$((failed + 1)); fi
done
a="$("$kerbsim" trace "$seed" --rehearse --seed 1 --format json)"
b="$("$kerbsim" trace "$seed" --rehearse --seed 2 --format json)"
if [ "$a" != "$b" ]; then passed=$((passed + 1)); else
  echo "FAIL: trace --rehearse gives the same report for seeds 1 and 2"; failed=$((failed + 1)); fi

# Bad input: exit 2, a message, nothing on standard output.
refuses "nothing to rehearse" "^  every traced path works: there is no fix to rehearse" -- \
  "$kerbsim" trace ssrs-farm-double-hop --rehearse
refuses "bad --order" "--order must be given, reverse or spn-first, not 'random'" -- \
  "$kerbsim" trace "$seed" --rehearse --order random
refuses "bad --step-interval" "--step-interval must be a duration from 1m to 1d, such as 30m or 1h, not '5x'" -- \
  "$kerbsim" trace "$seed" --rehearse --step-interval 5x
refuses "--step-interval too short" "--step-interval must be .*not '30s'" -- \
  "$kerbsim" trace "$seed" --rehearse --step-interval 30s
refuses "--users 0" "--users must be 1 or more" -- "$kerbsim" trace "$seed" --rehearse --users 0
refuses "--order without --rehearse" "--order goes with --rehearse" -- "$kerbsim" trace "$seed" --order reverse
refuses "--users without --rehearse" "--users goes with --rehearse" -- "$kerbsim" trace "$seed" --users 5
refuses "mermaid" "--rehearse prints text or json, not mermaid" -- "$kerbsim" trace "$seed" --rehearse --format mermaid
refuses "over the budget" "more than the budget of 50,000,000" -- timeout 10 "$kerbsim" trace "$seed" --rehearse --users 10000000
refuses "unknown scenario" "nope-scenario" -- "$kerbsim" trace nope-scenario --rehearse

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
